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

/** End-to-end id for one payment attempt: `PAY-<ULID>-<attempt>`, ≤ 35 characters, ISO 20022 safe. */
export function endToEndId(paymentID: string, attempt: number): string {
  return `PAY-${paymentID.slice(4)}-${attempt}`;
}

/** The payment an end-to-end id names, whatever the attempt. */
export function paymentIDOf(e2e: string): { paymentID: string; attempt: number } | undefined {
  const m = /^PAY-([0-9A-HJKMNP-TV-Z]{26})-(\d{1,9})$/.exec(e2e.trim());
  return m ? { paymentID: `pay_${m[1]}`, attempt: Number(m[2]) } : undefined;
}
