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
  "documents",
  "medical",
  "briefingAttended",
  "consent",
  "departureAt",
  "seats",
  "confirmed",
  "status",
  "ticketNumbers",
  "ticketDelivered",
  "checkedIn",
  "departedAt",
  "arrivedOn",
  "cancelReason",
];

/**
 * What the audit trail keeps of a relocation, in the words a person reads in its history: the checklist items one
 * by one, the trip by its departure time (not its ID), tickets by their numbers, confirmations by their time.
 * The seat's trip (`tripID`) and the planner's reason code stay on the record itself.
 */
function audited(r: Info, tripDepartureAt?: string): Record<string, unknown> {
  return {
    householdSize: r.householdSize,
    vulnerability: r.vulnerability,
    destination: r.destination?.name,
    earliestDate: r.earliestDate,
    documents: r.readiness?.documents,
    medical: r.readiness?.medical,
    briefingAttended: r.readiness?.briefingAttended,
    consent: r.readiness?.consent,
    departureAt: tripDepartureAt,
    seats: r.seats,
    confirmed: r.confirmed,
    status: r.status,
    ticketNumbers: r.ticket?.numbers.join(" "),
    ticketDelivered: r.ticket?.deliveredAt,
    checkedIn: r.checkIn?.at,
    departedAt: r.departure?.at,
    arrivedOn: r.arrival?.at,
    cancelReason: r.cancelReason,
  };
}

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

export const ReadinessItems = ["documents", "briefingAttended", "medical", "consent"] as const;

/** The checklist items still open, in checklist order. */
export const missingReadiness = (r: Pick<Info, "readiness">) => ReadinessItems.filter((k) => !r.readiness[k]);

/** Statuses after which a relocation no longer changes by edits (only by confirmations). */
export const CLOSED = ["cancelled", "departed", "arrived", "completed", "no_show"];

/** The status implied by the record before departure; from departure on, status only moves by confirmation. */
export function deriveStatus(r: Info): RelocationStatus {
  if (["cancelled", "departed", "arrived", "completed", "missed", "no_show"].includes(r.status)) return r.status;
  if (!allReady(r)) return "preparing";
  if (!r.tripID) return "ready";
  if (!r.confirmed) return "assigned";
  if (r.ticket && r.ticket.tripID === r.tripID) return "ticketed";
  return "scheduled";
}

/** The seats a relocation holds, and on which trip (none once cancelled or without a trip). */
function held(r: Info): { tripID: string; n: number } | undefined {
  if (!r.tripID || r.status === "cancelled" || r.status === "no_show") return undefined;
  return { tripID: r.tripID, n: r.seats ?? r.householdSize };
}

