import { UpdateItemCommand, type UpdateItemCommandInput } from "@aws-sdk/client-dynamodb";
import { QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { mapLimit } from "../common/concurrency.ts";
import { nowIso } from "../common/db.ts";
import { InvalidError } from "../common/errors.ts";
import { writeVersioned } from "../common/record.ts";
import { RequestTemplate } from "../common/template.ts";
import { documentClient, dynamoClient } from "../dynamo.ts";
import { PaymentEntity } from "../payment/payment.entity.ts";
import type { StoredPayment } from "../payment/index.ts";
import { getFields } from "../payment/write.ts";
import { BatchEntity } from "./batch.entity.ts";
import { endToEndId, members, project } from "./members.ts";

export type StoredBatch = NonNullable<Awaited<ReturnType<ReturnType<typeof BatchEntity.get>["go"]>>["data"]>;
const CONCURRENCY = 24;
/** What taking a payment needs to read of it. */
const FIELDS = [
  "paymentID",
  "operationID",
  "status",
  "currency",
  "deleted",
  "fspProfileID",
  "attempt",
  "amount",
  "batchID",
  "version",
];
type Candidate = Pick<
  StoredPayment,
  | "paymentID"
  | "operationID"
  | "status"
  | "currency"
  | "deleted"
  | "fspProfileID"
  | "attempt"
  | "amount"
  | "batchID"
  | "version"
>;

/**
 * Puts payments in one batch. "A payment is in at most one open batch" is one conditional write per payment:
 * it succeeds only while the payment is `approved` (not in any open batch) and still the version we read (so
 * neither an edit of its amount or currency nor a retry's new attempt is overwritten), so two batches racing
 * for it cannot both win: DynamoDB applies one write, the other's condition fails. A failed
 * condition where the payment already names this batch is our own earlier write (a resumed assembly).
 * ElectroDB builds that write once per batch (see common/template.ts); each payment only fills in its values.
 */
function taker(b: StoredBatch) {
  type V = { paymentID: string; endToEndId: string; version: number; timeUpdated: string };
  const template = new RequestTemplate<V>(
    (v) =>
      PaymentEntity.patch({ paymentID: v.paymentID })
        .set({
          status: "in_batch",
          batchID: b.batchID,
          endToEndId: v.endToEndId,
          operationID: b.operationID,
          currency: b.currency,
          timeUpdated: v.timeUpdated,
        })
        .remove(["flag"])
        .add({ version: 1 })
        .where(
          (a, { eq }) =>
            `${eq(a.status, "approved")} AND ${eq(a.version, v.version)} AND ${eq(a.operationID, b.operationID)}`,
        )
        .params(),
    { paymentID: "pay_", endToEndId: "PAY-", version: 1, timeUpdated: nowIso() },
  );
  return async (p: Candidate, timeUpdated: string): Promise<boolean> => {
    if (p.status === "in_batch" && p.batchID === b.batchID) return true;
    if (p.status !== "approved" || p.currency !== b.currency || p.deleted) return false;
    if (p.fspProfileID && p.fspProfileID !== b.fspProfileID) return false;
    const { paymentID, version } = p;
    const params = template.fill({
      paymentID,
      version,
      endToEndId: endToEndId(paymentID, p.attempt),
      timeUpdated,
    });
    try {
      await dynamoClient().send(new UpdateItemCommand(params as unknown as UpdateItemCommandInput));
      return true;
    } catch (err) {
      if ((err as Error).name !== "ConditionalCheckFailedException") throw err;
      const now = (await PaymentEntity.get({ paymentID }).go()).data;
      return now?.status === "in_batch" && now.batchID === b.batchID;
    }
  };
}

async function takeAll(
  take: ReturnType<typeof taker>,
  page: Candidate[],
): Promise<{ count: number; total: number; skipped: number }> {
  const timeUpdated = nowIso();
  const ok = await mapLimit(page, CONCURRENCY, (p) => take(p, timeUpdated));
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
 * resumes where it stopped, and the chunk that was in flight is recognised payment by payment (see `taker`).
 * A filter is re-run from the start on resume (the payments already taken have left the approved index), so
 * `recount` then counts the members from the batch index: a chunk taken just before the crash is not lost.
 */
export async function assemble(batch: StoredBatch, opts: { recount?: boolean } = {}): Promise<StoredBatch> {
  let b = batch;
  if (b.status !== "assembling") return b;
  const take = taker(b);
  const req = b.request as { paymentIDs?: string[]; filter?: Filter };
  if (req.paymentIDs) {
    for (let i = b.progress ?? 0; i < req.paymentIDs.length; i += 100) {
      const ids = req.paymentIDs.slice(i, i + 100);
      const page = await getFields<Candidate>(
        PaymentEntity,
        ids.map((paymentID) => ({ paymentID })),
        FIELDS,
      );
      const r = await takeAll(take, page);
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
    return progress(b, { status: "draft" }, "assemble.done");
  }
  b = await fromFilter(b, take, req.filter ?? {});
  if (!opts.recount) return progress(b, { status: "draft" }, "assemble.done");
  let count = 0;
  let total = 0;
  for await (const page of members(b.batchID, ["in_batch"], 1000, ["amount"])) {
    count += page.length;
    for (const p of page) total += p.amount;
  }
  return progress(b, { status: "draft", count, total }, "assemble.done");
}

type Filter = { purpose?: string; period?: string; officeID?: string; limit?: number };

/** Why a payment cannot join a batch, in words a finance officer can act on; undefined when it can. */
function whyNot(p: Candidate | undefined, b: Pick<StoredBatch, "operationID" | "currency" | "fspProfileID">) {
  if (!p || p.deleted || p.operationID !== b.operationID) return "No such payment in this operation";
  if (p.status === "in_batch") return "Already in another batch";
  if (p.status === "exported" || p.status === "paid") return "Already sent for payment";
  if (p.status !== "approved") return `Not approved (${p.status})`;
  if (p.currency !== b.currency) return `Paid in ${p.currency}, not ${b.currency}`;
  if (p.fspProfileID && p.fspProfileID !== b.fspProfileID) return "Set to be paid through another provider";
  return undefined;
}

/**
 * Before a batch exists: at least one of the requested payments can join it. A request where none can is
 * refused with the reason for each payment (a batch created empty only confuses the approvers).
 */
export async function precheck(
  b: Pick<StoredBatch, "operationID" | "currency" | "fspProfileID">,
  req: { paymentIDs?: string[]; filter?: Filter },
): Promise<void> {
  if (req.paymentIDs) {
    const found = new Map<string, Candidate>();
    for (let i = 0; i < req.paymentIDs.length; i += 100) {
      const ids = req.paymentIDs.slice(i, i + 100);
      for (const p of await getFields<Candidate>(
        PaymentEntity,
        ids.map((paymentID) => ({ paymentID })),
        FIELDS,
      ))
        found.set(p.paymentID, p);
    }
    const reasons = req.paymentIDs.map((id) => whyNot(found.get(id), b));
    if (reasons.some((r) => r === undefined)) return;
    throw new InvalidError(
      reasons.map((message, i) => ({ path: `paymentIDs.${i}`, code: "invalid.payment", message: message! })),
    );
  }
  const f = req.filter ?? {};
  const query = PaymentEntity.query
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
    );
  // stops at the first payment that can join: a large filter costs one short page, not a scan
  let cursor: string | null = null;
  do {
    const page: { data: { fspProfileID?: string }[]; cursor: string | null } = await query.go({
      cursor,
      limit: 1000,
      attributes: ["paymentID", "fspProfileID"],
    });
    if (page.data.some((p) => !p.fspProfileID || p.fspProfileID === b.fspProfileID)) return;
    cursor = page.cursor;
  } while (cursor);
  throw InvalidError.field(
    "filter",
    "invalid.empty",
    "No approved payment in this currency matches the filter: all are already in a batch, paid or not approved",
  );
}

/** Takes the approved payments a filter selects, 1,000 a page; the next page is read while this one is taken. */
async function fromFilter(
  batch: StoredBatch,
  take: ReturnType<typeof taker>,
  f: Filter,
): Promise<StoredBatch> {
  let b = batch;
  const limit = f.limit ?? Number.MAX_SAFE_INTEGER;
  const params = project(
    PaymentEntity.query
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
      .params() as QueryCommandInput,
    FIELDS,
  );
  const read = (start: QueryCommandInput["ExclusiveStartKey"], room: number) => {
    if (room <= 0) return undefined;
    const res = documentClient().send(
      new QueryCommand({ ...params, Limit: Math.min(1000, room), ExclusiveStartKey: start }),
    );
    res.catch(() => undefined); // awaited below; must not count as unhandled while a page is being taken
    return res;
  };
  let next = read(undefined, limit - b.count);
  while (next) {
    const res = await next;
    const room = limit - b.count;
    const page = ((res.Items ?? []) as Candidate[]).slice(0, room);
    next = res.LastEvaluatedKey ? read(res.LastEvaluatedKey, room - page.length) : undefined;
    const r = await takeAll(take, page);
    if (r.count > 0 || r.skipped > 0)
      b = await progress(
        b,
        {
          progress: (b.progress ?? 0) + (res.Items?.length ?? 0),
          count: b.count + r.count,
          total: b.total + r.total,
          skipped: (b.skipped ?? 0) + r.skipped,
        },
        "assemble.progress",
      );
    // some payments were taken by another batch meanwhile: there is room for more than was read ahead
    if (!next && res.LastEvaluatedKey) next = read(res.LastEvaluatedKey, limit - b.count);
  }
  return b;
}
