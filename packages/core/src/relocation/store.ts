import type { RelocationInfo, RelocationStatus } from "@waypoint/schema/relocation";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import type { TxItem } from "../common/db.ts";
import { ConflictError, InvalidError, NotFoundError } from "../common/errors.ts";
import { writeVersioned } from "../common/record.ts";
import { RelocationEntity, RelocationTripEntity } from "./relocation.entity.ts";

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

/** The seats a relocation holds, and on which trip (none once cancelled or without a trip). */
function held(r: Info): { tripID: string; n: number } | undefined {
  if (!r.tripID || r.status === "cancelled") return undefined;
  return { tripID: r.tripID, n: r.seats ?? r.householdSize };
}

/**
 * A trip's seat counter, counted from its relocations if the trip predates the counter. The count is written
 * only if still missing, so two first users agree.
 */
export async function seatsTaken(tripID: string): Promise<{ seats: number; taken: number } | undefined> {
  const trip = (await RelocationTripEntity.get({ tripID }).go()).data;
  if (!trip) return undefined;
  if (trip.seatsTaken !== undefined) return { seats: trip.seats, taken: trip.seatsTaken };
  const on = await RelocationEntity.query
    .byOperation({ operationID: trip.operationID })
    .where(({ tripID: t }, { eq }) => eq(t, tripID))
    .go({ pages: "all" });
  const taken = (on.data as Info[]).reduce((sum, r) => sum + (held(r)?.n ?? 0), 0);
  await RelocationTripEntity.patch({ tripID })
    .set({ seatsTaken: taken })
    .where((a, { notExists }) => notExists(a.seatsTaken))
    .go({ response: "none" })
    .catch(() => undefined);
  const now = (await RelocationTripEntity.get({ tripID }).go()).data!;
  return { seats: now.seats, taken: now.seatsTaken ?? taken };
}

/**
 * The trip counter updates a change of `cur` into `next` needs: seats given back on the old trip, seats taken on
 * the new one on condition that they are free (at the capacity read), all inside the relocation's transaction.
 */
async function seatItems(cur: Info, next: Info): Promise<{ items: TxItem[]; takes: boolean }> {
  const before = held(cur);
  const after = held(next);
  if (before?.tripID === after?.tripID && before?.n === after?.n) return { items: [], takes: false };
  const items: TxItem[] = [];
  // Seats given back on a trip the household leaves (staying on the same trip nets out in the take below).
  if (before && before.tripID !== after?.tripID) {
    await seatsTaken(before.tripID);
    items.push({
      update: RelocationTripEntity.patch({ tripID: before.tripID })
        .add({ seatsTaken: -before.n })
        .params() as Record<string, unknown>,
    });
  }
  if (!after) return { items, takes: false };
  const trip = await seatsTaken(after.tripID);
  if (!trip) throw InvalidError.field("changes.tripID", "invalid.trip", "Unknown trip");
  const need = after.n - (before?.tripID === after.tripID ? before.n : 0);
  items.push({
    update: RelocationTripEntity.patch({ tripID: after.tripID })
      .add({ seatsTaken: need })
      .where((a, { lte, eq }) => `${lte(a.seatsTaken, trip.seats - need)} AND ${eq(a.seats, trip.seats)}`)
      .params() as Record<string, unknown>,
  });
  return { items, takes: need > 0 };
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
  const seats = await seatItems(cur, next);
  const written = await writeVersioned(
    {
      entity: RelocationEntity,
      key: { relocationID: cur.relocationID },
      expectedVersion,
      set,
      remove,
      with: [...(extra.with ?? []), ...seats.items],
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
  ).catch(async (err: unknown) => {
    // The seat condition failed: someone took the last seats between our read and this write.
    if (seats.takes && err instanceof ConflictError && err.code === "conflict.constraint") {
      const trip = await seatsTaken(next.tripID!);
      if (trip && trip.taken + (held(next)?.n ?? 0) > trip.seats)
        throw InvalidError.field(
          "changes.tripID",
          "relocation.trip_full",
          `Only ${Math.max(0, trip.seats - trip.taken)} seats left on this trip`,
        );
    }
    throw err;
  });
  for (const k of remove) delete (next as Record<string, unknown>)[k];
  return { ...next, ...written };
}
