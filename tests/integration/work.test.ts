import { describe, expect, it } from "vitest";
import { Auth, Individual, User } from "@waypoint/core";
import { as, call, createTestOperation, system, type TestOperation } from "../support/fixtures.ts";
import { caseWith, extraUser, people } from "../support/programmes.ts";

/**
 * Work surfaces per role, through the HTTP API: a supervisor's queue (closures, BIA/BID reviews with the panel,
 * flagged submissions), the caseload by worker with overdue follow-ups, an interpreter's interviews (names,
 * languages, time and place only).
 */
const queue = (token: string) => call("GET", "/api/work/queue", { token });

async function closureRequested(op: TestOperation, officeID = op.officeA, token = op.users.caseworker.token) {
  const c = await call("POST", "/api/cases", { token, body: { officeID, type: "protection" } });
  expect(c.status, c.text).toBe(201);
  const r = await call("POST", `/api/cases/${c.json.caseID}/closure-request`, {
    token,
    body: { reason: "Goals of the case plan met", version: c.json.version },
  });
  expect(r.status, r.text).toBe(200);
  return r.json as { caseID: string; caseNumber: string; version: number };
}

describe("supervisor queue", () => {
  it("lists closures waiting for the supervisor (their offices, not their own); approving from it closes the loop", async () => {
    const op = await createTestOperation();
    const mine = await closureRequested(op);
    const otherOffice = await closureRequested(op, op.officeB, op.caseworkerB.token);
    const ownRequest = await closureRequested(op, op.officeA, op.users.supervisor.token);
    const q = await queue(op.users.supervisor.token);
    expect(q.status, q.text).toBe(200);
    const ids = q.json.closures.map((c: { caseID: string }) => c.caseID);
    expect(ids).toContain(mine.caseID);
    expect(ids).not.toContain(otherOffice.caseID);
    expect(ids).not.toContain(ownRequest.caseID);
    expect(q.json.closures.find((c: { caseID: string }) => c.caseID === mine.caseID)).toMatchObject({
      caseNumber: mine.caseNumber,
      reason: "Goals of the case plan met",
      requestedBy: op.users.caseworker.userID,
      requestedByName: expect.stringMatching(/^caseworker /),
      version: mine.version,
    });
    // the decision through the case's own action, with the version the queue gave
    const item = q.json.closures.find((c: { caseID: string }) => c.caseID === mine.caseID);
    const decided = await call("POST", `/api/cases/${mine.caseID}/closure-approval`, {
      token: op.users.supervisor.token,
      body: { approve: true, comment: "Agreed", version: item.version },
    });
    expect(decided.status, decided.text).toBe(200);
    const after = await queue(op.users.supervisor.token);
    expect(after.json.closures.map((c: { caseID: string }) => c.caseID)).not.toContain(mine.caseID);
    const stored = await call("GET", `/api/cases/${mine.caseID}`, { token: op.users.supervisor.token });
    expect(stored.json.closureApproval).toMatchObject({
      decision: "approved",
      decidedBy: op.users.supervisor.userID,
    });
    // a caseworker may approve no closure: that section is not theirs; an interpreter gets an empty queue
    const cw = await queue(op.users.caseworker.token);
    expect(cw.json.closures).toBeNull();
    const interp = await queue(op.users.interpreter.token);
    expect(interp.json).toEqual({ closures: null, reviews: null, flagged: null, cashRequests: null });
  });

  it("a BID waits for a panel of two reviewers other than the author; each sees the panel so far", async () => {
    const op = await createTestOperation();
    const [mother, child] = await people(op, [
      { age: 35, relationshipToHead: "head" },
      { age: 9, relationshipToHead: "child", specificNeeds: ["UASC-SC"] },
    ]);
    const c = await caseWith(op, "bip", [mother!.individualID, child!.individualID]);
    const cw = op.users.caseworker.token;
    const bid = await call("POST", "/api/assessments", {
      token: cw,
      body: { caseID: c.caseID, kind: "bid", individualID: child!.individualID, summary: "Panel file" },
    });
    expect(bid.status, bid.text).toBe(201);
    const sub = await call("POST", `/api/assessments/${bid.json.assessmentID}/submit`, {
      token: cw,
      body: { version: bid.json.version },
    });
    expect(sub.status, sub.text).toBe(200);
    const second = await extraUser(op, "supervisor");
    const first = await queue(op.users.supervisor.token);
    const item = first.json.reviews.find(
      (r: { assessmentID: string }) => r.assessmentID === bid.json.assessmentID,
    );
    expect(item).toMatchObject({
      kind: "bid",
      caseNumber: c.caseNumber,
      personName: `${child!.givenName} ${child!.familyName}`,
      authorName: expect.stringMatching(/^caseworker /),
      approvals: 0,
      needed: 2,
      panel: [],
    });
    // the author never sees their own assessment in their queue
    const author = await queue(cw);
    expect(author.json.reviews.map((r: { assessmentID: string }) => r.assessmentID)).not.toContain(
      bid.json.assessmentID,
    );
    const vote1 = await call("POST", `/api/assessments/${bid.json.assessmentID}/review`, {
      token: op.users.supervisor.token,
      body: { decision: "approve", comment: "In the child's best interests", version: item.version },
    });
    expect(vote1.status, vote1.text).toBe(200);
    expect(vote1.json.status).toBe("submitted");
    // the first panel member's queue no longer holds it; the second sees one approval of two
    const q1 = await queue(op.users.supervisor.token);
    expect(q1.json.reviews.map((r: { assessmentID: string }) => r.assessmentID)).not.toContain(
      bid.json.assessmentID,
    );
    const q2 = await queue(second.token);
    const item2 = q2.json.reviews.find(
      (r: { assessmentID: string }) => r.assessmentID === bid.json.assessmentID,
    );
    expect(item2).toMatchObject({
      approvals: 1,
      needed: 2,
      panel: [{ reviewerName: expect.stringMatching(/^supervisor /), decision: "approve" }],
    });
    const vote2 = await call("POST", `/api/assessments/${bid.json.assessmentID}/review`, {
      token: second.token,
      body: { decision: "approve", version: item2.version },
    });
    expect(vote2.status, vote2.text).toBe(200);
    expect(vote2.json.status).toBe("approved");
    const done = await queue(second.token);
    expect(done.json.reviews.map((r: { assessmentID: string }) => r.assessmentID)).not.toContain(
      bid.json.assessmentID,
    );
  });

  it("lists resettlement submissions with open integrity flags for reviewing officers", async () => {
    const op = await createTestOperation();
    const [p] = await people(op, [{ age: 33, relationshipToHead: "head" }]);
    const c = await caseWith(op, "resettlement", [p!.individualID]);
    const cw = op.users.caseworker.token;
    const s = await call("POST", "/api/resettlement", {
      token: cw,
      body: {
        caseID: c.caseID,
        programme: "rst",
        country: "CAN",
        quotaYear: 2026,
        primaryCategory: "LPN",
        secondaryCategory: "SVT",
      },
    });
    expect(s.status, s.text).toBe(201);
    let v = s.json.version as number;
    for (const to of ["interviewed", "drafted"]) {
      const r = await call("POST", `/api/resettlement/${s.json.submissionID}/transition`, {
        token: cw,
        body: { to, version: v },
      });
      expect(r.status, r.text).toBe(200);
      v = r.json.version;
    }
    const rec = await call("POST", `/api/resettlement/${s.json.submissionID}/review`, {
      token: op.users.supervisor.token,
      body: { decision: "recommend", comment: "Complete file", version: v },
    });
    expect(rec.status, rec.text).toBe(200);
    const sub = await call("POST", `/api/resettlement/${s.json.submissionID}/transition`, {
      token: cw,
      body: { to: "submitted", version: rec.json.version },
    });
    expect(sub.status, sub.text).toBe(200);
    const before = await queue(op.users.supervisor.token);
    expect(before.json.flagged).toEqual([]);
    await as(op.users.caseworker.actor, async () => {
      const cur = await Individual.get(p!.individualID);
      await Individual.patch(p!.individualID, cur.version, { dateOfBirth: "1990-01-01" });
    });
    const screened = await call("POST", `/api/resettlement/${s.json.submissionID}/transition`, {
      token: cw,
      body: { to: "accepted", version: sub.json.version, reason: "Accepted by the country" },
    });
    expect(screened.status).toBe(422);
    const q = await queue(op.users.supervisor.token);
    expect(q.json.flagged).toHaveLength(1);
    expect(q.json.flagged[0]).toMatchObject({
      submissionID: s.json.submissionID,
      caseNumber: c.caseNumber,
      openFlags: [{ kind: "biodata_changed" }],
    });
    expect((await queue(cw)).json.flagged).toBeNull();
  });
});

