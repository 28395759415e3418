import { expect } from "vitest";
import { Batch, FspProfile, Payee, Payment } from "@waypoint/core";
import { BatchEntity } from "@waypoint/core/batch/batch.entity";
import type { PaymentChannel } from "@waypoint/schema";
import { as, type TestOperation } from "./fixtures.ts";

/** Payments test data: an EUR bank FSP profile, payees with bank accounts, approved payments and batches. */
export async function setupFinance(t: TestOperation, currency = "EUR") {
  const finance = t.users.finance.actor;
  return as(finance, async () => {
    const fsp = await FspProfile.create({
      name: `Bank ${currency}`,
      kind: "bank",
      currency,
      defaultFormat: "pain.001.001.09",
      debtor: { name: "Waypoint Operación Test", iban: "FI9250009420108078", bic: "NDEAFIHH" },
      columns: [
        { header: "Reference", field: "endToEndId" },
        { header: "Name", field: "payeeName" },
        { header: "Amount", field: "amount" },
        { header: "IBAN", field: "iban" },
      ],
    });
    return { fsp };
  });
}

export async function payeesAndPayments(
  t: TestOperation,
  amounts: number[],
  currency = "EUR",
  names?: string[],
) {
  return as(t.users.finance.actor, async () => {
    const payees: Payee.Info[] = [];
    for (let i = 0; i < amounts.length; i++) {
      const channel: PaymentChannel = { type: "bank", iban: "FI4880002002330354", bic: "OKOYFIHH" };
      payees.push(
        await Payee.create({
          kind: i % 2 ? "host" : "individual",
          name: names?.[i] ?? `Payee Núñez ${i}`,
          channel,
        }),
      );
    }
    const res = await Payment.createMany(
      amounts.map((amount, i) => ({
        values: { payeeID: payees[i]!.payeeID, purpose: "cash_for_protection", amount, currency },
      })),
    );
    expect(res.summary).toEqual({ created: amounts.length });
    return { payees, paymentIDs: res.results.map((r) => r.id!) };
  });
}

export async function approvedBatch(t: TestOperation, amounts: number[], names?: string[]) {
  const { fsp } = await setupFinance(t);
  const { paymentIDs, payees } = await payeesAndPayments(t, amounts, "EUR", names);
  const b = await as(t.users.finance.actor, async () => {
    const c = await Batch.create({ fspProfileID: fsp.fspProfileID, currency: "EUR", paymentIDs });
    return Batch.submit(c.batchID);
  });
  await as(t.users.finance_approver.actor, () => Batch.approve(b.batchID));
  if (b.approvalsRequired > 1)
    await as({ ...t.users.finance_approver.actor, userID: "usr_SECOND" }, () => Batch.approve(b.batchID));
  return { batch: b, paymentIDs, payees, fsp };
}

/** The state a crash during assembly leaves: the batch exists as `assembling` with nothing recorded yet. */
export async function assemblingBatch(
  t: TestOperation,
  fspProfileID: string,
  batchID: string,
  request: Record<string, unknown>,
) {
  const now = new Date().toISOString();
  await BatchEntity.create({
    batchID,
    batchNumber: `CRASH-${batchID.slice(-6)}`,
    operationID: t.operationID,
    fspProfileID,
    currency: "EUR",
    status: "assembling",
    request,
    progress: 0,
    count: 0,
    total: 0,
    approvalsRequired: 1,
    approvals: [],
    flaggedCount: 0,
    paidCount: 0,
    failedCount: 0,
    createdBy: t.users.finance.userID,
    version: 1,
    timeCreated: now,
    timeUpdated: now,
  }).go();
}
