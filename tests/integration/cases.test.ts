import { describe, expect, it } from "vitest";
import { Audit, Case } from "@waypoint/core";
import { as, call, createTestOperation } from "../support/fixtures.ts";

describe("cases", () => {
  it("opens a case with a readable number unique per operation", async () => {
    const op = await createTestOperation();
    const cw = op.users.caseworker.actor;
    const [a, b] = await as(cw, () =>
      Promise.all([
        Case.create({ officeID: op.officeA, type: "protection" }),
        Case.create({ officeID: op.officeA, type: "bip" }),
      ]),
    );
    expect(a.caseNumber).toMatch(/^T\w{3}-TAP-\d{2}-C\d{5}$/);
    expect(a.caseNumber).not.toBe(b.caseNumber);
    expect(a.stage).toBe("open");
    const got = await as(cw, () => Case.get(a.caseID));
    expect(got.caseNumber).toBe(a.caseNumber);
    const list = await as(cw, () => Case.list({}));
    expect(list.items.map((c) => c.caseID).sort()).toEqual([a.caseID, b.caseID].sort());
    const hist = await as(op.users.supervisor.actor, () => Audit.history({ recordID: a.caseID }));
    expect(hist.items.map((e) => e.action)).toEqual(["create"]);
  });
});
