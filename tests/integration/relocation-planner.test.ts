import { describe, expect, it } from "vitest";
import { planTrips, type PlanHousehold, type PlanTrip } from "@waypoint/core/relocation/planner";
import { caseload, rng, violations } from "../support/planner-data.ts";

const MTY = "MX19039";
const SAL = "MX05030";
const hh = (id: string, over: Partial<PlanHousehold> = {}): PlanHousehold => ({
  relocationID: id,
  officeID: "off_A",
  size: 2,
  vulnerability: 0,
  readySince: "2027-01-01T00:00:00.000Z",
  earliestDate: "2027-01-01",
  destinationAdm: MTY,
  ready: true,
  confirmed: false,
  ...over,
});
const trip = (id: string, over: Partial<PlanTrip> = {}): PlanTrip => ({
  tripID: id,
  officeID: "off_A",
  destinationAdm: MTY,
  departureAt: "2027-01-10T08:00:00.000Z",
  seats: 10,
  status: "planned",
  ...over,
});

describe("relocation planner", () => {
  it("never splits a household across buses, even when that leaves seats empty", () => {
    const plan = planTrips(
      [hh("a", { size: 6 }), hh("b", { size: 6 })],
      [trip("t1", { seats: 8 }), trip("t2", { seats: 8 })],
    );
    expect(plan.assignments.map((a) => [a.relocationID, a.tripID, a.seats])).toEqual([
      ["a", "t1", 6],
      ["b", "t2", 6],
    ]);
    const big = planTrips([hh("c", { size: 9 })], [trip("t1", { seats: 5 }), trip("t2", { seats: 5 })]);
    expect(big.assignments).toEqual([]);
    expect(big.unplaced).toEqual([{ relocationID: "c", reason: "household_larger_than_trips" }]);
  });

  it("never fills a bus beyond its seats and fills gaps with smaller households", () => {
    const plan = planTrips(
      [
        hh("a", { size: 7, vulnerability: 90 }),
        hh("b", { size: 5, vulnerability: 80 }),
        hh("c", { size: 3, vulnerability: 10 }),
      ],
      [trip("t1", { seats: 10 })],
    );
    expect(plan.assignments.map((a) => a.relocationID)).toEqual(["a", "c"]);
    expect(plan.seatsFilled).toBe(10);
    expect(plan.unplaced).toEqual([{ relocationID: "b", reason: "trips_full" }]);
  });

  it("serves higher vulnerability first, then the household ready the longest", () => {
    const plan = planTrips(
      [
        hh("low", { vulnerability: 10, readySince: "2026-01-01T00:00:00.000Z" }),
        hh("high", { vulnerability: 95 }),
        hh("older", { vulnerability: 50, readySince: "2026-06-01T00:00:00.000Z" }),
        hh("newer", { vulnerability: 50, readySince: "2026-12-01T00:00:00.000Z" }),
      ],
      [trip("t1", { seats: 4 })],
    );
    expect(plan.assignments.map((a) => a.relocationID).sort()).toEqual(["high", "older"]);
    expect(plan.unplaced.map((u) => u.relocationID)).toEqual(["low", "newer"]);
  });

  it("respects destination, origin office and earliest date, and says why a household was not placed", () => {
    const plan = planTrips(
      [
        hh("notready", { ready: false }),
        hh("saltillo", { destinationAdm: SAL }),
        hh("otheroffice", { officeID: "off_B" }),
        hh("late", { earliestDate: "2027-02-01" }),
        hh("ok"),
      ],
      [trip("t1"), trip("t2", { departureAt: "2027-01-20T08:00:00.000Z" })],
    );
    expect(plan.assignments.map((a) => [a.relocationID, a.tripID])).toEqual([["ok", "t1"]]);
    expect(Object.fromEntries(plan.unplaced.map((u) => [u.relocationID, u.reason]))).toEqual({
      notready: "not_ready",
      saltillo: "no_trip_to_destination",
      otheroffice: "no_trip_to_destination",
      late: "earliest_date_after_trips",
    });
  });

  it("keeps confirmed seats when re-planning and plans everyone else around them", () => {
    const first = planTrips(
      [
        hh("conf", { size: 8, vulnerability: 0, confirmed: true, tripID: "t1" }),
        hh("urgent", { size: 4, vulnerability: 100 }),
      ],
      [trip("t1", { seats: 10 }), trip("t2", { seats: 10, departureAt: "2027-01-12T08:00:00.000Z" })],
    );
    expect(first.assignments).toEqual([
      { relocationID: "conf", tripID: "t1", seats: 8, kept: true },
      { relocationID: "urgent", tripID: "t2", seats: 4, kept: false },
    ]);
  });

  it("re-plans a household whose confirmed trip was cancelled, and leaves trips outside the range alone", () => {
    const plan = planTrips(
      [
        hh("moved", { confirmed: true, tripID: "gone" }),
        hh("stranded", { size: 9, confirmed: true, tripID: "gone" }),
        hh("later", { tripID: "outside" }),
      ],
      [trip("gone", { status: "cancelled" }), trip("t1", { seats: 3 })],
    );
    expect(plan.assignments).toEqual([{ relocationID: "moved", tripID: "t1", seats: 2, kept: false }]);
    expect(plan.unplaced).toEqual([{ relocationID: "stranded", reason: "trip_cancelled" }]);
    expect(plan.outside).toEqual(["later"]);
  });

  it("is deterministic whatever order the households and trips arrive in", () => {
    const { households, trips } = caseload(2000, 60);
    const r = rng(42);
    const shuffle = <T>(xs: T[]) =>
      xs
        .map((x) => [r(), x] as const)
        .sort((a, b) => a[0] - b[0])
        .map(([, x]) => x);
    const a = planTrips(households, trips);
    const b = planTrips(shuffle([...households]), shuffle([...trips]));
    expect(b).toEqual(a);
    expect(violations(households, trips, a)).toEqual([]);
    expect(a.seatsFilled / a.seats).toBeGreaterThan(0.95);
  });
});
