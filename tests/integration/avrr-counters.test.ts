import { describe, expect, it } from "vitest";
import { Reintegration } from "@waypoint/core";
import { AvrrTally } from "@waypoint/core/reintegration/tally";
import { as, call, createTestOperation } from "../support/fixtures.ts";
import { people } from "../support/programmes.ts";

/**
 * The AVRR monthly table reads counters kept with each return and plan change (issue 17's 20,000-return target).
 * These tests build the counters first (the table's first request), then change returns and plans the ways the
 * desk does, and compare every month's table with the one computed again from the records (`rebuild`): a counter
 * a write path forgot, or moved twice, shows as a difference.
 */
describe("AVRR counters kept with each change", () => {
  it("agree with a recount from the records after transitions, visits, a change of country and plan approvals", { timeout: 120_000 }, async () => {
    const op = await createTestOperation();
    const [a, b, c, d] = await people(op, [
      { age: 30, sex: "female" },
      { age: 8, sex: "male" },
      { age: 45, sex: "male" },
      { age: 3, sex: "female" },
    ]);
    const token = op.users.caseworker.token;
    const sup = op.users.supervisor.token;
    const months = ["2026-03", "2026-04", "2026-05", "2026-06"];
    const table = async () =>
      Object.fromEntries(
        await Promise.all(
          months.map(async (m) => {
            const res = await call("GET", `/api/avrr/monthly?month=${m}`, { token: sup });
            expect(res.status).toBe(200);
            return [m, res.json.items];
          }),
        ),
      );
    // counters built (no return yet)
    expect((await table())["2026-04"]).toEqual([]);

    const create = async (ids: string[], country: string) =>
      (
        await call("POST", "/api/returns", {
          token,
          body: { officeID: op.officeA, individualIDs: ids, countryOfReturn: country },
        })
      ).json;
    const r1 = await create([a!.individualID, b!.individualID], "HND");
    const r2 = await create([c!.individualID], "GTM");
    const r3 = await create([d!.individualID], "HND");

    let v1 = (
      await call("POST", `/api/returns/${r1.returnID}/vulnerability`, {
        token,
        body: { factors: ["single_parent", "no_support_network", "serious_medical_condition"], version: 1 },
      })
    ).json.version;
    v1 = (await call("POST", `/api/returns/${r1.returnID}/transition`, { token: sup, body: { to: "approved", version: v1 } })).json.version;
    v1 = (await call("POST", `/api/returns/${r1.returnID}/transition`, { token, body: { to: "returned", date: "2026-04-20", version: v1 } })).json.version;
    v1 = (await call("POST", `/api/returns/${r1.returnID}/monitoring`, { token, body: { date: "2026-05-02", milestone: 1, findings: "Settled in", version: v1 } })).json.version;
    v1 = (await call("POST", `/api/returns/${r1.returnID}/monitoring`, { token, body: { date: "2026-06-03", milestone: 2, findings: "Working again", version: v1 } })).json.version;

    let v2 = (await call("POST", `/api/returns/${r2.returnID}/vulnerability`, { token, body: { factors: ["single_parent"], version: 1 } })).json.version;
    v2 = (await call("POST", `/api/returns/${r2.returnID}/transition`, { token: sup, body: { to: "approved", version: v2 } })).json.version;
    v2 = (await call("POST", `/api/returns/${r2.returnID}/transition`, { token, body: { to: "returned", date: "2026-04-05", version: v2 } })).json.version;
    // an arrival date corrected to another month moves the return's arrival and monitoring counters
    const cw = op.users.caseworker.actor;
    const moved = await as(cw, () => Reintegration.patch({ returnID: r2.returnID, version: v2, changes: { arrivedOn: "2026-03-28", departedOn: "2026-03-27" } }));
    v2 = moved.version;

    // a plan with a delivered item, approved by the supervisor, then the country of return corrected
    const plan = await call("PUT", `/api/returns/${r1.returnID}/plan`, {
      token,
      body: {
        items: [
          { kind: "economic", description: "Shop stock", budget: 100000, currency: "HNL", status: "delivered" },
          { kind: "social", description: "School enrolment", status: "delivered" },
          { kind: "psychosocial", description: "Counselling" },
        ],
      },
    });
    expect(plan.status, JSON.stringify(plan.json)).toBe(200);
    const approved = await call("POST", `/api/returns/${r1.returnID}/plan/approve`, { token: sup, body: { version: plan.json.version } });
    expect(approved.status, JSON.stringify(approved.json)).toBe(200);
    await as(cw, () => Reintegration.patch({ returnID: r1.returnID, version: v1, changes: { countryOfReturn: "SLV" } }));
    // r3 stays registered: it counts nowhere
    expect(r3.status).toBe("registered");

    const kept = await table();
    expect(kept["2026-04"]).toEqual([
      // r2 arrived in March after the correction: under monitoring in April, no arrival in April
      expect.objectContaining({ countryOfReturn: "GTM", returnedCases: 0, underMonitoring: 1 }),
      expect.objectContaining({
        countryOfReturn: "SLV",
        returnedCases: 1,
        returnedIndividuals: 2,
        female: 1,
        male: 1,
        children: 1,
        underMonitoring: 1,
        highVulnerability: 1,
        plansApproved: 1,
        itemsDelivered: { economic: 1, social: 1, psychosocial: 0 },
      }),
    ]);
    expect(kept["2026-06"].find((r: { countryOfReturn: string }) => r.countryOfReturn === "SLV")).toMatchObject({ visitsInMonth: 1 });
    expect(kept["2026-03"]).toEqual([expect.objectContaining({ countryOfReturn: "GTM", returnedCases: 1, returnedIndividuals: 1, male: 1 })]);

    // the same tables computed again from the records
    await as(op.users.supervisor.actor, () => AvrrTally.rebuild(op.operationID));
    expect(await table()).toEqual(kept);
  });

  it("refuses a plan change computed against a return whose country changed meanwhile", async () => {
    const op = await createTestOperation();
    const [a] = await people(op, [{ age: 30, sex: "female" }]);
    const cw = op.users.caseworker.actor;
    const r = await as(cw, () => Reintegration.create({ officeID: op.officeA, individualIDs: [a!.individualID], countryOfReturn: "HND" }));
    const plan = await as(cw, () =>
      Reintegration.savePlan({ returnID: r.returnID, items: [{ kind: "social", description: "School", status: "delivered" } as never] }),
    );
    // the plan's delivered item counts under HND; a stale read of the return would count it there again
    const { ReturnEntity } = await import("@waypoint/core/reintegration/reintegration.entity");
    const stale = (await ReturnEntity.get({ returnID: r.returnID }).go()).data!;
    await as(cw, () => Reintegration.patch({ returnID: r.returnID, version: 1, changes: { countryOfReturn: "GTM" } }));
    const { AvrrTally: T } = await import("@waypoint/core/reintegration/tally");
    const items = T.forPlan(stale as never, plan as never, { ...(plan as never as object), items: [] } as never);
    const { transactWrite } = await import("@waypoint/core/common/db");
    const tx = await transactWrite(items);
    expect(tx.ok).toBe(false);
  });
});

