import { useEffect, useState } from "react";
import {
  IncidentKindLabels,
  PerpetratorTypeLabels,
  SexLabels,
  SurvivorAgeGroupLabels,
  codeLabel,
  type Labels,
  type MonitoringDashboard,
} from "@waypoint/schema";
import { api } from "../api/client.ts";
import { downloadFile } from "../components/lookups.ts";
import { problemSentence } from "../components/RecordForm.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import type { Office } from "../pages/Shell.tsx";
import { fbText, type FeedbackTextKey } from "./feedbackText.ts";

type Count = { key: string; name?: string; count: number | null };

/**
 * Protection monitoring: incidents counted by kind, place, survivor's sex and age group, month and perpetrator
 * type, for those who oversee them; the protection cluster's export (HXL, small counts withheld) from here.
 */
export function MonitoringPage(props: { offices: Office[]; officeID: string | null }) {
  const i18n = useI18n();
  const w = (k: FeedbackTextKey, v?: Record<string, string | number>) => fbText(i18n.lang, k, v);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [data, setData] = useState<MonitoringDashboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const query = new URLSearchParams(
    Object.entries({ officeID: props.officeID ?? "", from, to }).filter(([, v]) => v),
  ).toString();
  useEffect(() => {
    let live = true;
    setData(null);
    api<MonitoringDashboard>("GET", `/api/protection-monitoring${query ? `?${query}` : ""}`)
      .then((r) => live && (setData(r), setError(null)))
      .catch((e) => live && setError(problemSentence(i18n, e)));
    return () => void (live = false);
  }, [query, i18n]);
  const month = (m: string) =>
    new Intl.DateTimeFormat(i18n.locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(
      new Date(`${m}-01T00:00:00Z`),
    );
  const coded = (table: Record<string, Labels>) => (k: string) =>
    k in table ? codeLabel(table, k, i18n.lang) : k;
  const sexAge = (k: string) => {
    const [sex, age] = k.split("|") as [string, string];
    return `${coded(SexLabels)(sex)} · ${coded(SurvivorAgeGroupLabels)(age)}`;
  };
  const exportFile = (format: "csv" | "xlsx") => {
    const q = new URLSearchParams({
      format,
      hxl: "true",
      ...(props.officeID ? { officeID: props.officeID } : {}),
    });
    if (from) q.set("from", from);
    if (to) q.set("to", to);
    void downloadFile(
      `/api/reports/protection-incidents?${q.toString()}`,
      `protection-incidents.${format}`,
    ).catch((e) => setError(problemSentence(i18n, e)));
  };
  // a withheld count (small, as in the exports) reads "fewer than 5"
  const shownCount = (n: number | null) =>
    n === null ? w("pm.withheld", { n: i18n.number(data?.suppressBelow ?? 5) }) : i18n.number(n);
  const block = (id: string, title: FeedbackTextKey, rows: Count[], label: (c: Count) => string) => (
    <section className="panel" aria-labelledby={id} key={id}>
      <h2 id={id}>{w(title)}</h2>
      <table className="data-table" data-testid={id}>
        <tbody>
          {rows.map((c) => (
            <tr key={c.key}>
              <th scope="row">{label(c)}</th>
              <td className="num">{shownCount(c.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{w("pm.title")}</h1>
      <p className="muted">{w("pm.intro")}</p>
      <div className="toolbar">
        <label htmlFor="pm-from">{w("pm.from")}</label>{" "}
        <input id="pm-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />{" "}
        <label htmlFor="pm-to">{w("pm.to")}</label>{" "}
        <input id="pm-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </div>
      <p>
        {w("pm.export")}{" "}
        <button type="button" onClick={() => exportFile("csv")}>
          CSV
        </button>{" "}
        <button type="button" onClick={() => exportFile("xlsx")}>
          XLSX
        </button>
      </p>
      {error && (
        <div className="notice error" role="alert">
          {error}
        </div>
      )}
      {data && (
        <>
          <p>
            {w("pm.total")}: <strong data-testid="pm-total">{shownCount(data.total)}</strong>
          </p>
          {data.total === 0 ? (
            <p className="muted">{w("pm.none")}</p>
          ) : (
            <div className="cards">
              {block("pm-kind", "pm.byKind", data.byKind, (c) => coded(IncidentKindLabels)(c.key))}
              {block("pm-area", "pm.byArea", data.byArea, (c) =>
                c.key ? (c.name ?? c.key) : w("pm.noArea"),
              )}
              {block("pm-sex", "pm.bySex", data.bySex, (c) => coded(SexLabels)(c.key))}
              {block("pm-age", "pm.byAge", data.byAgeGroup, (c) => coded(SurvivorAgeGroupLabels)(c.key))}
              {block("pm-sex-age", "pm.bySexAge", data.bySexAndAge, (c) => sexAge(c.key))}
              {block("pm-month", "pm.byMonth", data.byMonth, (c) => month(c.key))}
              {block("pm-perpetrator", "pm.byPerpetrator", data.byPerpetrator, (c) =>
                coded(PerpetratorTypeLabels)(c.key),
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}
