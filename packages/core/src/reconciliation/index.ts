import { createHash, randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import {
  ReconciliationFromUpload,
  ReconciliationUpload,
  ReconciliationUploadLinkRequest,
  ReconciliationUploadMaxBytes,
  type PaymentChannel,
  type ReconciliationReport,
} from "@waypoint/schema/payments";
import type { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { nowIso, transactWrite } from "../common/db.ts";
import { ConflictError, InvalidError, RuleError } from "../common/errors.ts";
import { loadCsvParseStream } from "../common/lazy.ts";
import { toFieldIssues } from "../common/fn.ts";
import { Unique } from "../common/unique.ts";
import { Batch } from "../batch/index.ts";
import { members } from "../batch/members.ts";
import { ExportEntity } from "../export/export.entity.ts";
import { ObjectStore } from "../export/store.ts";
import { Job } from "../job/index.ts";
import { PAYMENT_MESSAGE_JOB } from "../message/jobs.ts";
import { PayeeEntity } from "../payee/payee.entity.ts";
import type { StoredPayment } from "../payment/index.ts";
import { parseMinor } from "../payment/money.ts";
import { PaymentEntity } from "../payment/payment.entity.ts";
import { getAll } from "../payment/write.ts";
import { outcomeOf, scanPain002, type BlockHeader } from "./pain002.ts";

type Row = ReconciliationReport["rows"][number];
/** What reconciliation keeps of a payment of the batch: enough to decide and apply a line, nothing more. */
type Entry = Pick<
  StoredPayment,
  | "paymentID"
  | "endToEndId"
  | "amount"
  | "attempt"
  | "status"
  | "operationID"
  | "currency"
  | "payeeID"
  | "flag"
> & {
  /** The last payment-information block (index in the file) that named this payment. */
  seen?: number;
};
interface Decision {
  line: number;
  reference: string;
  payment?: Entry;
  outcome: Row["outcome"];
  reason?: string;
}

const STATUSES = ["in_batch", "exported", "paid", "failed"];
const PAID = /^(success|successful|paid|ok|completed|accp|acsc)$/i;
const FAILED = /^(failed|failure|error|rejected|fail|rjct)$/i;
/** Lines a report lists: paid and acknowledged ones up to PLAIN_LISTED, the others (failed, unmatched, held,
 * replayed, unreadable) up to OTHER_LISTED; every line counts in the summary and totals. */
const PLAIN_LISTED = 1_000;
const OTHER_LISTED = 10_000;
/**
 * A paid or failed line is 3 or 4 writes (the payment's move, its unique claim, an audit event, a message job when
 * paid); lines are applied in groups of up to GROUP_ITEMS writes in one transaction (24 paid lines), leaving room
 * under DynamoDB's 100 for the API call's own audit event. GROUPS_IN_FLIGHT transactions run at once (reading the
 * file waits when they are all busy).
 */
const GROUP_ITEMS = 96;
const GROUPS_IN_FLIGHT = 6;

/**
 * The batch's payments, read page by page (only the fields a decision needs) into lookups by end-to-end id and by
 * id: about 200 bytes a payment, the only part of reconciliation that grows with the batch.
 */
async function indexBatch(batchID: string) {
  const byE2E = new Map<string, Entry>();
  const byID = new Map<string, Entry>();
  const shared = new Map<string, string>();
  const once = (s: string) => shared.get(s) ?? (shared.set(s, s), s);
  for await (const page of members(batchID, STATUSES, 1000, [
    "paymentID",
    "endToEndId",
    "amount",
    "attempt",
    "operationID",
    "currency",
    "payeeID",
    "flag",
  ]))
    for (const p of page) {
      const e: Entry = {
        paymentID: p.paymentID,
        endToEndId: p.endToEndId,
        amount: p.amount,
        attempt: p.attempt,
        status: p.status,
        operationID: once(p.operationID),
        currency: once(p.currency),
        payeeID: p.payeeID,
        flag: p.flag,
      };
      if (e.endToEndId) byE2E.set(e.endToEndId, e);
      byID.set(e.paymentID, e);
    }
  return { byE2E, byID };
}
type Index = Awaited<ReturnType<typeof indexBatch>>;

/**
 * Applies decisions as they are read from the file and keeps only the counts, the money per outcome and the lines a
 * report lists. Lines that move a payment are gathered into groups written as one transaction each (GROUPS_IN_FLIGHT
 * at once); a group refused because one of its payments changed meanwhile is redone line by line, so that one line
 * is decided on what is stored and its neighbours still apply. A payment named again while an earlier line about it
 * is pending waits for that line's outcome (a transaction may not touch one item twice, and the second line must be
 * judged against the first: a replay, or a contradiction held for review).
 */
class Outcomes {
  readonly summary: Record<string, number> = {};
  readonly totals: Record<string, { count: number; amount: number }> = {};
  readonly rows: Row[] = [];
  lines = 0;
  private plainListed = 0;
  private otherListed = 0;
  private readonly busy = new Set<Promise<void>>();
  private error: unknown;
  private group: Decision[] = [];
  private groupItems = 0;
  /** Payments in the open group or a group in flight, with the promise that settles when it is done. */
  private readonly pending = new Map<string, Promise<void> | undefined>();

  constructor(private readonly batch: Batch.Stored) {}

  async push(d: Decision): Promise<void> {
    if (this.error) return this.fail();
    const p = d.payment;
    if (p && this.pending.has(p.paymentID)) {
      if (this.pending.get(p.paymentID) === undefined) await this.flush();
      await this.pending.get(p.paymentID);
      if (this.error) return this.fail();
    }
    const items = writes(d);
    if (!items) {
      const done = this.run(async () => {
        try {
          this.record(await apply(this.batch, d), d);
        } finally {
          if (p && this.pending.get(p.paymentID) === done) this.pending.delete(p.paymentID);
        }
      });
      if (p) this.pending.set(p.paymentID, done);
      return done.started;
    }
    if (this.groupItems + items > GROUP_ITEMS) await this.flush();
    this.group.push(d);
    this.groupItems += items;
    this.pending.set(p!.paymentID, undefined);
    if (this.groupItems + 3 > GROUP_ITEMS) await this.flush();
  }

  /** Stops at the first error, once the transactions in flight have ended (none is left running unseen). */
  private async fail(): Promise<never> {
    await Promise.all(this.busy);
    throw this.error;
  }

  async drain(): Promise<void> {
    await this.flush();
    await Promise.all(this.busy);
    if (this.error) throw this.error;
    this.rows.sort((a, b) => a.line - b.line);
  }

  /** Sends the open group as one transaction (waiting for a free place first). */
  private async flush(): Promise<void> {
    const group = this.group;
    if (!group.length) return;
    this.group = [];
    this.groupItems = 0;
    const done = this.run(async () => {
      try {
        await this.applyGroup(group);
      } finally {
        for (const d of group) this.pending.delete(d.payment!.paymentID);
      }
    });
    for (const d of group) this.pending.set(d.payment!.paymentID, done);
    await done.started;
  }

  private async applyGroup(group: Decision[]) {
    const tx = await transactWrite(group.flatMap((d) => lineItems(this.batch, d)));
    if (tx.ok) {
      for (const d of group) {
        d.payment!.status = d.outcome;
        this.record(rowOf(d), d);
      }
      return;
    }
    // one of the payments moved since the batch was read (another file, a colleague): each line on its own
    for (const d of group) {
      this.record(await apply(this.batch, d), d);
    }
  }

  /**
   * Runs `task` once fewer than GROUPS_IN_FLIGHT are busy; the returned promise settles when the task is done
   * (never rejecting: the first error is kept and thrown by the next push or by drain), `started` when it began.
   */
  private run(task: () => Promise<void>): Promise<void> & { started: Promise<void> } {
    let begin!: () => void;
    const started = new Promise<void>((r) => (begin = r));
    const p = (async () => {
      while (this.busy.size >= GROUPS_IN_FLIGHT) await Promise.race(this.busy);
      const t: Promise<void> = task()
        .catch((e) => void (this.error ??= e))
        .finally(() => this.busy.delete(t));
      this.busy.add(t);
      begin();
      await t;
    })();
    return Object.assign(p, { started });
  }

  private record(row: Row, d: Decision) {
    this.lines++;
    this.summary[row.outcome] = (this.summary[row.outcome] ?? 0) + 1;
    const t = (this.totals[row.outcome] ??= { count: 0, amount: 0 });
    t.count++;
    t.amount += d.payment?.amount ?? 0;
    const plain = row.outcome === "paid" || row.outcome === "acknowledged";
    if (plain ? this.plainListed++ < PLAIN_LISTED : this.otherListed++ < OTHER_LISTED) this.rows.push(row);
  }
}

/** Yields `text` in slices, for parsers that should not see a whole file at once. */
function* slices(text: string, size = 1 << 16) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

type CsvUpload = ReconciliationUpload & { matchOn: string; statusColumn: string; reasonColumn: string };

/** The CSV's records, parsed as they are read (the parser sees 64 KB at a time). */
async function* csvRecords(u: CsvUpload): AsyncGenerator<Record<string, string>> {
  const { parse } = await loadCsvParseStream();
  const firstLine = u.content.slice(0, u.content.indexOf("\n") >>> 0 || undefined);
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ";" : ",";
  const parser = Readable.from(slices(u.content)).pipe(
    parse({
      columns: true,
      delimiter,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }),
  );
  try {
    for await (const r of parser) yield r as Record<string, string>;
  } catch {
    throw InvalidError.field("content", "invalid.csv", "The file is not readable CSV");
  }
}

/**
 * A CSV status file: read once to check it (readable, the columns named exist) before anything is applied, then
 * again line by line into `out`. Returns the file's count and, when every line matched a payment, its total.
 */
async function csvDecisions(
  u: CsvUpload,
  find: (ref: string) => Entry | undefined,
  out: Outcomes,
): Promise<{ fileCount: number; fileTotal?: number }> {
  let header: string[] | undefined;
  for await (const r of csvRecords(u)) header ??= Object.keys(r);
  const defaults: Record<string, string[]> = {
    endToEndId: ["endToEndId", "reference", "referenceId", "EndToEndId"],
    paymentID: ["paymentID", "paymentId", "payment_id"],
    msisdn: ["msisdn", "phoneNumber", "phone", "MSISDN"],
  };
  const names = header ?? [];
  const column = u.matchColumn ?? defaults[u.matchOn]!.find((c) => names.includes(c));
  if (!column || !names.includes(column))
    throw InvalidError.field(
      "matchColumn",
      "invalid.column",
      `The file has no column ${column ?? u.matchOn}`,
    );
  if (!names.includes(u.statusColumn))
    throw InvalidError.field("statusColumn", "invalid.column", `The file has no column ${u.statusColumn}`);
  let lines = 0;
  let total: number | undefined = 0;
  for await (const r of csvRecords(u)) {
    const reference = r[column] ?? "";
    const status = r[u.statusColumn] ?? "";
    const payment = find(reference);
    const outcome = PAID.test(status) ? "paid" : FAILED.test(status) ? "failed" : "invalid";
    total = payment && total !== undefined ? total + payment.amount : undefined;
    await out.push({
      line: ++lines + 1,
      reference,
      payment,
      outcome: payment ? outcome : outcome === "invalid" ? "invalid" : "unmatched",
      reason: r[u.reasonColumn] || (outcome === "invalid" ? `unknown status ${status}` : undefined),
    });
  }
  return { fileCount: lines, fileTotal: total };
}

/** A PART block without per-transaction rows: if the counts leave exactly one status for the rest, it applies. */
function impliedStatus(b: BlockHeader, detailed: Map<string, number>): string | undefined {
  const left = b.perStatus
    .map((s) => ({ ...s, count: s.count - (detailed.get(s.status) ?? 0) }))
    .filter((s) => s.count > 0);
  return left.length === 1 ? left[0]!.status : undefined;
}

/**
 * A pain.002: read once for its headers (group and payment-information statuses, counts, sums; the file is
 * checked before anything is applied), then again transaction by transaction into `out`, never as a whole tree.
 */
async function painDecisions(
  content: string,
  ix: Index,
  msgIds: Set<string>,
  pmtInfIds: Set<string>,
  out: Outcomes,
): Promise<{ fileCount?: number; fileTotal?: string[] }> {
  const headers = scanPain002(content);
  let h = await headers.next();
  while (!h.done) h = await headers.next();
  const rpt = h.value;
  let line = 0;
  const mine = rpt.messageId !== undefined && msgIds.has(rpt.messageId);
  const decide = (p: Entry, status: string | undefined, reason: string | undefined, reference: string) => {
    const o = outcomeOf(status);
    return out.push({
      line: ++line,
      reference,
      payment: p,
      outcome: o === "paid" || o === "failed" || o === "acknowledged" ? o : "acknowledged",
      reason: o === "partial" || !o ? `status ${status ?? "missing"}` : reason,
    });
  };
  if (!mine && rpt.blocks.every((b) => !pmtInfIds.has(b.pmtInfId ?? ""))) {
    await out.push({
      line: 1,
      reference: rpt.messageId ?? "(no OrgnlMsgId)",
      outcome: "unmatched",
      reason: "The report is about another message",
    });
    return {};
  }
  if (rpt.blocks.length === 0)
    for (const p of ix.byID.values()) await decide(p, rpt.groupStatus, rpt.groupReason, rpt.messageId!);
  const txs = scanPain002(content);
  for (let r = await txs.next(); !r.done; r = await txs.next())
    for (const e of r.value) {
      const b = rpt.blocks[e.block]!;
      if (!pmtInfIds.has(b.pmtInfId ?? "")) {
        if (e.type === "blockEnd")
          await out.push({
            line: ++line,
            reference: b.pmtInfId ?? "(no OrgnlPmtInfId)",
            outcome: "unmatched",
            reason: "Unknown payment information id",
          });
        continue;
      }
      if (e.type === "tx") {
        const t = e.tx;
        const ref = t.endToEndId ?? t.instrId;
        if (!ref) continue;
        const p = ix.byE2E.get(ref) ?? (t.instrId ? ix.byE2E.get(t.instrId) : undefined);
        if (!p) {
          await out.push({
            line: ++line,
            reference: ref,
            outcome: "unmatched",
            reason: "No payment with this end-to-end id in the batch",
          });
          continue;
        }
        p.seen = e.block;
        await decide(
          p,
          t.status ?? b.status ?? rpt.groupStatus,
          t.reason ?? b.reason ?? rpt.groupReason,
          ref,
        );
        continue;
      }
      // the block's end: its status (or what its counts imply) for the payments it did not list one by one
      const blockStatus = b.status ?? rpt.groupStatus;
      const detailed = new Map<string, number>();
      for (const [status, n] of b.txStatuses) {
        const s = status || (blockStatus ?? "");
        detailed.set(s, (detailed.get(s) ?? 0) + n);
      }
      const status =
        outcomeOf(blockStatus) === "partial" ? (impliedStatus(b, detailed) ?? blockStatus) : blockStatus;
      for (const p of ix.byID.values())
        if (p.seen !== e.block)
          await decide(p, status, b.reason ?? rpt.groupReason, p.endToEndId ?? p.paymentID);
    }
  return {
    fileCount: rpt.nbOfTxs ? Number(rpt.nbOfTxs) : undefined,
    fileTotal: rpt.blocks
      .map((b) => b.ctrlSum ?? "")
      .filter(Boolean)
      .concat(rpt.blocks.length ? [] : [rpt.ctrlSum ?? ""].filter(Boolean)),
  };
}

/** What a reconciliation upload link was given for, sealed in its ticket. */
interface UploadTicket {
  batchID: string;
  operationID: string;
  actorID: string;
  key: string;
}
const TICKET = "reconciliation-upload";

/** A batch the caller may reconcile and that has a file to reconcile. */
async function reconcilable(batchID: string) {
  const batch = await Batch.load(batchID);
  Actor.assert("batch.reconcile", batch);
  if (!["exported", "reconciled", "closed"].includes(batch.status))
    throw new RuleError("batch.notExported", `A ${batch.status} batch has no file to reconcile`);
  return batch;
}

export namespace Reconciliation {
  export const UploadMaxBytes = ReconciliationUploadMaxBytes;

  /**
   * A link to send a status file to (a presigned PUT to the bucket on AWS, the API's signed local link otherwise)
   * and a ticket to reconcile it with: a file of any size up to UploadMaxBytes never passes through a request
   * body (a Lambda's stops at 6 MB; a 131,072-line pain.002 is ~13 MB). Nothing is read until `importUpload`.
   */
  export async function uploadLink(batchID: string, raw: z.input<typeof ReconciliationUploadLinkRequest>) {
    const parsed = ReconciliationUploadLinkRequest.safeParse(raw);
    if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error));
    const batch = await reconcilable(batchID);
    const key = `reconciliation/${batch.operationID}/${batchID}/${randomUUID()}`;
    const upload = await ObjectStore.uploadLink(key, {
      contentType: parsed.data.contentType || "application/octet-stream",
      maxBytes: UploadMaxBytes,
    });
    const t: UploadTicket = { batchID, operationID: batch.operationID, actorID: Actor.id(), key };
    return { ticket: ObjectStore.sealTicket(TICKET, t), upload, maxBytes: UploadMaxBytes };
  }

  /**
   * Reconciles the file sent to an upload link (`uploadLink`), as `importFile` does a file sent in the body. The
   * ticket must be this batch's and the caller's; the file must have arrived, within the size limit, and (when the
   * client says what it sent) with the same SHA-256. The object is kept, like the batch's exported files.
   */
  export async function importUpload(
    batchID: string,
    raw: ReconciliationFromUpload,
  ): Promise<ReconciliationReport> {
    const parsed = ReconciliationFromUpload.safeParse(raw);
    if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error));
    const { ticket, sha256, format, ...options } = parsed.data;
    await reconcilable(batchID);
    const t = ObjectStore.openTicket<UploadTicket>(TICKET, ticket);
    if (!t || t.batchID !== batchID || t.actorID !== Actor.id() || t.operationID !== Actor.operationID())
      throw InvalidError.field(
        "ticket",
        "invalid.ticket",
        "Upload the file again: this upload is for another batch or person, or has expired",
      );
    const stored = await ObjectStore.head(t.key);
    if (!stored)
      throw InvalidError.field("ticket", "invalid.notUploaded", "The file was not sent to the upload link");
    if (stored.size === 0) throw InvalidError.field("ticket", "invalid.empty", "The file is empty");
    if (stored.size > UploadMaxBytes)
      throw InvalidError.field("ticket", "invalid.tooLarge", `Files up to ${UploadMaxBytes / 1e6} MB`);
    const hash = createHash("sha256");
    const chunks: Buffer[] = [];
    for await (const chunk of await ObjectStore.get(t.key)) {
      hash.update(chunk as Buffer);
      chunks.push(chunk as Buffer);
    }
    const digest = hash.digest("hex");
    if (sha256 && sha256.toLowerCase() !== digest)
      throw InvalidError.field(
        "sha256",
        "invalid.checksum",
        "The file that arrived is not the file that was sent (its checksum differs): upload it again",
      );
    const content = Buffer.concat(chunks).toString("utf8");
    chunks.length = 0;
    return importFile(batchID, {
      ...options,
      format: format ?? (/^\uFEFF?\s*</.test(content.slice(0, 1024)) ? "pain.002" : "csv"),
      content,
    });
  }

  /**
   * Applies an FSP's status file to an exported batch, line by line as the file is read (memory holds the batch's
   * index and the lines being applied, never a parsed copy of the whole file). Each paid or failed outcome is the
   * payment's move (conditional on still being `in_batch` or `exported` in this batch with that attempt) plus a
   * unique claim on payment + attempt, so no payment is reconciled twice and replaying a file (or a second file
   * about the same payments) changes nothing; lines are written in groups of up to 24 per transaction, so a crash
   * leaves whole groups applied or not, and a re-run applies only what is still sent. Control totals of the file are compared with the
   * batch's frozen totals and reported. A report lists at most PLAIN_LISTED paid/acknowledged lines and
   * OTHER_LISTED others (`rowsOmitted` says how many more it counted).
   */
  export async function importFile(
    batchID: string,
    raw: ReconciliationUpload,
  ): Promise<ReconciliationReport> {
    const parsed = ReconciliationUpload.safeParse(raw);
    if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error));
    const u = parsed.data;
    const batch = await reconcilable(batchID);
    const ix = await indexBatch(batchID);
    const exports = (await ExportEntity.query.byBatch({ batchID }).go({ pages: "all" })).data;
    const out = new Outcomes(batch);
    let fileCount: number | undefined;
    let fileTotal: number | undefined;
    if (u.format === "csv") {
      let find = (ref: string) => (u.matchOn === "paymentID" ? ix.byID.get(ref) : ix.byE2E.get(ref));
      if (u.matchOn === "msisdn") {
        const payees = await getAll<{ payeeID: string; channel: PaymentChannel }>(
          PayeeEntity,
          [...new Set([...ix.byID.values()].map((p) => p.payeeID))].map((payeeID) => ({ payeeID })),
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
        const byPayee = new Map<string, Entry[]>();
        for (const p of ix.byID.values()) byPayee.set(p.payeeID, [...(byPayee.get(p.payeeID) ?? []), p]);
        find = (ref) => {
          if (!/^\s*\+?[\d\s().-]+\s*$/.test(ref)) return undefined;
          const owners = holders.get(digits(ref));
          if (owners?.length !== 1) return undefined;
          const payments = byPayee.get(owners[0]!) ?? [];
          return payments.length === 1 ? payments[0] : undefined;
        };
      }
      ({ fileCount, fileTotal } = await csvDecisions(u as CsvUpload, find, out));
    } else {
      const r = await painDecisions(
        u.content,
        ix,
        new Set(exports.map((e) => e.messageId)),
        new Set(exports.map((e) => e.pmtInfId)),
        out,
      );
      fileCount = r.fileCount;
      const sums = (r.fileTotal ?? []).map((s) => parseMinor(s, batch.currency));
      fileTotal =
        sums.length && sums.every((s) => s !== undefined) ? sums.reduce((a, b) => a! + b!, 0) : undefined;
    }
    await out.drain();
    const { summary, totals, rows } = out;
    let paidCount = 0;
    let failedCount = 0;
    for await (const page of members(batchID, STATUSES, 1000, []))
      for (const p of page) {
        if (p.status === "paid") paidCount++;
        else if (p.status === "failed") failedCount++;
      }
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
    const matches =
      (fileCount === undefined || fileCount === batch.count) &&
      (fileTotal === undefined || fileTotal === batch.total);
    return {
      batchID,
      format: u.format,
      rows,
      ...(out.lines > rows.length ? { rowsOmitted: out.lines - rows.length } : {}),
      summary,
      totals,
      control: { fileCount, fileTotal, batchCount: batch.count, batchTotal: batch.total, matches },
      batchStatus: status as ReconciliationReport["batchStatus"],
    };
  }
}

