import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { ExportRequest, type ExportInfo, type PaymentChannel } from "@waypoint/schema/payments";
import type { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { nowIso } from "../common/db.ts";
import { RequestTemplate } from "../common/template.ts";
import { InvalidError, NotFoundError, RuleError } from "../common/errors.ts";
import { toFieldIssues } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { log } from "../common/log.ts";
import { Job } from "../job/index.ts";
import { MARK_EXPORTED_JOB } from "./mark.ts";
import { Batch } from "../batch/index.ts";
import { getRaw, members, prefetch } from "../batch/members.ts";
import { config } from "../config.ts";
import { FspProfile } from "../fsp/index.ts";
import { PayeeEntity } from "../payee/payee.entity.ts";
import { ExportEntity } from "./export.entity.ts";
import { ExportLogEntity } from "../privacy/export-log.entity.ts";
import { assertPurpose, logItem } from "../privacy/export-log.ts";
import { FORMAT_META, writerFor, type ExportContext, type PayeeRow } from "./formats.ts";
import { ObjectStore } from "./store.ts";
import { isoText } from "./text.ts";

type StoredExport = NonNullable<Awaited<ReturnType<ReturnType<typeof ExportEntity.get>["go"]>>["data"]>;
type StoredPayee = PayeeRow & { operationID: string; timeAccountChanged: string };

const EXPORTABLE = ["approved", "exported", "reconciled"];

function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash("sha256");
    createReadStream(file)
      .on("data", (d) => h.update(d))
      .on("end", () => resolve(h.digest("hex")))
      .on("error", reject);
  });
}

const PAYEE_FIELDS = ["payeeID", "operationID", "name", "nameLatin", "kind", "channel", "timeAccountChanged"];

export namespace Export {
  export function present(e: StoredExport): ExportInfo {
    const { key: _k, contentType: _c, operationID: _o, pmtInfId: _p, flaggedAccepted: _f, ...rest } = e;
    return { ...rest, downloadUrl: `/api/exports/${e.exportID}/download` } as ExportInfo;
  }

