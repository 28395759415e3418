import { BatchGetCommand, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { mapLimit } from "../common/concurrency.ts";
import { retryUnprocessed } from "../common/batch-get.ts";
import { documentClient } from "../dynamo.ts";
import { PaymentEntity } from "../payment/payment.entity.ts";
import type { StoredPayment } from "../payment/index.ts";

/**
 * The payments a batch holds, page by page from the byBatch index (bounded memory for any batch size). A payment
 * released by a cancelled batch keeps its last batchID until another batch takes it; `status` tells them apart.
 */
export async function* members(
  batchID: string,
  statuses: string[] = ["in_batch", "paid", "failed"],
  pageSize = 1000,
  fields?: Extract<keyof StoredPayment, string>[],
): AsyncGenerator<StoredPayment[]> {
  // ElectroDB builds the query (keys, entity filter); the document client runs it, skipping ElectroDB's
  // per-item formatting, which dominates CPU when exporting a hundred thousand rows on a small machine.
  const params = project(
    PaymentEntity.query.byBatch({ batchID }).params({ limit: pageSize }) as QueryCommandInput,
    fields && ["status", "batchID", ...fields],
  );
  let start: QueryCommandInput["ExclusiveStartKey"];
  do {
    const res = await documentClient().send(new QueryCommand({ ...params, ExclusiveStartKey: start }));
    const page = ((res.Items ?? []) as StoredPayment[]).filter(
      (p) => statuses.includes(p.status) && p.batchID === batchID,
    );
    if (page.length) yield page;
    start = res.LastEvaluatedKey;
  } while (start);
}

/** Reads only `fields` (and whatever the query's own expressions need), when given. */
export function project(params: QueryCommandInput, fields?: string[]): QueryCommandInput {
  if (!fields) return params;
  const names: Record<string, string> = { ...params.ExpressionAttributeNames };
  const projection = [...new Set(fields)].map((f, i) => {
    names[`#p${i}`] = f;
    return `#p${i}`;
  });
  return { ...params, ProjectionExpression: projection.join(", "), ExpressionAttributeNames: names };
}

/**
 * Records by primary key with the document client (100 per request, 4 in flight), retrying unprocessed keys;
 * only `fields` of them when given.
 */
export async function getRaw<T>(
  keys: Record<string, unknown>[],
  table: string,
  fields?: string[],
): Promise<T[]> {
  const names = fields && Object.fromEntries(fields.map((f, i) => [`#f${i}`, f]));
  const projection = names && {
    ProjectionExpression: Object.keys(names).join(", "),
    ExpressionAttributeNames: names,
  };
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < keys.length; i += 100) chunks.push(keys.slice(i, i + 100));
  const pages = await mapLimit(chunks, 4, (chunk) =>
    retryUnprocessed(chunk, async (pending) => {
      const res = await documentClient().send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ...projection } } }),
      );
      return {
        items: (res.Responses?.[table] ?? []) as T[],
        unprocessed: (res.UnprocessedKeys?.[table]?.Keys ?? []) as Record<string, unknown>[],
      };
    }),
  );
  return pages.flat();
}

/** The same pages through ElectroDB (kept for callers that want its formatting). */
export async function* membersFormatted(
  batchID: string,
  statuses: string[] = ["in_batch", "paid", "failed"],
  pageSize = 1000,
): AsyncGenerator<StoredPayment[]> {
  let cursor: string | null = null;
  do {
    const res: { data: StoredPayment[]; cursor: string | null } = await PaymentEntity.query
      .byBatch({ batchID })
      .go({ cursor, limit: pageSize });
    const page = res.data.filter((p) => statuses.includes(p.status) && p.batchID === batchID);
    if (page.length) yield page;
    cursor = res.cursor;
  } while (cursor);
}

/**
 * Maps each page while the next one is already being read, so reading the table and writing a file overlap
 * (one page in flight, one being consumed: memory stays two pages).
 */
export async function* prefetch<T, U>(
  pages: AsyncGenerator<T>,
  map: (page: T) => Promise<U>,
): AsyncGenerator<U> {
  const pull = () => pages.next().then(async (r) => (r.done ? undefined : { value: await map(r.value) }));
  let next = pull();
  for (;;) {
    const r = await next;
    if (!r) return;
    next = pull();
    yield r.value;
  }
}

/** End-to-end id for one payment attempt: `PAY-<ULID>-<attempt>`, ≤ 35 characters, ISO 20022 safe. */
export function endToEndId(paymentID: string, attempt: number): string {
  return `PAY-${paymentID.slice(4)}-${attempt}`;
}

/** The payment an end-to-end id names, whatever the attempt. */
export function paymentIDOf(e2e: string): { paymentID: string; attempt: number } | undefined {
  const m = /^PAY-([0-9A-HJKMNP-TV-Z]{26})-(\d{1,9})$/.exec(e2e.trim());
  return m ? { paymentID: `pay_${m[1]}`, attempt: Number(m[2]) } : undefined;
}
