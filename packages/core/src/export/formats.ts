import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { loadExcel } from "../common/lazy.ts";
import type { ExportColumn, ExportFormat, PaymentChannel } from "@waypoint/schema/payments";
import { DEFAULT_COLUMNS, type FspProfile } from "../fsp/index.ts";
import type { StoredPayment } from "../payment/index.ts";
import { formatMinor, minorDigits } from "../payment/money.ts";
import type { StoredBatch } from "../batch/assemble.ts";
import { isoText, msisdnDigits, safeCell, xml } from "./text.ts";

export interface PayeeRow {
  payeeID: string;
  name: string;
  /** The name as the bank knows it (Latin letters). */
  nameLatin?: string;
  kind: string;
  channel: PaymentChannel;
}
export interface ExportRow {
  payment: StoredPayment;
  payee: PayeeRow;
}
export interface ExportContext {
  batch: StoredBatch;
  fsp: FspProfile.Info;
  messageId: string;
  pmtInfId: string;
  creDtTm: string;
  executionDate: string;
}
export interface FormatWriter {
  row(r: ExportRow): Promise<void>;
  end(): Promise<void>;
}

export const FORMAT_META: Record<ExportFormat, { ext: string; contentType: string }> = {
  csv: { ext: "csv", contentType: "text/csv; charset=utf-8" },
  "mobile-money-csv": { ext: "csv", contentType: "text/csv; charset=utf-8" },
  xlsx: { ext: "xlsx", contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
  "pain.001.001.09": { ext: "xml", contentType: "application/xml" },
  "pain.001.001.03": { ext: "xml", contentType: "application/xml" },
};

function field(col: ExportColumn, r: ExportRow, ctx: ExportContext): string {
  const p = r.payment;
  const c = r.payee.channel;
  switch (col.field) {
    case "paymentID":
      return p.paymentID;
    case "endToEndId":
      return p.endToEndId ?? "";
    case "payeeID":
      return r.payee.payeeID;
    case "payeeName":
      return r.payee.name;
    case "payeeKind":
      return r.payee.kind;
    case "amount":
      return formatMinor(p.amount, p.currency);
    case "amountMinor":
      return String(p.amount);
    case "currency":
      return p.currency;
    case "purpose":
      return p.purpose;
    case "period":
      return p.period ?? "";
    case "iban":
      return c.iban ?? "";
    case "accountNumber":
      return c.accountNumber ?? "";
    case "bic":
      return c.bic ?? "";
    case "bankName":
      return c.bankName ?? "";
    case "msisdn":
      return msisdnDigits(c.msisdn);
    case "provider":
      return c.provider ?? "";
    case "pickupPoint":
      return c.pickupPoint ?? "";
    case "batchNumber":
      return ctx.batch.batchNumber;
    case "reference":
      return `${ctx.batch.batchNumber} ${p.purpose}`;
  }
}

async function write(out: WriteStream | NodeJS.WritableStream, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out as WriteStream, "drain");
}

async function finish(out: WriteStream): Promise<void> {
  out.end();
  await once(out, "close");
}

/** One CSV record (RFC 4180 quoting), every cell already formula-neutralised. */
function csvLine(cells: string[], delimiter: string): string {
  return (
    cells
      .map((c) =>
        c.includes(delimiter) || c.includes('"') || c.includes("\n") || c.includes("\r")
          ? `"${c.replace(/"/g, '""')}"`
          : c,
      )
      .join(delimiter) + "\r\n"
  );
}

function csvWriter(file: string, columns: ExportColumn[], ctx: ExportContext, delimiter = ","): FormatWriter {
  const out = createWriteStream(file);
  let buffer = csvLine(
    columns.map((c) => safeCell(c.header)),
    delimiter,
  );
  return {
    async row(r) {
      buffer += csvLine(
        columns.map((c) => safeCell(field(c, r, ctx))),
        delimiter,
      );
      if (buffer.length > 64 * 1024) {
        await write(out, buffer);
        buffer = "";
      }
    },
    async end() {
      await write(out, buffer);
      await finish(out);
    },
  };
}

function xlsxWriter(
  ExcelJS: typeof import("exceljs"),
  file: string,
  columns: ExportColumn[],
  ctx: ExportContext,
): FormatWriter {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useSharedStrings: false,
    useStyles: true,
  });
  const ws = wb.addWorksheet(isoText(ctx.batch.batchNumber, 31, "Payments"));
  ws.addRow(columns.map((c) => safeCell(c.header))).commit();
  // Amounts are numbers a spreadsheet can add up, shown with the currency; never text.
  const digits = minorDigits(ctx.batch.currency);
  const money = `#,##0${digits ? `.${"0".repeat(digits)}` : ""} "${ctx.batch.currency}"`;
  return {
    async row(r) {
      const row = ws.addRow(
        columns.map((c) =>
          c.field === "amount"
            ? r.payment.amount / 10 ** digits
            : c.field === "amountMinor"
              ? r.payment.amount
              : safeCell(field(c, r, ctx)),
        ),
      );
      columns.forEach((c, i) => {
        if (c.field === "amount") row.getCell(i + 1).numFmt = money;
      });
      row.commit();
    },
    async end() {
      ws.commit();
      await wb.commit();
    },
  };
}