  /**
   * Writes the batch's file for its FSP: payments streamed page by page from the batch index, payees read in
   * batches, rows streamed into the format writer and a temp file, then handed to object storage with its
   * SHA-256. Refused when a payee changed after submission (unless accepted) or when the streamed count and sum
   * differ from the frozen totals. The export record, the batch's move to `exported` and the audit event are
   * written together.
   */
  export async function run(batchID: string, raw: z.input<typeof ExportRequest>): Promise<ExportInfo> {
    const parsed = ExportRequest.safeParse(raw);
    if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error));
    const { format, acceptFlagged, purpose, purposeOther, recipient } = parsed.data;
    const batch = await Batch.load(batchID);
    Actor.assert("batch.export", batch);
    assertPurpose(parsed.data);
    if (!EXPORTABLE.includes(batch.status))
      throw new RuleError("batch.notApproved", `A ${batch.status} batch cannot be exported`);
    if (batch.flaggedCount > 0 && !acceptFlagged)
      throw new RuleError(
        "batch.flagged",
        `${batch.flaggedCount} payees changed since submission; review them or accept them explicitly`,
      );
    const fsp = await FspProfile.get(batch.fspProfileID);
    if (format.startsWith("pain.001") && !fsp.debtor)
      throw InvalidError.field(
        "format",
        "invalid.format",
        "The FSP profile has no debtor account for ISO 20022",
      );
    const exportID = Identifier.create("export");
    const stamp = exportID.slice(-8);
    const now = nowIso();
    const ctx: ExportContext = {
      batch,
      fsp,
      messageId: `${batch.batchNumber}-${stamp}`,
      pmtInfId: `${batch.batchNumber}-${stamp}-1`,
      creDtTm: now.replace(/\.\d{3}Z$/, "Z"),
      executionDate: batch.executionDate ?? now.slice(0, 10),
    };
    const dir = await mkdtemp(join(tmpdir(), "wp-export-"));
    const file = join(dir, "out");
    try {
      const writer = await writerFor(format, file, ctx);
      let count = 0;
      let total = 0;
      let flagged = 0;
      const latinOnly = format.startsWith("pain.001");
      const unnamed = new Map<string, string>();
      const table = config().tableName;
      const payeeKey = new RequestTemplate(
        (k: { payeeID: string }) => PayeeEntity.get(k).params() as Record<string, unknown>,
        { payeeID: "pye_" },
      );
      // only what the files and the checks use: less to read and decode per row
      const fields = [
        "paymentID",
        "payeeID",
        "amount",
        "currency",
        "purpose",
        "period",
        "endToEndId",
        "flag",
      ] as const;
      // a re-export finds its payments `exported` (or still `in_batch` until the job below has moved them)
      const pages = prefetch(members(batchID, ["in_batch", "exported"], 1000, [...fields]), async (page) => {
        const keys = [...new Set(page.map((p) => p.payeeID))].map((payeeID) =>
          unmarshall(payeeKey.fill({ payeeID }).Key as Record<string, AttributeValue>),
        );
        const payees = new Map(
          (await getRaw<StoredPayee>(keys, table, PAYEE_FIELDS)).map((p) => [p.payeeID, p]),
        );
        return { page, payees };
      });
      for await (const { page, payees } of pages) {
        for (const p of page) {
          const payee = payees.get(p.payeeID);
          if (!payee || payee.operationID !== batch.operationID)
            throw new RuleError("export.payeeMissing", `Payee of ${p.paymentID} is missing`);
          // The approvers approved the accounts as they were: one changed since is never exported on that approval.
          if (batch.timeApproved && payee.timeAccountChanged > batch.timeApproved)
            throw new RuleError(
              "batch.accountChangedAfterApproval",
              "A payee's bank or mobile-money details changed after the batch was approved; it needs a fresh approval",
            );
          if (
            p.flag === "payee_changed" ||
            (batch.timeSubmitted && payee.timeAccountChanged > batch.timeSubmitted)
          ) {
            if (!acceptFlagged)
              throw new RuleError("batch.flagged", `The payee of ${p.paymentID} changed since submission`);
            flagged++;
          }
          // A bank file cannot carry a name it cannot read, and a made-up one (NOTPROVIDED) misleads the bank's
          // name check: such payees are listed, and the file is refused until someone gives their bank name.
          if (latinOnly && !isoText(payee.nameLatin || payee.name, 140, "")) {
            unnamed.set(payee.payeeID, payee.name);
            continue;
          }
          await writer.row({ payment: p, payee: { ...payee, channel: payee.channel as PaymentChannel } });
          count++;
          total += p.amount;
        }
      }
      await writer.end();
      if (unnamed.size)
        throw new InvalidError(
          [...unnamed].map(([payeeID, name]) => ({
            path: `payees.${payeeID}.nameLatin`,
            code: "invalid.bankName",
            message: `${name}: give the name as the bank knows it, in Latin letters`,
          })),
        );
      if (count !== batch.count || total !== batch.total)
        throw new RuleError(
          "export.controlTotals",
          `The batch holds ${count} payments for ${total}, but ${batch.count} for ${batch.total} were approved`,
        );
      const sha256 = await sha256File(file);
      const { size } = await stat(file);
      const meta = FORMAT_META[format];
      const fileName = `${batch.batchNumber}-${stamp}-${format}.${meta.ext}`;
      const key = `exports/${batch.operationID}/${exportID}/${fileName}`;
      await ObjectStore.putFile(key, file, meta.contentType);
      const item = {
        exportID,
        batchID,
        operationID: batch.operationID,
        format,
        fileName,
        key,
        contentType: meta.contentType,
        bytes: size,
        sha256,
        count,
        total,
        currency: batch.currency,
        messageId: ctx.messageId,
        pmtInfId: ctx.pmtInfId,
        flaggedAccepted: flagged,
        createdBy: Actor.id(),
        timeCreated: now,
      };
      const status = batch.status === "approved" ? "exported" : batch.status;
      await Batch._change(
        batch,
        batch.version,
        { status, lastExportID: exportID, timeExported: batch.timeExported ?? now },
        "export",
        {
          reason: `${format} ${fileName} sha256 ${sha256}${flagged ? `; ${flagged} flagged payments accepted` : ""}`,
        },
        [
          { put: ExportEntity.create(item).params() },
          // its payments move to `exported` in the background (resumable), in the same transaction as the file
          Job.txItem({ kind: MARK_EXPORTED_JOB, ref: batchID, operationID: batch.operationID }),
          // the sharing log: the file went to the FSP with these people in it (privacy/export-log.ts); the
          // people are read from the batch by the job, so the export reads nothing more
          {
            put: ExportLogEntity.create(
              logItem(
                {
                  exportID,
                  kind: "payment_batch",
                  format,
                  purpose: purpose ?? "assistance",
                  purposeOther,
                  recipient: recipient ?? fsp.name,
                },
                batch.operationID,
                now,
              ),
            ).params(),
          },
          Job.txItem({ kind: "sharing.exportBatch", ref: exportID, operationID: batch.operationID }),
        ],
      );
      log.info({ batchID, exportID, format, count, bytes: size }, "batch exported");
      return present(item);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  export async function get(exportID: string): Promise<StoredExport> {
    const e = (await ExportEntity.get({ exportID }).go()).data;
    if (!e || e.operationID !== Actor.operationID()) throw new NotFoundError("export", exportID);
    return e;
  }

  export async function listForBatch(batchID: string): Promise<ExportInfo[]> {
    const b = await Batch.load(batchID);
    Actor.assert("batch.read", b);
    return (await ExportEntity.query.byBatch({ batchID }).go({ pages: "all" })).data.map(present);
  }

  /** Finance roles only (full account details are in the file); every download is audited. */
  /**
   * A file of an export, for a finance role allowed to see full account numbers: audited, then either a
   * short-lived link to the bucket (AWS) or the file's stream (locally).
   */
  export async function download(
    exportID: string,
  ): Promise<
    { fileName: string; contentType: string; sha256: string } & (
      { link: string; stream?: undefined } | { link?: undefined; stream: Readable }
    )
  > {
    const e = await get(exportID);
    Actor.assert("account.viewFull", e);
    Actor.assert("batch.read", e);
    await Audit.record({
      recordID: e.batchID,
      recordType: "batch",
      action: "export.download",
      operationID: e.operationID,
      reason: exportID,
    });
    if (e.fileRemovedAt)
      throw new RuleError(
        "export.file_removed",
        "This file was removed by the operation's retention policy for exported files",
      );
    const file = { fileName: e.fileName, contentType: e.contentType, sha256: e.sha256 };
    const link = await ObjectStore.downloadLink(e.key, file);
    return link ? { ...file, link } : { ...file, stream: await ObjectStore.get(e.key) };
  }
}

export { ObjectStore } from "./store.ts";
