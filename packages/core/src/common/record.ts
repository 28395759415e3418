import type { Entity } from "electrodb";
import type { BulkRowResult } from "@waypoint/schema/bulk";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { RestrictedRoles } from "../permissions.ts";
import { nowIso, transactWrite, type TxItem } from "./db.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError, RuleError } from "./errors.ts";
import { mapLimit } from "./concurrency.ts";
import { auditRead } from "./scope.ts";

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
  /**
   * What the caller may see of the stored record: what their read returns (a partner's view, a redacted record).
   * A stale write's 409 carries this, never the stored record. Without it, `conflictView`'s default applies.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the stored record of the caller's entity
  view?: (stored: any) => unknown;
}

/** Attributes that are never part of what anyone reads (search keys, sealed secrets). */
const INTERNAL = ["searchName", "webhookSecret"];

/**
 * What a stale write's 409 shows the caller of the stored record `stored` of kind `kind` (an audit record type):
 * `view(stored)` when the caller's read has its own shape, otherwise what a staff read shows. Partners and the
 * public get no record without a view (their reads have their own shapes); staff get nothing of a restricted
 * record they may not see (a read would say "not found"), are audited when they see one, and never get the fields
 * their role may not read (individual/household redaction) nor internal attributes.
 */
export async function conflictView(
  kind: string,
  stored: unknown,
  view?: (stored: never) => unknown,
): Promise<unknown> {
  if (!stored || typeof stored !== "object") return undefined;
  if (view) return await view(stored as never);
  const actor = Actor.maybe();
  if (actor?.type === "system") return stored;
  if (actor?.type !== "user") return undefined;
  const r = stored as Record<string, unknown> & Actor.Target;
  if (r.operationID && r.operationID !== actor.operationID) return undefined;
  if (r.restricted) {
    const assigned = Array.isArray(r.assignedTo) ? r.assignedTo : r.assignedTo ? [r.assignedTo] : [];
    const own = assigned.includes(actor.userID) || r.createdBy === actor.userID;
    if (!own && !RestrictedRoles.includes(actor.role)) return undefined;
    const id = String(r[`${kind}ID`] ?? "");
    if (id) await auditRead(kind, id, r);
  }
  // loaded on a conflict only: this module sits on the sign-in path, which must not carry the registry's code
  const shown: Record<string, unknown> =
    kind === "individual" || kind === "household"
      ? (await import("../individual/redact.ts")).redact(kind, r, actor)
      : { ...r };
  for (const k of INTERNAL) delete shown[k];
  // configured values the role may not see stay out of a conflict body as out of a read (issue 19)
  if (shown.fields !== undefined && CONFIGURED_KINDS.includes(kind)) {
    const { FieldValues } = await import("../fields/values.ts");
    await FieldValues.ready(actor.operationID);
    return FieldValues.view(kind as never, shown, actor);
  }
  return shown;
}
/** Record types with configured fields whose conflict body is not already cut by `redact` (individual, household). */
const CONFIGURED_KINDS = ["case", "assessment", "referral", "appointment", "incident", "host", "return", "payee"];

/**
 * A `view` that is the caller's own read run again (`read` is the module's `get`): a conflict then shows exactly
 * what a read shows now (restriction of the live case, scope, the restricted read audited), or nothing once the
 * read refuses (not found, forbidden).
 */
export function asRead(read: () => Promise<unknown>): () => Promise<unknown> {
  return () =>
    read().catch((err: unknown) => {
      if (err instanceof NotFoundError || err instanceof ForbiddenError) return undefined;
      throw err;
    });
}

/**
 * The only way a mutable record changes: conditional on its version, bumping it, stamping `timeUpdated`, and
 * writing the audit event in the same transaction. A stale version is a ConflictError carrying the current
 * record (loaded by `current`) as the caller may see it (`w.view`, see `conflictView`), so the caller can show
 * theirs-vs-yours; nothing is overwritten silently.
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
      throw new ConflictError(
        `${w.audit.recordType} ${w.audit.recordID} was changed by someone else`,
        await conflictView(w.audit.recordType, cur, w.view),
      );
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
  if (err instanceof ForbiddenError)
    return { id, ref, status: "forbidden", message: err.message, action: err.action };
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
