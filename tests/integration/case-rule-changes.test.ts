import { describe, expect, it } from "vitest";
import { Case } from "@waypoint/core";
import { as, call, createTestOperation, type TestOperation } from "../support/fixtures.ts";
import { extraUser } from "../support/programmes.ts";

type Changes = Record<string, unknown>;
const patchCase = (token: string, id: string, version: number, changes: Changes) =>
  call("PATCH", "/api/cases", { token, body: { rows: [{ id, version, changes }] } });
const stored = (op: TestOperation, id: string) =>
  as(op.users.supervisor.actor, async () => {
    const c = await Case.load(id);
    return c!;
  });
const openCase = (op: TestOperation, extra: Changes = {}) =>
  as(op.users.supervisor.actor, () =>
    Case.create({
      officeID: op.officeA,
      type: "protection",
      assignedTo: op.users.caseworker.userID,
      ...extra,
    } as never),
  );

describe("a change that alters which rule applies needs the right that rule protects", () => {
  it("a caseworker cannot take a protection case out of closure approval to close it unapproved", async () => {
    const op = await createTestOperation();
    const c = await openCase(op);
    const cw = op.users.caseworker.token;
    const res = await patchCase(cw, c.caseID, 1, { type: "local_integration" });
    expect(res.json.results[0]).toMatchObject({ status: "forbidden" });
    expect((await stored(op, c.caseID)).type).toBe("protection");
    const close = await call("POST", `/api/cases/${c.caseID}/transition`, {
      token: cw,
      body: { to: "closed", reason: "Moved on", version: 1 },
    });
    expect(close.json.code).toBe("case.closure_approval_required");
    // a caseworker may still make a case subject to approval; a supervisor may take it out
    const other = await openCase(op, { type: "local_integration" });
    expect((await patchCase(cw, other.caseID, 1, { type: "protection" })).json.results[0].status).toBe(
      "saved",
    );
    const sup = op.users.supervisor.token;
    expect((await patchCase(sup, c.caseID, 1, { type: "local_integration" })).json.results[0].status).toBe(
      "saved",
    );
  });

  it("lifting a restriction needs a supervisor; recording a disclosure does not", async () => {
    const op = await createTestOperation();
    const c = await openCase(op, { type: "bip", subType: "legal" });
    const cw = op.users.caseworker.token;
    expect((await patchCase(cw, c.caseID, 1, { subType: "sgbv" })).json.results[0].status).toBe("saved");
    for (const subType of [null, "legal"]) {
      const lift = await patchCase(cw, c.caseID, 2, { subType });
      expect(lift.json.results[0]).toMatchObject({ status: "forbidden" });
    }
    const after = await stored(op, c.caseID);
    expect(after).toMatchObject({ subType: "sgbv", restricted: true, version: 2 });
    expect((await call("GET", `/api/cases/${c.caseID}`, { token: op.users.viewer.token })).status).toBe(404);
    const sup = await patchCase(op.users.supervisor.token, c.caseID, 2, { subType: null });
    expect(sup.json.results[0].status).toBe("saved");
    expect((await stored(op, c.caseID)).restricted).toBe(false);
  });

  it("what a case is cannot change while its closure approval is pending or once it is closed", async () => {
    const op = await createTestOperation();
    const c = await openCase(op);
    const cw = op.users.caseworker.token;
    const sup = op.users.supervisor.token;
    const asked = await call("POST", `/api/cases/${c.caseID}/closure-request`, {
      token: cw,
      body: { reason: "Durable solution found", version: 1 },
    });
    expect(asked.status).toBe(200);
    const pending = await patchCase(sup, c.caseID, 2, { type: "local_integration" });
    expect(pending.json.results[0]).toMatchObject({
      status: "invalid",
      issues: [{ code: "case.type_locked" }],
    });
    const sgbv = await patchCase(cw, c.caseID, 2, { subType: "sgbv" });
    expect(sgbv.json.results[0].issues[0].code).toBe("case.type_locked");
    const supervisor2 = await extraUser(op, "supervisor");
    const ok = await call("POST", `/api/cases/${c.caseID}/closure-approval`, {
      token: supervisor2.token,
      body: { approve: true, version: 2 },
    });
    expect(ok.status).toBe(200);
    const closed = await call("POST", `/api/cases/${c.caseID}/transition`, {
      token: cw,
      body: { to: "closed", reason: "Durable solution found", version: 3 },
    });
    expect(closed.json.stage).toBe("closed");
    const later = await patchCase(sup, c.caseID, 4, { type: "local_integration" });
    expect(later.json.results[0].issues[0].code).toBe("case.type_locked");
    expect((await stored(op, c.caseID)).type).toBe("protection");
  });

  it("a caseworker cannot assign an office case to themselves; a supervisor assigns, the caseworker hands over", async () => {
    const op = await createTestOperation();
    const colleague = await extraUser(op, "caseworker");
    const c = await openCase(op, { assignedTo: colleague.userID });
    const cw = op.users.caseworker;
    const grab = await patchCase(cw.token, c.caseID, 1, { assignedTo: cw.userID });
    expect(grab.json.results[0]).toMatchObject({ status: "forbidden" });
    const unassign = await patchCase(cw.token, c.caseID, 1, { assignedTo: null });
    expect(unassign.json.results[0]).toMatchObject({ status: "forbidden" });
    expect((await stored(op, c.caseID)).assignedTo).toBe(colleague.userID);
    // the assigned caseworker hands the case over; the supervisor reassigns
    const handover = await patchCase(colleague.token, c.caseID, 1, { assignedTo: cw.userID });
    expect(handover.json.results[0].status).toBe("saved");
    const back = await patchCase(op.users.supervisor.token, c.caseID, 2, { assignedTo: colleague.userID });
    expect(back.json.results[0].status).toBe("saved");
    expect((await stored(op, c.caseID)).assignedTo).toBe(colleague.userID);
  });
});
