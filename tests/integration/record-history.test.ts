import { describe, expect, it } from "vitest";
import { as, call, createTestOperation, system, type TestOperation } from "../support/fixtures.ts";
import { inDays, MONTERREY, READY } from "../support/relocation.ts";
import { Audit } from "@waypoint/core/audit/index";

/**
 * Whoever may read a record may read its history, through one route for every record type
 * (`GET /api/audit?recordId=`), with the record's own read check: a caseworker reads the history of their office's
 * cases, referrals, appointments and relocations; finance reads a payment's; a reader out of scope gets the 404 of
 * an unknown record; a role that may never read the type gets 403; a restricted record's history read is audited.
 */
const history = (op: TestOperation, token: string, id: string) =>
  call("GET", `/api/audit?recordId=${encodeURIComponent(id)}`, { token });

const at = (d: number, hh: string) => {
  const t = new Date(Date.now() + d * 86_400_000);
  t.setUTCHours(Number(hh), 0, 0, 0);
  return t.toISOString();
};

async function casework(op: TestOperation) {
  const token = op.users.caseworker.token;
  const person = await call("POST", "/api/individuals", {
    token,
    body: {
      officeID: op.officeA,
      givenName: "Rose",
      familyName: "Pierre",
      sex: "female",
      dateOfBirth: "1988-02-03",
      nationality: "HTI",
    },
  });
  expect(person.status, person.text).toBe(201);
  const individualID = person.json.individualID as string;
  const kase = await call("POST", "/api/cases", {
    token,
    body: { officeID: op.officeA, type: "protection", individualIDs: [individualID] },
  });
  expect(kase.status, kase.text).toBe(201);
  const caseID = kase.json.caseID as string;
  const edit = await call("PATCH", "/api/cases", {
    token,
    body: { rows: [{ id: caseID, version: 1, changes: { riskLevel: "high" } }] },
  });
  expect(edit.json.results[0].status, edit.text).toBe("saved");
  const referral = await call("POST", "/api/referrals", {
    token,
    body: {
      officeID: op.officeA,
      toOfficeID: op.officeB,
      individualID,
      serviceCategory: "legal",
      reason: "Asylum claim advice",
      consent: { given: false },
    },
  });
  expect(referral.status, referral.text).toBe(201);
  const appointment = await call("POST", "/api/appointments", {
    token,
    body: {
      officeID: op.officeA,
      kind: "interview",
      room: "R1",
      start: at(3, "09"),
      end: at(3, "10"),
      participants: [individualID],
    },
  });
  expect(appointment.status, appointment.text).toBe(201);
  const hh = await call("POST", "/api/households", { token, body: { officeID: op.officeA } });
  expect(hh.status, hh.text).toBe(201);
  const relocation = await call("POST", "/api/relocations", {
    token,
    body: {
      householdID: hh.json.householdID,
      officeID: op.officeA,
      householdSize: 3,
      vulnerability: 40,
      destination: MONTERREY,
      earliestDate: inDays(1).slice(0, 10),
      readiness: READY,
    },
  });
  expect(relocation.status, relocation.text).toBe(201);
  return {
    individualID,
    caseID,
    referralID: referral.json.referralID as string,
    appointmentID: appointment.json.appointmentID as string,
    householdID: hh.json.householdID as string,
    relocationID: relocation.json.relocationID as string,
  };
}

