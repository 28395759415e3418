import { BatchAction, BatchCreate, BatchListQuery, type BatchInfo } from "@waypoint/schema/payments";
import type { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { mapLimit } from "../common/concurrency.ts";
import { Cursor } from "../common/cursor.ts";
import { nowIso, transactWrite, type TxItem } from "../common/db.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError, RuleError } from "../common/errors.ts";
import { toFieldIssues } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { writeVersioned } from "../common/record.ts";
import { Unique } from "../common/unique.ts";
import { FspProfile } from "../fsp/index.ts";
import { Operation } from "../operation/index.ts";
import { PaymentEntity } from "../payment/payment.entity.ts";
import { minorDigits } from "../payment/money.ts";
import { assemble, precheck, type StoredBatch } from "./assemble.ts";
import { BatchCounterEntity, BatchEntity } from "./batch.entity.ts";
import { members } from "./members.ts";
import { PaymentSettings } from "./settings.ts";

const CANCELLABLE = ["assembling", "draft", "submitted", "approved", "cancelled"];

export namespace Batch {
  export type Stored = StoredBatch;

  export function present(b: StoredBatch): BatchInfo {
    const { request: _r, progress: _p, ...rest } = b;
    return rest as unknown as BatchInfo;
  }

  export async function load(batchID: string): Promise<StoredBatch> {
    const b = (await BatchEntity.get({ batchID }).go()).data;
    if (!b || b.operationID !== Actor.operationID()) throw new NotFoundError("batch", batchID);
    return b;
  }

  export async function get(batchID: string): Promise<BatchInfo> {
    const b = await load(batchID);
    Actor.assert("batch.read", b);
    return present(b);
  }

  async function nextNumber(operationID: string): Promise<string> {
    const op = await Operation.get(operationID);
    const year = new Date().toISOString().slice(2, 4);
    const res = await BatchCounterEntity.update({ operationID, year })
      .add({ value: 1 })
      .go({ response: "all_new" });
    return `${op.code}-PB-${year}-${String(res.data.value).padStart(6, "0")}`;
  }

  function change(
    b: StoredBatch,
    expected: number | undefined,
    set: Record<string, unknown>,
    action: string,
    extra: Partial<Audit.Event> = {},
    withItems: TxItem[] = [],
  ) {
    return writeVersioned(
      {
        entity: BatchEntity,
        key: { batchID: b.batchID },
        expectedVersion: expected ?? b.version,
        set,
        audit: { recordID: b.batchID, recordType: "batch", action, operationID: b.operationID, ...extra },
        with: withItems,
      },
      () =>
        BatchEntity.get({ batchID: b.batchID })
          .go()
          .then((r) => r.data),
    ).then((res) => ({ ...b, ...set, ...res }) as StoredBatch);
  }

  /**
   * Creates a batch for one FSP profile and currency from payment IDs or a filter, then assembles it (see
   * assemble.ts). The batch exists as `assembling` before any payment is touched, so an interrupted creation
   * is visible and resumable (`resume`).
   */
  export async function create(raw: BatchCreate): Promise<BatchInfo> {
    const parsed = BatchCreate.safeParse(raw);
    if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error));
    const input = parsed.data;
    const operationID = Actor.operationID();
    Actor.assert("batch.create", { operationID });
    minorDigits(input.currency);
    const fsp = await FspProfile.get(input.fspProfileID);
    if (fsp.currency !== input.currency)
      throw InvalidError.field("currency", "invalid.currency", `The FSP profile pays in ${fsp.currency}`);
    const request = input.paymentIDs
      ? { paymentIDs: [...new Set(input.paymentIDs)] }
      : { filter: input.filter };
    await precheck({ operationID, currency: input.currency, fspProfileID: fsp.fspProfileID }, request);
    const now = nowIso();
    const batchNumber = await nextNumber(operationID);
    const item = {
      batchID: Identifier.create("batch"),
      batchNumber,
      operationID,
      fspProfileID: fsp.fspProfileID,
      currency: input.currency,
      name: input.name,
      status: "assembling",
      count: 0,
      total: 0,
      skipped: 0,
      progress: 0,
      request,
      approvalsRequired: 1,
      approvals: [],
      flaggedCount: 0,
      paidCount: 0,
      failedCount: 0,
      executionDate: input.executionDate,
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    const tx = await transactWrite([
      { put: BatchEntity.create(item).params() },
      Unique.claim("batchNumber", `${operationID}:${batchNumber}`, item.batchID),
      Audit.txItem({ recordID: item.batchID, recordType: "batch", action: "create", operationID }),
    ]);
    if (!tx.ok)
      throw new ConflictError("The batch number is taken; try again", undefined, "conflict.constraint");
    return present(await assemble(item as StoredBatch));
  }

  /** Finishes an assembly that was interrupted (idempotent). */
  export async function resume(batchID: string): Promise<BatchInfo> {
    const b = await load(batchID);
    Actor.assert("batch.create", b);
    return present(await assemble(b, { recount: true }));
  }

  /** Counts the members now: the figures the approvers approve and the export must match. */
  export async function totals(batchID: string): Promise<{ count: number; total: number }> {
    let count = 0;
    let total = 0;
    for await (const page of members(batchID, ["in_batch"], 1000, ["amount"])) {
      count += page.length;
      for (const p of page) total += p.amount;
    }
    return { count, total };
  }

  /** Freezes count and sum, and decides how many approvals the total needs. */
  export async function submit(batchID: string, raw: z.input<typeof BatchAction> = {}): Promise<BatchInfo> {
    const a = BatchAction.parse(raw);
    const b = await load(batchID);
    Actor.assert("batch.submit", b);
    if (b.status !== "draft")
      throw new RuleError("batch.notDraft", `A ${b.status} batch cannot be submitted`);
    const t = await totals(batchID);
    if (t.count === 0) throw new RuleError("batch.empty", "The batch holds no payments");
    const levels = await PaymentSettings.levels(b.operationID);
    const approvalsRequired = PaymentSettings.required(levels, b.currency, t.total);
    const set = {
      status: "submitted",
      count: t.count,
      total: t.total,
      approvalsRequired,
      submittedBy: Actor.id(),
      timeSubmitted: nowIso(),
    };
    return present(
      await change(b, a.version, set, "submit", {
        reason: a.note,
        changes: { count: { after: t.count }, total: { after: t.total } },
      }),
    );
  }

  /**
   * Four eyes: approvals come from distinct people, never from whoever created or submitted the batch, and
   * the batch is approved when the number its total requires is reached.
   */
  export async function approve(batchID: string, raw: z.input<typeof BatchAction> = {}): Promise<BatchInfo> {
    const a = BatchAction.parse(raw);
    const b = await load(batchID);
    Actor.assert("batch.approve", b);
    const me = Actor.id();
    if (b.createdBy === me || b.submittedBy === me)
      throw new ForbiddenError("batch.approve.own", "The creator or submitter of a batch cannot approve it");
    if (((b.accountChangedBy as string[] | undefined) ?? []).includes(me))
      throw new ForbiddenError(
        "batch.approve.accountChanger",
        "You changed the bank or mobile-money details of a payee in this batch, so someone else must approve it",
      );
    if (b.status !== "submitted")
      throw new RuleError("batch.notSubmitted", `A ${b.status} batch cannot be approved`);
    const approvals = (b.approvals as { userID: string; time: string; note?: string }[]) ?? [];
    if (approvals.some((x) => x.userID === me))
      throw new RuleError("batch.alreadyApproved", "You already approved this batch");
    const next = [...approvals, { userID: me, time: nowIso(), note: a.note }];
    const status = next.length >= b.approvalsRequired ? "approved" : "submitted";
    const set = { approvals: next, status, ...(status === "approved" ? { timeApproved: nowIso() } : {}) };
    return present(await change(b, a.version, set, "approve", { reason: a.note }));
  }

  /** Before export only: the batch is cancelled first, then its payments are released (resumable by calling again). */
  export async function cancel(batchID: string, raw: z.input<typeof BatchAction> = {}): Promise<BatchInfo> {
    const a = BatchAction.parse(raw);
    let b = await load(batchID);
    Actor.assert("batch.cancel", b);
    if (!CANCELLABLE.includes(b.status))
      throw new RuleError("batch.notCancellable", `A ${b.status} batch can no longer be cancelled`);
    if (b.status !== "cancelled")
      b = await change(b, a.version, { status: "cancelled" }, "cancel", { reason: a.note });
    for await (const page of members(batchID, ["in_batch"])) {
      await mapLimit(page, 16, async (p) => {
        try {
          await PaymentEntity.patch({ paymentID: p.paymentID })
            .set({
              status: "approved",
              operationID: p.operationID,
              currency: p.currency,
              timeUpdated: nowIso(),
            })
            .add({ version: 1 })
            .where((x, { eq }) => `${eq(x.batchID, batchID)} AND ${eq(x.status, "in_batch")}`)
            .go({ response: "none" });
        } catch (err) {
          if ((err as { cause?: { name?: string } }).cause?.name !== "ConditionalCheckFailedException")
            throw err;
        }
      });
    }
    return present(b);
  }

  export async function close(batchID: string, raw: z.input<typeof BatchAction> = {}): Promise<BatchInfo> {
    const a = BatchAction.parse(raw);
    const b = await load(batchID);
    Actor.assert("batch.reconcile", b);
    if (b.status !== "reconciled")
      throw new RuleError("batch.notReconciled", "Only a reconciled batch can be closed");
    return present(await change(b, a.version, { status: "closed" }, "close", { reason: a.note }));
  }

  export async function list(input: z.input<typeof BatchListQuery>) {
    const q = BatchListQuery.parse(input);
    const operationID = Actor.operationID();
    Actor.assert("batch.read", { operationID });
    const scope = `batches:${operationID}:${q.status ?? ""}`;
    const res = await BatchEntity.query
      .byOperation({ operationID })
      .where((x, { eq }) => (q.status ? eq(x.status, String(q.status)) : ""))
      .go({ limit: q.limit, cursor: Cursor.verify(q.cursor, scope) });
    return { items: res.data.map(present), nextCursor: Cursor.sign(res.cursor, scope) };
  }

  /** Versioned, audited change of a batch (used by export, reconciliation and flags). */
  export const _change = change;
}

export { PaymentSettings } from "./settings.ts";
