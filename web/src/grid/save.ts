import { MAX_BULK_ROWS, type BulkResponse, type BulkRowResult } from "@waypoint/schema";
import { ApiError, api } from "../api/client.ts";
import type { Resource } from "../domains/resources.ts";
import type { Dataset } from "./dataset.ts";
import type { Values } from "./store.ts";

export type SaveSummary = Record<
  "saved" | "created" | "conflict" | "invalid" | "forbidden" | "other" | "held",
  number
>;

const chunks = <T>(xs: T[], n: number) =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

/** Client-side check of a new row with the API's create schema; issues land on their cells. */
export function checkNew(resource: Resource, values: Values) {
  if (!resource.create) return [];
  const r = resource.create.safeParse(values);
  return r.success
    ? []
    : r.error.issues.map((i) => ({ path: i.path.join(".") || "row", code: i.code, message: i.message }));
}

/**
 * Saves every staged row in bulk requests (one PATCH for edits and one POST for new rows per 1000 rows) and
 * settles each row with its own answer. A request refused as a whole settles all its rows with that refusal.
 */
export async function saveStaged(ds: Dataset): Promise<SaveSummary> {
  const { store, resource } = ds;
  const summary: SaveSummary = {
    saved: 0,
    created: 0,
    conflict: 0,
    invalid: 0,
    forbidden: 0,
    other: 0,
    held: 0,
  };
  const { patch, create, held } = store.pending();
  summary.held = held.length;
  for (const key of held) {
    const messages = [...(store.errors.get(key)?.values() ?? [])];
    store.outcomes.set(key, { status: "invalid", message: messages.join("; ") });
    ds.apply({ update: [key], add: [], remove: [] });
  }
  const settle = (key: string, r: BulkRowResult) => {
    const delta = store.settle(key, r);
    if (r.status === "saved" || r.status === "created") ds.merge([r.record as Values]);
    ds.apply(delta);
    if (r.status in summary) summary[r.status as keyof SaveSummary]++;
    else summary.other++;
  };
  const failAll = (keys: string[], e: unknown) => {
    for (const key of keys) {
      if (e instanceof ApiError && e.status === 403) settle(key, { status: "forbidden", message: e.message });
      else if (e instanceof ApiError && e.problem.errors?.length)
        settle(key, { status: "invalid", issues: e.problem.errors });
      else {
        store.outcomes.set(key, { status: "error", message: e instanceof Error ? e.message : String(e) });
        summary.other++;
      }
    }
  };

  for (const part of chunks(patch, MAX_BULK_ROWS)) {
    try {
      const res = await api<BulkResponse>("PATCH", resource.path, {
        rows: part.map(({ id, version, changes }) => ({ id, version, changes })),
      });
      res.results.forEach((r, i) => settle(r.id && part.some((p) => p.id === r.id) ? r.id : part[i]!.key, r));
    } catch (e) {
      failAll(
        part.map((p) => p.key),
        e,
      );
    }
  }

  const ready = create.filter((c) => {
    const issues = checkNew(resource, c.values);
    if (issues.length === 0) return true;
    store.markIssues(c.key, issues);
    store.outcomes.set(c.key, { status: "invalid", message: issues.map((i) => i.message).join("; ") });
    ds.apply({ update: [c.key], add: [], remove: [] });
    summary.invalid++;
    return false;
  });
  for (const part of chunks(ready, MAX_BULK_ROWS)) {
    try {
      const res = await api<BulkResponse>("POST", resource.path, {
        rows: part.map(({ key, values, overrideDuplicates }) => ({ ref: key, values, overrideDuplicates })),
      });
      res.results.forEach((r, i) => settle(r.ref ?? part[i]!.key, r));
    } catch (e) {
      failAll(
        part.map((p) => p.key),
        e,
      );
    }
  }
  store.clearHistory();
  return summary;
}
