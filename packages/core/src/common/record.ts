import type { Entity } from "electrodb";
import type { BulkRowResult } from "@waypoint/schema/bulk";
import { Audit } from "../audit/index.ts";
import { nowIso, transactWrite, type TxItem } from "./db.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError, RuleError } from "./errors.ts";
import { mapLimit } from "./concurrency.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any ElectroDB entity; each caller keeps its own types
type AnyEntity = Entity<any, any, any, any>;

export interface VersionedWrite {
  entity: AnyEntity;
  key: Record<string, string>;
  /** The version the caller read; the write fails if the stored record moved on. */
  expectedVersion: number;
  set: Record<string, unknown>;
  /** Attributes to remove (cleared cells). */
  remove?: string[];
  audit: Audit.Event;
  /** More items that must commit with this change (constraint items, counters). */
  with?: TxItem[];
  /**
   * A rule on the stored record checked by the same write (an ElectroDB `where` clause, joined to the version
   * check with AND). When the version matched but the rule did not, `refused()` is thrown instead of a conflict.
   */
  guard?: {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- ElectroDB's attribute and operation helpers
    where: (attr: any, op: any) => string;
    refused: () => Error;
  };
}

/**
 * The only way a mutable record changes: conditional on its version, bumping it, stamping `timeUpdated`, and
 * writing the audit event in the same transaction. A stale version is a ConflictError carrying the current
 * record (loaded by `current`), so the caller can show theirs-vs-yours; nothing is overwritten silently.
 */
export async function writeVersioned(
  w: VersionedWrite,
  current: () => Promise<unknown>,
): Promise<{ version: number; timeUpdated: string }> {
  const timeUpdated = nowIso();
  let op = w.entity
    .patch(w.key)
    .set({ ...w.set, timeUpdated })
    .add({ version: 1 });
  if (w.remove?.length) op = op.remove(w.remove);
  const params = op
    .where((attr: Record<string, unknown>, ops: { eq: (a: unknown, v: unknown) => string }) =>
      [ops.eq(attr.version, w.expectedVersion), ...(w.guard ? [w.guard.where(attr, ops)] : [])].join(" AND "),
    )
    .params();
  const extra = w.with ?? [];
  const tx = await transactWrite([{ update: params }, Audit.txItem(w.audit), ...extra]);
  if (!tx.ok) {
    if (tx.failed.includes(0)) {
      const cur = await current();
      if (!cur) throw new NotFoundError(w.audit.recordType, w.audit.recordID);
      if (w.guard && (cur as { version?: number }).version === w.expectedVersion) throw w.guard.refused();
      throw new ConflictError(`${w.audit.recordType} ${w.audit.recordID} was changed by someone else`, cur);
    }
    throw new ConflictError(
      "A related record changed or a unique value is taken",
      undefined,
      "conflict.constraint",
    );
  }
  return { version: w.expectedVersion + 1, timeUpdated };
}

/** Maps a failure of one row to its per-row result; unexpected errors propagate (they are bugs or outages). */
export function rowFailure(err: unknown, id?: string, ref?: string): BulkRowResult {
  if (err instanceof InvalidError) return { id, ref, status: "invalid", issues: err.issues };
  if (err instanceof RuleError)
    return { id, ref, status: "invalid", issues: [{ path: "", code: err.code, message: err.message }] };
  if (err instanceof ForbiddenError) return { id, ref, status: "forbidden", message: err.message };
  if (err instanceof NotFoundError) return { id, ref, status: "not_found" };
  if (err instanceof ConflictError) {
    if (err.code === "conflict.version") return { id, ref, status: "conflict", current: err.current };
    return { id, ref, status: "invalid", issues: [{ path: "", code: err.code, message: err.message }] };
  }
  throw err;
}

/**
 * Runs one operation per row with bounded concurrency; every row gets its own outcome and valid rows are saved
 * even when others fail. Prefixes field paths with `rows.<i>.` so a grid can put the error on the right cell.
 */
export async function bulk<R extends { id?: string; ref?: string }>(
  rows: readonly R[],
  one: (row: R, index: number) => Promise<BulkRowResult>,
  concurrency = 16,
): Promise<{ results: BulkRowResult[]; summary: Record<string, number> }> {
  const results = await mapLimit(rows, concurrency, async (row, i) => {
    try {
      return await one(row, i);
    } catch (err) {
      return rowFailure(err, row.id, row.ref);
    }
  });
  const summary: Record<string, number> = {};
  for (const r of results) summary[r.status] = (summary[r.status] ?? 0) + 1;
  return { results, summary };
}
