import { useEffect, useMemo, useState } from "react";
import { api } from "../api/client.ts";
import { downloadFile } from "../components/lookups.ts";
import { loadCatalogue, type Catalogue } from "../fields/catalogue.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { breakdownText, type BreakdownTextKey } from "./breakdownText.ts";

/** Small counts withheld on screen, as the exports' default (`DEFAULT_SUPPRESS_BELOW`). */
const BELOW = 5;
const BREAKDOWN_TYPES = ["oneOf", "manyOf", "yesNo"];
const TABLES = { sex: "individuals-nationality", agd: "individuals-agd" } as const;

type Table = { columns: { header: string; hxl: string }[]; rows: (string | number | null)[][] };

/**
 * The dashboard's people table by a configured field of individuals (one/many of a code list, yes/no): the report
 * API's `by=fields.<key>` with labels in the user's language and small counts withheld; CSV / Excel downloads of
 * the same table. Shown to roles that may export reports.
 */
export function BreakdownCard(props: { officeID: string; from: string; to: string }) {
  const i18n = useI18n();
  const w = (k: BreakdownTextKey, vars?: Record<string, string | number>) => breakdownText(i18n.lang, k, vars);
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null);
  const [key, setKey] = useState("");
  const [kind, setKind] = useState<keyof typeof TABLES>("sex");
  const [table, setTable] = useState<Table | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    void loadCatalogue("individual").then((c) => live && setCatalogue(c));
    return () => {
      live = false;
    };
  }, []);
  const fields = useMemo(
    () => (catalogue?.fields ?? []).filter((d) => BREAKDOWN_TYPES.includes(d.type)),
    [catalogue],
  );
  const chosen = fields.find((d) => d.key === key) ?? fields[0];
  const query = (format: string) => {
    const q = new URLSearchParams({ format, by: `fields.${chosen!.key}`, lang: i18n.lang, suppressBelow: String(BELOW) });
    if (props.officeID) q.set("officeID", props.officeID);
    if (props.from) q.set("from", props.from);
    if (props.to) q.set("to", props.to);
    return `/api/reports/${TABLES[kind]}?${q}`;
  };
  useEffect(() => {
    if (!chosen) return;
    let live = true;
    setFailed(false);
    api<Table>("GET", query("json"))
      .then((t) => live && setTable(t))
      .catch(() => live && (setTable(null), setFailed(true)));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the query is made of these
  }, [chosen?.key, kind, i18n.lang, props.officeID, props.from, props.to]);

  // the API's column headers are English: the screen says them in the user's language
  const header = (h: string, i: number) => {
    if (i === 0) return h; // the field's label, already in the user's language
    const fixed: Record<string, BreakdownTextKey> = {
      Total: "breakdown.total",
      Female: "breakdown.female",
      Male: "breakdown.male",
      "Other sex": "breakdown.otherSex",
      "Sex unknown": "breakdown.sexUnknown",
    };
    if (Object.hasOwn(fixed, h)) return w(fixed[h]!);
    const m = /^(Female|Male) (.+)$/.exec(h);
    if (!m) return h;
    const sex = w(m[1] === "Female" ? "breakdown.female" : "breakdown.male");
    const age = m[2] === "age unknown" ? w("breakdown.ageUnknown") : m[2]!.replace(/\d+/g, (n) => i18n.number(Number(n)));
    return `${sex} ${age}`;
  };

  return (
    <section className="dash-card wide" aria-label={w("breakdown.title")} data-testid="breakdown-card">
      <h2>{w("breakdown.title")}</h2>
      {fields.length === 0 ? (
        <p className="muted">{catalogue ? w("breakdown.empty") : "…"}</p>
      ) : (
        <>
          <div className="toolbar">
            <label className="inline">
              <span>{w("breakdown.field")}</span>
              <select value={chosen?.key ?? ""} onChange={(e) => setKey(e.target.value)} aria-label={w("breakdown.field")}>
                {fields.map((d) => (
                  <option key={d.key} value={d.key}>
                    {d.labels[i18n.lang] || d.labels.en}
                  </option>
                ))}
              </select>
            </label>
            <label className="inline">
              <span>{w("breakdown.table")}</span>
              <select value={kind} onChange={(e) => setKind(e.target.value as keyof typeof TABLES)} aria-label={w("breakdown.table")}>
                <option value="sex">{w("breakdown.table.sex")}</option>
                <option value="agd">{w("breakdown.table.agd")}</option>
              </select>
            </label>
            <button type="button" onClick={() => void downloadFile(query("csv"), `${TABLES[kind]}-${chosen!.key}.csv`)}>
              {w("breakdown.csv")}
            </button>
            <button type="button" onClick={() => void downloadFile(query("xlsx"), `${TABLES[kind]}-${chosen!.key}.xlsx`)}>
              {w("breakdown.xlsx")}
            </button>
          </div>
          {failed && (
            <div className="notice error" role="alert">
              {w("breakdown.failed")}
            </div>
          )}
          {table && (
            <div className="table-scroll">
              <table className="dash-table" data-testid="breakdown-table">
                <thead>
                  <tr>
                    {table.columns.map((c, i) => (
                      <th key={i} scope="col">
                        {header(c.header, i)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {table.rows.map((r, i) => (
                    <tr key={i}>
                      {r.map((v, j) =>
                        j === 0 ? (
                          <th key={j} scope="row">
                            {v === "Total" && i === table.rows.length - 1 ? w("breakdown.total") : String(v ?? "")}
                          </th>
                        ) : (
                          <td key={j} title={v === null ? w("breakdown.withheld", { n: BELOW }) : undefined}>
                            {v === null ? "—" : typeof v === "number" ? i18n.number(v) : v}
                          </td>
                        ),
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <p className="muted">{w("breakdown.note", { n: BELOW })}</p>
        </>
      )}
    </section>
  );
}