describe("record history for whoever may read the record", () => {
  it("a caseworker reads the history of a case, a referral, an appointment, a relocation, a person and a household of their office", async () => {
    const op = await createTestOperation();
    const ids = await casework(op);
    for (const [kind, id] of Object.entries(ids)) {
      const res = await history(op, op.users.caseworker.token, id);
      expect(res.status, `${kind}: ${res.text}`).toBe(200);
      expect(res.json.items.length, kind).toBeGreaterThan(0);
      expect(
        res.json.items.every((e: { recordID: string }) => e.recordID === id),
        kind,
      ).toBe(true);
      // who did it, by name
      expect(res.json.items[0].actorName, kind).toMatch(/^caseworker /);
    }
    // the case's edit is there, field by field
    const kase = await history(op, op.users.caseworker.token, ids.caseID);
    expect(kase.json.items.find((e: { action: string }) => e.action === "update").changes).toMatchObject({
      riskLevel: { after: "high" },
    });
    // the registry's own history routes answer the caseworker too
    const person = await call("GET", `/api/individuals/${ids.individualID}/history`, {
      token: op.users.caseworker.token,
    });
    expect(person.status, person.text).toBe(200);
    expect(person.json.items.length).toBeGreaterThan(0);
  });

  it("a caseworker of another office gets the 404 of an unknown record; a viewer who may read cases reads the case's", async () => {
    const op = await createTestOperation();
    const ids = await casework(op);
    for (const [kind, id] of Object.entries(ids)) {
      if (kind === "referralID") {
        // the referral was sent to office B: its caseworker may read it, so its history too
        expect((await history(op, op.caseworkerB.token, id)).status).toBe(200);
        continue;
      }
      const [theirs, unknown] = await Promise.all([
        history(op, op.caseworkerB.token, id),
        history(op, op.caseworkerB.token, `${id.split("_")[0]}_01NOSUCHRECORD0000000000000`),
      ]);
      expect([theirs.status, unknown.status], kind).toEqual([404, 404]);
      expect(theirs.json.code, kind).toBe(unknown.json.code);
    }
    const viewer = await history(op, op.users.viewer.token, ids.caseID);
    expect(viewer.status, viewer.text).toBe(200);
  });

  it("finance reads a payment's history; a caseworker, who may never read payments, is refused for any ID", async () => {
    const op = await createTestOperation();
    const fin = op.users.finance.token;
    const payee = await call("POST", "/api/payees", {
      token: fin,
      body: {
        kind: "individual",
        name: "Rose Pierre",
        channel: { type: "bank", accountNumber: "012180001234567897" },
      },
    });
    expect(payee.status, payee.text).toBe(201);
    const pays = await call("POST", "/api/payments", {
      token: fin,
      body: {
        rows: [
          {
            ref: "1",
            values: {
              payeeID: payee.json.payeeID,
              purpose: "cash_for_protection",
              amount: 150000,
              currency: "MXN",
            },
          },
        ],
      },
    });
    const paymentID = pays.json.results[0].id as string;
    const edit = await call("PATCH", "/api/payments", {
      token: fin,
      body: { rows: [{ id: paymentID, version: 1, changes: { amount: 160000 } }] },
    });
    expect(edit.json.results[0].status, edit.text).toBe("saved");
    const res = await history(op, fin, paymentID);
    expect(res.status, res.text).toBe(200);
    expect(res.json.items.find((e: { action: string }) => e.action === "update").changes.amount).toEqual({
      before: 150000,
      after: 160000,
    });
    const cw = await history(op, op.users.caseworker.token, paymentID);
    expect(cw.status).toBe(403);
    // a refusal is a sentence, not a permission code
    expect(cw.json.detail).not.toMatch(/payment\.read|Not allowed:/);
  });

  it("reading a restricted incident's history is audited like reading the incident; others do not learn it exists", async () => {
    const op = await createTestOperation();
    const created = await call("POST", "/api/incidents", {
      token: op.users.caseworker.token,
      body: {
        officeID: op.officeA,
        kind: "extortion",
        dateOfIncident: "2026-09-01",
        description: "Threats at the border",
      },
    });
    expect(created.status, created.text).toBe(201);
    const incidentID = created.json.incidentID as string;
    const reads = async () =>
      (
        await as({ ...system, operationID: op.operationID }, () =>
          Audit.history({ recordID: incidentID, limit: 500 }),
        )
      ).items.filter((e) => e.action === "read" && e.actorID === op.users.supervisor.userID).length;
    const before = await reads();
    const res = await history(op, op.users.supervisor.token, incidentID);
    expect(res.status, res.text).toBe(200);
    expect(await reads()).toBe(before + 1);
    // a viewer of the same office may not read incidents: refused for any ID; another caseworker: not found
    expect((await history(op, op.users.viewer.token, incidentID)).status).toBe(403);
    const other = await as(system, async () => {
      const { User, Auth } = await import("@waypoint/core");
      const u = await User.create({
        email: `cw2.${op.operationID.slice(-8)}@test.example.org`.toLowerCase(),
        name: "Second caseworker",
        password: "pw-test",
        grants: [{ operationID: op.operationID, role: "caseworker", officeIDs: [op.officeA] }],
      });
      return (await Auth.issue(u)).token;
    });
    expect((await history(op, other, incidentID)).status).toBe(404);
  });

  it("a field the reader's role never receives stays out of the history too (a viewer and specific needs)", async () => {
    const op = await createTestOperation();
    const { individualID } = await casework(op);
    const edit = await call("PATCH", "/api/individuals", {
      token: op.users.caseworker.token,
      body: {
        rows: [{ id: individualID, version: 1, changes: { specificNeeds: ["SV"], givenName: "Rosa" } }],
      },
    });
    expect(edit.json.results[0].status, edit.text).toBe("saved");
    const changesSeenBy = async (token: string, path: string) => {
      const res = await call("GET", path, { token });
      expect(res.status, res.text).toBe(200);
      return res.json.items.find((e: { action: string }) => e.action === "update").changes;
    };
    for (const path of [`/api/audit?recordId=${individualID}`, `/api/individuals/${individualID}/history`]) {
      const cw = await changesSeenBy(op.users.caseworker.token, path);
      expect(Object.keys(cw).sort(), path).toEqual(["givenName", "specificNeeds"]);
      const viewer = await changesSeenBy(op.users.viewer.token, path);
      expect(viewer, path).toEqual({ givenName: { before: "Rose", after: "Rosa" } });
    }
  });
});
