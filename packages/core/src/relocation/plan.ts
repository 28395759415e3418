import { PlanRequest, type PlanReason } from "@waypoint/schema/relocation";
import { type BulkRowResult } from "@waypoint/schema/bulk";
import { Actor } from "../actor.ts";
import { fn } from "../common/fn.ts";
import { mapLimit } from "../common/concurrency.ts";
import { rowFailure } from "../common/record.ts";
import { byPriority, planTrips, type PlanHousehold, type PlanTrip } from "./planner.ts";
import { RelocationEntity } from "./relocation.entity.ts";
import { allReady, saveRelocation, type Info } from "./store.ts";
import { RelocationTrip } from "./trip.ts";

/** Statuses the planner may (re)assign; from ticketing on, a seat is no longer the planner's to move. */
const PLANNABLE = new Set(["preparing", "ready", "assigned", "scheduled"]);

export function toPlanHousehold(r: Info): PlanHousehold {
  return {
    relocationID: r.relocationID,
    officeID: r.officeID,
    size: r.householdSize,
    vulnerability: r.vulnerability,
    readySince: r.readySince,
    earliestDate: r.earliestDate,
    destinationAdm: r.destination.adm,
    ready: allReady(r),
    tripID: r.tripID,
    confirmed: r.confirmed,
  };
}

/**
 * Runs the planner over the trips departing in [from, to] and the households of the actor's reach, then saves
 * each changed proposal (versioned, audited, per-row results). Confirmed seats are never moved. `dryRun`
 * returns the same plan without saving.
 */
export const planRelocations = fn(PlanRequest, async (req) => {
  const operationID = Actor.operationID();
  Actor.assert("relocation.plan");
  const inReach = (officeID: string) =>
    (!req.officeID || officeID === req.officeID) && Actor.can("relocation.plan", { operationID, officeID });
  const trips = (await RelocationTrip.list({ from: req.from, to: req.to })).filter((t) =>
    inReach(t.officeID),
  );
  const all = (await RelocationEntity.query.byOperation({ operationID }).go({ pages: "all" })).data as Info[];
  const households = all.filter((r) => !r.deleted && PLANNABLE.has(r.status) && inReach(r.officeID));
  // The seats of each trip that the planner cannot give: held by households it does not move (ticketed and on,
  // out of reach). Counted from the relocations, and from the trip's seat counter when that says more.
  const planned = new Set(households.map((h) => h.relocationID));
  const heldOutside = new Map<string, number>();
  const movable = new Map<string, number>();
  for (const r of all) {
    if (r.deleted || !r.tripID || r.status === "cancelled") continue;
    const m = planned.has(r.relocationID) ? movable : heldOutside;
    m.set(r.tripID, (m.get(r.tripID) ?? 0) + (r.seats ?? r.householdSize));
  }
  const planTripsIn: PlanTrip[] = trips.map((t) => ({
    tripID: t.tripID,
    officeID: t.officeID,
    destinationAdm: t.destination.adm,
    departureAt: t.departureAt,
    seats: t.seats,
    held: Math.max(heldOutside.get(t.tripID) ?? 0, (t.seatsTaken ?? 0) - (movable.get(t.tripID) ?? 0)),
    status: t.status,
  }));
  const plan = planTrips(households.map(toPlanHousehold), planTripsIn);
  const assignments = plan.assignments.map(({ relocationID, tripID, seats }) => ({
    relocationID,
    tripID,
    seats,
  }));
  const summary = {
    households: households.length - plan.outside.length,
    placed: plan.assignments.filter((a) => !a.kept).length,
    kept: plan.assignments.filter((a) => a.kept).length,
    unplaced: plan.unplaced.length,
    seats: plan.seats,
    seatsFilled: plan.seatsFilled,
  };
  if (req.dryRun) return { dryRun: true, assignments, unplaced: plan.unplaced, summary };

  const byID = new Map(households.map((h) => [h.relocationID, h]));
  // Seats are freed before they are given: first every household the plan takes off a trip without another one,
  // then the placements one at a time from the most vulnerable down, so a seat the planner gave to a household
  // is never taken by a less vulnerable one whose save happened to commit first. A placement whose trip is still
  // full (a household moving off it is further down the list) is tried again after the others.
  const releases: { rel: Info; set: Partial<Info> }[] = [];
  const placements: { rel: Info; set: Partial<Info> }[] = [];
  for (const a of plan.assignments) {
    const rel = byID.get(a.relocationID)!;
    if (a.kept || (rel.tripID === a.tripID && rel.seats === a.seats && !rel.planReason)) continue;
    placements.push({
      rel,
      set: { tripID: a.tripID, seats: a.seats, planReason: undefined, confirmed: false },
    });
  }
  for (const u of plan.unplaced) {
    const rel = byID.get(u.relocationID)!;
    if (rel.planReason === u.reason && !rel.tripID) continue;
    releases.push({
      rel,
      set: { tripID: undefined, seats: undefined, confirmed: false, planReason: u.reason as PlanReason },
    });
  }
  const priority = new Map(
    [...households]
      .map(toPlanHousehold)
      .sort(byPriority)
      .map((h, i) => [h.relocationID, i]),
  );
  placements.sort((a, b) => priority.get(a.rel.relocationID)! - priority.get(b.rel.relocationID)!);

  const save = async ({ rel, set }: { rel: Info; set: Partial<Info> }): Promise<BulkRowResult> => {
    try {
      const saved = await saveRelocation(rel, rel.version, set, "plan");
      return {
        id: rel.relocationID,
        status: "saved",
        version: saved.version,
        record: {
          tripID: saved.tripID,
          seats: saved.seats,
          planReason: saved.planReason,
          status: saved.status,
        },
      };
    } catch (err) {
      return rowFailure(err, rel.relocationID);
    }
  };
  const full = (r: BulkRowResult) =>
    r.status === "invalid" && r.issues.some((i) => i.code === "relocation.trip_full");
  const results = new Map<string, BulkRowResult>();
  for (const [i, r] of (await mapLimit(releases, 8, save)).entries())
    results.set(releases[i]!.rel.relocationID, r);
  let waiting = placements;
  for (let round = 0; waiting.length > 0; round++) {
    const retry: typeof placements = [];
    for (const p of waiting) {
      const r = await save(p);
      results.set(p.rel.relocationID, r);
      if (full(r)) retry.push(p);
    }
    // Stop when a round moved nobody (the seats the moves wait for are not coming).
    if (retry.length === waiting.length || round > 3) break;
    waiting = retry;
  }
  const changes = [...releases, ...placements];
  return {
    dryRun: false,
    assignments,
    unplaced: plan.unplaced,
    summary,
    results: changes.map((c) => results.get(c.rel.relocationID)!),
  };
});
