import { beforeAll, describe, expect, it } from "vitest";
import { Audit, Payee } from "@waypoint/core";
import { PaymentEntity } from "@waypoint/core/payment/payment.entity";
import { as, call, createTestOperation, type TestOperation } from "../support/fixtures.ts";

let t: TestOperation;
beforeAll(async () => {
  t = await createTestOperation();
});

/** A person with a case in office A and a mobile-money payee linked to them; another person's payee beside. */
async function caseWithPayee() {
  const token = t.users.caseworker.token;
  const person = async (givenName: string) =>
    (
      await call("POST", "/api/individuals", {
        token,
        body: {
          givenName,
          familyName: "Cash",
          sex: "female",
          estimatedAge: 34,
          nationality: "HND",
          officeID: t.officeA,
        },
      })
    ).json.individualID as string;
  const ana = await person("Ana");
  const other = await person("Otra");
  const caseID = (
    await call("POST", "/api/cases", {
      token,
      body: { officeID: t.officeA, type: "cash_for_protection", individualIDs: [ana] },
    })
  ).json.caseID as string;
  const payee = (individualID: string, msisdn: string) =>
    as(t.users.finance.actor, () =>
      Payee.create({
        kind: "individual",
        name: "Ana Cash",
        officeID: t.officeA,
        individualID,
        channel: { type: "mobile_money", msisdn, provider: "mpesa" },
      }),
    );
  const anaPayee = await payee(ana, "+525512345678");
  const otherPayee = await payee(other, "+525587654321");
  return { caseID, ana, anaPayee, otherPayee };
}

const request = (caseID: string, body: unknown, token = t.users.caseworker.token, headers = {}) =>
  call("POST", `/api/cases/${caseID}/cash-requests`, { token, body, headers });

