import { describe, expect, it } from "vitest";
import { Relocation, RelocationTasks } from "@waypoint/core";
import { planTrips, type PlanHousehold, type PlanTrip } from "@waypoint/core/relocation/planner";
import { RelocationTripEntity } from "@waypoint/core/relocation/relocation.entity";
import { as, call, createTestOperation, type TestOperation } from "../support/fixtures.ts";
import { inDays, makeRelocation, makeTrip } from "../support/relocation.ts";

const MTY = "MX19039";
const hh = (id: string, over: Partial<PlanHousehold> = {}): PlanHousehold => ({
  relocationID: id,
  officeID: "off_A",
  size: 3,
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
  seats: 6,
  status: "planned",
  ...over,
});

describe("relocation planner: seats it cannot give", () => {
  it("plans around seats held by households it does not move, and counts them as filled", () => {
    const plan = planTrips(
      [hh("urgent", { vulnerability: 95 }), hh("later", { vulnerability: 10 })],
      [trip("t1", { held: 3 })],
    );
    expect(plan.assignments.map((a) => a.relocationID)).toEqual(["urgent"]);
    expect(plan.unplaced).toEqual([{ relocationID: "later", reason: "trips_full" }]);
    expect([plan.seats, plan.seatsFilled]).toEqual([6, 6]);
  });
});

const range = () => ({ from: inDays(0).slice(0, 10), to: inDays(20).slice(0, 10) });
const get = (op: TestOperation, id: string) => as(op.users.admin.actor, () => Relocation.get(id));

describe("relocation planner against real trips", () => {
  it("does not give away the seats of a ticketed household; the dry run says what the real run does", async () => {
    const op = await createTestOperation();
    const { token } = op.users.supervisor;
    // leaves in three hours: tickets are issued a day before departure, so now
    const t = await makeTrip(op, {
      seats: 6,
      departureAt: new Date(Date.now() + 3 * 3600_000).toISOString(),
    });
    const ticketed = await makeRelocation(op, { householdSize: 3, vulnerability: 0 });
    const conf = await call("PATCH", "/api/relocations", {
      token,
      body: {
        rows: [
          {
            id: ticketed.relocationID,
            version: ticketed.version,
            changes: { tripID: t.tripID, confirmed: true },
          },
        ],
      },
    });
    expect(conf.json.results[0].status).toBe("saved");
    await RelocationTasks.run({ task: "ticket", relocationID: ticketed.relocationID });
    expect((await get(op, ticketed.relocationID)).status).toBe("ticketed");
    const low = await makeRelocation(op, { householdSize: 3, vulnerability: 10 });
    const urgent = await makeRelocation(op, { householdSize: 3, vulnerability: 95 });

    const dry = await call("POST", "/api/relocation-plans", { token, body: { ...range(), dryRun: true } });
    expect(dry.status).toBe(200);
    expect(dry.json.summary).toMatchObject({ placed: 1, unplaced: 1, seats: 6, seatsFilled: 6 });
    expect(dry.json.assignments.map((a: { relocationID: string }) => a.relocationID)).toEqual([
      urgent.relocationID,
    ]);

    const real = await call("POST", "/api/relocation-plans", { token, body: range() });
    expect(real.json.results.map((r: { status: string }) => r.status)).toEqual(["saved", "saved"]);
    const after = await Promise.all([ticketed, urgent, low].map((r) => get(op, r.relocationID)));
    expect(after.map((r) => [r.tripID ?? null, r.planReason ?? null])).toEqual([
      [t.tripID, null],
      [t.tripID, null],
      [null, "trips_full"],
    ]);
    expect((await RelocationTripEntity.get({ tripID: t.tripID }).go()).data?.seatsTaken).toBe(6);
  });

  it("applies the plan in priority order, freeing seats before giving them: the more vulnerable household gets the seat", async () => {
    const op = await createTestOperation();
    const { token } = op.users.supervisor;
    const t = await makeTrip(op, { seats: 3 });
    const low = await makeRelocation(op, { householdSize: 3, vulnerability: 10 });
    const assigned = await call("PATCH", "/api/relocations", {
      token,
      body: { rows: [{ id: low.relocationID, version: low.version, changes: { tripID: t.tripID } }] },
    });
    expect(assigned.json.results[0].status).toBe("saved");
    const urgents = [];
    for (let i = 0; i < 3; i++)
      urgents.push(await makeRelocation(op, { householdSize: 3, vulnerability: 95 - i }));
    const other = await makeTrip(op, { seats: 6, departureAt: inDays(12) });

    const real = await call("POST", "/api/relocation-plans", { token, body: range() });
    expect(real.status).toBe(200);
    expect(real.json.results.every((r: { status: string }) => r.status === "saved")).toBe(true);
    const after = await Promise.all([...urgents, low].map((r) => get(op, r.relocationID)));
    expect(after.map((r) => r.tripID ?? r.planReason)).toEqual([
      t.tripID,
      other.tripID,
      other.tripID,
      "trips_full",
    ]);
    const taken = async (id: string) =>
      (await RelocationTripEntity.get({ tripID: id }).go()).data?.seatsTaken;
    expect([await taken(t.tripID), await taken(other.tripID)]).toEqual([3, 6]);
  });

  it("puts a relocation only on a trip of an office the actor plans for", async () => {
    const op = await createTestOperation();
    const tripB = await makeTrip(op, { officeID: op.officeB });
    const rel = await makeRelocation(op);
    const res = await call("PATCH", "/api/relocations", {
      token: op.users.caseworker.token,
      body: { rows: [{ id: rel.relocationID, version: rel.version, changes: { tripID: tripB.tripID } }] },
    });
    expect(res.json.results[0].status).toBe("invalid");
    expect(res.json.results[0].issues[0].path).toMatch(/tripID$/);
    expect((await get(op, rel.relocationID)).tripID).toBeUndefined();
    expect((await RelocationTripEntity.get({ tripID: tripB.tripID }).go()).data?.seatsTaken ?? 0).toBe(0);
  });
});