function rowOf(d: Decision): Row {
  return {
    line: d.line,
    reference: d.reference,
    paymentID: d.payment?.paymentID,
    outcome: d.outcome,
    reason: d.reason,
  };
}

/** Writes a line needs to move its payment (paid or failed, still sent); 0 when it is decided without a move. */
function writes(d: Decision): number {
  const p = d.payment;
  if (!p || (d.outcome !== "paid" && d.outcome !== "failed")) return 0;
  // sent: still `in_batch` until the export job has moved it to `exported`
  if (p.status !== "in_batch" && p.status !== "exported") return 0;
  return d.outcome === "paid" ? 4 : 3;
}

/**
 * A line's writes: the payment's move, conditional on it still being sent (`in_batch` or `exported`) in this batch
 * with this attempt; a unique claim on payment + attempt, so no payment is reconciled twice whatever file names it;
 * the audit event; and when paid the message job that tells the person (if they consented), once.
 */
function lineItems(batch: Batch.Stored, d: Decision) {
  const p = d.payment!;
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
  return [
    { update },
    Unique.claim("reconcile", `${p.paymentID}:${p.attempt}`, batch.batchID),
    Audit.txItem({
      recordID: p.paymentID,
      recordType: "payment",
      action: `reconcile.${d.outcome}`,
      operationID: p.operationID,
      reason: d.reason,
    }),
    ...(d.outcome === "paid"
      ? [Job.txItem({ kind: PAYMENT_MESSAGE_JOB, ref: p.paymentID, operationID: p.operationID })]
      : []),
  ];
}

/** One line on its own: its transaction, or (payment already settled, or moved meanwhile) what is stored decides. */
async function apply(batch: Batch.Stored, d: Decision): Promise<Row> {
  const row = rowOf(d);
  const p = d.payment;
  if (!p || (d.outcome !== "paid" && d.outcome !== "failed")) return row;
  if (!writes(d)) return settled(p, d, row);
  const tx = await transactWrite(lineItems(batch, d));
  if (tx.ok) {
    p.status = d.outcome;
    return row;
  }
  const now = (await PaymentEntity.get({ paymentID: p.paymentID }).go({ consistent: true })).data;
  if (now) p.status = now.status;
  return now ? settled(now as StoredPayment, d, row) : { ...row, outcome: "already_reconciled" };
}

/**
 * A line about a payment that already has an outcome. The same outcome again is a replay and changes nothing;
 * the opposite one (paid, now reported rejected) is a contradiction that money may have gone wrong: nothing is
 * changed automatically, the payment is flagged and the line held for a person to review.
 */
async function settled(
  p: Pick<StoredPayment, "paymentID" | "status" | "flag" | "operationID">,
  d: Decision,
  row: Row,
  attempt = 1,
): Promise<Row> {
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
