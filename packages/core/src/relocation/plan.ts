import { PlanRequest, type PlanReason } from "@waypoint/schema/relocation";
import { type BulkRowResult } from "@waypoint/schema/bulk";
import { Actor } from "../actor.ts";
import { fn } from "../common/fn.ts";
import { mapLimit } from "../common/concurrency.ts";
import { rowFailure } from "../common/record.ts";
import { planTrips, type PlanHousehold, type PlanTrip } from "./planner.ts";
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
  const planTripsIn: PlanTrip[] = trips.map((t) => ({
    tripID: t.tripID,
    officeID: t.officeID,
    destinationAdm: t.destination.adm,
    departureAt: t.departureAt,
    seats: t.seats,
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
  const changes: { rel: Info; set: Partial<Info> }[] = [];
  for (const a of plan.assignments) {
    const rel = byID.get(a.relocationID)!;
    if (a.kept || (rel.tripID === a.tripID && rel.seats === a.seats && !rel.planReason)) continue;
    changes.push({ rel, set: { tripID: a.tripID, seats: a.seats, planReason: undefined, confirmed: false } });
  }
  for (const u of plan.unplaced) {
    const rel = byID.get(u.relocationID)!;
    if (rel.planReason === u.reason && !rel.tripID) continue;
    changes.push({
      rel,
      set: { tripID: undefined, seats: undefined, confirmed: false, planReason: u.reason as PlanReason },
    });
  }
  const results = await mapLimit(changes, 8, async ({ rel, set }): Promise<BulkRowResult> => {
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
  });
  return { dryRun: false, assignments, unplaced: plan.unplaced, summary, results };
});
