import { mapLimit } from "../common/concurrency.ts";
import { nowIso } from "../common/db.ts";
import { ConflictError } from "../common/errors.ts";
import { PaymentEntity } from "../payment/payment.entity.ts";
import { Batch } from "./index.ts";

/**
 * A payee's name or account changed: every payment of theirs sitting in a batch that was already submitted is
 * flagged `payee_changed`, and the batch counts it, so approvers see it and the export refuses it unless
 * someone explicitly accepts the flagged payments.
 */
export async function flagPayeeChange(payeeID: string): Promise<number> {
  const open = (await PaymentEntity.query.byPayee({ payeeID }).go({ pages: "all" })).data.filter(
    (p) => p.status === "in_batch" && p.batchID,
  );
  let flagged = 0;
  await mapLimit(open, 4, async (p) => {
    const b = await Batch.load(p.batchID!).catch(() => undefined);
    if (!b || !b.timeSubmitted || p.flag === "payee_changed") return;
    await PaymentEntity.patch({ paymentID: p.paymentID })
      .set({ flag: "payee_changed", timeUpdated: nowIso() })
      .add({ version: 1 })
      .where((a, { eq }) => eq(a.batchID, b.batchID))
      .go({ response: "none" });
    for (let i = 0; i < 5; i++) {
      const cur = await Batch.load(b.batchID);
      try {
        await Batch._change(cur, cur.version, { flaggedCount: cur.flaggedCount + 1 }, "flag", {
          reason: `payee of ${p.paymentID} changed`,
        });
        break;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    flagged++;
  });
  return flagged;
}
