import type { GridApi } from "ag-grid-community";
import { api } from "../api/client.ts";
import type { I18n } from "../i18n/i18n.tsx";
import { neutraliseFormula, writeDelimited } from "./delimited.ts";
import { getPath, specOf, toText, type GridContext } from "./fields.ts";
import type { Values } from "./store.ts";
import type { ExportWhy } from "../privacy/PurposeDialog.tsx";

function download(name: string, blob: Blob) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** The current view as text rows: displayed columns in order, rows after filter and sort, header first. */
export function viewRows(
  grid: GridApi,
  i18n: I18n,
  ctx: GridContext,
): { header: string[]; fields: string[]; rows: string[][]; hxl: string[] | null; ids: string[] } {
  const cols = grid.getAllDisplayedColumns().filter((c) => specOf(c));
  const fields = cols.map((c) => specOf(c)!.field);
  const header = fields.map((f) => i18n.field(f));
  // configured fields may carry an HXL tag: the file then has the HXL hashtag row under its header
  const tags = cols.map((c) => specOf(c)!.configured?.def.hxl ?? "");
  const hxl = tags.some(Boolean) ? tags : null;
  const rows: string[][] = [];
  // the records' IDs (the grid's row IDs): the server logs the export in the sharing log of the people they hold
  const ids: string[] = [];
  grid.forEachNodeAfterFilterAndSort((node) => {
    const data = node.data as Values | undefined;
    if (!data) return;
    rows.push(cols.map((c) => toText(specOf(c)!, getPath(data, specOf(c)!.field), i18n.lang, ctx.offices)));
    if (node.id) ids.push(node.id);
  });
  return { header, fields, rows, hxl, ids };
}

/**
 * Exports what the user sees. The server checks the export permission and audits it first (POST
 * /api/exports/audit); a refusal stops the export. Cells that a spreadsheet would run as formulas get a leading '.
 */
export async function exportView(
  grid: GridApi,
  resource: string,
  format: "csv" | "xlsx",
  i18n: I18n,
  ctx: GridContext,
  /** What the file is for (asked before it is made when its rows hold people): kept in their sharing log. */
  why?: ExportWhy,
): Promise<void> {
  const { header, fields, rows, hxl, ids } = viewRows(grid, i18n, ctx);
  await api("POST", "/api/exports/audit", { resource, format, rowCount: rows.length, fields, ids, ...why });
  const stamp = new Date().toISOString().slice(0, 10);
  const name = `waypoint-${resource}-${stamp}.${format}`;
  if (format === "csv") {
    download(
      name,
      new Blob(["\uFEFF" + writeDelimited([header, ...(hxl ? [hxl] : []), ...rows])], {
        type: "text/csv;charset=utf-8",
      }),
    );
    return;
  }
  const { default: ExcelJS } = await import("exceljs");
  const wb = new ExcelJS.Workbook();
  wb.creator = "Waypoint";
  const ws = wb.addWorksheet(resource, {
    views: [{ state: "frozen", ySplit: hxl ? 2 : 1, rightToLeft: i18n.dir === "rtl" }],
  });
  ws.addRow(header).font = { bold: true };
  if (hxl) ws.addRow(hxl).font = { italic: true };
  for (const r of rows) ws.addRow(r.map(neutraliseFormula));
  ws.columns.forEach((c) => (c.width = 18));
  const buf = await wb.xlsx.writeBuffer();
  download(
    name,
    new Blob([buf], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }),
  );
}
