import { mapLimit } from "../common/concurrency.ts";
import { nowIso } from "../common/db.ts";
import { writeVersioned } from "../common/record.ts";
import { PaymentEntity } from "../payment/payment.entity.ts";
import type { StoredPayment } from "../payment/index.ts";
import { getAll } from "../payment/write.ts";
import { BatchEntity } from "./batch.entity.ts";
import { endToEndId } from "./members.ts";

export type StoredBatch = NonNullable<Awaited<ReturnType<ReturnType<typeof BatchEntity.get>["go"]>>["data"]>;
const CONCURRENCY = 24;

/**
 * Puts one payment in a batch. "A payment is in at most one open batch" is this single conditional write:
 * it succeeds only while the payment is `approved` (not in any open batch) with the attempt we read, so two
 * batches racing for it cannot both win: DynamoDB applies one write, the other's condition fails. A failed
 * condition where the payment already names this batch is our own earlier write (a resumed assembly).
 */
async function take(b: StoredBatch, p: StoredPayment): Promise<boolean> {
  if (p.status === "in_batch" && p.batchID === b.batchID) return true;
  if (p.status !== "approved" || p.currency !== b.currency || p.deleted) return false;
  if (p.fspProfileID && p.fspProfileID !== b.fspProfileID) return false;
  try {
    await PaymentEntity.patch({ paymentID: p.paymentID })
      .set({
        status: "in_batch",
        batchID: b.batchID,
        endToEndId: endToEndId(p.paymentID, p.attempt),
        operationID: p.operationID,
        currency: p.currency,
        timeUpdated: nowIso(),
      })
      .remove(["flag"])
      .add({ version: 1 })
      .where(
        (a, { eq }) =>
          `${eq(a.status, "approved")} AND ${eq(a.attempt, p.attempt)} AND ${eq(a.operationID, b.operationID)}`,
      )
      .go({ response: "none" });
    return true;
  } catch (err) {
    const cause = (err as { cause?: { name?: string } }).cause;
    if (cause?.name !== "ConditionalCheckFailedException") throw err;
    const now = (await PaymentEntity.get({ paymentID: p.paymentID }).go()).data;
    return now?.status === "in_batch" && now.batchID === b.batchID;
  }
}

async function takeAll(
  b: StoredBatch,
  page: StoredPayment[],
): Promise<{ count: number; total: number; skipped: number }> {
  const ok = await mapLimit(page, CONCURRENCY, (p) => take(b, p));
  let count = 0;
  let total = 0;
  page.forEach((p, i) => {
    if (ok[i]) {
      count++;
      total += p.amount;
    }
  });
  return { count, total, skipped: page.length - count };
}

async function progress(b: StoredBatch, set: Partial<StoredBatch>, action: string): Promise<StoredBatch> {
  const res = await writeVersioned(
    {
      entity: BatchEntity,
      key: { batchID: b.batchID },
      expectedVersion: b.version,
      set,
      audit: {
        recordID: b.batchID,
        recordType: "batch",
        action,
        operationID: b.operationID,
        changes: { count: { after: set.count ?? b.count } },
      },
    },
    () =>
      BatchEntity.get({ batchID: b.batchID })
        .go()
        .then((r) => r.data),
  );
  return { ...b, ...set, ...res } as StoredBatch;
}

/**
 * Fills an `assembling` batch from its stored request, chunk by chunk, recording progress (and the running
 * count and sum) after each chunk. A crash leaves the batch `assembling` with its progress; calling this again
 * resumes where it stopped, and the chunk that was in flight is recognised payment by payment (see `take`).
 */
export async function assemble(batch: StoredBatch): Promise<StoredBatch> {
  let b = batch;
  if (b.status !== "assembling") return b;
  const req = b.request as {
    paymentIDs?: string[];
    filter?: { purpose?: string; period?: string; officeID?: string; limit?: number };
  };
  if (req.paymentIDs) {
    for (let i = b.progress ?? 0; i < req.paymentIDs.length; i += 100) {
      const ids = req.paymentIDs.slice(i, i + 100);
      const page = await getAll<StoredPayment>(
        PaymentEntity,
        ids.map((paymentID) => ({ paymentID })),
      );
      const r = await takeAll(b, page);
      b = await progress(
        b,
        {
          progress: i + ids.length,
          count: b.count + r.count,
          total: b.total + r.total,
          skipped: (b.skipped ?? 0) + r.skipped + ids.length - page.length,
        },
        "assemble.progress",
      );
    }
  } else {
    const f = req.filter ?? {};
    const limit = f.limit ?? Number.MAX_SAFE_INTEGER;
    let cursor: string | null = null;
    do {
      const room = limit - b.count;
      if (room <= 0) break;
      const res: { data: StoredPayment[]; cursor: string | null } = await PaymentEntity.query
        .byStatus({ operationID: b.operationID, status: "approved", currency: b.currency })
        .where((a, { eq }) =>
          [
            eq(a.deleted, false),
            f.purpose ? eq(a.purpose, f.purpose) : "",
            f.period ? eq(a.period, f.period) : "",
            f.officeID ? eq(a.officeID, f.officeID) : "",
          ]
            .filter(Boolean)
            .join(" AND "),
        )
        .go({ cursor, limit: Math.min(1000, room) });
      const r = await takeAll(b, res.data.slice(0, room));
      if (r.count > 0 || r.skipped > 0)
        b = await progress(
          b,
          {
            progress: (b.progress ?? 0) + res.data.length,
            count: b.count + r.count,
            total: b.total + r.total,
            skipped: (b.skipped ?? 0) + r.skipped,
          },
          "assemble.progress",
        );
      cursor = res.cursor;
    } while (cursor);
  }
  return progress(b, { status: "draft" }, "assemble.done");
}