describe("caseload by worker", () => {
  it("counts each worker's open cases of the office, overdue follow-ups first; other offices are left out", async () => {
    const op = await createTestOperation();
    const sup = op.users.supervisor.token;
    const mk = async (token: string, officeID: string, body: Record<string, unknown>) => {
      const r = await call("POST", "/api/cases", { token, body: { officeID, type: "protection", ...body } });
      expect(r.status, r.text).toBe(201);
      return r.json;
    };
    const cwID = op.users.caseworker.userID;
    const person = await call("POST", "/api/individuals", {
      token: sup,
      body: {
        officeID: op.officeA,
        givenName: "Amal",
        familyName: "Haddad",
        sex: "female",
        dateOfBirth: "1990-02-02",
        nationality: "SYR",
      },
    });
    expect(person.status, person.text).toBe(201);
    const overdue = await mk(sup, op.officeA, {
      individualIDs: [person.json.individualID],
      assignedTo: cwID,
      dueFollowUp: "2026-01-10",
      riskLevel: "high",
    });
    const onTime = await mk(sup, op.officeA, { assignedTo: cwID, dueFollowUp: "2026-12-30" });
    const unassigned = await mk(sup, op.officeA, {});
    const elsewhere = await mk(op.caseworkerB.token, op.officeB, { assignedTo: op.caseworkerB.userID });
    const res = await call("GET", "/api/work/caseload?today=2026-06-01", { token: sup });
    expect(res.status, res.text).toBe(200);
    const row = res.json.items.find((r: { userID?: string }) => r.userID === cwID);
    expect(row).toMatchObject({
      name: expect.stringMatching(/^caseworker /),
      open: 2,
      highRisk: 1,
      overdue: 1,
    });
    expect(row.cases.map((c: { caseID: string }) => c.caseID)).toEqual([overdue.caseID, onTime.caseID]);
    expect(row.cases[0]).toMatchObject({
      overdue: true,
      caseNumber: overdue.caseNumber,
      individualIDs: [person.json.individualID], // named on screen (My day, caseload by worker)
    });
    expect(row.cases[1].individualIDs).toEqual([]);
    const none = res.json.items.find((r: { userID?: string }) => !r.userID);
    expect(none.cases.map((c: { caseID: string }) => c.caseID)).toEqual([unassigned.caseID]);
    const all = res.json.items.flatMap((r: { cases: { caseID: string }[] }) => r.cases.map((c) => c.caseID));
    expect(all).not.toContain(elsewhere.caseID);
    // an interpreter may not read cases
    expect((await call("GET", "/api/work/caseload", { token: op.users.interpreter.token })).status).toBe(403);
  });
});

