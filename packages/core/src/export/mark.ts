import { UpdateCommand, type UpdateCommandInput } from "@aws-sdk/lib-dynamodb";
import { members } from "../batch/members.ts";
import { mapLimit } from "../common/concurrency.ts";
import { documentClient } from "../dynamo.ts";
import { log } from "../common/log.ts";
import { PaymentEntity } from "../payment/payment.entity.ts";

export const MARK_EXPORTED_JOB = "batch.markExported";

/**
 * After a batch's file went out, its payments move from `in_batch` to `exported` (the job the export's
 * transaction enqueues). Each move is conditional on the payment still being `in_batch` in this batch with its
 * attempt, so a payment the provider's report already settled (paid, failed) is left alone, and running the job
 * again after a crash only moves what is left. Returns how many moved.
 */
export async function markExported(batchID: string): Promise<number> {
  let moved = 0;
  for await (const page of members(batchID, ["in_batch"], 1000, ["paymentID", "attempt", "operationID", "currency"])) {
    await mapLimit(page, 32, async (p) => {
      const params = PaymentEntity.patch({ paymentID: p.paymentID })
        // byStatus is keyed on operation, status and currency: ElectroDB rebuilds that key from all three
        .set({ status: "exported", operationID: p.operationID, currency: p.currency, timeUpdated: new Date().toISOString() })
        .add({ version: 1 })
        .where(
          (a, { eq }) => `${eq(a.status, "in_batch")} AND ${eq(a.batchID, batchID)} AND ${eq(a.attempt, p.attempt)}`,
        )
        .params() as UpdateCommandInput;
      try {
        await documentClient().send(new UpdateCommand(params));
        moved++;
      } catch (err) {
        if ((err as Error).name !== "ConditionalCheckFailedException") throw err;
      }
    });
  }
  log.info({ batchID, moved }, "payments marked exported");
  return moved;
}