/** The seats a relocation counts as checked in, and as departed, on its trip. */
function onDay(r: Info): { tripID?: string; checked: number; departed: number } {
  const h = held(r);
  if (!h) return { checked: 0, departed: 0 };
  return {
    tripID: h.tripID,
    checked: r.checkIn ? h.n : 0,
    departed: r.departure && ["departed", "arrived", "completed"].includes(r.status) ? h.n : 0,
  };
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

/** Counter changes on one trip; `need` is the seats taken on condition that they are free (at `seats`). */
interface TripMove {
  seatsTaken: number;
  seatsCheckedIn: number;
  seatsDeparted: number;
  need?: { n: number; seats: number };
}

/**
 * The trip counter updates a change of `cur` into `next` needs: seats given back on the old trip, seats taken on
 * the new one on condition that they are free (at the capacity read), and the check-in and departure counters
 * (`onDay`), one update per trip (a transaction may touch an item once), all inside the relocation's transaction.
 */
async function seatItems(cur: Info, next: Info): Promise<{ items: TxItem[]; takes: boolean }> {
  const before = held(cur);
  const after = held(next);
  const moves = new Map<string, TripMove>();
  const move = (tripID: string) => {
    let m = moves.get(tripID);
    if (!m) moves.set(tripID, (m = { seatsTaken: 0, seatsCheckedIn: 0, seatsDeparted: 0 }));
    return m;
  };
  let takes = false;
  if (before?.tripID !== after?.tripID || before?.n !== after?.n) {
    // Seats given back on a trip the household leaves (staying on the same trip nets out in the take below).
    if (before && before.tripID !== after?.tripID) {
      await seatsTaken(before.tripID);
      move(before.tripID).seatsTaken -= before.n;
    }
    if (after) {
      const trip = await seatsTaken(after.tripID);
      if (!trip) throw InvalidError.field("changes.tripID", "invalid.trip", "Unknown trip");
      const need = after.n - (before?.tripID === after.tripID ? before.n : 0);
      const m = move(after.tripID);
      m.seatsTaken += need;
      m.need = { n: need, seats: trip.seats };
      takes = need > 0;
    }
  }
  const a = onDay(cur);
  const b = onDay(next);
  if (a.tripID) {
    move(a.tripID).seatsCheckedIn -= a.checked;
    move(a.tripID).seatsDeparted -= a.departed;
  }
  if (b.tripID) {
    move(b.tripID).seatsCheckedIn += b.checked;
    move(b.tripID).seatsDeparted += b.departed;
  }
  const items: TxItem[] = [];
  for (const [tripID, m] of moves) {
    const add: Record<string, number> = {};
    if (m.seatsCheckedIn) add.seatsCheckedIn = m.seatsCheckedIn;
    if (m.seatsDeparted) add.seatsDeparted = m.seatsDeparted;
    if (m.seatsTaken || m.need) add.seatsTaken = m.seatsTaken;
    if (Object.keys(add).length === 0) continue;
    let op = RelocationTripEntity.patch({ tripID }).add(add);
    const need = m.need;
    if (need)
      op = op.where(
        (t, { lte, eq }) => `${lte(t.seatsTaken, need.seats - need.n)} AND ${eq(t.seats, need.seats)}`,
      ) as typeof op;
    items.push({ update: op.params() as Record<string, unknown> });
  }
  return { items, takes };
}

/** A trip's departure time, for the audit trail when a household changes trips. */
async function tripTime(tripID: string | undefined): Promise<string | undefined> {
  if (!tripID) return undefined;
  return (await RelocationTripEntity.get({ tripID }).go()).data?.departureAt;
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
  const moved = cur.tripID !== next.tripID;
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
        changes: Audit.diff(
          audited(cur, moved ? await tripTime(cur.tripID) : undefined),
          audited(next, moved ? await tripTime(next.tripID) : undefined),
          AUDITED,
        ),
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

/**
 * The items that save `changes` to `cur` at `expectedVersion` with its audit event, and what the change does to
 * its trip's check-in and departure counters, for writes that put many households of one trip into one
 * transaction with a single counter update (a transaction may touch the trip once). Only for changes that keep
 * the household's seats where they are (check-in, boarding); anything else goes through `saveRelocation`.
 */
export function dayItems(
  cur: Info,
  expectedVersion: number,
  changes: Partial<Info>,
  action: string,
  extra: TxItem[] = [],
): { items: TxItem[]; next: Info; checked: number; departed: number } {
  const next = { ...cur, ...changes } as Info;
  next.status = changes.status ?? deriveStatus(next);
  const a = held(cur);
  const b = held(next);
  if (a?.tripID !== b?.tripID || a?.n !== b?.n)
    throw new Error("dayItems: the change moves seats; use saveRelocation");
  const timeUpdated = new Date().toISOString();
  const set: Record<string, unknown> = { timeUpdated };
  for (const [k, v] of Object.entries({ ...changes, status: next.status })) if (v !== undefined) set[k] = v;
  const update = RelocationEntity.patch({ relocationID: cur.relocationID })
    .set(set)
    .add({ version: 1 })
    .where(({ version }, { eq }) => eq(version, expectedVersion))
    .params() as Record<string, unknown>;
  const audit = Audit.txItem({
    recordID: cur.relocationID,
    recordType: "relocation",
    action,
    operationID: cur.operationID,
    officeID: cur.officeID,
    changes: Audit.diff(audited(cur), audited(next), AUDITED),
  });
  const x = onDay(cur);
  const y = onDay(next);
  return {
    items: [{ update }, audit, ...extra],
    next: { ...next, version: expectedVersion + 1, timeUpdated },
    checked: y.checked - x.checked,
    departed: y.departed - x.departed,
  };
}

/** One update of a trip's check-in and departure counters (the sum of a batch of households). */
export function tripCounterItem(tripID: string, checked: number, departed: number): TxItem {
  const add: Record<string, number> = {};
  if (checked) add.seatsCheckedIn = checked;
  if (departed) add.seatsDeparted = departed;
  return { update: RelocationTripEntity.patch({ tripID }).add(add).params() as Record<string, unknown> };
}
