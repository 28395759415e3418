import { PaymentChanges, PaymentCreate, PaymentListQuery, type PaymentInfo } from "@waypoint/schema/payments";
import { type BulkRowResult } from "@waypoint/schema/bulk";
import type { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { batchGet } from "../common/batch-get.ts";
import { Cursor } from "../common/cursor.ts";
import { nowIso, transactWrite } from "../common/db.ts";
import { InvalidError, NotFoundError, RuleError } from "../common/errors.ts";
import { toFieldIssues } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { bulk, rowFailure, writeVersioned } from "../common/record.ts";
import { BatchEntity } from "../batch/batch.entity.ts";
import { PayeeEntity } from "../payee/payee.entity.ts";
import { minorDigits } from "./money.ts";
import { PaymentEntity, unbatched } from "./payment.entity.ts";
import { getFields, putAll } from "./write.ts";

export type StoredPayment = NonNullable<
  Awaited<ReturnType<ReturnType<typeof PaymentEntity.get>["go"]>>["data"]
>;
type Payee = NonNullable<Awaited<ReturnType<ReturnType<typeof PayeeEntity.get>["go"]>>["data"]>;

/** Editable states; once a payment is in a batch only the batch moves it. */
const EDITABLE = ["draft", "approved"];

export namespace Payment {
  export function present(p: StoredPayment): PaymentInfo {
    const { deleted: _d, ...rest } = p;
    return rest as PaymentInfo;
  }

  export async function load(paymentID: string): Promise<StoredPayment> {
    const p = (await PaymentEntity.get({ paymentID }).go()).data;
    if (!p || p.deleted || p.operationID !== Actor.operationID())
      throw new NotFoundError("payment", paymentID);
    return p;
  }

  export async function get(paymentID: string): Promise<PaymentInfo> {
    const p = await load(paymentID);
    Actor.assert("payment.read", p);
    return { ...present(p), ...(await payeeNames([p.payeeID])).get(p.payeeID) };
  }

  /** What creating a payment needs to know of its payee. */
  export type PayeeRef = Pick<Payee, "payeeID" | "operationID" | "officeID" | "active" | "deleted">;

  /** Payees by ID, only those of the current operation that are active. */
  export async function payees(ids: string[]): Promise<Map<string, PayeeRef>> {
    const operationID = Actor.operationID();
    const unique = [...new Set(ids)];
    const found = await getFields<PayeeRef>(
      PayeeEntity,
      unique.map((payeeID) => ({ payeeID })),
      ["payeeID", "operationID", "officeID", "active", "deleted"],
    );
    return new Map(
      found.filter((p) => p.operationID === operationID && !p.deleted).map((p) => [p.payeeID, p]),
    );
  }

  export function build(input: z.output<typeof PaymentCreate>, operationID: string, now: string) {
    return {
      ...input,
      paymentID: Identifier.create("payment"),
      operationID,
      attempt: 1,
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
      deleted: false,
    };
  }

  function check(row: unknown, index: number, payees: Map<string, PayeeRef>) {
    const p = PaymentCreate.safeParse(row);
    if (!p.success) throw new InvalidError(toFieldIssues(p.error, `rows.${index}.values`));
    minorDigits(p.data.currency, `rows.${index}.values.currency`);
    const payee = payees.get(p.data.payeeID);
    if (!payee || !payee.active)
      throw InvalidError.field(
        `rows.${index}.values.payeeID`,
        "invalid.payee",
        "No active payee with this ID",
      );
    // Who may direct money is decided by where the money goes (the payee's office), never by an office the
    // caller names: otherwise a supervisor of one office could pay the payees of another.
    if (payee.officeID && p.data.officeID && p.data.officeID !== payee.officeID)
      throw InvalidError.field(
        `rows.${index}.values.officeID`,
        "invalid.office",
        "A payment belongs to its payee's office",
      );
    const officeID = payee.officeID ?? p.data.officeID;
    Actor.assert("payment.create", { operationID: payee.operationID, officeID: payee.officeID });
    return { ...p.data, officeID };
  }

  /** Writes new payments with one audit event per 1,000, each written before the first of its payments is. */
  async function writeAudited(items: ReturnType<typeof build>[], operationID: string): Promise<void> {
    // A crash mid-way leaves an audit trail listing payments that may not exist, never payments without one.
    const audits = new Map<number, Promise<void>>();
    const audit = (index: number) => {
      const k = Math.floor(index / 1000);
      let a = audits.get(k);
      if (!a) {
        const paymentIDs = items.slice(k * 1000, k * 1000 + 1000).map((c) => c.paymentID);
        a = Audit.record({
          recordID: operationID,
          recordType: "payment",
          action: "create.bulk",
          operationID,
          changes: { paymentIDs: { after: paymentIDs } },
        });
        audits.set(k, a);
      }
      return a;
    };
    await putAll(PaymentEntity, items, 8, audit, (item) =>
      unbatched(PaymentEntity.put(item as never).params()),
    );
  }

  const CHUNK = 2000;

  /**
   * Creates many payments: every row validated (payee exists and is active, currency is ISO 4217, amount is an
   * integer), valid rows written with batch writes, one audit event per 1,000 listing the IDs. Row results use
   * the bulk wire shape, so a grid can mark the failing cells. Rows go in chunks: the payees of the next chunk
   * are read while the current one is written.
   */
  export async function createMany(
    rows: { ref?: string; values: unknown }[],
  ): Promise<{ results: BulkRowResult[]; summary: Record<string, number> }> {
    const operationID = Actor.operationID();
    const now = nowIso();
    const read = (from: number) =>
      payees(
        rows
          .slice(from, from + CHUNK)
          .map((r) => String((r.values as { payeeID?: unknown } | null)?.payeeID ?? ""))
          .filter(Boolean),
      );
    const results: BulkRowResult[] = [];
    let reading = read(0);
    let writing: Promise<void> = Promise.resolve();
    for (let from = 0; from < rows.length; from += CHUNK) {
      const payeeMap = await reading;
      if (from + CHUNK < rows.length) reading = read(from + CHUNK);
      reading.catch(() => undefined); // awaited next round; a failure then must not be an unhandled rejection first
      const items: ReturnType<typeof build>[] = [];
      rows.slice(from, from + CHUNK).forEach((row, j) => {
        try {
          const item = build(check(row.values, from + j, payeeMap), operationID, now);
          items.push(item);
          const record = present(item as StoredPayment);
          results.push({ ref: row.ref, id: item.paymentID, status: "created", version: 1, record });
        } catch (err) {
          results.push(rowFailure(err, undefined, row.ref));
        }
      });
      await writing;
      writing = writeAudited(items, operationID);
      writing.catch(() => undefined); // awaited next round, as above
    }
    await writing;
    const summary: Record<string, number> = {};
    for (const r of results) summary[r.status] = (summary[r.status] ?? 0) + 1;
    return { results, summary };
  }

  export async function create(input: PaymentCreate): Promise<PaymentInfo> {
    const res = await createMany([{ values: input }]);
    const r = res.results[0]!;
    if (r.status === "created") return r.record as PaymentInfo;
    if (r.status === "invalid")
      throw new InvalidError(
        r.issues.map((i) => ({ ...i, path: i.path.replace(/^rows\.0\.values\.?/, "") })),
      );
    if (r.status === "forbidden") throw new RuleError("payment.forbidden", r.message);
    throw new InvalidError([{ path: "", code: "invalid.row", message: r.status }]);
  }

  /**
   * Edits a draft or approved payment. Amount, currency and purpose are frozen once a batch holds the payment;
   * cancelling is allowed only before that too (a batch is cancelled as a whole).
   */
  export async function update(
    paymentID: string,
    version: number,
    raw: z.input<typeof PaymentChanges>,
  ): Promise<PaymentInfo> {
    const parsed = PaymentChanges.safeParse(raw);
    if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error, "changes"));
    const cur = await load(paymentID);
    Actor.assert("payment.update", cur);
    if (!EDITABLE.includes(cur.status))
      throw new RuleError("payment.locked", `A payment in status ${cur.status} cannot be edited`);
    const changes = parsed.data;
    // A cash-for-protection request is decided on its case (request.ts): here it may only be cancelled or noted,
    // so nobody approves it around the supervisor or changes what the supervisor approved.
    if (cur.request) {
      if (changes.status === "approved" && cur.status !== "approved")
        throw new RuleError(
          "cashRequest.approveOnCase",
          "A cash-for-protection request is approved by a supervisor on its case",
        );
      const changed = (["amount", "currency", "purpose", "period"] as const).filter(
        (k) => changes[k] !== undefined && changes[k] !== cur[k],
      );
      if (changed.length)
        throw InvalidError.field(
          `changes.${changed[0]}`,
          "cashRequest.locked",
          "What a cash-for-protection request asks for cannot be changed; decline it and ask again",
        );
    }
    if (changes.currency) minorDigits(changes.currency, "changes.currency");
    const set: Record<string, unknown> = { ...changes };
    // byStatus is keyed on operation, status and currency: ElectroDB rebuilds that key from all three.
    set.operationID = cur.operationID;
    set.status = changes.status ?? cur.status;
    set.currency = changes.currency ?? cur.currency;
    const res = await writeVersioned(
      {
        entity: PaymentEntity,
        key: { paymentID },
        expectedVersion: version,
        set,
        audit: {
          recordID: paymentID,
          recordType: "payment",
          action: "update",
          operationID: cur.operationID,
          officeID: cur.officeID,
          changes: Audit.diff(cur as Record<string, unknown>, { ...cur, ...changes }, Object.keys(changes)),
        },
      },
      () =>
        PaymentEntity.get({ paymentID })
          .go()
          .then((r) => r.data),
    );
    return present({ ...cur, ...set, ...res } as StoredPayment);
  }

  export async function bulkPatch(rows: { id: string; version: number; changes: unknown }[]) {
    return bulk(rows, async (row): Promise<BulkRowResult> => {
      const p = await update(row.id, row.version, row.changes as z.input<typeof PaymentChanges>);
      return { id: row.id, status: "saved", version: p.version, record: p };
    });
  }

  /**
   * A failed payment goes back to `approved` with the next attempt number, so the next export carries a new
   * end-to-end id and the bank does not treat it as a duplicate of the failed instruction.
   */
  export async function retry(paymentID: string, version: number): Promise<PaymentInfo> {
    const cur = await load(paymentID);
    Actor.assert("payment.update", cur);
    if (cur.status !== "failed")
      throw new RuleError("payment.notFailed", "Only a failed payment can be retried");
    const set = {
      status: "approved",
      attempt: cur.attempt + 1,
      operationID: cur.operationID,
      currency: cur.currency,
    };
    const res = await writeVersioned(
      {
        entity: PaymentEntity,
        key: { paymentID },
        expectedVersion: version,
        set,
        remove: ["endToEndId", "flag"],
        audit: {
          recordID: paymentID,
          recordType: "payment",
          action: "retry",
          operationID: cur.operationID,
          changes: { attempt: { before: cur.attempt, after: cur.attempt + 1 } },
        },
      },
      () =>
        PaymentEntity.get({ paymentID })
          .go()
          .then((r) => r.data),
    );
    return present({ ...cur, ...set, ...res, endToEndId: undefined, flag: undefined } as StoredPayment);
  }

  export async function list(input: z.input<typeof PaymentListQuery>) {
    const q = PaymentListQuery.parse(input);
    const operationID = Actor.operationID();
    // Office-scoped roles (a supervisor) see their offices' payments (filtered below); finance roles all.
    Actor.assert("payment.read");
    const scope = `payments:${operationID}:${q.status ?? ""}:${q.batchID ?? ""}:${q.payeeID ?? ""}:${q.currency ?? ""}:${q.purpose ?? ""}:${q.caseID ?? ""}`;
    const cursor = Cursor.verify(q.cursor, scope);
    const where = (a: Record<string, unknown>, ops: { eq: (x: unknown, v: unknown) => string }) => {
      const parts = [ops.eq(a.operationID, operationID)];
      if (q.status) parts.push(ops.eq(a.status, q.status));
      if (q.currency) parts.push(ops.eq(a.currency, q.currency));
      if (q.purpose) parts.push(ops.eq(a.purpose, q.purpose));
      if (q.caseID) parts.push(ops.eq(a.caseID, q.caseID));
      return parts.join(" AND ");
    };
    const opts = { limit: q.limit, cursor };
    const res = q.batchID
      ? await PaymentEntity.query
          .byBatch({ batchID: q.batchID })
          .where(where as never)
          .go(opts)
      : q.payeeID
        ? await PaymentEntity.query
            .byPayee({ payeeID: q.payeeID })
            .where(where as never)
            .go(opts)
        : q.status && q.currency
          ? await PaymentEntity.query
              .byStatus({ operationID, status: q.status, currency: q.currency })
              .where(where as never)
              .go(opts)
          : await PaymentEntity.query
              .byOperation({ operationID })
              .where(where as never)
              .go(opts);
    const items = res.data.filter((p) => !p.deleted && Actor.can("payment.read", p)).map(present);
    const [statusOf, names] = await Promise.all([
      batchStatuses(items.map((p) => p.batchID)),
      payeeNames(items.map((p) => p.payeeID)),
    ]);
    return {
      items: items.map((p) => {
        const named = { ...p, ...names.get(p.payeeID) };
        return p.batchID && statusOf.has(p.batchID)
          ? { ...named, batchStatus: statusOf.get(p.batchID) }
          : named;
      }),
      nextCursor: Cursor.sign(res.cursor, scope),
    };
  }

  /**
   * Who each payment of a page pays, by name: whoever may read a payment reads whom it pays, also when the payee
   * itself is outside what they may open (a supplier of no office paid for an office's return), so a list never
   * shows an ID or asks for a payee record the reader may not read. Names only, never the account.
   */
  async function payeeNames(payeeIDs: string[]) {
    const ids = [...new Set(payeeIDs)];
    if (!ids.length) return new Map<string, { payeeName: string; payeeReadable: boolean }>();
    const operationID = Actor.operationID();
    const found = await batchGet<{
      payeeID: string;
      name: string;
      operationID: string;
      officeID?: string;
      createdBy?: string;
    }>(
      PayeeEntity,
      ids.map((payeeID) => ({ payeeID })),
      { attributes: ["payeeID", "name", "operationID", "officeID", "createdBy"] },
    );
    return new Map(
      found
        .filter((p) => p.operationID === operationID)
        .map((p) => [p.payeeID, { payeeName: p.name, payeeReadable: Actor.can("payee.read", p) }]),
    );
  }

  /**
   * The status of each batch a page of payments is in (a page holds a few batches; one batch read). A payment stays
   * `in_batch` until the FSP's status file settles it; its batch says whether its file was already exported.
   */
  async function batchStatuses(batchIDs: (string | undefined)[]) {
    const ids = [...new Set(batchIDs.filter((b): b is string => Boolean(b)))];
    if (!ids.length) return new Map<string, PaymentInfo["batchStatus"]>();
    const found = await batchGet<{ batchID: string; status: string }>(
      BatchEntity,
      ids.map((batchID) => ({ batchID })),
      { attributes: ["batchID", "status"] },
    );
    return new Map(found.map((b) => [b.batchID, b.status as PaymentInfo["batchStatus"]]));
  }
}

export { PaymentEntity };