describe("AVRR rebuild", () => {
  it("removes arrival items whose return no longer exists or arrived in another month, and keeps the others", { timeout: 120_000 }, async () => {
    const op = await createTestOperation();
    const [a, b, c] = await people(op, [
      { age: 34, sex: "female" },
      { age: 52, sex: "male" },
      { age: 27, sex: "male" },
    ]);
    const cw = op.users.caseworker.actor;
    const sup = op.users.supervisor.actor;
    const returned = async (individualID: string, date: string) => {
      const r = await as(cw, () =>
        Reintegration.create({ officeID: op.officeA, individualIDs: [individualID], countryOfReturn: "HND" }),
      );
      const token = op.users.caseworker.token;
      let v = (await call("POST", `/api/returns/${r.returnID}/vulnerability`, { token, body: { factors: ["single_parent"], version: 1 } })).json.version;
      v = (await call("POST", `/api/returns/${r.returnID}/transition`, { token: op.users.supervisor.token, body: { to: "approved", version: v } })).json.version;
      const done = await call("POST", `/api/returns/${r.returnID}/transition`, { token, body: { to: "returned", date, version: v } });
      expect(done.status, JSON.stringify(done.json)).toBe(200);
      return r;
    };
    const kept = await returned(a!.individualID, "2026-04-10");
    const moved = await returned(b!.individualID, "2026-04-12");
    const gone = await returned(c!.individualID, "2026-04-15");
    const { AvrrArrivalEntity } = await import("@waypoint/core/reintegration/tally.entity");
    const { ReturnEntity } = await import("@waypoint/core/reintegration/reintegration.entity");
    const april = async () =>
      (await AvrrArrivalEntity.query.primary({ operationID: op.operationID, month: "2026-04" }).go({ pages: "all" })).data
        .map((x) => x.returnID)
        .sort();
    expect(await april()).toEqual([kept.returnID, moved.returnID, gone.returnID].sort());

    // data changed around core: one return's arrival corrected to March, another return removed altogether
    await ReturnEntity.patch({ returnID: moved.returnID }).set({ arrivedOn: "2026-03-30", departedOn: "2026-03-29" } as never).go();
    await ReturnEntity.delete({ returnID: gone.returnID }).go();

    const res = await as(sup, () => AvrrTally.rebuild(op.operationID));
    expect(res.staleArrivals).toBe(2);
    expect(await april()).toEqual([kept.returnID]);
    const march = (
      await AvrrArrivalEntity.query.primary({ operationID: op.operationID, month: "2026-03" }).go({ pages: "all" })
    ).data.map((x) => x.returnID);
    expect(march).toEqual([moved.returnID]);
    // the monthly table agrees: one arrival in April, one in March
    const table = async (m: string) =>
      (await call("GET", `/api/avrr/monthly?month=${m}`, { token: op.users.supervisor.token })).json.items;
    expect(await table("2026-04")).toEqual([expect.objectContaining({ countryOfReturn: "HND", returnedCases: 1, female: 1 })]);
    expect(await table("2026-03")).toEqual([expect.objectContaining({ countryOfReturn: "HND", returnedCases: 1, male: 1 })]);
  });
});
