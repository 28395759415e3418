import { describe, expect, it } from "vitest";
import { Audit, Incident } from "@waypoint/core";
import { as, call, createTestOperation, system, type TestOperation } from "../support/fixtures.ts";
import { extraUser } from "../support/programmes.ts";

const body = (op: TestOperation, extra: Record<string, unknown> = {}) => ({
  officeID: op.officeA,
  kind: "sgbv" as const,
  dateOfIncident: "2026-10-02",
  description: "Survivor reported an assault near the shelter",
  ...extra,
});

const reads = async (op: TestOperation, incidentID: string) =>
  as({ ...system, operationID: op.operationID }, async () =>
    (await Audit.history({ recordID: incidentID, limit: 500 })).items.filter((e) => e.action === "read"),
  );

describe("protection incidents", () => {
  it("an unassigned caseworker of the same office is told the incident does not exist", async () => {
    const op = await createTestOperation();
    const other = await extraUser(op, "caseworker");
    const created = await call("POST", "/api/incidents", {
      token: op.users.caseworker.token,
      body: body(op, { assignedTo: op.users.caseworker.userID }),
    });
    expect(created.status).toBe(201);
    expect(created.json.restricted).toBe(true);
    const id = created.json.incidentID;

    for (const token of [other.token, op.caseworkerB.token, op.users.admin.token, op.users.viewer.token]) {
      const res = await call("GET", `/api/incidents/${id}`, { token });
      expect(res.status).toBe(404);
      expect(res.text).not.toContain("assault");
      const list = await call("GET", "/api/incidents", { token });
      expect(list.json?.items ?? []).toEqual([]);
      const audit = await call("GET", `/api/audit?recordId=${id}`, { token });
      expect([403, 404]).toContain(audit.status);
    }
    // a bulk edit of it answers "not found" too, and changes nothing
    const patch = await call("PATCH", "/api/incidents", {
      token: other.token,
      body: { rows: [{ id, version: 1, changes: { description: "overwritten" } }] },
    });
    expect(patch.json.results[0].status).toBe("not_found");

    // assigned staff and the office supervisor see it
    expect((await call("GET", `/api/incidents/${id}`, { token: op.users.caseworker.token })).status).toBe(
      200,
    );
    const sup = await call("GET", `/api/incidents/${id}`, { token: op.users.supervisor.token });
    expect(sup.json.description).toContain("assault");
    // assigning it to the other caseworker opens it to them
    const reassigned = await call("PATCH", "/api/incidents", {
      token: op.users.supervisor.token,
      body: { rows: [{ id, version: 1, changes: { assignedTo: other.userID } }] },
    });
    expect(reassigned.json.results[0].status).toBe("saved");
    expect((await call("GET", `/api/incidents/${id}`, { token: other.token })).status).toBe(200);
  });

  it("every read, alone or in a list, is audited with who read it", async () => {
    const op = await createTestOperation();
    const cw = op.users.caseworker;
    const created = await call("POST", "/api/incidents", { token: cw.token, body: body(op) });
    const id = created.json.incidentID;
    expect(await reads(op, id)).toHaveLength(0);
    await call("GET", `/api/incidents/${id}`, { token: cw.token });
    await call("GET", `/api/incidents/${id}`, { token: op.users.supervisor.token });
    const list = await call("GET", `/api/incidents?officeID=${op.officeA}`, {
      token: op.users.supervisor.token,
    });
    expect(list.json.items.map((i: { incidentID: string }) => i.incidentID)).toEqual([id]);
    // refused reads leave no "read" event (nothing was shown)
    await call("GET", `/api/incidents/${id}`, { token: op.caseworkerB.token });
    const events = await reads(op, id);
    expect(events.map((e) => e.actorID).sort()).toEqual(
      [cw.userID, op.users.supervisor.userID, op.users.supervisor.userID].sort(),
    );
    expect(events.every((e) => e.restricted)).toBe(true);
    // the supervisor reads the trail (itself restricted)
    const trail = await call("GET", `/api/audit?recordId=${id}`, { token: op.users.supervisor.token });
    expect(trail.status).toBe(200);
    expect(trail.json.items[0].action).toBe("create");
  });

  it("the author keeps access and a caseworker's list holds only their own incidents", async () => {
    const op = await createTestOperation();
    const other = await extraUser(op, "caseworker");
    const mine = await as(op.users.caseworker.actor, () => Incident.create(body(op) as never));
    await as(other.actor, () => Incident.create(body(op, { kind: "extortion" }) as never));
    const list = await call("GET", "/api/incidents", { token: op.users.caseworker.token });
    expect(list.json.items.map((i: { incidentID: string }) => i.incidentID)).toEqual([mine.incidentID]);
    const sup = await call("GET", "/api/incidents", { token: op.users.supervisor.token });
    expect(sup.json.items).toHaveLength(2);
  });

  it("bad input is refused with field paths and stores nothing", async () => {
    const op = await createTestOperation();
    const token = op.users.caseworker.token;
    const bad = await call("POST", "/api/incidents", {
      token,
      body: body(op, { dateOfIncident: "2026-02-30", kind: "rumour", assignedTo: "usr_nobody" }),
    });
    expect(bad.status).toBe(422);
    const paths = bad.json.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["dateOfIncident", "kind", "assignedTo"]));
    const ghost = await call("POST", "/api/incidents", {
      token,
      body: body(op, { individualIDs: ["ind_01JAAAAAAAAAAAAAAAAAAAAAAA"] }),
    });
    expect(ghost.status).toBe(422);
    expect(ghost.json.errors[0].path).toBe("individualIDs.0");
    const sup = await call("GET", "/api/incidents", { token: op.users.supervisor.token });
    expect(sup.json.items).toEqual([]);
    // viewers do not record incidents
    expect(
      (await call("POST", "/api/incidents", { token: op.users.viewer.token, body: body(op) })).status,
    ).toBe(403);
  });
});
