import type { BatchInfo } from "@waypoint/schema/payments";
import { Actor } from "../actor.ts";
import { RuleError } from "../common/errors.ts";
import { Payment } from "../payment/index.ts";
import { Batch } from "./index.ts";
import { members } from "./members.ts";

/** Batches whose failures are final: the file went out and the provider answered. */
const SETTLED = ["exported", "reconciled", "closed"];

/**
 * The failed payments of a batch, paid again in a new batch for the same provider: each failed payment goes back
 * to `approved` with its next attempt (a new end-to-end reference, so the bank does not take it for the failed
 * one), then one new batch takes them all; it goes through submission and four-eyes approval like any other.
 * Resumable: a crash after some payments were retried leaves them `approved` with this batch's ID, and the next
 * call picks them up with the ones still failed. A payment another batch took meanwhile is no longer this
 * batch's, so it is never paid twice.
 */
export async function retryFailed(batchID: string, name?: string): Promise<BatchInfo> {
  const batch = await Batch.load(batchID);
  Actor.assert("batch.create", batch);
  Actor.assert("payment.update", batch);
  if (!SETTLED.includes(batch.status))
    throw new RuleError(
      "batch.notSettled",
      "Failed payments can be retried once the batch's file was exported and the provider answered",
    );
  const paymentIDs: string[] = [];
  for await (const page of members(batchID, ["failed", "approved"], 1000, ["paymentID", "version"])) {
    for (const p of page) {
      if (p.status === "failed") await Payment.retry(p.paymentID, p.version);
      paymentIDs.push(p.paymentID);
    }
  }
  if (paymentIDs.length === 0)
    throw new RuleError("batch.noFailed", "No failed payment of this batch waits to be retried");
  return Batch.create({
    fspProfileID: batch.fspProfileID,
    currency: batch.currency,
    name: name ?? `${batch.batchNumber} ↻`,
    paymentIDs,
  });
}
