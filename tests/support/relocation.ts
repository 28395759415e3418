import { Household, Relocation, RelocationTrip } from "@waypoint/core";
import type { RelocationCreate, RelocationTripCreate } from "@waypoint/schema";
import { as, type TestOperation } from "./fixtures.ts";

export const MONTERREY = { adm: "MX19039", name: "Monterrey" };
export const SALTILLO = { adm: "MX05030", name: "Saltillo" };
export const READY = { documents: true, medical: true, briefingAttended: true, consent: true };

export const inDays = (d: number, hour = 8) => {
  const t = new Date(Date.now() + d * 86_400_000);
  t.setUTCHours(hour, 0, 0, 0);
  return t.toISOString();
};

export async function makeTrip(op: TestOperation, over: Partial<RelocationTripCreate> = {}) {
  return as(op.users.admin.actor, () =>
    RelocationTrip.create({
      officeID: op.officeA,
      departureAt: inDays(10),
      originTerminal: { name: "Terminal OCC Tapachula" },
      destination: MONTERREY,
      carrier: "ADO",
      seats: 40,
      ...over,
    }),
  );
}

/** A registry household plus its relocation (ready unless told otherwise). */
export async function makeRelocation(op: TestOperation, over: Partial<RelocationCreate> = {}) {
  return as(op.users.admin.actor, async () => {
    const hh = await Household.create({ officeID: op.officeA });
    return Relocation.create({
      householdID: hh.householdID,
      officeID: op.officeA,
      householdSize: 3,
      vulnerability: 50,
      destination: MONTERREY,
      earliestDate: new Date().toISOString().slice(0, 10),
      readiness: READY,
      ...over,
    });
  });
}
