import { z } from "zod";
import { Actor } from "../actor.ts";
import { nowIso } from "../common/db.ts";
import { InvalidError } from "../common/errors.ts";
import { toFieldIssues } from "../common/fn.ts";
import { SavedViewEntity } from "./view.entity.ts";

/**
 * Saved grid views, per user and operation: they follow the user to any browser. A view holds only grid
 * layout (columns, sort, filters, quick search text); it is the user's own and nobody else reads it. The
 * filters and search can contain what the user typed (e.g. a family name), so views are not shared or logged.
 */
export namespace SavedViews {
  export const MAX_PER_LIST = 50;
  const MAX_BYTES = 64 * 1024;

  export const Resource = z.string().regex(/^[a-z][a-z-]{1,40}$/, "must be a list name such as individuals");
  export const Name = z.string().trim().min(1).max(80);
  export const Input = z.object({
    columns: z.array(z.record(z.string(), z.unknown())).max(200),
    filters: z.record(z.string(), z.unknown()),
    search: z.string().max(200).optional(),
  });
  export type View = z.infer<typeof Input> & { name: string; resource: string; timeUpdated: string };

  function me() {
    const actor = Actor.user();
    return { userID: actor.userID, operationID: actor.operationID };
  }

  export async function list(resource: string): Promise<View[]> {
    const r = Resource.safeParse(resource);
    if (!r.success) throw InvalidError.field("resource", "invalid.resource", r.error.issues[0]!.message);
    const res = await SavedViewEntity.query
      .primary({ ...me() })
      .begins({ resource: r.data })
      .go({ pages: "all" });
    return res.data
      .filter((v) => v.resource === r.data)
      .map((v) => ({
        name: v.name,
        resource: v.resource,
        columns: v.columns as View["columns"],
        filters: v.filters as View["filters"],
        search: v.search,
        timeUpdated: v.timeUpdated,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Creates or replaces the view `name` of `resource`. */
  export async function save(resource: string, name: string, input: unknown): Promise<View> {
    const r = Resource.safeParse(resource);
    if (!r.success) throw InvalidError.field("resource", "invalid.resource", r.error.issues[0]!.message);
    const n = Name.safeParse(name);
    if (!n.success) throw InvalidError.field("name", "invalid.name", n.error.issues[0]!.message);
    const v = Input.safeParse(input);
    if (!v.success) throw new InvalidError(toFieldIssues(v.error));
    if (JSON.stringify(v.data).length > MAX_BYTES)
      throw InvalidError.field("columns", "invalid.too_big", "The view is too large to save");
    const existing = await list(r.data);
    if (!existing.some((e) => e.name === n.data) && existing.length >= MAX_PER_LIST)
      throw InvalidError.field("name", "invalid.too_many", `At most ${MAX_PER_LIST} saved views per list`);
    const item = { ...me(), resource: r.data, name: n.data, ...v.data, timeUpdated: nowIso() };
    await SavedViewEntity.put(item).go({ response: "none" });
    return {
      name: item.name,
      resource: item.resource,
      columns: item.columns,
      filters: item.filters,
      search: item.search,
      timeUpdated: item.timeUpdated,
    };
  }

  export async function remove(resource: string, name: string): Promise<void> {
    await SavedViewEntity.delete({ ...me(), resource, name }).go({ response: "none" });
  }
}