describe("interpreter's interviews", () => {
  it("an interpreter gets only their bookings, with names, languages, time and place and nothing else", async () => {
    const op = await createTestOperation();
    // an interpreter who works in Haitian Creole and French
    const interp = await as(system, async () => {
      const u = await User.create({
        email: `interp.${op.operationID.slice(-8)}@test.example.org`.toLowerCase(),
        name: "Interpreter Jean",
        password: "pw-test",
        languages: ["hat", "fra"],
        grants: [{ operationID: op.operationID, role: "interpreter", officeIDs: [op.officeA] }],
      });
      return { userID: u.userID, token: (await Auth.issue(u)).token };
    });
    const [rose] = await people(op, [{ age: 30 }]);
    await as(op.users.caseworker.actor, async () => {
      const cur = await Individual.get(rose!.individualID);
      await Individual.patch(rose!.individualID, cur.version, { languages: ["hat"] });
    });
    const start = new Date(Date.now() + 2 * 86_400_000);
    start.setUTCHours(15, 0, 0, 0);
    const end = new Date(start.getTime() + 3_600_000);
    const cw = op.users.caseworker.token;
    const booked = await call("POST", "/api/appointments", {
      token: cw,
      body: {
        officeID: op.officeA,
        kind: "interview",
        room: "Sala 2",
        start: start.toISOString(),
        end: end.toISOString(),
        participants: [rose!.individualID],
        interpreterID: interp.userID,
        interpreterLanguage: "hat",
        notes: "Bring the birth certificate",
      },
    });
    expect(booked.status, booked.text).toBe(201);
    const notMine = await call("POST", "/api/appointments", {
      token: cw,
      body: {
        officeID: op.officeA,
        kind: "interview",
        room: "Sala 3",
        start: start.toISOString(),
        end: end.toISOString(),
        participants: [rose!.individualID],
      },
    });
    expect(notMine.status, notMine.text).toBe(201);
    const res = await call("GET", "/api/work/interviews", { token: interp.token });
    expect(res.status, res.text).toBe(200);
    expect(res.json.items).toEqual([
      {
        appointmentID: booked.json.appointmentID,
        start: start.toISOString(),
        end: end.toISOString(),
        language: "hat",
        place: { office: "Tapachula", room: "Sala 2" },
        people: [{ name: `${rose!.givenName} ${rose!.familyName}`, languages: ["hat"] }],
      },
    ]);
    // whole appointments, their history, cases and the register are not theirs to read
    expect((await call("GET", "/api/appointments", { token: interp.token })).status).toBe(403);
    expect(
      (await call("GET", `/api/appointments/${booked.json.appointmentID}`, { token: interp.token })).status,
    ).toBe(403);
    expect(
      (await call("GET", `/api/audit?recordId=${booked.json.appointmentID}`, { token: interp.token })).status,
    ).toBe(403);
    expect(
      (await call("GET", `/api/individuals/${rose!.individualID}`, { token: interp.token })).status,
    ).toBe(403);
    // staff do not get an interpreter's view
    expect((await call("GET", "/api/work/interviews", { token: cw })).status).toBe(403);
  });
});
