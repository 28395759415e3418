import { useState } from "react";
import { MAX_BULK_ROWS, type BulkResponse, type BulkRowResult } from "@waypoint/schema";
import { api } from "../api/client.ts";
import { refusalSentence } from "../api/refusal.ts";
import { Modal } from "../components/Modal.tsx";
import { Languages } from "../i18n/messages.ts";
import { FieldLabels } from "../i18n/messages.ts";
import { useI18n } from "../i18n/i18n.tsx";
import type { Dataset } from "./dataset.ts";
import { parseDelimited } from "./delimited.ts";
import { fromText, type FieldSpec, type GridContext } from "./fields.ts";
import { checkNew } from "./save.ts";
import { nestValues, type Values } from "./store.ts";

interface RowReport {
  line: number;
  values: Values;
  problems: string[];
  outcome?: BulkRowResult["status"] | "error";
}

const fold = (s: string) =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");

/** The field a file's column header names: the field itself or its label in any UI language. */
function guessField(header: string, specs: FieldSpec[]): string {
  const h = fold(header);
  for (const s of specs) {
    if (fold(s.field) === h) return s.field;
    for (const l of Languages) {
      if (FieldLabels[s.field] && fold(FieldLabels[s.field]![l]) === h) return s.field;
      // a configured field by its key or its label in any language
      const def = s.configured?.def;
      if (def && (fold(def.key) === h || fold(def.labels[l]) === h)) return s.field;
    }
  }
  return "";
}

async function readFile(file: File): Promise<string[][]> {
  if (/\.xlsx$/i.test(file.name)) {
    const { default: ExcelJS } = await import("exceljs");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await file.arrayBuffer());
    const ws = wb.worksheets[0];
    const rows: string[][] = [];
    ws?.eachRow({ includeEmpty: false }, (row) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        const v = cell.value;
        cells[col - 1] =
          v instanceof Date
            ? v.toISOString().slice(0, 10)
            : v === null || v === undefined
              ? ""
              : String(cell.text ?? v);
      });
      rows.push(Array.from(cells, (c) => c ?? ""));
    });
    return rows;
  }
  const text = (await file.text()).replace(/^\uFEFF/, "");
  const first = text.split(/\r?\n/, 1)[0] ?? "";
  const delimiter = first.includes("\t")
    ? "\t"
    : first.split(";").length > first.split(",").length
      ? ";"
      : ",";
  return parseDelimited(text, delimiter);
}

/**
 * Import from CSV/XLSX: map the file's columns to fields, check every row (dry run, in the browser with the API's
 * own zod schemas: the bulk API has no dry-run flag), then create the rows that passed with the bulk POST and
 * report each row's outcome.
 */
