import { describe, expect, it } from "vitest";
import { Audit, Batch, Export, Payment, Reconciliation } from "@waypoint/core";
import { documentClient } from "@waypoint/core/dynamo";
import { PaymentEntity } from "@waypoint/core/payment/payment.entity";
import { as, createTestOperation, type TestOperation } from "../support/fixtures.ts";
import { approvedBatch } from "../support/payments.ts";

/**
 * Reconciliation applies the lines that move a payment in groups, one transaction per group (up to 24 paid lines).
 * These tests watch the transactions it sends (middleware on the shared DynamoDB client) and interfere with them:
 * a colleague's change to one payment just before a group is written, and a crash between two groups.
 */

type Tx = { commandName: string; items: number };

/** Runs `fn` with `hook` called before each TransactWriteItems; returns every transaction's item count. */
async function watchingTransactions<R>(
  hook: (tx: Tx, n: number) => Promise<void> | void,
  fn: () => Promise<R>,
): Promise<{ sizes: number[]; result?: R; error?: unknown }> {
  const client = documentClient();
  const sizes: number[] = [];
  const name = `reconcileGroups${Math.random().toString(36).slice(2)}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === "TransactWriteItemsCommand") {
        const items = (args.input as { TransactItems: unknown[] }).TransactItems.length;
        sizes.push(items);
        await hook({ commandName: context.commandName, items }, sizes.length);
      }
      return next(args);
    },
    { step: "initialize", name },
  );
  try {
    return { sizes, result: await fn() };
  } catch (error) {
    return { sizes, error };
  } finally {
    client.middlewareStack.remove(name);
  }
}

async function exportedBatch(t: TestOperation, n: number) {
  const amounts = Array.from({ length: n }, (_, i) => 1000 + i);
  const { batch, paymentIDs } = await approvedBatch(
    t,
    amounts,
    amounts.map((_, i) => `Grouped Reconcile Payee ${String.fromCharCode(65 + (i % 26))}${i}`),
  );
  await as(t.users.finance.actor, () => Export.run(batch.batchID, { format: "csv" }));
  const e2e = await as(t.users.finance.actor, async () =>
    (await Promise.all(paymentIDs.map((id) => Payment.get(id)))).map((p) => p.endToEndId!),
  );
  return { batch, paymentIDs, e2e, amounts };
}

const csv = (rows: string[][]) => ["endToEndId,status,reason", ...rows.map((r) => r.join(","))].join("\n");
const reconcile = (t: TestOperation, batchID: string, content: string) =>
  as(t.users.finance.actor, () => Reconciliation.importFile(batchID, { format: "csv", content }));
const stored = (t: TestOperation, ids: string[]) =>
  as(t.users.finance.actor, async () => Promise.all(ids.map((id) => Payment.get(id))));
const trails = (t: TestOperation, ids: string[]) =>
  as(t.users.admin.actor, async () =>
    Promise.all(
      ids.map(async (recordID) =>
        (await Audit.history({ recordID, limit: 500 })).items
          .map((i) => i.action)
          .filter((a) => a.startsWith("reconcile.")),
      ),
    ),
  );

describe("reconciliation in groups", () => {
  it("a group refused because one payment changed is redone line by line: its neighbours are paid, the changed one held for review; a payment named twice is judged against its first line", async () => {
    const t = await createTestOperation();
    const { batch, paymentIDs, e2e } = await exportedBatch(t, 30);
    const rows = e2e.map((ref) => [ref, "paid", ""]);
    // the same payment again inside the same group (a replay), and a later line saying a paid one was rejected
    rows.splice(12, 0, [e2e[3]!, "paid", ""]);
    rows.push([e2e[0]!, "rejected", "AC04 closed account"]);
    const changed = paymentIDs[5]!;
    const { sizes, result, error } = await watchingTransactions(
      async (tx, n) => {
        // a colleague's other file failed payment 5 just before the first group is written
        if (n === 1) {
          expect(tx.items).toBeGreaterThan(4);
          const p = (await PaymentEntity.get({ paymentID: changed }).go({ consistent: true })).data!;
          await PaymentEntity.patch({ paymentID: changed })
            .set({
              status: "failed",
              failureReason: "AM04 other file",
              operationID: p.operationID,
              currency: p.currency,
            })
            .add({ version: 1 })
            .where((a, { eq }) => eq(a.version, p.version))
            .go();
        }
      },
      () => reconcile(t, batch.batchID, csv(rows)),
    );
    expect(error).toBeUndefined();
    const r = result!;
    expect(r.summary).toEqual({ paid: 29, already_reconciled: 1, held_for_review: 2 });
    expect(r.rows.find((row) => row.paymentID === changed && row.line === 7)).toMatchObject({
      outcome: "held_for_review",
      reason: expect.stringMatching(/reported paid after it was failed/),
    });
    expect(r.rows.find((row) => row.line === 14)).toMatchObject({
      paymentID: paymentIDs[3],
      outcome: "already_reconciled",
    });
    expect(r.rows.at(-1)).toMatchObject({
      paymentID: paymentIDs[0],
      outcome: "held_for_review",
      reason: expect.stringMatching(/reported failed after it was paid: AC04/),
    });
    // grouped: the first group (the 12 lines before the replay) was one transaction, refused, then redone line by line
    expect(sizes[0]).toBe(12 * 4);
    // (payments 0–5 one by one, payment 5's refused, then its contradiction flag + audit, then payments 6–11)
    expect(sizes.slice(1, 14)).toEqual([...Array(6).fill(4), 2, ...Array(6).fill(4)]);
    // the rest went in groups, never one transaction per line
    expect(sizes.filter((n) => n > 4).length).toBeGreaterThanOrEqual(2);
    expect(sizes.length).toBeLessThan(rows.length);
    const after = await stored(t, paymentIDs);
    expect(after.filter((p) => p.status === "paid").length).toBe(29);
    expect(after[5]).toMatchObject({ status: "failed", flag: "reconcile_contradiction" });
    expect(after[0]).toMatchObject({ status: "paid", flag: "reconcile_contradiction" });
    const b = await as(t.users.finance.actor, () => Batch.get(batch.batchID));
    expect([b.paidCount, b.failedCount, b.status]).toEqual([29, 1, "reconciled"]);
    // each payment moved once: one reconcile.paid per paid payment, none for the one a colleague failed
    const actions = await trails(t, paymentIDs);
    expect(actions[1]).toEqual(["reconcile.paid"]);
    expect(actions[5]).toEqual(["reconcile.contradiction"]);
    expect(actions[0]!.sort()).toEqual(["reconcile.contradiction", "reconcile.paid"]);
    expect(actions.filter((a) => a.filter((x) => x === "reconcile.paid").length === 1).length).toBe(29);
  }, 240_000);

  it("a crash between two groups leaves the first applied and the second untouched; running the file again applies the rest once", async () => {
    const t = await createTestOperation();
    const { batch, paymentIDs, e2e, amounts } = await exportedBatch(t, 30);
    const content = csv(e2e.map((ref, i) => [ref, i === 27 ? "rejected" : "paid", i === 27 ? "AC04" : ""]));
    let groups = 0;
    const crashed = await watchingTransactions(
      (tx) => {
        if (tx.items > 4 && ++groups === 2) throw new Error("connection reset (the process died here)");
      },
      () => reconcile(t, batch.batchID, content),
    );
    expect(String(crashed.error)).toMatch(/connection reset/);
    expect(crashed.sizes.slice(0, 2)).toEqual([96, 6 * 4 - 1]);
    const mid = await stored(t, paymentIDs);
    expect(mid.slice(0, 24).map((p) => p.status)).toEqual(Array(24).fill("paid"));
    expect(mid.slice(24).every((p) => p.status === "in_batch" || p.status === "exported")).toBe(true);
    const midBatch = await as(t.users.finance.actor, () => Batch.get(batch.batchID));
    expect([midBatch.paidCount, midBatch.failedCount, midBatch.status]).toEqual([0, 0, "exported"]);

    const again = await watchingTransactions(
      () => {},
      () => reconcile(t, batch.batchID, content),
    );
    expect(again.error).toBeUndefined();
    expect(again.result!.summary).toEqual({ already_reconciled: 24, paid: 5, failed: 1 });
    expect(again.result!.totals.paid).toEqual({
      count: 5,
      amount: amounts.slice(24).reduce((a, b) => a + b, 0) - amounts[27]!,
    });
    // the 24 already applied cost no write: one group of the six left, then the batch's counts (batch + audit)
    expect(again.sizes).toEqual([6 * 4 - 1, 2]);
    const after = await stored(t, paymentIDs);
    expect(after.map((p) => p.status)).toEqual(paymentIDs.map((_, i) => (i === 27 ? "failed" : "paid")));
    expect(after[27]!.failureReason).toBe("AC04");
    const b = await as(t.users.finance.actor, () => Batch.get(batch.batchID));
    expect([b.paidCount, b.failedCount, b.status]).toEqual([29, 1, "reconciled"]);
    const actions = await trails(t, paymentIDs);
    expect(actions).toEqual(paymentIDs.map((_, i) => [i === 27 ? "reconcile.failed" : "reconcile.paid"]));
    // a third run is a replay: nothing written
    const third = await watchingTransactions(
      () => {},
      () => reconcile(t, batch.batchID, content),
    );
    expect(third.result!.summary).toEqual({ already_reconciled: 30 });
    expect(third.sizes).toEqual([]);
  }, 240_000);
});
