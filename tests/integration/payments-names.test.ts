import { describe, expect, it } from "vitest";
import { call, createTestOperation } from "../support/fixtures.ts";

/**
 * What the payments screens read (the grid and a payment's page): whom a payment pays by name for whoever reads
 * the payment, without asking for a payee record the reader may not open; and a generated payment's history in
 * fields a screen shows in words, not an internal sentence.
 */
describe("payments read with their payee's name", () => {
  it("a supervisor reads the supplier a payment of their office pays by name, without a link to a payee they may not open", async () => {
    const t = await createTestOperation();
    const fin = t.users.finance.token;
    const sup = t.users.supervisor.token;
    const payees = await call("POST", "/api/payees", {
      token: fin,
      body: {
        rows: [
          // a supplier serves every office: its payee has no office
          {
            ref: "s",
            values: {
              kind: "supplier",
              name: "Ferretería Los Álamos",
              channel: { type: "bank", accountNumber: "012180001111222233" },
            },
          },
          {
            ref: "h",
            values: {
              kind: "host",
              name: "Familia Quintero Robles",
              officeID: t.officeA,
              channel: { type: "bank", accountNumber: "012180004444555566" },
            },
          },
        ],
      },
    });
    expect(payees.json.summary).toEqual({ created: 2 });
    const [supplier, host] = payees.json.results.map((r: { id: string }) => r.id);
    const pays = await call("POST", "/api/payments", {
      token: fin,
      body: {
        rows: [
          {
            ref: "1",
            values: {
              payeeID: supplier,
              purpose: "supplier_invoice",
              amount: 125000,
              currency: "MXN",
              officeID: t.officeA,
            },
          },
          {
            ref: "2",
            values: { payeeID: host, purpose: "hosting_allowance", amount: 300000, currency: "MXN" },
          },
        ],
      },
    });
    expect(pays.json.summary).toEqual({ created: 2 });
    const [toSupplier, toHost] = pays.json.results.map((r: { id: string }) => r.id);

    // the supervisor may read both payments (office A) but not the supplier's payee record
    expect((await call("GET", `/api/payees/${supplier}`, { token: sup })).status).toBe(403);
    const list = await call("GET", "/api/payments?limit=500", { token: sup });
    expect(list.status).toBe(200);
    const row = (id: string) => list.json.items.find((p: { paymentID: string }) => p.paymentID === id);
    expect(row(toSupplier)).toMatchObject({ payeeName: "Ferretería Los Álamos", payeeReadable: false });
    expect(row(toHost)).toMatchObject({ payeeName: "Familia Quintero Robles", payeeReadable: true });
    const one = await call("GET", `/api/payments/${toSupplier}`, { token: sup });
    expect(one.json).toMatchObject({ payeeName: "Ferretería Los Álamos", payeeReadable: false });
    // finance reads every payee: the same payment links to it
    const mine = await call("GET", `/api/payments/${toSupplier}`, { token: fin });
    expect(mine.json).toMatchObject({ payeeName: "Ferretería Los Álamos", payeeReadable: true });
    // names only: no account detail rides along
    expect(JSON.stringify(one.json)).not.toContain("012180001111222233");
  });

  it("a generated allowance's history holds its purpose, period and amount as fields, with no internal sentence", async () => {
    const t = await createTestOperation();
    const fin = t.users.finance.token;
    const payee = await call("POST", "/api/payees", {
      token: fin,
      body: {
        rows: [
          {
            values: {
              kind: "host",
              name: "Casa Hogar Las Palmas",
              officeID: t.officeA,
              channel: { type: "bank", accountNumber: "012180007777888899" },
            },
          },
        ],
      },
    });
    const payeeID = payee.json.results[0].id;
    const gen = await call("POST", "/api/payments/generate", {
      token: fin,
      body: {
        rule: {
          purpose: "hosting_allowance",
          currency: "MXN",
          period: "2026-11",
          unitAmount: 150000,
          status: "approved",
        },
        rows: [{ payeeID, units: 2, sourceID: "placement-las-palmas-1" }],
      },
    });
    expect(gen.status).toBe(200);
    const paymentID = gen.json.results[0].id;
    const history = await call("GET", `/api/audit?recordId=${paymentID}`, { token: t.users.admin.token });
    expect(history.status).toBe(200);
    const event = history.json.items.find((e: { action: string }) => e.action === "generate");
    expect(event.reason).toBeUndefined();
    expect(event.changes).toEqual({
      purpose: { after: "hosting_allowance" },
      period: { after: "2026-11" },
      amount: { after: 300000 },
      currency: { after: "MXN" },
    });
  });
});

