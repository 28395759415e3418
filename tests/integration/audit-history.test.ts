import { describe, expect, it } from "vitest";
import { RecordAudit } from "@waypoint/core/audit/targets";
import { call, createTestOperation } from "../support/fixtures.ts";

/** Record pages of the finance and programme modules show a history too, to those allowed to read both. */
describe("history of payment records", () => {
  it("shows an admin the history of a payee and a payment; others never get a hint the record exists", async () => {
    const t = await createTestOperation();
    const fin = t.users.finance.token;
    const payee = await call("POST", "/api/payees", {
      token: fin,
      body: {
        kind: "individual",
        name: "María López",
        channel: { type: "bank", accountNumber: "012180001234567897" },
      },
    });
    expect(payee.status).toBe(201);
    const payeeID = payee.json.payeeID as string;
    const pays = await call("POST", "/api/payments", {
      token: fin,
      body: {
        rows: [
          { ref: "1", values: { payeeID, purpose: "cash_for_protection", amount: 250000, currency: "MXN" } },
        ],
      },
    });
    expect(pays.json.summary).toEqual({ created: 1 });
    const paymentID = pays.json.results[0].id as string;
    // Payments are created in bulk (one audit event per 1,000, on the operation); an edit is the payment's own.
    const edit = await call("PATCH", "/api/payments", {
      token: fin,
      body: { rows: [{ id: paymentID, version: 1, changes: { amount: 260000 } }] },
    });
    expect(edit.json.results[0].status, JSON.stringify(edit.json)).toBe("saved");

    for (const id of [payeeID, paymentID]) {
      const h = await call("GET", `/api/audit?recordId=${id}`, { token: t.users.admin.token });
      expect(h.status, id).toBe(200);
      expect(h.json.items.length, id).toBeGreaterThan(0);
      expect(h.json.items.every((e: { recordID: string }) => e.recordID === id)).toBe(true);
      // A caseworker may read no history at all: told so (403) for this record exactly as for an unknown ID.
      const cw = await call("GET", `/api/audit?recordId=${id}`, { token: t.users.caseworker.token });
      const unknown = await call("GET", `/api/audit?recordId=${id.slice(0, 4)}01NOSUCHRECORD0000000000000`, {
        token: t.users.caseworker.token,
      });
      expect([cw.status, unknown.status]).toEqual([403, 403]);
    }
    const unknown = await call("GET", `/api/audit?recordId=pay_01JD0000000000000000000000`, {
      token: t.users.admin.token,
    });
    expect(unknown.status).toBe(404);

    // Another operation's admin: 404.
    const other = await createTestOperation();
    expect(
      (await call("GET", `/api/audit?recordId=${paymentID}`, { token: other.users.admin.token })).status,
    ).toBe(404);
  });
});

describe("history loaders", () => {
  it("every record type with a history loads its module's loader; an unknown record of each is a 404", async () => {
    const op = await createTestOperation();
    const prefixes = RecordAudit.prefixes();
    expect(prefixes.length).toBeGreaterThanOrEqual(18);
    for (const prefix of prefixes) {
      const res = await call("GET", `/api/audit?recordId=${prefix}_01NOSUCHRECORD0000000000000`, {
        token: op.users.admin.token,
      });
      expect(res.status, `${prefix}: ${JSON.stringify(res.json)}`).toBe(404);
    }
  });

  it("a supervisor asking for the history of another office's record gets the 404 of an unknown record", async () => {
    const op = await createTestOperation();
    const created = await call("POST", "/api/individuals", {
      token: op.caseworkerB.token,
      body: {
        officeID: op.officeB,
        givenName: "Other",
        familyName: "Office",
        sex: "male",
        dateOfBirth: "1985-06-01",
        nationality: "VEN",
      },
    });
    expect(created.status).toBe(201);
    const id = created.json.individualID as string;
    const ask = (recordId: string) =>
      call("GET", `/api/audit?recordId=${recordId}`, { token: op.users.supervisor.token });
    const [theirs, unknown] = await Promise.all([ask(id), ask("ind_01NOSUCHRECORD0000000000000")]);
    expect([theirs.status, unknown.status]).toEqual([404, 404]);
    expect(theirs.json.code).toBe(unknown.json.code);
    // The admin (operation-wide) reads it, with who did it by name.
    const history = await call("GET", `/api/audit?recordId=${id}`, { token: op.users.admin.token });
    expect(history.status).toBe(200);
    const creation = history.json.items.find((e: { action: string }) => e.action === "create");
    expect(creation).toMatchObject({
      actorID: op.caseworkerB.userID,
      actorName: expect.stringMatching(/^caseworker /),
    });
  });
});
