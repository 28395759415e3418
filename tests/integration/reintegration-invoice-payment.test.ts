import { afterEach, describe, expect, it, vi } from "vitest";
import { Payee } from "@waypoint/core";
import { as, call, createTestOperation, type TestOperation } from "../support/fixtures.ts";
import { extraUser, people } from "../support/programmes.ts";

/** A return with a reintegration plan (approved unless told), a supplier with a payee, a selected invoice. */
async function selectedInvoice(op: TestOperation, opts: { approvePlan?: boolean } = {}) {
  const token = op.users.caseworker.token;
  const [a] = await people(op, [{ age: 31, relationshipToHead: "head" }]);
  const r = (
    await call("POST", "/api/returns", {
      token,
      body: { officeID: op.officeA, individualIDs: [a!.individualID], countryOfReturn: "HND" },
    })
  ).json;
  const plan = await call("PUT", `/api/returns/${r.returnID}/plan`, {
    token,
    body: { items: [{ kind: "economic", description: "Sewing machine", budget: 800000, currency: "HNL" }] },
  });
  expect(plan.status, JSON.stringify(plan.json)).toBe(200);
  if (opts.approvePlan !== false) {
    const ok = await call("POST", `/api/returns/${r.returnID}/plan/approve`, {
      token: op.users.supervisor.token,
      body: { version: plan.json.version },
    });
    expect(ok.json.status).toBe("approved");
  }
  const payee = await as(op.users.finance.actor, () =>
    Payee.create({
      kind: "supplier",
      name: "Taller Central",
      channel: { type: "bank", accountNumber: "300012345678" },
    }),
  );
  const sup = await call("POST", "/api/suppliers", {
    token,
    body: { name: "Taller Central", country: "HND", category: "merchandise", payeeID: payee.payeeID },
  });
  const created = await call("POST", "/api/invoices", {
    token,
    body: {
      returnID: r.returnID,
      itemID: plan.json.items[0].itemID,
      quotes: [{ supplierID: sup.json.supplierID, amount: 750000, currency: "HNL", date: "2026-05-20" }],
      waiverReason: "Only supplier of industrial sewing machines in the department",
    },
  });
  if (opts.approvePlan === false) return { created, payeeID: payee.payeeID, returnID: r.returnID };
  expect(created.status, JSON.stringify(created.json)).toBe(200);
  const sel = await call("POST", `/api/invoices/${created.json.invoiceID}/select`, {
    token,
    body: { supplierID: sup.json.supplierID, reason: "Sole supplier", version: created.json.version },
  });
  expect(sel.json.status).toBe("selected");
  return { invoice: sel.json, payeeID: payee.payeeID, returnID: r.returnID };
}

async function paymentsOf(op: TestOperation, payeeID: string) {
  const res = await call("GET", `/api/payments?payeeID=${payeeID}`, { token: op.users.finance.token });
  expect(res.status).toBe(200);
  return res.json.items as { paymentID: string; amount: number; purpose: string }[];
}

describe("supplier invoice approval pays once", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("a stale approval leaves no payment behind, also when a colleague then rejects the invoice", async () => {
    const op = await createTestOperation();
    const { invoice, payeeID } = await selectedInvoice(op);
    const other = await extraUser(op, "supervisor");
    const stale = await call("POST", `/api/invoices/${invoice.invoiceID}/decision`, {
      token: other.token,
      body: { approve: true, version: invoice.version - 1 },
    });
    expect(stale.status).toBe(409);
    expect(await paymentsOf(op, payeeID)).toEqual([]);
    const reject = await call("POST", `/api/invoices/${invoice.invoiceID}/decision`, {
      token: op.users.supervisor.token,
      body: { approve: false, comment: "Price too high", version: invoice.version },
    });
    expect(reject.json.status).toBe("rejected");
    expect(await paymentsOf(op, payeeID)).toEqual([]);
  });

  it("two reviewers approving at once raise one payment, the one the invoice names", async () => {
    const op = await createTestOperation();
    const { invoice, payeeID } = await selectedInvoice(op);
    const other = await extraUser(op, "supervisor");
    const answers = await Promise.all(
      [op.users.supervisor.token, other.token].map((token) =>
        call("POST", `/api/invoices/${invoice.invoiceID}/decision`, {
          token,
          body: { approve: true, version: invoice.version },
        }),
      ),
    );
    const ok = answers.filter((a) => a.status === 200);
    expect(ok).toHaveLength(1);
    const paid = await paymentsOf(op, payeeID);
    expect(paid.map((p) => p.paymentID)).toEqual([ok[0]!.json.paymentID]);
  });

  it("an approval retried in another month after a stale attempt pays once; a second approval pays nothing", async () => {
    const op = await createTestOperation();
    const { invoice, payeeID } = await selectedInvoice(op);
    const stale = await call("POST", `/api/invoices/${invoice.invoiceID}/decision`, {
      token: op.users.supervisor.token,
      body: { approve: true, version: invoice.version - 1 },
    });
    expect(stale.status).toBe(409);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(Date.now() + 35 * 86_400_000));
    const later = await extraUser(op, "supervisor"); // a session issued next month
    const ok = await call("POST", `/api/invoices/${invoice.invoiceID}/decision`, {
      token: later.token,
      body: { approve: true, version: invoice.version },
    });
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    vi.useRealTimers(); // the other sessions of the test were issued this month
    const again = await call("POST", `/api/invoices/${invoice.invoiceID}/decision`, {
      token: op.users.supervisor.token,
      body: { approve: true, version: ok.json.version },
    });
    expect(again.status).toBe(422);
    const paid = await paymentsOf(op, payeeID);
    expect(paid.map((p) => p.paymentID)).toEqual([ok.json.paymentID]);
    expect(paid[0]).toMatchObject({ purpose: "supplier_invoice", amount: 750000 });
  });

  it("an invoice is not approved (nor paid) while its plan is back in draft", async () => {
    const op = await createTestOperation();
    const { invoice, payeeID, returnID } = await selectedInvoice(op);
    const plan = await call("GET", `/api/returns/${returnID}/plan`, { token: op.users.caseworker.token });
    const redraft = await call("PUT", `/api/returns/${returnID}/plan`, {
      token: op.users.caseworker.token,
      body: {
        items: plan.json.items.map((i: Record<string, unknown>) => ({
          itemID: i.itemID,
          kind: i.kind,
          description: i.description,
          budget: i.budget,
          currency: i.currency,
        })),
        version: plan.json.version,
      },
    });
    expect(redraft.json.status, JSON.stringify(redraft.json)).toBe("draft");
    const res = await call("POST", `/api/invoices/${invoice.invoiceID}/decision`, {
      token: op.users.supervisor.token,
      body: { approve: true, version: invoice.version },
    });
    expect(res.status).toBe(422);
    expect(res.json.code).toBe("invoice.planNotApproved");
    expect(await paymentsOf(op, payeeID)).toEqual([]);
  });

  it("an invoice cannot be raised on a plan that is not approved", async () => {
    const op = await createTestOperation();
    const { created, returnID } = await selectedInvoice(op, { approvePlan: false });
    expect(created!.status).toBe(422);
    expect(created!.json.code).toBe("invoice.planNotApproved");
    const listed = await call("GET", `/api/returns/${returnID}/invoices`, {
      token: op.users.caseworker.token,
    });
    expect(listed.json.items).toEqual([]);
  });
});
