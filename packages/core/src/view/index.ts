import { SavedViewInput, SavedViewList, SavedViewName, type SavedView } from "@waypoint/schema/views";
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

  export type View = SavedView;

  function me() {
    const actor = Actor.user();
    return { userID: actor.userID, operationID: actor.operationID };
  }

  function listName(resource: string): string {
    const r = SavedViewList.safeParse(resource);
    if (!r.success) throw InvalidError.field("resource", "invalid.resource", r.error.issues[0]!.message);
    return r.data;
  }

  const toView = (v: View): View => ({
    name: v.name,
    resource: v.resource,
    columns: v.columns,
    filters: v.filters,
    search: v.search,
    timeUpdated: v.timeUpdated,
  });

  export async function list(resource: string): Promise<View[]> {
    const key = listName(resource);
    const res = await SavedViewEntity.query.primary(me()).begins({ resource: key }).go({ pages: "all" });
    return res.data
      .filter((v) => v.resource === key)
      .map((v) => toView(v as View))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Creates or replaces the view `name` of `resource`. */
  export async function save(resource: string, name: string, input: unknown): Promise<View> {
    const listKey = listName(resource);
    const n = SavedViewName.safeParse(name);
    if (!n.success) throw InvalidError.field("name", "invalid.name", n.error.issues[0]!.message);
    const v = SavedViewInput.safeParse(input);
    if (!v.success) throw new InvalidError(toFieldIssues(v.error));
    if (JSON.stringify(v.data).length > MAX_BYTES)
      throw InvalidError.field("columns", "invalid.too_big", "The view is too large to save");
    const existing = await list(listKey);
    if (!existing.some((e) => e.name === n.data) && existing.length >= MAX_PER_LIST)
      throw InvalidError.field("name", "invalid.too_many", `At most ${MAX_PER_LIST} saved views per list`);
    const view: View = { resource: listKey, name: n.data, ...v.data, timeUpdated: nowIso() };
    await SavedViewEntity.put({ ...me(), ...view }).go({ response: "none" });
    return view;
  }

  export async function remove(resource: string, name: string): Promise<void> {
    await SavedViewEntity.delete({ ...me(), resource: listName(resource), name }).go({ response: "none" });
  }
}
