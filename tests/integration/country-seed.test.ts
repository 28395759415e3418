import { describe, expect, it } from "vitest";
import { Auth, User } from "@waypoint/core";
import { localDate } from "@waypoint/schema/zone";
import { createCountry, DEMO_COUNTRIES } from "../../packages/local/src/seed/countries.ts";
import { seedCountrySite } from "../../packages/local/src/seed/country-data.ts";
import { as, call, system } from "../support/fixtures.ts";

/**
 * `npm start` seeds each country operation with its own programme (issue 18): signed in as Libya's caseworker, the
 * registry, the cases, the day's appointments and the community-hosting desk are hers, not empty; seeding again
 * (a start interrupted while seeding) adds nothing.
 */
describe("the Libya demo operation", () => {
  it("gives its caseworker a registry of migrants, her cases, today's appointments and her hosting desk, once", async () => {
    const libya = DEMO_COUNTRIES.find((c) => c.operation.code === "LBY")!;
    const tripoli = libya.offices[0]!.officeID;
    await as(system, () => createCountry(libya));
    await as(system, () => seedCountrySite("LBY"));

    const me = (await as(system, () => User.byEmail("caseworker.ly@example.org")))!;
    const { token } = await as(system, () => Auth.issue(me));
    const get = async <T>(path: string) => {
      const res = await call("GET", path, { token });
      expect(res.status, path).toBe(200);
      return res.json as T;
    };
    const look = async () => {
      const people = await get<{
        items: { individualID: string; nationality: string; operationID: string }[];
      }>("/api/individuals?limit=500");
      const cases = await get<{ items: { caseID: string; assignedTo?: string; operationID: string }[] }>(
        `/api/cases?assignedTo=${me.userID}&limit=500`,
      );
      const today = localDate(Date.now(), "Africa/Tripoli");
      const day = await get<{ items: { appointmentID: string; start: string }[] }>(
        `/api/appointments?day=${today}&officeID=${tripoli}&limit=500`,
      );
      const placements = await get<{
        items: { placementID: string; reason: string; restricted?: boolean }[];
      }>(`/api/hosting/placements?officeID=${tripoli}`);
      return { people: people.items, cases: cases.items, day: day.items, placements: placements.items };
    };

    const first = await look();
    // a registry of the people served there, in this operation only
    expect(first.people.length).toBeGreaterThanOrEqual(20);
    expect(new Set(first.people.map((p) => p.nationality))).toEqual(new Set(["SDN", "NER", "ERI"]));
    expect(first.people.every((p) => p.operationID === libya.operation.operationID)).toBe(true);
    // her cases, and appointments today in Tripoli's day
    expect(first.cases.length).toBeGreaterThanOrEqual(10);
    expect(first.day.length).toBeGreaterThanOrEqual(3);
    expect(
      first.day.every(
        (a) => localDate(a.start, "Africa/Tripoli") === localDate(Date.now(), "Africa/Tripoli"),
      ),
    ).toBe(true);
    // the guests she placed, victims of trafficking and survivors included (restricted placements)
    expect(first.placements.length).toBeGreaterThanOrEqual(8);
    expect(first.placements.some((p) => p.reason === "vot")).toBe(true);

    // a start interrupted while seeding runs it again: nothing twice
    await as(system, () => seedCountrySite("LBY"));
    const again = await look();
    expect(again.people.map((p) => p.individualID).sort()).toEqual(
      first.people.map((p) => p.individualID).sort(),
    );
    expect(again.cases.map((c) => c.caseID).sort()).toEqual(first.cases.map((c) => c.caseID).sort());
    expect(again.day.map((a) => a.appointmentID).sort()).toEqual(
      first.day.map((a) => a.appointmentID).sort(),
    );
    expect(again.placements.map((p) => p.placementID).sort()).toEqual(
      first.placements.map((p) => p.placementID).sort(),
    );
  }, 240_000);
});
