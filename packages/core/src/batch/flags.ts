import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { nowIso, type TxItem } from "../common/db.ts";
import { PaymentEntity } from "../payment/payment.entity.ts";
import { BatchEntity } from "./batch.entity.ts";
import type { StoredBatch } from "./assemble.ts";

/** Batches whose approvers have looked (or are looking) at the accounts, and that have not paid out yet. */
const REVIEWED = ["submitted", "approved"];

/**
 * A payee's account (or the name the bank knows) is about to change. Every batch holding one of their payments
 * that was submitted and not yet exported goes back to `submitted` with its approvals cleared, in the same
 * transaction as the change: an account swapped after the approvers looked is the classic diversion, so the money
 * can only leave after someone who did not make the change approves again. The one who changed it joins
 * `accountChangedBy` and may not approve that batch. Each batch write is conditional on the version read here, so
 * a concurrent approval either lands first (and is cleared by this change) or fails on the version.
 */
export async function reopenForAccountChange(
  payeeID: string,
): Promise<{ items: TxItem[]; batchIDs: string[] }> {
  const held = (await PaymentEntity.query.byPayee({ payeeID }).go({ pages: "all" })).data.filter(
    (p) => p.status === "in_batch" && p.batchID,
  );
  const byBatch = new Map<string, typeof held>();
  for (const p of held) byBatch.set(p.batchID!, [...(byBatch.get(p.batchID!) ?? []), p]);
  const items: TxItem[] = [];
  const batchIDs: string[] = [];
  const me = Actor.id();
  const now = nowIso();
  for (const [batchID, payments] of byBatch) {
    const b = (await BatchEntity.get({ batchID }).go({ consistent: true })).data as StoredBatch | null;
    if (!b || !REVIEWED.includes(b.status)) continue;
    const newlyFlagged = payments.filter((p) => p.flag !== "payee_changed");
    const changedBy = [...new Set([...((b.accountChangedBy as string[] | undefined) ?? []), me])];
    const approvals = (b.approvals as { userID: string }[] | undefined) ?? [];
    items.push({
      update: BatchEntity.patch({ batchID })
        .set({ status: "submitted", approvals: [], accountChangedBy: changedBy, timeUpdated: now })
        .add({ version: 1, flaggedCount: newlyFlagged.length })
        .where((a, { eq }) => eq(a.version, b.version))
        .params(),
    });
    items.push(
      Audit.txItem({
        recordID: batchID,
        recordType: "batch",
        action: "reopen",
        operationID: b.operationID,
        reason: "A payee's bank or mobile-money details changed; the batch needs a fresh approval",
        changes: {
          status: { before: b.status, after: "submitted" },
          approvals: { before: approvals.length, after: 0 },
          payeeID: { after: payeeID },
        },
      }),
    );
    for (const p of newlyFlagged)
      items.push({
        update: PaymentEntity.patch({ paymentID: p.paymentID })
          .set({ flag: "payee_changed", timeUpdated: now })
          .add({ version: 1 })
          .where((a, { eq }) => `${eq(a.batchID, batchID)} AND ${eq(a.status, "in_batch")}`)
          .params(),
      });
    batchIDs.push(batchID);
  }
  return { items, batchIDs };
}
