import { useEffect, useState } from "react";
import {
  CaseStageLabels,
  CaseTypeLabels,
  RiskLevelLabels,
  codeLabel,
  type CaseloadRow,
} from "@waypoint/schema";
import { ApiError, api } from "../api/client.ts";
import { recordName, useRecords } from "../components/lookups.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { navigate } from "../nav.ts";
import "./work.css";

/** The caseload of the office by worker: open cases, high risk, overdue follow-ups (highlighted, first). */
export function CaseloadPage(props: { officeID: string | null; mine?: string }) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const [rows, setRows] = useState<CaseloadRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setRows(null);
    const q = props.officeID ? `?officeID=${encodeURIComponent(props.officeID)}` : "";
    api<{ items: CaseloadRow[] }>("GET", `/api/work/caseload${q}`)
      .then((r) => setRows(r.items))
      .catch((e) => setError(e instanceof ApiError ? e.message : String(e)));
  }, [props.officeID]);
  const shown = props.mine ? (rows ?? []).filter((r) => r.userID === props.mine) : rows;
  // whose case it is, by name (each person read once per session, as the cases grid does)
  const people = useRecords("individuals", [
    ...new Set((shown ?? []).flatMap((r) => r.cases.flatMap((c) => c.individualIDs))),
  ]);
  return (
    <section className="page work" aria-labelledby="caseload-title">
      <h2 id="caseload-title">{props.mine ? t("work.myCases") : t("work.caseload.title")}</h2>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {shown && shown.length === 0 && <p className="muted">{t("work.empty")}</p>}
      {shown?.map((r) => (
        <section
          key={r.userID ?? "none"}
          className="card"
          aria-label={r.name ?? t("work.caseload.unassigned")}
        >
          <h3>
            {r.name ?? t("work.caseload.unassigned")}{" "}
            <span className="muted">
              {t("work.caseload.counts", { open: r.open, high: r.highRisk, overdue: r.overdue })}
            </span>
          </h3>
          <table className="plain">
            <thead>
              <tr>
                <th scope="col">{i18n.field("caseNumber")}</th>
                <th scope="col">{i18n.field("individualIDs")}</th>
                <th scope="col">{i18n.field("type")}</th>
                <th scope="col">{i18n.field("stage")}</th>
                <th scope="col">{i18n.field("riskLevel")}</th>
                <th scope="col">{i18n.field("dueFollowUp")}</th>
              </tr>
            </thead>
            <tbody>
              {r.cases.map((c) => (
                <tr key={c.caseID} className={c.overdue ? "overdue" : undefined}>
                  <th scope="row">
                    <a
                      href={`/cases/${c.caseID}`}
                      onClick={(e) => {
                        e.preventDefault();
                        navigate(`/cases/${c.caseID}`);
                      }}
                    >
                      {c.caseNumber}
                    </a>
                  </th>
                  <td>
                    {c.individualIDs
                      .map((id) => recordName("individuals", people.get(id)) ?? "…")
                      .join(", ") || "—"}
                  </td>
                  <td>{codeLabel(CaseTypeLabels, c.type as never, lang)}</td>
                  <td>
                    {codeLabel(CaseStageLabels, c.stage as never, lang)}
                    {c.closurePending && <span className="badge warning">{t("work.closurePending")}</span>}
                  </td>
                  <td>{codeLabel(RiskLevelLabels, c.riskLevel as never, lang)}</td>
                  <td>
                    {c.dueFollowUp ? i18n.date(c.dueFollowUp) : "—"}
                    {c.overdue && <span className="overdue-tag"> · {t("work.caseload.overdueTag")}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </section>
  );
}