export function ImportDialog(props: {
  ds: Dataset;
  specs: FieldSpec[];
  ctx: GridContext;
  defaults: Values;
  onClose: () => void;
}) {
  const { t, field } = useI18n();
  const [table, setTable] = useState<string[][] | null>(null);
  const [mapping, setMapping] = useState<string[]>([]);
  const [report, setReport] = useState<RowReport[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const specs = props.specs.filter((s) => s.editable);

  const dryRun = () => {
    if (!table) return;
    // an HXL hashtag row under the header (as Waypoint's own exports have) is not a record
    const isHxlRow = (cells: string[]) =>
      cells.some((c) => c.trim()) && cells.every((c) => !c.trim() || c.trim().startsWith("#"));
    const out: RowReport[] = table.slice(1).flatMap((cells, i) => {
      if (isHxlRow(cells)) return [];
      const flat: Values = { ...props.defaults };
      const problems: string[] = [];
      mapping.forEach((f, c) => {
        const spec = specs.find((s) => s.field === f);
        if (!spec) return;
        const r = fromText(spec, cells[c] ?? "", props.ctx);
        if (!r.ok) problems.push(`${field(f)}: ${r.message}`);
        else if (r.value !== null && !(Array.isArray(r.value) && r.value.length === 0)) flat[f] = r.value;
      });
      // configured values (`fields.<key>` columns) go in the record's `fields`
      const values = nestValues(Object.entries(flat));
      for (const issue of checkNew(props.ds.resource, values))
        problems.push(`${field(issue.path.split(".")[0]!)}: ${issue.message}`);
      return [{ line: i + 2, values, problems }];
    });
    setReport(
      out.filter(
        (r) => Object.keys(r.values).length > Object.keys(props.defaults).length || r.problems.length,
      ),
    );
  };

  const commit = async () => {
    if (!report) return;
    setBusy(true);
    const ok = report.filter((r) => r.problems.length === 0);
    const next = [...report];
    let created = 0;
    for (let i = 0; i < ok.length; i += MAX_BULK_ROWS) {
      const part = ok.slice(i, i + MAX_BULK_ROWS);
      try {
        const res = await api<BulkResponse>("POST", props.ds.resource.path, {
          rows: part.map((r) => ({ ref: String(r.line), values: r.values })),
        });
        const records: Values[] = [];
        for (const [j, r] of res.results.entries()) {
          const row = next.find((x) => String(x.line) === (r.ref ?? String(part[j]!.line)))!;
          row.outcome = r.status;
          if (r.status === "created" || r.status === "saved") {
            created++;
            records.push(r.record as Values);
          } else if (r.status === "invalid") row.problems = r.issues.map((x) => `${x.path}: ${x.message}`);
          else if (r.status === "forbidden") row.problems = [refusalSentence(r)];
        }
        props.ds.merge(records);
      } catch (e) {
        for (const r of part)
          ((r.outcome = "error"), (r.problems = [e instanceof Error ? e.message : String(e)]));
      }
    }
    setReport(next);
    setDone(t("import.done", { created, failed: next.length - created }));
    setBusy(false);
  };

  const ready = report?.filter((r) => r.problems.length === 0 && !r.outcome).length ?? 0;
  return (
    <Modal title={t("import.title")} onClose={props.onClose} wide>
      <label className="file">
        {t("import.file")}
        <input
          type="file"
          accept=".csv,.tsv,.txt,.xlsx"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            if (!f) return;
            const rows = await readFile(f);
            setTable(rows);
            setMapping((rows[0] ?? []).map((h) => guessField(h, specs)));
            setReport(null);
            setDone(null);
          }}
        />
      </label>
      {table && (
        <>
          <h3>{t("import.mapping")}</h3>
          <table className="plain mapping">
            <thead>
              <tr>
                <th>{t("import.column")}</th>
                <th>{t("import.field")}</th>
              </tr>
            </thead>
            <tbody>
              {(table[0] ?? []).map((h, c) => (
                <tr key={c}>
                  <td>{h}</td>
                  <td>
                    <select
                      aria-label={h}
                      value={mapping[c] ?? ""}
                      onChange={(e) => setMapping(mapping.map((m, i) => (i === c ? e.target.value : m)))}
                    >
                      <option value="">{t("import.skip")}</option>
                      {specs.map((s) => (
                        <option key={s.field} value={s.field}>
                          {field(s.field)}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {report && (
        <>
          <p className="muted">{t("import.clientSide")}</p>
          <p role="status" data-testid="import-summary">
            {done ??
              t("import.summary", {
                ok: report.filter((r) => !r.problems.length).length,
                bad: report.filter((r) => r.problems.length).length,
              })}
          </p>
          <div className="report">
            <table className="plain">
              <thead>
                <tr>
                  <th>{t("import.row")}</th>
                  <th>{t("import.outcome")}</th>
                </tr>
              </thead>
              <tbody>
                {report.map((r) => (
                  <tr key={r.line} data-line={r.line} className={r.problems.length ? "bad" : "ok"}>
                    <td>{r.line}</td>
                    <td>
                      {r.outcome
                        ? t(`outcome.${r.outcome}` as "outcome.saved") + " "
                        : r.problems.length
                          ? ""
                          : t("import.ok")}
                      {r.problems.join("; ")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <div className="actions">
        <button type="button" onClick={props.onClose}>
          {t("common.close")}
        </button>
        <button type="button" disabled={!table} onClick={dryRun}>
          {t("import.dryRun")}
        </button>
        <button
          type="button"
          className="primary"
          disabled={!ready || busy || Boolean(done)}
          onClick={() => void commit()}
        >
          {t("import.commit", { n: ready })}
        </button>
      </div>
    </Modal>
  );
}
