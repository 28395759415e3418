import { beforeAll, describe, expect, it } from "vitest";
import { Payee } from "@waypoint/core";
import { PaymentEntity } from "@waypoint/core/payment/payment.entity";
import { majorToMinor } from "@waypoint/schema/payments";
import { as, call, createTestOperation, type TestOperation } from "../support/fixtures.ts";

let t: TestOperation;
let amina: { individualID: string; registrationNumber: string };
beforeAll(async () => {
  t = await createTestOperation();
  const person = await call("POST", "/api/individuals", {
    token: t.users.caseworker.token,
    body: {
      givenName: "Amina",
      familyName: "Haddad",
      sex: "female",
      estimatedAge: 41,
      nationality: "SDN",
      officeID: t.officeA,
    },
  });
  amina = person.json;
  const payee = (name: string, extra: Record<string, unknown> = {}, officeID = t.officeA) =>
    as(t.users.finance.actor, () =>
      Payee.create({
        kind: "individual",
        name,
        officeID,
        channel: { type: "bank", iban: "DE89370400440532013000" },
        ...extra,
      }),
    );
  await payee("Amina Haddad", { individualID: amina.individualID });
  await payee("Juan Pérez");
  await payee("Juan Perez");
  await payee("فاطمة الزهراء", { nameLatin: "Fatima Alzahraa" });
  await payee("Olga Office-B", {}, t.officeB);
});

const stored = async () =>
  (await PaymentEntity.query.byOperation({ operationID: t.operationID }).go({ pages: "all" })).data;

const paste = (rows: Record<string, string | undefined>[], dryRun: boolean, token = t.users.finance.token) =>
  call("POST", "/api/payments/paste", { token, body: { rows, dryRun } });

describe("payments pasted from a spreadsheet", () => {
  it("reads amounts in major units however they are written", () => {
    expect(majorToMinor("1.500,50", 2)).toBe(150050);
    expect(majorToMinor("1,500.50", 2)).toBe(150050);
    expect(majorToMinor("1 500", 2)).toBe(150000);
    expect(majorToMinor("1500", 0)).toBe(1500);
    expect(majorToMinor("1,500.555", 2)).toBeNull();
    expect(majorToMinor("-5", 2)).toBeNull();
    expect(majorToMinor("0", 2)).toBeNull();
  });

  it("a dry run resolves payees by name, bank name or registration number and says what is wrong, storing nothing", async () => {
    const rows = [
      { payee: amina.registrationNumber, purpose: "Efectivo para protección", amount: "1.500,50" },
      { payee: "juan perez", purpose: "transport", amount: "200" },
      { payee: "Fatima Alzahraa", purpose: "Cash for protection", amount: "12,5" },
      { payee: "Amina Haddad", purpose: "groceries", amount: "10" },
      { payee: "Nobody Here", purpose: "transport", amount: "1.2.3" },
    ];
    const res = await paste(rows, true);
    expect(res.status).toBe(200);
    expect(res.json.summary).toEqual({ ready: 2, invalid: 3 });
    const [a, juan, fatima, groceries, nobody] = res.json.rows;
    expect(a).toMatchObject({
      status: "ready",
      payeeName: "Amina Haddad",
      purpose: "cash_for_protection",
      amount: 150050,
      currency: "MXN",
    });
    expect(juan.issues).toEqual([expect.objectContaining({ path: "rows.1.payee", code: "paste.payeeAmbiguous" })]);
    expect(fatima).toMatchObject({ status: "ready", payeeName: "فاطمة الزهراء", amount: 1250 });
    expect(groceries.issues).toEqual([expect.objectContaining({ path: "rows.3.purpose" })]);
    expect(nobody.issues.map((i: { path: string }) => i.path).sort()).toEqual(["rows.4.amount", "rows.4.payee"]);
    expect(await stored()).toEqual([]);
  });

  it("the real run creates the valid rows only, once per row, and reports the others", async () => {
    const rows = [
      { payee: "Amina Haddad", purpose: "cash_for_protection", amount: "700", note: "Rent" },
      { payee: "Nobody Here", purpose: "transport", amount: "5" },
      { payee: "Fatima Alzahraa", purpose: "Transporte", amount: "99.99", currency: "usd", period: "2026-12" },
    ];
    const res = await paste(rows, false);
    expect(res.json.summary).toEqual({ created: 2, invalid: 1 });
    const payments = await stored();
    expect(
      payments.map((p) => [p.amount, p.currency, p.purpose, p.status, p.period ?? null]).sort(),
    ).toEqual([
      [70000, "MXN", "cash_for_protection", "approved", null],
      [9999, "USD", "transport", "approved", "2026-12"],
    ]);
    expect(res.json.rows[0].paymentID).toBe(payments.find((p) => p.amount === 70000)!.paymentID);
    for (const p of payments) await PaymentEntity.delete({ paymentID: p.paymentID }).go();
  });

  it("who may create payments is decided by each payee's office, and a caseworker may not paste at all", async () => {
    const sup = await paste([{ payee: "Olga Office-B", purpose: "transport", amount: "5" }], false, t.users.supervisor.token);
    expect(sup.status).toBe(200);
    // a supervisor of office A does not see office B's payees: nothing to resolve, nothing stored
    expect(sup.json.rows[0]).toMatchObject({ status: "invalid" });
    expect(await stored()).toEqual([]);
    const cw = await paste([{ payee: "Amina Haddad", purpose: "transport", amount: "5" }], true, t.users.caseworker.token);
    expect(cw.status).toBe(403);
  });

  it("a retried paste with the same Idempotency-Key creates the payments once", async () => {
    const body = { rows: [{ payee: "Amina Haddad", purpose: "transport", amount: "15" }], dryRun: false };
    const headers = { "Idempotency-Key": `paste-${t.operationID}` };
    const a = await call("POST", "/api/payments/paste", { token: t.users.finance.token, body, headers });
    const b = await call("POST", "/api/payments/paste", { token: t.users.finance.token, body, headers });
    expect(b.json.rows[0].paymentID).toBe(a.json.rows[0].paymentID);
    expect((await stored()).filter((p) => p.amount === 1500)).toHaveLength(1);
  });
});
