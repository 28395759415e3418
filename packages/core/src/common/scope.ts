import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { ForbiddenError, InvalidError, NotFoundError } from "./errors.ts";
import type { Action } from "../permissions.ts";

/** Which partition a list query may read for the current actor. */
export type ListPartition =
  | { kind: "office"; officeID: string }
  | { kind: "operation"; operationID: string }
  | { kind: "own"; userID: string };

/**
 * Picks the partition a list reads from the permission table: a whole operation, one office, or the actor's own
 * records. Asking for an office outside the actor's scope is refused rather than silently emptied.
 */
export function listPartition(action: Action, officeID?: string): ListPartition {
  const ls = Actor.listScope(action);
  if (!ls) throw new ForbiddenError(action);
  const operationID = Actor.operationID();
  if (ls.scope === "own" && ls.user) return { kind: "own", userID: ls.user.userID };
  const offices = ls.scope === "office" ? (ls.user?.officeIDs ?? []) : [];
  if (officeID) {
    if (offices.length > 0 && !offices.includes(officeID))
      throw new ForbiddenError(action, "Your account does not cover this office.");
    return { kind: "office", officeID };
  }
  if (offices.length === 0) return { kind: "operation", operationID };
  if (offices.length === 1) return { kind: "office", officeID: offices[0]! };
  throw InvalidError.field("officeID", "invalid.required", "Choose one of your offices");
}

/**
 * Loads-then-authorises a single record. A restricted record the actor may not see answers NotFound, so its
 * existence does not leak; every successful read of a restricted record is audited.
 */
export async function authorisedRead<T extends Actor.Target & { deleted?: boolean }>(
  kind: string,
  id: string,
  action: Action,
  record: T | undefined | null,
  target: (r: T) => Actor.Target = (r) => r,
): Promise<T> {
  if (!record || record.deleted || record.operationID !== Actor.operationID())
    throw new NotFoundError(kind, id);
  const t = target(record);
  if (!Actor.can(action, t)) {
    if (t.restricted) throw new NotFoundError(kind, id);
    throw new ForbiddenError(action);
  }
  if (t.restricted) await auditRead(kind, id, t);
  return record;
}

/** Records that a restricted record was shown to the current actor. */
export async function auditRead(kind: string, id: string, t: Actor.Target): Promise<void> {
  await Audit.record({
    recordID: id,
    recordType: kind,
    action: "read",
    operationID: t.operationID,
    officeID: t.officeID,
    restricted: true,
  });
}

/** Keeps the list items the actor may read and audits the restricted ones shown. */
export async function visible<T>(
  kind: string,
  action: Action,
  items: T[],
  idOf: (r: T) => string,
  target: (r: T) => Actor.Target,
) {
  const out = items.filter((r) => !(r as { deleted?: boolean }).deleted && Actor.can(action, target(r)));
  await Promise.all(out.filter((r) => target(r).restricted).map((r) => auditRead(kind, idOf(r), target(r))));
  return out;
}

/** `null` in a patch clears a cell: split changes into attributes to set and attributes to remove. */
export function splitChanges(changes: Record<string, unknown>) {
  const set: Record<string, unknown> = {};
  const remove: string[] = [];
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) continue;
    if (v === null) remove.push(k);
    else set[k] = v;
  }
  return { set, remove };
}
