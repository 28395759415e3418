import { once } from "node:events";
import { PassThrough, Readable } from "node:stream";
import { loadExcel } from "../common/lazy.ts";
import { ReportExportQuery, ReportName, type ReportName as Name } from "@waypoint/schema/reports";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { fn } from "../common/fn.ts";
import { safeCell } from "../export/text.ts";
import { assertOffice, zoned } from "./dims.ts";
import { BREAKDOWN_REPORTS, Tables, type Cell, type Table } from "./tables.ts";
import { InvalidError } from "../common/errors.ts";
import { ObjectStore } from "../export/store.ts";
import { assertPurpose } from "../privacy/purpose.ts";
import { z } from "zod";

const CONTENT = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  json: "application/json",
} as const;

/** A CSV field: formula-safe (leading = + - @ tab CR get a quote), RFC 4180 quoting. Numbers stay numbers. */
export function csvField(v: Cell): string {
  if (v === null) return "";
  if (typeof v === "number") return String(v);
  const t = safeCell(v);
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

async function* csvChunks(t: Table, hxl: boolean): AsyncGenerator<Buffer> {
  let head = `${t.columns.map((c) => csvField(c.header)).join(",")}\r\n`;
  if (hxl) head += `${t.columns.map((c) => c.hxl).join(",")}\r\n`;
  yield Buffer.from(head);
  let buf = "";
  let n = 0;
  for await (const row of t.rows) {
    buf += `${row.map(csvField).join(",")}\r\n`;
    if (++n % 1000 === 0) {
      yield Buffer.from(buf);
      buf = "";
    }
  }
  if (buf) yield Buffer.from(buf);
}

/** XLSX through ExcelJS's streaming writer: rows are committed as they come, the zip streams out. */
function xlsxStream(ExcelJS: typeof import("exceljs"), t: Table, hxl: boolean, sheet: string): Readable {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: false,
    useStyles: false,
  });
  const ws = wb.addWorksheet(sheet.slice(0, 31));
  const cell = (v: Cell) => (v === null ? null : typeof v === "number" ? v : safeCell(v));
  void (async () => {
    try {
      ws.addRow(t.columns.map((c) => safeCell(c.header))).commit();
      if (hxl) ws.addRow(t.columns.map((c) => c.hxl)).commit();
      let n = 0;
      for await (const row of t.rows) {
        ws.addRow(row.map(cell)).commit();
        if (++n % 500 === 0 && out.writableNeedDrain) await once(out, "drain");
      }
      ws.commit();
      await wb.commit();
    } catch (err) {
      out.destroy(err as Error);
    }
  })();
  return out;
}

export const ExportInput = z.object({ name: ReportName, query: ReportExportQuery });

/**
 * The register's rows as they stream, each row's person (column 0, the individual ID) gathered for the sharing
 * log: no read and no write per row, a chunk write every few thousand rows (privacy/export-log.ts). A download
 * stopped part way logs the rows that left.
 */
async function logged(
  rows: Table["rows"],
  query: { format: string; purpose?: string; purposeOther?: string; recipient?: string },
): Promise<Table["rows"]> {
  const { ExportRecorder } = await import("../privacy/export-log.ts");
  const recorder = await ExportRecorder.start({
    kind: "register",
    format: query.format,
    purpose: query.purpose,
    purposeOther: query.purposeOther,
    recipient: query.recipient,
  });
  return (async function* () {
    try {
      for await (const row of rows) {
        const wait = recorder.add(typeof row[0] === "string" ? row[0] : undefined);
        if (wait) await wait;
        yield row;
      }
    } finally {
      await recorder.finish();
    }
  })();
}

/**
 * A report table as CSV, XLSX or JSON, with an optional HXL hashtag row and small-count suppression. Needs
 * `report.export`; every export is audited (report, filter, format, suppression) before the first byte leaves.
 */
export const exportReport = fn(ExportInput, async ({ name, query }) => {
  Actor.assert("report.export");
  assertOffice(query.officeID);
  assertPurpose(query);
  // days and months of the tables are the operation's (its time zone)
  const filter = await zoned({ officeID: query.officeID, from: query.from, to: query.to });
  if (query.by && !BREAKDOWN_REPORTS.includes(name as Name))
    throw InvalidError.field("by", "invalid.breakdown", "this report cannot be broken down by a configured field");
  const table = await Tables[name as Name](filter, query.suppressBelow, { by: query.by, lang: query.lang });
  await Audit.record({
    recordID: name,
    recordType: "report",
    action: "export",
    operationID: Actor.operationID(),
    officeID: query.officeID,
    reason: `format=${query.format} hxl=${query.hxl} suppressBelow=${query.suppressBelow} from=${query.from ?? ""} to=${query.to ?? ""}${query.by ? ` by=${query.by}` : ""}`,
  });
  // a row-level export (the register) holds people: each one's sharing log records it (privacy/export-log.ts)
  if (name === "register") table.rows = await logged(table.rows, query);
  const filename = `${name}-${new Date().toISOString().slice(0, 10)}.${query.format}`;
  const headers = {
    contentType: CONTENT[query.format],
    filename,
    suppressed: table.suppressed ?? 0,
    source: table.source ?? "projection",
  };
  if (query.format === "json") {
    const rows: Cell[][] = [];
    for await (const r of table.rows) rows.push(r);
    const json = { columns: table.columns, rows, suppressed: table.suppressed ?? 0 };
    // On AWS through the bucket as CSV and XLSX are: a register as JSON is larger than a Lambda response may be.
    const link = await ObjectStore.offload(Readable.from([JSON.stringify(json)]), {
      fileName: filename,
      contentType: headers.contentType,
    });
    return link ? { ...headers, link } : { ...headers, json };
  }
  const body =
    query.format === "csv"
      ? Readable.from(csvChunks(table, query.hxl))
      : xlsxStream(await loadExcel(), table, query.hxl, name);
  // On AWS the file goes through the bucket: a register export is larger than a Lambda response may be.
  const link = await ObjectStore.offload(body, { fileName: filename, contentType: headers.contentType });
  return link ? { ...headers, link } : { ...headers, body };
});