/**
 * ISO 20022 customer credit transfer initiation, one PmtInf per batch (one debtor account, one currency, one
 * execution date). The header carries the batch's frozen NbOfTxs and CtrlSum; the export checks at the end that
 * the streamed transactions add up to exactly those figures (CtrlSum is rendered from integers, never floats).
 */
function painWriter(file: string, ctx: ExportContext, version: "09" | "03"): FormatWriter {
  const out = createWriteStream(file);
  const { batch, fsp } = ctx;
  const debtor = (fsp.debtor ?? {}) as { name?: string; iban?: string; accountNumber?: string; bic?: string };
  const bicTag = version === "09" ? "BICFI" : "BIC";
  const ctrl = formatMinor(batch.total, batch.currency);
  const acct = (iban?: string, other?: string) =>
    iban ? `<Id><IBAN>${xml(iban)}</IBAN></Id>` : `<Id><Othr><Id>${xml(isoText(other, 34))}</Id></Othr></Id>`;
  const agent = (bic?: string) =>
    bic
      ? `<FinInstnId><${bicTag}>${xml(bic)}</${bicTag}></FinInstnId>`
      : `<FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId>`;
  const exec =
    version === "09"
      ? `<ReqdExctnDt><Dt>${ctx.executionDate}</Dt></ReqdExctnDt>`
      : `<ReqdExctnDt>${ctx.executionDate}</ReqdExctnDt>`;
  const head =
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.${version}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n` +
    `<CstmrCdtTrfInitn>\n<GrpHdr><MsgId>${xml(ctx.messageId)}</MsgId><CreDtTm>${ctx.creDtTm}</CreDtTm>` +
    `<NbOfTxs>${batch.count}</NbOfTxs><CtrlSum>${ctrl}</CtrlSum><InitgPty><Nm>${xml(isoText(debtor.name, 140))}</Nm></InitgPty></GrpHdr>\n` +
    `<PmtInf><PmtInfId>${xml(ctx.pmtInfId)}</PmtInfId><PmtMtd>TRF</PmtMtd><NbOfTxs>${batch.count}</NbOfTxs><CtrlSum>${ctrl}</CtrlSum>` +
    (fsp.serviceLevel ? `<PmtTpInf><SvcLvl><Cd>${fsp.serviceLevel}</Cd></SvcLvl></PmtTpInf>` : "") +
    exec +
    `<Dbtr><Nm>${xml(isoText(debtor.name, 140))}</Nm></Dbtr><DbtrAcct>${acct(debtor.iban, debtor.accountNumber)}<Ccy>${batch.currency}</Ccy></DbtrAcct>` +
    `<DbtrAgt>${agent(debtor.bic)}</DbtrAgt><ChrgBr>SLEV</ChrgBr>\n`;
  let started = false;
  return {
    async row(r) {
      if (!started) {
        started = true;
        await write(out, head);
      }
      const p = r.payment;
      const c = r.payee.channel;
      const account =
        c.type === "bank"
          ? acct(c.iban, c.accountNumber)
          : c.type === "mobile_money"
            ? acct(undefined, msisdnDigits(c.msisdn))
            : undefined;
      await write(
        out,
        `<CdtTrfTxInf><PmtId><InstrId>${xml(p.endToEndId!)}</InstrId><EndToEndId>${xml(p.endToEndId!)}</EndToEndId></PmtId>` +
          `<Amt><InstdAmt Ccy="${p.currency}">${formatMinor(p.amount, p.currency)}</InstdAmt></Amt>` +
          (c.bic ? `<CdtrAgt>${agent(c.bic)}</CdtrAgt>` : "") +
          `<Cdtr><Nm>${xml(isoText(r.payee.nameLatin || r.payee.name, 140))}</Nm></Cdtr>` +
          (account ? `<CdtrAcct>${account}</CdtrAcct>` : "") +
          `<RmtInf><Ustrd>${xml(isoText(`${batch.batchNumber} ${p.purpose.replace(/_/g, " ")}`, 140))}</Ustrd></RmtInf></CdtTrfTxInf>\n`,
      );
    },
    async end() {
      if (!started) await write(out, head);
      await write(out, `</PmtInf>\n</CstmrCdtTrfInitn>\n</Document>\n`);
      await finish(out);
    },
  };
}

export async function writerFor(
  format: ExportFormat,
  file: string,
  ctx: ExportContext,
): Promise<FormatWriter> {
  const columns = (ctx.fsp.columns as ExportColumn[] | undefined) ?? DEFAULT_COLUMNS;
  switch (format) {
    case "csv":
      return csvWriter(file, columns, ctx);
    case "xlsx":
      return xlsxWriter(await loadExcel(), file, columns, ctx);
    case "mobile-money-csv": {
      const mm = ctx.fsp.mobileMoney as { columns: ExportColumn[]; delimiter?: "," | ";" } | undefined;
      const cols = mm?.columns ?? [
        { header: "MSISDN", field: "msisdn" },
        { header: "Amount", field: "amount" },
        { header: "Name", field: "payeeName" },
        { header: "Reference", field: "endToEndId" },
      ];
      return csvWriter(file, cols as ExportColumn[], ctx, mm?.delimiter ?? ",");
    }
    case "pain.001.001.09":
      return painWriter(file, ctx, "09");
    case "pain.001.001.03":
      return painWriter(file, ctx, "03");
  }
}
