import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Export, Payment, Reconciliation } from "@waypoint/core";
import { PaymentEntity } from "@waypoint/core/payment/payment.entity";
import { as, call, createTestOperation, type TestOperation } from "../support/fixtures.ts";
import { approvedBatch } from "../support/payments.ts";

const ORACLES = new URL("../../../shared/oracles/", import.meta.url);
const rejected = readFileSync(
  new URL("iso20022/samples/corporatejs_pain.002.001.03_2_rejected-technical-check.xml", ORACLES),
  "utf8",
);

/** An exported batch whose provider rejected every payment (the oracle's group RJCT report). */
async function failedBatch(t: TestOperation, amounts: number[]) {
  const b = await approvedBatch(t, amounts);
  const e = await as(t.users.finance.actor, () => Export.run(b.batch.batchID, { format: "pain.001.001.03" }));
  await as(t.users.finance.actor, () =>
    Reconciliation.importFile(b.batch.batchID, {
      format: "pain.002",
      content: rejected.replace("20110102-0000001", e.messageId),
    }),
  );
  return b;
}

const retry = (t: TestOperation, batchID: string, token = t.users.finance.token, headers = {}) =>
  call("POST", `/api/payment-batches/${batchID}/retry-failed`, { token, body: {}, headers });

describe("failed payments paid again in a new batch", () => {
  it("moves every failed payment to its next attempt in one new batch that needs its own approval", async () => {
    const t = await createTestOperation();
    const b = await failedBatch(t, [1000, 2500]);
    const before = await as(t.users.finance.actor, () => Promise.all(b.paymentIDs.map((id) => Payment.get(id))));
    expect(before.map((p) => p.status)).toEqual(["failed", "failed"]);

    const res = await retry(t, b.batch.batchID);
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ count: 2, total: 3500, currency: b.batch.currency });
    expect(res.json.batchID).not.toBe(b.batch.batchID);
    expect(res.json.approvals).toEqual([]);
    const after = await Promise.all(
      b.paymentIDs.map(async (paymentID) => (await PaymentEntity.get({ paymentID }).go()).data!),
    );
    // a new end-to-end reference per payment (its attempt), so the bank never takes it for the failed one
    expect(after.map((p) => [p.status, p.batchID, p.attempt, p.endToEndId?.endsWith("-2")])).toEqual([
      ["in_batch", res.json.batchID, 2, true],
      ["in_batch", res.json.batchID, 2, true],
    ]);
    // nothing failed is left: a second call (a double click) is refused, and makes no third batch
    const again = await retry(t, b.batch.batchID);
    expect(again.status).toBe(422);
    expect(again.json.code).toBe("batch.noFailed");
  });

  it("resumes after a crash between the retries and the new batch, paying each payment once", async () => {
    const t = await createTestOperation();
    const b = await failedBatch(t, [700, 800, 900]);
    // the crash: one payment was retried, then the process died before the new batch was made
    const first = (await PaymentEntity.get({ paymentID: b.paymentIDs[0]! }).go()).data!;
    await as(t.users.finance.actor, () => Payment.retry(first.paymentID, first.version));
    const res = await retry(t, b.batch.batchID);
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ count: 3, total: 2400 });
    const attempts = await Promise.all(
      b.paymentIDs.map(async (paymentID) => (await PaymentEntity.get({ paymentID }).go()).data!.attempt),
    );
    expect(attempts).toEqual([2, 2, 2]);
  });

  it("is refused before the provider answered, and to roles that may not build batches", async () => {
    const t = await createTestOperation();
    const b = await approvedBatch(t, [100]);
    const early = await retry(t, b.batch.batchID);
    expect(early.status).toBe(422);
    expect(early.json.code).toBe("batch.notSettled");
    const failed = await failedBatch(t, [100]);
    const approver = await retry(t, failed.batch.batchID, t.users.finance_approver.token);
    expect(approver.status).toBe(403);
    const p = (await PaymentEntity.get({ paymentID: failed.paymentIDs[0]! }).go()).data!;
    expect([p.status, p.attempt]).toEqual(["failed", 1]);
  });
});
