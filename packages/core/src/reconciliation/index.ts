import { createHash } from "node:crypto";
import {
  ReconciliationUpload,
  type PaymentChannel,
  type ReconciliationReport,
} from "@waypoint/schema/payments";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { mapLimit } from "../common/concurrency.ts";
import { nowIso, transactWrite } from "../common/db.ts";
import { ConflictError, InvalidError, RuleError } from "../common/errors.ts";
import { loadCsvParse } from "../common/lazy.ts";
import { toFieldIssues } from "../common/fn.ts";
import { Unique } from "../common/unique.ts";
import { Batch } from "../batch/index.ts";
import { members } from "../batch/members.ts";
import { ExportEntity } from "../export/export.entity.ts";
import { Job } from "../job/index.ts";
import { PAYMENT_MESSAGE_JOB } from "../message/jobs.ts";
import { PayeeEntity } from "../payee/payee.entity.ts";
import type { StoredPayment } from "../payment/index.ts";
import { parseMinor } from "../payment/money.ts";
import { PaymentEntity } from "../payment/payment.entity.ts";
import { getAll } from "../payment/write.ts";
import { outcomeOf, parsePain002, type BlockStatus } from "./pain002.ts";

type Row = ReconciliationReport["rows"][number];
interface Decision {
  line: number;
  reference: string;
  payment?: StoredPayment;
  outcome: Row["outcome"];
  reason?: string;
}

const PAID = /^(success|successful|paid|ok|completed|accp|acsc)$/i;
const FAILED = /^(failed|failure|error|rejected|fail|rjct)$/i;

async function csvDecisions(
  u: ReconciliationUpload & { matchOn: string; statusColumn: string; reasonColumn: string },
  find: (ref: string) => StoredPayment | undefined,
): Promise<Decision[]> {
  const { parse } = await loadCsvParse();
  const firstLine = u.content.slice(0, u.content.indexOf("\n") >>> 0 || undefined);
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ";" : ",";
  let records: Record<string, string>[];
  try {
    records = parse(u.content, {
      columns: true,
      delimiter,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
    });
  } catch {
    throw InvalidError.field("content", "invalid.csv", "The file is not readable CSV");
  }
  const defaults: Record<string, string[]> = {
    endToEndId: ["endToEndId", "reference", "referenceId", "EndToEndId"],
    paymentID: ["paymentID", "paymentId", "payment_id"],
    msisdn: ["msisdn", "phoneNumber", "phone", "MSISDN"],
  };
  const header = Object.keys(records[0] ?? {});
  const column = u.matchColumn ?? defaults[u.matchOn]!.find((c) => header.includes(c));
  if (!column || !header.includes(column))
    throw InvalidError.field(
      "matchColumn",
      "invalid.column",
      `The file has no column ${column ?? u.matchOn}`,
    );
  if (!header.includes(u.statusColumn))
    throw InvalidError.field("statusColumn", "invalid.column", `The file has no column ${u.statusColumn}`);
  return records.map((r, i) => {
    const reference = r[column] ?? "";
    const status = r[u.statusColumn] ?? "";
    const payment = find(reference);
    const outcome = PAID.test(status) ? "paid" : FAILED.test(status) ? "failed" : "invalid";
    return {
      line: i + 2,
      reference,
      payment,
      outcome: payment ? outcome : outcome === "invalid" ? "invalid" : "unmatched",
      reason: r[u.reasonColumn] || (outcome === "invalid" ? `unknown status ${status}` : undefined),
    };
  });
}

/** A PART block without per-transaction rows: if the counts leave exactly one status for the rest, it applies. */
function impliedStatus(b: BlockStatus, detailed: string[]): string | undefined {
  const left = b.perStatus
    .map((s) => ({ ...s, count: s.count - detailed.filter((d) => d === s.status).length }))
    .filter((s) => s.count > 0);
  return left.length === 1 ? left[0]!.status : undefined;
}

