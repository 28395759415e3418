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
