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

describe("case workflow", () => {
  it("refuses closing a protection case without a supervisor's approval, then closes it once approved", async () => {
    const op = await createTestOperation();
    const token = op.users.caseworker.token;
    const c = (
      await call("POST", "/api/cases", {
        token,
        body: { officeID: op.officeA, type: "protection", riskLevel: "high" },
      })
    ).json;
    const refused = await call("POST", `/api/cases/${c.caseID}/transition`, {
      token,
      body: { to: "closed", reason: "Needs met", version: 1 },
    });
    expect(refused.status).toBe(422);
    expect(refused.json.code).toBe("case.closure_approval_required");
    expect((await call("GET", `/api/cases/${c.caseID}`, { token })).json.stage).toBe("open");
    // a caseworker cannot approve; nor can the supervisor approve a closure they asked for themselves
    const req = await call("POST", `/api/cases/${c.caseID}/closure-request`, {
      token,
      body: { reason: "Needs met", version: 1 },
    });
    expect(req.json.closureApproval.decision).toBe("pending");
    const cwApprove = await call("POST", `/api/cases/${c.caseID}/closure-approval`, {
      token,
      body: { approve: true, version: 2 },
    });
    expect(cwApprove.status).toBe(403);
    const sup = op.users.supervisor.token;
    const ok = await call("POST", `/api/cases/${c.caseID}/closure-approval`, {
      token: sup,
      body: { approve: true, version: 2 },
    });
    expect(ok.json.closureApproval).toMatchObject({
      decision: "approved",
      decidedBy: op.users.supervisor.userID,
    });
    const closed = await call("POST", `/api/cases/${c.caseID}/transition`, {
      token,
      body: { to: "closed", reason: "Needs met", version: 3 },
    });
    expect(closed.status).toBe(200);
    expect(closed.json.stage).toBe("closed");
    // reopening needs a reason and voids the approval: the next closure is approved afresh
    const noReason = await call("POST", `/api/cases/${c.caseID}/transition`, {
      token,
      body: { to: "open", version: 4 },
    });
    expect(noReason.json.code).toBe("case.reason_required");
    const reopened = await call("POST", `/api/cases/${c.caseID}/transition`, {
      token,
      body: { to: "open", reason: "New threat reported", version: 4 },
    });
    expect(reopened.json).toMatchObject({ stage: "open", reopenedReason: "New threat reported" });
    expect(reopened.json.closureApproval).toBeUndefined();
    const again = await call("POST", `/api/cases/${c.caseID}/transition`, {
      token,
      body: { to: "closed", reason: "x again", version: 5 },
    });
    expect(again.json.code).toBe("case.closure_approval_required");
    const audit = await call("GET", `/api/audit?recordId=${c.caseID}`, { token: sup });
    expect(audit.json.items.map((e: { action: string }) => e.action)).toEqual([
      "create",
      "closure.request",
      "closure.approve",
      "transition",
      "reopen",
    ]);
    // whoever may read the case reads its history (the caseworker too); a role that may not read cases cannot
    expect((await call("GET", `/api/audit?recordId=${c.caseID}`, { token })).status).toBe(200);
    expect(
      (await call("GET", `/api/audit?recordId=${c.caseID}`, { token: op.users.interpreter.token })).status,
    ).toBe(403);
  });

  it("a supervisor cannot approve a closure they requested", async () => {
    const op = await createTestOperation();
    const sup = op.users.supervisor.actor;
    const c = await as(sup, () => Case.create({ officeID: op.officeA, type: "bip" }));
    await as(sup, () => Case.requestClosure({ caseID: c.caseID, reason: "Child reunified", version: 1 }));
    await expect(
      as(sup, () => Case.decideClosure({ caseID: c.caseID, approve: true, version: 2 })),
    ).rejects.toMatchObject({
      code: "case.approval_self",
    });
  });

  it("moves only along the stage graph; a stale version is a 409 with the current case", async () => {
    const op = await createTestOperation();
    const cw = op.users.caseworker.actor;
    const c = await as(cw, () => Case.create({ officeID: op.officeA, type: "local_integration" }));
    await expect(
      as(cw, () => Case.transition({ caseID: c.caseID, to: "implementation", version: 1 })),
    ).rejects.toMatchObject({
      code: "case.transition_not_allowed",
    });
    const a = await as(cw, () => Case.transition({ caseID: c.caseID, to: "assessment", version: 1 }));
    expect(a.stage).toBe("assessment");
    await expect(
      as(cw, () => Case.transition({ caseID: c.caseID, to: "case_plan", version: 1 })),
    ).rejects.toMatchObject({
      status: 409,
      current: expect.objectContaining({ stage: "assessment", version: 2 }),
    });
    // local integration closes without approval
    const closed = await as(cw, () =>
      Case.transition({ caseID: c.caseID, to: "closed", reason: "Relocated", version: 2 }),
    );
    expect(closed.stage).toBe("closed");
  });

  it("bulk PATCH saves valid rows and answers conflict / invalid per row; stage is not patchable", async () => {
    const op = await createTestOperation();
    const token = op.users.caseworker.token;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        (await call("POST", "/api/cases", { token, body: { officeID: op.officeA, type: "avr" } })).json
          .caseID,
      );
    const res = await call("PATCH", "/api/cases", {
      token,
      body: {
        rows: [
          { id: ids[0], version: 1, changes: { riskLevel: "critical", dueFollowUp: "2026-12-01" } },
          { id: ids[1], version: 7, changes: { riskLevel: "low" } },
          { id: ids[2], version: 1, changes: { riskLevel: "extreme", stage: "closed" } },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.json.results.map((r: { status: string }) => r.status)).toEqual([
      "saved",
      "conflict",
      "invalid",
    ]);
    expect(res.json.results[1].current).toMatchObject({ version: 1 });
    expect(res.json.results[2].issues.map((i: { path: string }) => i.path).sort()).toEqual([
      "rows.2.changes",
      "rows.2.changes.riskLevel",
    ]);
    const stored = await Promise.all(ids.map((id) => call("GET", `/api/cases/${id}`, { token })));
    expect(stored.map((s) => [s.json.riskLevel, s.json.version])).toEqual([
      ["critical", 2],
      ["medium", 1],
      ["medium", 1],
    ]);
  });

  it("an SGBV case is invisible to an unassigned caseworker of the same office, and every read is audited", async () => {
    const op = await createTestOperation();
    const sup = op.users.supervisor.actor;
    const c = await as(sup, () => Case.create({ officeID: op.officeA, type: "protection", subType: "sgbv" }));
    expect(c.restricted).toBe(true);
    const cw = op.users.caseworker;
    expect((await call("GET", `/api/cases/${c.caseID}`, { token: cw.token })).status).toBe(404);
    expect(
      (await call("GET", `/api/cases?officeID=${op.officeA}`, { token: cw.token })).json.items,
    ).toHaveLength(0);
    expect((await call("GET", `/api/cases/${c.caseID}`, { token: op.users.admin.token })).status).toBe(404);
    // assigning the caseworker makes it visible to them
    await as(sup, () => Case.patch({ caseID: c.caseID, version: 1, changes: { assignedTo: cw.userID } }));
    expect((await call("GET", `/api/cases/${c.caseID}`, { token: cw.token })).status).toBe(200);
    expect(
      (await call("GET", `/api/cases?officeID=${op.officeA}`, { token: cw.token })).json.items,
    ).toHaveLength(1);
    const history = await as(sup, () => Audit.history({ recordID: c.caseID }));
    const reads = history.items.filter((e) => e.action === "read");
    expect(reads.length).toBeGreaterThanOrEqual(3);
    expect(reads.map((e) => e.actorID)).toContain(cw.userID);
    expect(reads.every((e) => e.restricted)).toBe(true);
  });

  it("a caseworker of office B never sees or edits office A's cases", async () => {
    const op = await createTestOperation();
    const c = await as(op.users.caseworker.actor, () =>
      Case.create({ officeID: op.officeA, type: "resettlement" }),
    );
    const b = op.caseworkerB.token;
    expect((await call("GET", `/api/cases/${c.caseID}`, { token: b })).status).toBe(403);
    expect((await call("GET", `/api/cases?officeID=${op.officeA}`, { token: b })).status).toBe(403);
    expect((await call("GET", `/api/cases`, { token: b })).json.items).toHaveLength(0);
    const edit = await call("PATCH", "/api/cases", {
      token: b,
      body: { rows: [{ id: c.caseID, version: 1, changes: { riskLevel: "low" } }] },
    });
    expect(edit.json.results[0].status).toBe("forbidden");
    const create = await call("POST", "/api/cases", {
      token: b,
      body: { officeID: op.officeA, type: "avr" },
    });
    expect(create.status).toBe(403);
  });
});
