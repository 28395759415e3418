import type { RelocationInfo, RelocationStatus } from "@waypoint/schema";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import type { TxItem } from "../common/db.ts";
import { NotFoundError } from "../common/errors.ts";
import { writeVersioned } from "../common/record.ts";
import { RelocationEntity } from "./relocation.entity.ts";

export type Info = RelocationInfo;

const AUDITED = [
  "householdSize",
  "vulnerability",
  "destination",
  "earliestDate",
  "readiness",
  "tripID",
  "seats",
  "confirmed",
  "status",
  "ticket",
  "departure",
  "arrival",
  "cancelReason",
  "planReason",
];

/** Reads a relocation without a permission check (workflow tasks; callers check first otherwise). */
export async function loadRelocation(relocationID: string): Promise<Info | undefined> {
  const res = await RelocationEntity.get({ relocationID }).go();
  return res.data && !res.data.deleted ? (res.data as Info) : undefined;
}

/** Reads a relocation the current actor may see; anything else is "not found" (no existence leak). */
export async function readRelocation(relocationID: string): Promise<Info> {
  const rel = await loadRelocation(relocationID);
  if (!rel || rel.operationID !== Actor.operationID() || !Actor.can("relocation.read", rel))
    throw new NotFoundError("relocation", relocationID);
  return rel;
}

export const allReady = (r: Pick<Info, "readiness">) =>
  r.readiness.documents && r.readiness.medical && r.readiness.briefingAttended && r.readiness.consent;

/** The status implied by the record before departure; from departure on, status only moves by confirmation. */
export function deriveStatus(r: Info): RelocationStatus {
  if (["cancelled", "departed", "arrived", "completed", "missed"].includes(r.status)) return r.status;
  if (!allReady(r)) return "preparing";
  if (!r.tripID) return "ready";
  if (!r.confirmed) return "assigned";
  if (r.ticket && r.ticket.tripID === r.tripID) return "ticketed";
  return "scheduled";
}

/**
 * Saves changes to a relocation conditional on `expectedVersion`, with the audit event in the same transaction.
 * `set` may include `undefined` values: those attributes are removed.
 */
export async function saveRelocation(
  cur: Info,
  expectedVersion: number,
  changes: Partial<Info>,
  action: string,
  extra: { with?: TxItem[]; reason?: string } = {},
): Promise<Info> {
  const next = { ...cur, ...changes } as Info;
  next.status = changes.status ?? deriveStatus(next);
  const set: Record<string, unknown> = {};
  const remove: string[] = [];
  for (const [k, v] of Object.entries({ ...changes, status: next.status })) {
    if (v === undefined) remove.push(k);
    else set[k] = v;
  }
  const written = await writeVersioned(
    {
      entity: RelocationEntity,
      key: { relocationID: cur.relocationID },
      expectedVersion,
      set,
      remove,
      with: extra.with,
      audit: {
        recordID: cur.relocationID,
        recordType: "relocation",
        action,
        operationID: cur.operationID,
        officeID: cur.officeID,
        reason: extra.reason,
        changes: Audit.diff(cur, next, AUDITED),
      },
    },
    () => loadRelocation(cur.relocationID),
  );
  for (const k of remove) delete (next as Record<string, unknown>)[k];
  return { ...next, ...written };
}