describe("mobile-money numbers of the provider's country", () => {
  it("a payee's mobile number must be a mobile number of the FSP's country (else the operation's), kept in E.164", async () => {
    const t = await createTestOperation(); // a Mexico operation
    const fin = t.users.finance.token;
    const fsp = await call("POST", "/api/fsp-profiles", {
      token: fin,
      body: {
        name: "Orange Money Sénégal",
        kind: "mobile_money",
        currency: "XOF",
        defaultFormat: "mobile-money-csv",
        mobileMoney: {
          provider: "orange-sn",
          country: "SN",
          columns: [
            { header: "msisdn", field: "msisdn" },
            { header: "amount", field: "amount" },
          ],
        },
      },
    });
    expect(fsp.status, JSON.stringify(fsp.json)).toBe(201);
    const row = (ref: string, msisdn: string, provider?: string) => ({
      ref,
      values: {
        kind: "individual",
        name: `Persona ${ref}`,
        channel: { type: "mobile_money", msisdn, ...(provider ? { provider } : {}) },
      },
    });
    const res = await call("POST", "/api/payees", {
      token: fin,
      body: {
        rows: [
          row("sn-mobile", "+221771234567", "orange-sn"),
          row("sn-national", "771234567", "orange-sn"),
          // a valid Mexican mobile, but this provider pays in Senegal
          row("mx-for-sn", "+529621234501", "orange-sn"),
          // a Senegalese landline is not a mobile number
          row("sn-landline", "+221338234567", "orange-sn"),
          // no FSP names this provider: the operation's country (Mexico)
          row("mx-home", "529621234501"),
          row("sn-home", "+221771234567"),
        ],
      },
    });
    expect(res.status).toBe(200);
    const by = Object.fromEntries(res.json.results.map((r: { ref: string }) => [r.ref, r])) as Record<
      string,
      { status: string; id?: string; issues?: { path: string; code: string }[] }
    >;
    expect(Object.fromEntries(Object.entries(by).map(([k, r]) => [k, r.status]))).toEqual({
      "sn-mobile": "created",
      "sn-national": "created",
      "mx-for-sn": "invalid",
      "sn-landline": "invalid",
      "mx-home": "created",
      "sn-home": "invalid",
    });
    for (const ref of ["mx-for-sn", "sn-landline", "sn-home"])
      expect(by[ref]!.issues).toEqual([
        expect.objectContaining({ path: "channel.msisdn", code: "invalid.msisdn" }),
      ]);
    // stored in E.164
    const stored = async (ref: string) =>
      (await call("GET", `/api/payees/${by[ref]!.id}`, { token: fin })).json.channel.msisdn;
    expect(await stored("sn-national")).toBe("+221771234567");
    expect(await stored("mx-home")).toBe("+529621234501");

    // the same rule on a change of details
    const change = await call("PATCH", `/api/payees/${by["mx-home"]!.id}`, {
      token: fin,
      body: { version: 1, changes: { channel: { type: "mobile_money", msisdn: "+221771234567" } } },
    });
    expect(change.status).toBe(422);
    expect(change.json.errors).toEqual([
      expect.objectContaining({ path: "changes.channel.msisdn", code: "invalid.msisdn" }),
    ]);
    expect(await stored("mx-home")).toBe("+529621234501");
  });
});