async function painDecisions(
  content: string,
  all: StoredPayment[],
  msgIds: Set<string>,
  pmtInfIds: Map<string, StoredPayment[]>,
  byE2E: Map<string, StoredPayment>,
): Promise<{ decisions: Decision[]; fileCount?: number; fileTotal?: string[] }> {
  const rpt = await parsePain002(content);
  const decisions: Decision[] = [];
  let line = 0;
  const mine = rpt.messageId !== undefined && msgIds.has(rpt.messageId);
  const decide = (
    p: StoredPayment,
    status: string | undefined,
    reason: string | undefined,
    reference: string,
  ) => {
    const o = outcomeOf(status);
    decisions.push({
      line: ++line,
      reference,
      payment: p,
      outcome: o === "paid" || o === "failed" || o === "acknowledged" ? o : "acknowledged",
      reason: o === "partial" || !o ? `status ${status ?? "missing"}` : reason,
    });
  };
  if (!mine && rpt.blocks.every((b) => !pmtInfIds.has(b.pmtInfId ?? ""))) {
    return {
      decisions: [
        {
          line: 1,
          reference: rpt.messageId ?? "(no OrgnlMsgId)",
          outcome: "unmatched",
          reason: "The report is about another message",
        },
      ],
    };
  }
  if (rpt.blocks.length === 0) {
    for (const p of all) decide(p, rpt.groupStatus, rpt.groupReason, rpt.messageId!);
  }
  for (const b of rpt.blocks) {
    const inBlock = pmtInfIds.get(b.pmtInfId ?? "");
    if (!inBlock) {
      decisions.push({
        line: ++line,
        reference: b.pmtInfId ?? "(no OrgnlPmtInfId)",
        outcome: "unmatched",
        reason: "Unknown payment information id",
      });
      continue;
    }
    const seen = new Set<string>();
    const detailed: string[] = [];
    for (const t of b.txs) {
      const ref = t.endToEndId ?? t.instrId;
      if (!ref) continue;
      const p = byE2E.get(ref) ?? (t.instrId ? byE2E.get(t.instrId) : undefined);
      const status = t.status ?? b.status ?? rpt.groupStatus;
      detailed.push(status ?? "");
      if (!p) {
        decisions.push({
          line: ++line,
          reference: ref,
          outcome: "unmatched",
          reason: "No payment with this end-to-end id in the batch",
        });
        continue;
      }
      seen.add(p.paymentID);
      decide(p, status, t.reason ?? b.reason ?? rpt.groupReason, ref);
    }
    const rest = inBlock.filter((p) => !seen.has(p.paymentID));
    const blockStatus = b.status ?? rpt.groupStatus;
    const status =
      outcomeOf(blockStatus) === "partial" ? (impliedStatus(b, detailed) ?? blockStatus) : blockStatus;
    for (const p of rest) decide(p, status, b.reason ?? rpt.groupReason, p.endToEndId ?? p.paymentID);
  }
  return {
    decisions,
    fileCount: rpt.nbOfTxs ? Number(rpt.nbOfTxs) : undefined,
    fileTotal: rpt.blocks
      .map((b) => b.ctrlSum ?? "")
      .filter(Boolean)
      .concat(rpt.blocks.length ? [] : [rpt.ctrlSum ?? ""].filter(Boolean)),
  };
}