describe("cash for protection requested on a case", () => {
  it("a caseworker sees the case people's payees masked, requests cash, and a supervisor approves it", async () => {
    const { caseID, anaPayee } = await caseWithPayee();
    const payees = await call("GET", `/api/cases/${caseID}/cash-requests/payees`, {
      token: t.users.caseworker.token,
    });
    expect(payees.status).toBe(200);
    expect(payees.json.currency).toBe("MXN");
    expect(payees.json.items).toEqual([
      {
        payeeID: anaPayee.payeeID,
        name: "Ana Cash",
        individualID: anaPayee.individualID,
        channelType: "mobile_money",
        accountHint: "…5678",
      },
    ]);
    expect(payees.text).not.toContain("5512345678");

    const asked = await request(caseID, {
      payeeID: anaPayee.payeeID,
      amount: 150000,
      reason: "Rent arrears: eviction notice for next week",
    });
    expect(asked.status).toBe(201);
    expect(asked.json).toMatchObject({
      status: "draft",
      purpose: "cash_for_protection",
      currency: "MXN",
      caseID,
      request: { requestedBy: t.users.caseworker.userID },
    });

    // it waits in the supervisor's queue, named, and not in the caseworker's
    const queue = await call("GET", "/api/work/queue", { token: t.users.supervisor.token });
    const item = queue.json.cashRequests.find((i: { paymentID: string }) => i.paymentID === asked.json.paymentID);
    expect(item).toMatchObject({ payeeName: "Ana Cash", amount: 150000, requestedByName: expect.any(String) });

    const approved = await call("POST", `/api/payments/${asked.json.paymentID}/decision`, {
      token: t.users.supervisor.token,
      body: { version: asked.json.version, decision: "approved" },
    });
    expect(approved.status).toBe(200);
    const stored = (await PaymentEntity.get({ paymentID: asked.json.paymentID }).go()).data!;
    expect(stored.status).toBe("approved");
    expect(stored.request).toMatchObject({ decision: "approved", decidedBy: t.users.supervisor.userID });
    const history = await as(t.users.admin.actor, () => Audit.history({ recordID: asked.json.paymentID }));
    expect(history.items.map((e) => e.action).sort()).toEqual(["cash.approve", "cash.request"]);
    const after = await call("GET", "/api/work/queue", { token: t.users.supervisor.token });
    expect(after.json.cashRequests.map((i: { paymentID: string }) => i.paymentID)).not.toContain(
      asked.json.paymentID,
    );
  });

  it("refuses another person's payee, bad amounts and no reason, with field paths, storing nothing", async () => {
    const { caseID, anaPayee, otherPayee } = await caseWithPayee();
    const count = async () =>
      (await PaymentEntity.query.byOperation({ operationID: t.operationID }).go({ pages: "all" })).data.filter(
        (p) => p.caseID === caseID,
      ).length;
    const wrongPayee = await request(caseID, { payeeID: otherPayee.payeeID, amount: 100, reason: "Medical costs now" });
    expect(wrongPayee.status).toBe(422);
    expect(wrongPayee.json.errors.map((e: { path: string }) => e.path)).toEqual(["payeeID"]);
    const bad = await request(caseID, { payeeID: anaPayee.payeeID, amount: 12.5, reason: "short" });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(["amount", "reason"]);
    expect(await count()).toBe(0);
  });

  it("whoever asked may not decide, the grid cannot approve or change it, and a caseworker of another office may not ask", async () => {
    const { caseID, anaPayee } = await caseWithPayee();
    // a supervisor who asks for cash cannot approve it themself
    const own = await request(
      caseID,
      { payeeID: anaPayee.payeeID, amount: 50000, reason: "Transport to a safe shelter tonight" },
      t.users.supervisor.token,
    );
    expect(own.status).toBe(201);
    const self = await call("POST", `/api/payments/${own.json.paymentID}/decision`, {
      token: t.users.supervisor.token,
      body: { version: own.json.version, decision: "approved" },
    });
    expect(self.status).toBe(422);
    expect(self.json.code ?? self.json.type).toMatch(/ownRequest/);

    // finance may not approve it around the supervisor, nor raise the amount
    const viaGrid = await call("PATCH", "/api/payments", {
      token: t.users.finance.token,
      body: { rows: [{ id: own.json.paymentID, version: own.json.version, changes: { status: "approved" } }] },
    });
    expect(viaGrid.json.results[0].status).not.toBe("saved");
    const raise = await call("PATCH", "/api/payments", {
      token: t.users.finance.token,
      body: { rows: [{ id: own.json.paymentID, version: own.json.version, changes: { amount: 5000000 } }] },
    });
    expect(raise.json.results[0]).toMatchObject({ status: "invalid" });
    expect(JSON.stringify(raise.json.results[0].issues)).toContain("changes.amount");
    const stored = (await PaymentEntity.get({ paymentID: own.json.paymentID }).go()).data!;
    expect(stored).toMatchObject({ status: "draft", amount: 50000, version: own.json.version });

    // a caseworker of office B cannot ask on a case of office A
    const elsewhere = await request(
      caseID,
      { payeeID: anaPayee.payeeID, amount: 100, reason: "Food for the family this week" },
      t.caseworkerB.token,
    );
    expect([403, 404]).toContain(elsewhere.status);

    // declining needs a reason, said on the field
    const asked = await request(caseID, {
      payeeID: anaPayee.payeeID,
      amount: 100,
      reason: "Food for the family this week",
    });
    const noReason = await call("POST", `/api/payments/${asked.json.paymentID}/decision`, {
      token: t.users.supervisor.token,
      body: { version: asked.json.version, decision: "declined" },
    });
    expect(noReason.status).toBe(422);
    expect(noReason.json.errors.map((e: { path: string }) => e.path)).toEqual(["reason"]);
  });

  it("two supervisors deciding at once: exactly one decision is stored", async () => {
    const { caseID, anaPayee } = await caseWithPayee();
    const asked = await request(caseID, {
      payeeID: anaPayee.payeeID,
      amount: 80000,
      reason: "Medical treatment not covered elsewhere",
    });
    const decide = (decision: string, token: string) =>
      call("POST", `/api/payments/${asked.json.paymentID}/decision`, {
        token,
        body: { version: asked.json.version, decision, reason: "Covered by the health partner" },
      });
    const results = await Promise.all([
      decide("approved", t.users.supervisor.token),
      decide("declined", t.users.supervisor.token),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const stored = (await PaymentEntity.get({ paymentID: asked.json.paymentID }).go()).data!;
    expect(stored.version).toBe(asked.json.version + 1);
    const again = await decide("approved", t.users.supervisor.token);
    expect(again.status).toBeGreaterThanOrEqual(409);
  });

  it("a retried request with the same Idempotency-Key makes one payment", async () => {
    const { caseID, anaPayee } = await caseWithPayee();
    const body = { payeeID: anaPayee.payeeID, amount: 20000, reason: "Hygiene kit and baby formula" };
    const headers = { "Idempotency-Key": `cash-${caseID}` };
    const [a, b] = [await request(caseID, body, undefined, headers), await request(caseID, body, undefined, headers)];
    expect(a.status).toBe(201);
    expect(b.json.paymentID).toBe(a.json.paymentID);
    const all = (await PaymentEntity.query.byOperation({ operationID: t.operationID }).go({ pages: "all" })).data;
    expect(all.filter((p) => p.caseID === caseID)).toHaveLength(1);
  });
});
