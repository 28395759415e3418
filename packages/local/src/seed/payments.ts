import {
  Actor,
  Batch,
  Export,
  FspProfile,
  generatePayments,
  Individual,
  log,
  Payee,
  Payment,
  Reconciliation,
  User,
} from "@waypoint/core";
import type { PayeeCreate } from "@waypoint/schema";
import { DEMO_OPERATION, MTY, TAP } from "./foundation.ts";

const OP = DEMO_OPERATION.operationID;
const period = new Date().toISOString().slice(0, 7);

async function userActor(email: string): Promise<Actor.User> {
  const u = await User.byEmail(email);
  if (!u) throw new Error(`demo user ${email} is missing: the foundation seeder runs first`);
  const grant = u.grants.find((g) => g.operationID === OP)!;
  return {
    type: "user",
    userID: u.userID,
    email,
    operationID: OP,
    role: grant.role,
    officeIDs: grant.officeIDs,
  };
}

/**
 * Payments demo: payees of every kind (registered individuals, host families, suppliers), approved MXN and USD
 * payments not yet in a batch, and batches in every state, built by the demo finance officer and approved by the
 * demo approver, so `finance@example.org` and `approver@example.org` can walk the whole flow at once.
 */
export async function seedPayments(): Promise<void> {
  const finance = await userActor("finance@example.org");
  const approver = await userActor("approver@example.org");
  const as = <R>(a: Actor.Any, fn: () => Promise<R>) => Actor.provide(a, fn);

  const [spei, usd, mobile] = await as(finance, async () => [
    await FspProfile.create({
      name: "BBVA México SPEI (demo)",
      kind: "bank",
      currency: "MXN",
      defaultFormat: "csv",
      debtor: { name: "ACNUR Mexico (demo)", accountNumber: "012180001111111111" },
      columns: [
        { header: "Referencia", field: "endToEndId" },
        { header: "Beneficiario", field: "payeeName" },
        { header: "CLABE", field: "accountNumber" },
        { header: "Importe", field: "amount" },
        { header: "Moneda", field: "currency" },
        { header: "Concepto", field: "reference" },
      ],
    }),
    await FspProfile.create({
      name: "Banco Internacional USD (demo, ISO 20022)",
      kind: "bank",
      currency: "USD",
      defaultFormat: "pain.001.001.09",
      debtor: { name: "UNHCR Mexico demo account", iban: "DE89370400440532013000", bic: "COBADEFFXXX" },
    }),
    await FspProfile.create({
      name: "Dinero móvil (demo)",
      kind: "mobile_money",
      currency: "MXN",
      defaultFormat: "mobile-money-csv",
      mobileMoney: {
        provider: "demo-wallet",
        delimiter: ",",
        columns: [
          { header: "msisdn", field: "msisdn" },
          { header: "amount", field: "amount" },
          { header: "name", field: "payeeName" },
          { header: "reference", field: "endToEndId" },
        ],
      },
    }),
  ]);

  const people = await as(
    { type: "system", reason: "seed", operationID: OP },
    async () => (await Individual.list({ limit: 40 })).items,
  );
  const payees = await as(finance, async () => {
    const rows: PayeeCreate[] = people.slice(0, 24).map((p, i) => ({
      kind: "individual",
      name: `${p.givenName} ${p.familyName}`,
      individualID: p.individualID,
      officeID: p.officeID,
      channel:
        i % 3 === 0
          ? {
              type: "bank",
              accountNumber: `0121800${String(1000000000 + i * 7919).slice(0, 11)}`,
              bankName: "BBVA",
            }
          : {
              type: "mobile_money",
              msisdn: `+52962${String(1000000 + i * 137).slice(0, 7)}`,
              provider: "demo-wallet",
            },
    }));
    rows.push(
      {
        kind: "host",
        name: "Familia Hernández Ruiz",
        officeID: TAP,
        channel: { type: "mobile_money", msisdn: "+529621234501", provider: "demo-wallet" },
      },
      {
        kind: "host",
        name: "Casa de Acogida San José",
        officeID: TAP,
        channel: { type: "bank", accountNumber: "012180009876543210", bankName: "BBVA" },
      },
      {
        kind: "host",
        name: "Familia Garza Treviño",
        officeID: MTY,
        channel: { type: "mobile_money", msisdn: "+528181234502", provider: "demo-wallet" },
      },
      {
        kind: "supplier",
        name: "=Transportes del Sur SA de CV",
        channel: { type: "bank", iban: "DE02120300000000202051", bic: "BYLADEM1001" },
        note: "name starts with = to show formula neutralisation in exports",
      },
      {
        kind: "supplier",
        name: "Papelería Monterrey SA",
        channel: { type: "bank", iban: "GB33BUKB20201555555555", bic: "BUKBGB22" },
      },
      {
        kind: "supplier",
        name: "Farmacia Comunitaria AC",
        channel: { type: "bank", iban: "FR1420041010050500013M02606", bic: "PSSTFRPPXXX" },
      },
    );
    const out: Payee.Info[] = [];
    for (const r of rows) out.push(await Payee.create(r));
    return out;
  });
  const individuals = payees.filter((p) => p.kind === "individual");
  const hosts = payees.filter((p) => p.kind === "host");
  const suppliers = payees.filter((p) => p.kind === "supplier");
  const bankPeople = individuals.filter((p) => p.channel.type === "bank");
  const walletPeople = individuals.filter((p) => p.channel.type === "mobile_money");

  const create = (rows: { payeeID: string; purpose: string; amount: number; currency: string }[]) =>
    as(finance, async () =>
      (await Payment.createMany(rows.map((values) => ({ values })))).results.map((r) => r.id!),
    );
  const cash = (list: Payee.Info[], amount: number) =>
    list.map((p) => ({ payeeID: p.payeeID, purpose: "cash_for_protection", amount, currency: "MXN" }));
  const invoices = (amounts: number[]) =>
    suppliers.map((s, i) => ({
      payeeID: s.payeeID,
      purpose: "supplier_invoice",
      amount: amounts[i % amounts.length]!,
      currency: "USD",
    }));

  // monthly hosting allowance: 1,500.00 MXN per hosted person, capped at 6,000.00 per host and month
  await as(finance, () =>
    generatePayments({
      rule: {
        purpose: "hosting_allowance",
        currency: "MXN",
        period,
        unitAmount: 150000,
        capPerPayee: 600000,
        capMode: "truncate",
        status: "approved",
        fspProfileID: mobile.fspProfileID,
      },
      rows: hosts.map((h, i) => ({
        payeeID: h.payeeID,
        units: [2, 5, 3][i]!,
        sourceID: `demo-placement-${i}`,
      })),
    }),
  );
  // approved and waiting for a batch: MXN cash and USD invoices
  await create(cash(bankPeople.slice(0, 3), 250000));
  await create(invoices([1850000, 42000]));

  const batch = async (fsp: FspProfile.Info, currency: string, paymentIDs: string[], name: string) =>
    as(finance, () => Batch.create({ fspProfileID: fsp.fspProfileID, currency, paymentIDs, name }));
  const submit = (id: string) => as(finance, () => Batch.submit(id));
  const approve = (id: string) => as(approver, () => Batch.approve(id));

  // draft
  await batch(
    mobile,
    "MXN",
    await create(cash(walletPeople.slice(0, 4), 120000)),
    "Cash for protection, wallets (draft)",
  );
  // submitted, waiting for the approver
  const sub = await batch(
    mobile,
    "MXN",
    await create(cash(walletPeople.slice(4, 8), 95000)),
    "Cash for protection (waiting for approval)",
  );
  await submit(sub.batchID);
  // approved, ready to export
  const appr = await batch(
    usd,
    "USD",
    await create(invoices([31000, 78000, 5500])),
    "Supplier invoices USD (approved)",
  );
  await submit(appr.batchID);
  await approve(appr.batchID);
  // exported, waiting for the FSP's status file
  const exp = await batch(
    spei,
    "MXN",
    await create(cash(bankPeople.slice(3, 6), 180000)),
    "Reintegration cash SPEI (exported)",
  );
  await submit(exp.batchID);
  await approve(exp.batchID);
  await as(finance, () => Export.run(exp.batchID, { format: "csv" }));
  // reconciled (one paid, one failed), and closed
  for (const [i, close] of [
    [0, false],
    [1, true],
  ] as const) {
    const list = walletPeople.slice(8 + i * 3, 11 + i * 3);
    const b = await batch(
      mobile,
      "MXN",
      await create(cash(list, 80000)),
      close ? "Cash October (closed)" : "Cash (reconciled)",
    );
    await submit(b.batchID);
    await approve(b.batchID);
    await as(finance, () => Export.run(b.batchID, { format: "mobile-money-csv" }));
    const members = await as(finance, async () => (await Payment.list({ batchID: b.batchID })).items);
    const content = [
      "reference,status,reason",
      ...members.map(
        (p, j) =>
          `${p.endToEndId},${j === 0 ? "failed" : "success"},${j === 0 ? "wallet not registered" : ""}`,
      ),
    ].join("\n");
    await as(finance, () => Reconciliation.importFile(b.batchID, { format: "csv", content }));
    if (close) await as(finance, () => Batch.close(b.batchID));
  }
  // cancelled before export (its payments went back to approved)
  const can = await batch(
    mobile,
    "MXN",
    await create(cash(walletPeople.slice(14, 16), 50000)),
    "Duplicate run (cancelled)",
  );
  await as(finance, () => Batch.cancel(can.batchID, { note: "created twice by mistake" }));
  log.info({ payees: payees.length }, "seeded payments");
}