export namespace Reconciliation {
  /**
   * Applies an FSP's status file to an exported batch, row by row. Each paid or failed outcome is one
   * transaction: the payment's move (conditional on still being `in_batch` or `exported` in this batch with that attempt)
   * plus a unique claim on payment + attempt, so no payment is reconciled twice and replaying a file (or a
   * second file about the same payments) changes nothing. Control totals of the file are compared with the
   * batch's frozen totals and reported.
   */
  export async function importFile(
    batchID: string,
    raw: ReconciliationUpload,
  ): Promise<ReconciliationReport> {
    const parsed = ReconciliationUpload.safeParse(raw);
    if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error));
    const u = parsed.data;
    const batch = await Batch.load(batchID);
    Actor.assert("batch.reconcile", batch);
    if (!["exported", "reconciled", "closed"].includes(batch.status))
      throw new RuleError("batch.notExported", `A ${batch.status} batch has no file to reconcile`);
    const all: StoredPayment[] = [];
    for await (const page of members(batchID, ["in_batch", "exported", "paid", "failed"])) all.push(...page);
    const byE2E = new Map(all.map((p) => [p.endToEndId ?? "", p]));
    const byID = new Map(all.map((p) => [p.paymentID, p]));
    const exports = (await ExportEntity.query.byBatch({ batchID }).go({ pages: "all" })).data;
    let decisions: Decision[];
    let fileCount: number | undefined;
    let fileTotal: number | undefined;
    if (u.format === "csv") {
      let find = (ref: string) => (u.matchOn === "paymentID" ? byID.get(ref) : byE2E.get(ref));
      if (u.matchOn === "msisdn") {
        const payees = await getAll<{ payeeID: string; channel: PaymentChannel }>(
          PayeeEntity,
          [...new Set(all.map((p) => p.payeeID))].map((payeeID) => ({ payeeID })),
        );
        // A phone number identifies a payment only when it is a real number, held by one payee, who has one
        // payment in this batch: an empty cell, a shared number or a payee paid twice is left unmatched (for
        // review) rather than marking the wrong payment paid.
        const digits = (s: string | undefined) => (s ?? "").replace(/\D/g, "");
        const usable = (d: string) => d.length >= 7 && /^\+?[\d\s().-]+$/.test(d);
        const holders = new Map<string, string[]>();
        for (const p of payees) {
          const d = digits(p.channel.msisdn);
          if (usable(d)) holders.set(d, [...(holders.get(d) ?? []), p.payeeID]);
        }
        const byPayee = new Map<string, StoredPayment[]>();
        for (const p of all) byPayee.set(p.payeeID, [...(byPayee.get(p.payeeID) ?? []), p]);
        find = (ref) => {
          if (!/^\s*\+?[\d\s().-]+\s*$/.test(ref)) return undefined;
          const owners = holders.get(digits(ref));
          if (owners?.length !== 1) return undefined;
          const payments = byPayee.get(owners[0]!) ?? [];
          return payments.length === 1 ? payments[0] : undefined;
        };
      }
      decisions = await csvDecisions(u, find);
      fileCount = decisions.length;
      const matched = decisions.filter((d) => d.payment);
      fileTotal =
        matched.length === decisions.length ? matched.reduce((s, d) => s + d.payment!.amount, 0) : undefined;
    } else {
      const pmtInfIds = new Map(exports.map((e) => [e.pmtInfId, all]));
      const r = await painDecisions(
        u.content,
        all,
        new Set(exports.map((e) => e.messageId)),
        pmtInfIds,
        byE2E,
      );
      decisions = r.decisions;
      fileCount = r.fileCount;
      const sums = (r.fileTotal ?? []).map((s) => parseMinor(s, batch.currency));
      fileTotal =
        sums.length && sums.every((s) => s !== undefined) ? sums.reduce((a, b) => a! + b!, 0) : undefined;
    }
    const rows: Row[] = await mapLimit(decisions, 16, async (d) => apply(batch, d));
    const summary: Record<string, number> = {};
    for (const r of rows) summary[r.outcome] = (summary[r.outcome] ?? 0) + 1;
    const updated: StoredPayment[] = [];
    for await (const page of members(batchID, ["in_batch", "exported", "paid", "failed"]))
      updated.push(...page);
    const paidCount = updated.filter((p) => p.status === "paid").length;
    const failedCount = updated.filter((p) => p.status === "failed").length;
    let status = batch.status;
    if (paidCount !== batch.paidCount || failedCount !== batch.failedCount) {
      if (status === "exported" && paidCount + failedCount >= batch.count) status = "reconciled";
      await Batch._change(batch, batch.version, { paidCount, failedCount, status }, "reconcile", {
        reason: `${u.format} file sha256 ${createHash("sha256").update(u.content).digest("hex")}`,
        changes: {
          paidCount: { before: batch.paidCount, after: paidCount },
          failedCount: { before: batch.failedCount, after: failedCount },
        },
      });
    } else {
      await Audit.record({
        recordID: batchID,
        recordType: "batch",
        action: "reconcile.nochange",
        operationID: batch.operationID,
        reason: JSON.stringify(summary),
      });
    }
    const totals: Record<string, { count: number; amount: number }> = {};
    rows.forEach((r, i) => {
      const t = (totals[r.outcome] ??= { count: 0, amount: 0 });
      t.count++;
      t.amount += decisions[i]!.payment?.amount ?? 0;
    });
    const matches =
      (fileCount === undefined || fileCount === batch.count) &&
      (fileTotal === undefined || fileTotal === batch.total);
    return {
      batchID,
      format: u.format,
      rows,
      summary,
      totals,
      control: { fileCount, fileTotal, batchCount: batch.count, batchTotal: batch.total, matches },
      batchStatus: status as ReconciliationReport["batchStatus"],
    };
  }

  async function apply(batch: Batch.Stored, d: Decision): Promise<Row> {
    const row: Row = {
      line: d.line,
      reference: d.reference,
      paymentID: d.payment?.paymentID,
      outcome: d.outcome,
      reason: d.reason,
    };
    const p = d.payment;
    if (!p || (d.outcome !== "paid" && d.outcome !== "failed")) return row;
    // sent: still `in_batch` until the export job has moved it to `exported`
    if (p.status !== "in_batch" && p.status !== "exported") return settled(p, d, row);
    const set: Record<string, unknown> = {
      status: d.outcome,
      operationID: p.operationID,
      currency: p.currency,
      timeUpdated: nowIso(),
    };
    if (d.outcome === "failed") set.failureReason = (d.reason ?? "rejected").slice(0, 500);
    const update = PaymentEntity.patch({ paymentID: p.paymentID })
      .set(set)
      .add({ version: 1 })
      .where(
        (a, { eq }) =>
          `(${eq(a.status, "in_batch")} OR ${eq(a.status, "exported")}) AND ${eq(a.batchID, batch.batchID)} AND ${eq(a.attempt, p.attempt)}`,
      )
      .params();
    const tx = await transactWrite([
      { update },
      Unique.claim("reconcile", `${p.paymentID}:${p.attempt}`, batch.batchID),
      Audit.txItem({
        recordID: p.paymentID,
        recordType: "payment",
        action: `reconcile.${d.outcome}`,
        operationID: p.operationID,
        reason: d.reason,
      }),
      // paid: the person is told by SMS (if they consented to messages), once, after this commits
      ...(d.outcome === "paid"
        ? [Job.txItem({ kind: PAYMENT_MESSAGE_JOB, ref: p.paymentID, operationID: p.operationID })]
        : []),
    ]);
    if (tx.ok) return row;
    const now = (await PaymentEntity.get({ paymentID: p.paymentID }).go({ consistent: true })).data;
    return now ? settled(now as StoredPayment, d, row) : { ...row, outcome: "already_reconciled" };
  }

  /**
   * A line about a payment that already has an outcome. The same outcome again is a replay and changes nothing;
   * the opposite one (paid, now reported rejected) is a contradiction that money may have gone wrong: nothing is
   * changed automatically, the payment is flagged and the line held for a person to review.
   */
  async function settled(p: StoredPayment, d: Decision, row: Row, attempt = 1): Promise<Row> {
    if (p.status === d.outcome || (p.status !== "paid" && p.status !== "failed"))
      return { ...row, outcome: "already_reconciled", reason: `already ${p.status}` };
    const reason = `reported ${d.outcome} after it was ${p.status}${d.reason ? `: ${d.reason}` : ""}`;
    if (p.flag !== "reconcile_contradiction") {
      const tx = await transactWrite([
        {
          update: PaymentEntity.patch({ paymentID: p.paymentID })
            .set({ flag: "reconcile_contradiction", timeUpdated: nowIso() })
            .add({ version: 1 })
            .where((a, { eq }) => eq(a.status, p.status))
            .params(),
        },
        Audit.txItem({
          recordID: p.paymentID,
          recordType: "payment",
          action: "reconcile.contradiction",
          operationID: p.operationID,
          reason: reason.slice(0, 500),
        }),
      ]);
      // the payment's status moved since it was read: decide again on what is stored, never report a flag not set
      if (!tx.ok) {
        const now = (await PaymentEntity.get({ paymentID: p.paymentID }).go({ consistent: true })).data;
        if (!now || attempt >= 3)
          throw new ConflictError(`payment ${p.paymentID} keeps changing; reconcile this line again`);
        return settled(now as StoredPayment, d, row, attempt + 1);
      }
    }
    return { ...row, outcome: "held_for_review", reason };
  }
}
