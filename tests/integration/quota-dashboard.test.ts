import { describe, expect, it } from "vitest";
import { call, createTestOperation } from "../support/fixtures.ts";
import { caseWith, people } from "../support/programmes.ts";

const year = new Date().getUTCFullYear();
type Row = { country: string; stage: string; value: number; quota: number | null };

describe("quota progress on the dashboard", () => {
  it("shows people submitted, accepted and departed per resettlement country against the quota, and moves with a decision", async () => {
    const op = await createTestOperation();
    const admin = op.users.admin.token;
    const cw = op.users.caseworker.token;
    const sup = op.users.supervisor.token;
    for (const [programme, quotaIndividuals] of [
      ["rst", 40],
      ["pta", 10],
    ] as const)
      await call("PUT", "/api/quotas", {
        token: admin,
        body: { year, country: "CAN", programme, quotaIndividuals },
      });
    const ppl = await people(op, [
      { age: 40, relationshipToHead: "head" },
      { age: 38, relationshipToHead: "spouse" },
      { age: 20, relationshipToHead: "child" },
    ]);
    const c = await caseWith(
      op,
      "resettlement",
      ppl.map((p) => p.individualID),
    );
    const s = (
      await call("POST", "/api/resettlement", {
        token: cw,
        body: { caseID: c.caseID, programme: "rst", country: "CAN", quotaYear: year, primaryCategory: "LPN" },
      })
    ).json;
    const card = async (token = sup) => {
      const d = await call("GET", "/api/dashboard", { token });
      return d.json.resettlement as { available: boolean; rows: Row[] };
    };
    const value = (rows: Row[], stage: string) => rows.find((r) => r.country === "CAN" && r.stage === stage);
    let before = await card();
    expect(before.available).toBe(true);
    expect(value(before.rows, "submitted")).toMatchObject({ value: 0, quota: 50 });

    let v = s.version;
    const move = async (to: string, token = cw, extra: object = {}) => {
      const r = await call("POST", `/api/resettlement/${s.submissionID}/transition`, {
        token,
        body: { to, version: v, ...extra },
      });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      v = r.json.version;
    };
    await move("interviewed");
    await move("drafted");
    v = (
      await call("POST", `/api/resettlement/${s.submissionID}/review`, {
        token: sup,
        body: { decision: "recommend", comment: "Complete", version: v },
      })
    ).json.version;
    await move("submitted");
    before = await card();
    expect(value(before.rows, "submitted")?.value).toBe(3);
    expect(value(before.rows, "accepted")?.value).toBe(0);
    await move("accepted", cw, { reason: "Accepted after interview" });
    await move("departure_arranged", cw, { departureDate: `${year}-12-31` });
    await move("departed");
    const after = await card();
    expect(value(after.rows, "accepted")?.value).toBe(3);
    expect(value(after.rows, "departed")).toMatchObject({ value: 3, quota: 50 });
    // the quotas screen agrees
    const progress = await call("GET", `/api/quotas/progress?year=${year}&programme=rst`, { token: sup });
    expect(progress.json.items).toEqual([
      expect.objectContaining({
        country: "CAN",
        quotaIndividuals: 40,
        departed: { cases: 1, individuals: 3 },
      }),
    ]);
  }, 120_000);

  it("a role that may not read resettlement sees the card as unavailable", async () => {
    const op = await createTestOperation();
    const d = await call("GET", "/api/dashboard", { token: op.users.finance.token });
    expect(d.json.resettlement.available).toBe(false);
  }, 120_000);
});
