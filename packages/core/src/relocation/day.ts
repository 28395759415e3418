import type { BulkRowResult } from "@waypoint/schema/bulk";
import { FollowUpRecord, TripDayRequest, type FollowUp } from "@waypoint/schema/relocation";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { nowIso } from "../common/db.ts";
import { ConflictError, InvalidError, RuleError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { mapLimit } from "../common/concurrency.ts";
import { transactWrite, type TxItem } from "../common/db.ts";
import { bulk, rowFailure } from "../common/record.ts";
import {
  CLOSED,
  allReady,
  dayItems,
  missingReadiness,
  readRelocation,
  saveRelocation,
  tripCounterItem,
  type Info,
} from "./store.ts";
import { ticketChange } from "./tickets.ts";
import { scheduleFor } from "./timing.ts";
import { RelocationTrip } from "./trip.ts";

/**
 * Relocation day at the bus terminal (DUTIES.md, Mexico 9): the team checks households in, confirms them on board,
 * records who did not come, hands out tickets; after arrival, the receiving office records its follow-up calls.
 * Every step is one versioned, audited transaction per household that moves the trip's counters by exactly that
 * household's seats, so a screen acting on many households at once leaves every counter exact.
 */

const READINESS_WORDS: Record<string, string> = {
  documents: "documents",
  briefingAttended: "preparatory briefing",
  medical: "medical clearance",
  consent: "consent",
};

/** A household may only be checked in or leave once its readiness checklist is complete. */
export function assertReady(rel: Info) {
  const missing = missingReadiness(rel);
  if (missing.length > 0)
    throw new RuleError(
      "relocation.not_ready",
      `The readiness checklist is not complete: ${missing.map((m) => READINESS_WORDS[m]).join(", ")}`,
    );
}

const DayInput = TripDayRequest.extend({ tripID: z.string().min(1) });

async function tripForDay(tripID: string) {
  const trip = await RelocationTrip.get(tripID);
  Actor.assert("relocation.update", trip);
  if (trip.status === "cancelled") throw new RuleError("relocation.trip_cancelled", "The trip is cancelled");
  return trip;
}

function onTrip(rel: Info, tripID: string) {
  if (rel.tripID !== tripID)
    throw InvalidError.field("rows", "relocation.other_trip", "The household is not on this trip");
}

const saved = (r: Info): BulkRowResult => ({
  id: r.relocationID,
  status: "saved",
  version: r.version,
  record: { status: r.status, checkIn: r.checkIn, departure: r.departure, ticket: r.ticket },
});

/**
 * Checks households in at the terminal. Each must be ready (the whole checklist) and hold a confirmed seat on the
 * trip; its tickets are issued in the same transaction if the workflow has not issued them yet. A household
 * already checked in is answered as it is.
 */
export const checkIn = fn(DayInput, async ({ tripID, rows, note }) => {
  const trip = await tripForDay(tripID);
  if (trip.status === "departed") throw new RuleError("relocation.trip_departed", "The bus has left");
  const prepare = (cur: Info, version: number) => {
    if (CLOSED.includes(cur.status))
      throw new RuleError("relocation.closed", `A ${cur.status} relocation cannot be checked in`);
    assertReady(cur);
    if (!cur.confirmed) throw new RuleError("relocation.not_confirmed", "The household's seat is not confirmed");
    const issue = ticketChange(cur, tripID);
    return {
      changes: { ...issue?.set, checkIn: { at: nowIso(), by: Actor.id(), note } } as Partial<Info>,
      with: issue?.with ?? [],
    };
  };
  return inBatches(tripID, rows, prepare, "check-in", (cur) => !!cur.checkIn && !CLOSED.includes(cur.status));
});

/**
 * Applies a terminal step to many households of one trip at once: each household is read and checked on its
 * own (its refusal is its row's answer), then up to 25 households are written in one transaction with a single
 * update of the trip's counters by their total, so checking in a busload takes a few transactions instead of
 * one per household queueing on the trip's counter. If such a transaction is refused (someone changed one of
 * them meanwhile), its households are saved one by one, each with its own outcome.
 */
async function inBatches(
  tripID: string,
  rows: { id: string; version: number }[],
  prepare: (cur: Info, version: number) => { changes: Partial<Info>; with: TxItem[] },
  action: string,
  done: (cur: Info) => boolean,
) {
  const results: BulkRowResult[] = new Array(rows.length);
  const loaded = await mapLimit(rows, 16, async (row) => {
    try {
      const cur = await readRelocation(row.id);
      Actor.assert("relocation.update", cur);
      onTrip(cur, tripID);
      return cur;
    } catch (err) {
      return rowFailure(err, row.id);
    }
  });
  const ready: { i: number; cur: Info; version: number }[] = [];
  loaded.forEach((cur, i) => {
    if (!("relocationID" in cur)) results[i] = cur;
    else if (done(cur)) results[i] = saved(cur);
    else ready.push({ i, cur, version: rows[i]!.version });
  });
  const one = async ({ i, cur, version }: (typeof ready)[number]) => {
    try {
      const p = prepare(cur, version);
      results[i] = saved(await saveRelocation(cur, version, p.changes, action, { with: p.with }));
    } catch (err) {
      results[i] = rowFailure(err, cur.relocationID);
    }
  };
  for (let at = 0; at < ready.length; at += 25) {
    const chunk = ready.slice(at, at + 25);
    const writes: { r: (typeof ready)[number]; next: Info; items: TxItem[] }[] = [];
    let checked = 0;
    let departed = 0;
    for (const r of chunk) {
      if (r.version !== r.cur.version) {
        results[r.i] = rowFailure(
          new ConflictError(`relocation ${r.cur.relocationID} was changed by someone else`, undefined),
          r.cur.relocationID,
        );
        continue;
      }
      try {
        const p = prepare(r.cur, r.version);
        const d = dayItems(r.cur, r.version, p.changes, action, p.with);
        checked += d.checked;
        departed += d.departed;
        writes.push({ r, next: d.next, items: d.items });
      } catch (err) {
        results[r.i] = rowFailure(err, r.cur.relocationID);
      }
    }
    if (writes.length === 0) continue;
    const items = writes.flatMap((w) => w.items);
    if (checked || departed) items.push(tripCounterItem(tripID, checked, departed));
    const tx = await transactWrite(items);
    if (tx.ok) for (const w of writes) results[w.r.i] = saved(w.next);
    // someone changed one of them meanwhile: each household on its own, with its own answer
    else await mapLimit(writes, 4, (w) => one(w.r));
  }
  return { results, summary: summarise(results) };
}

function summarise(results: BulkRowResult[]) {
  const summary: Record<string, number> = {};
  for (const r of results) summary[r.status] = (summary[r.status] ?? 0) + 1;
  return summary;
}

/** Confirms households on board: each must be ready and ticketed (checked in, or ticketed by the workflow). */
export const depart = fn(DayInput, async ({ tripID, rows, note }) => {
  const trip = await tripForDay(tripID);
  const prepare = (cur: Info) => {
    assertReady(cur);
    if (cur.status !== "ticketed" && cur.status !== "missed")
      throw new RuleError("relocation.not_ticketed", "Departure can only be confirmed for a ticketed household");
    return {
      changes: {
        status: "departed",
        departure: { at: nowIso(), by: Actor.id(), note, tripDepartureAt: trip.departureAt },
      } as Partial<Info>,
      with: [],
    };
  };
  return inBatches(tripID, rows, prepare, "confirm.departure", (cur) => !!cur.departure);
});

/** One household boards (also the single confirmation of the record page). */
export async function departOne(cur: Info, version: number, tripDepartureAt: string, note?: string) {
  assertReady(cur);
  if (cur.status !== "ticketed" && cur.status !== "missed")
    throw new RuleError("relocation.not_ticketed", "Departure can only be confirmed for a ticketed household");
  return saveRelocation(
    cur,
    version,
    {
      status: "departed",
      // the reports count the household in the month the bus left (the trip's departure), whoever clicked when
      departure: { at: nowIso(), by: Actor.id(), note, tripDepartureAt },
    },
    "confirm.departure",
  );
}

/**
 * Households that did not come to the terminal: their seats go back to the trip (and out of the checked-in count
 * if they had been checked in), and their workflow ends at its next step.
 */
export const noShow = fn(DayInput, async ({ tripID, rows, note }) => {
  await tripForDay(tripID);
  return bulk(
    rows,
    async (row) => {
      const cur = await readRelocation(row.id);
      Actor.assert("relocation.update", cur);
      onTrip(cur, tripID);
      if (cur.status === "no_show") return saved(cur);
      if (CLOSED.includes(cur.status))
        throw new RuleError("relocation.closed", `A ${cur.status} relocation cannot be marked as not come`);
      return saved(
        await saveRelocation(
          cur,
          row.version,
          { status: "no_show", confirmed: false, noShow: { at: nowIso(), by: Actor.id(), note, tripID } },
          "no-show",
        ),
      );
    },
    4,
  );
});

export const DeliverInput = z.object({ relocationID: z.string(), version: z.number().int().min(1) });

/** The printed tickets were handed to the household. */
export const deliverTicket = fn(DeliverInput, async ({ relocationID, version }) => {
  const cur = await readRelocation(relocationID);
  Actor.assert("relocation.update", cur);
  if (!cur.ticket || cur.ticket.tripID !== cur.tripID)
    throw new RuleError("relocation.no_ticket", "No tickets have been issued for this household's trip");
  if (cur.ticket.deliveredAt) return cur;
  return saveRelocation(
    cur,
    version,
    { ticket: { ...cur.ticket, deliveredAt: nowIso(), deliveredBy: Actor.id() } },
    "ticket.delivered",
  );
});

/** The follow-ups a relocated household is due, from the bus's departure: after 1 and 3 months. */
export function followUpsOf(rel: Info, tripDepartureAt?: string): FollowUp[] {
  const from = rel.departure?.tripDepartureAt ?? tripDepartureAt ?? rel.departure?.at;
  if (!from) return rel.followUps ?? [];
  const s = scheduleFor(rel.tripID ?? "", from);
  return ([1, 3] as const).map((month) => {
    const done = rel.followUps?.find((f) => f.month === month);
    return done ?? { month, dueAt: month === 1 ? s.followUp1At : s.followUp3At };
  });
}

export const FollowUpInput = FollowUpRecord.extend({ relocationID: z.string() });

/** Records what a follow-up call found (reached or not, needs, referred). */
export const recordFollowUp = fn(FollowUpInput, async ({ relocationID, version, month, ...outcome }) => {
  const cur = await readRelocation(relocationID);
  Actor.assert("relocation.update", cur);
  if (!cur.departure || !["departed", "arrived", "completed"].includes(cur.status))
    throw new RuleError("relocation.not_departed", "Follow-ups are recorded after the household has left");
  const trip = cur.tripID ? await RelocationTrip.load(cur.tripID) : undefined;
  const all = followUpsOf(cur, trip?.departureAt);
  const followUps = all.map((f) =>
    f.month === month
      ? {
          ...f,
          outcome: {
            reached: outcome.reached,
            referred: outcome.referred,
            ...(outcome.needs?.trim() ? { needs: outcome.needs.trim() } : {}),
            ...(outcome.note?.trim() ? { note: outcome.note.trim() } : {}),
          },
          recordedAt: nowIso(),
          recordedBy: Actor.id(),
        }
      : f,
  );
  // keep only follow-ups that were notified or recorded, as the workflow does
  const kept = followUps.filter(
    (f) => f.month === month || f.notifiedAt || f.outcome || cur.followUps?.some((x) => x.month === f.month),
  );
  return saveRelocation(cur, version, { followUps: kept }, `followUp${month}.outcome`);
});

export { allReady };
