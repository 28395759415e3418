import { useEffect, useState } from "react";
import type { DataQualityIssue, DataQualityReport } from "@waypoint/schema";
import { api, ApiError } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { Messages, type MessageKey } from "../i18n/messages.ts";
import { navigate } from "../nav.ts";
import { fieldsText } from "../fields/fieldsText.ts";
import type { Office } from "../pages/Shell.tsx";

const known = (key: string): key is MessageKey => key in Messages.en;

/** An issue's title and fix in the UI language, by its kind; the API's (English) text for a kind not known here. */
function useIssueText() {
  const { t, lang } = useI18n();
  return (i: DataQualityIssue) => {
    // a configured field made required (issue 19): named by its label in the user's language
    if (i.field)
      return {
        title: fieldsText(lang, "dq.title", { field: i.field.labels[lang] || i.field.labels.en }),
        fix: fieldsText(lang, "dq.fix"),
      };
    const title = `dataQuality.kind.${i.kind}`;
    const fix = `dataQuality.fix.${i.kind}`;
    return {
      title: known(title) ? t(title) : i.title,
      fix: known(fix) ? t(fix) : i.suggestedFix,
    };
  };
}

/** Registry inconsistencies, worst first, each with its fix and a link to the grid filtered on its records. */
export function DataQualityPage(props: { offices: Office[]; officeID: string | null }) {
  const i18n = useI18n();
  const { t } = i18n;
  const text = useIssueText();
  const [report, setReport] = useState<DataQualityReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const officeID = props.officeID;
  useEffect(() => {
    let live = true;
    setReport(null);
    api<DataQualityReport>(
      "GET",
      `/api/data-quality${officeID ? `?officeID=${encodeURIComponent(officeID)}` : ""}`,
    )
      .then((r) => live && (setReport(r), setError(null)))
      .catch((e) => live && setError(e instanceof ApiError ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [officeID]);
  const exportHref = (format: string) =>
    `/api/reports/data-quality?format=${format}${officeID ? `&officeID=${encodeURIComponent(officeID)}` : ""}`;
  const issues = [...(report?.issues ?? [])].sort(
    (a, b) => Number(b.severity === "error") - Number(a.severity === "error") || b.count - a.count,
  );
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{t("dataQuality.title")}</h1>
      {error && (
        <div className="notice error" role="alert">
          {error}
        </div>
      )}
      {!report && !error && <p className="muted">{t("dataQuality.checking")}</p>}
      {report && (
        <>
          <p className="muted">
            {officeID
              ? t("dataQuality.checkedOffice", {
                  individuals: report.checked.individuals,
                  households: report.checked.households,
                  office: props.offices.find((o) => o.officeID === officeID)?.name ?? officeID,
                })
              : t("dataQuality.checked", {
                  individuals: report.checked.individuals,
                  households: report.checked.households,
                })}{" "}
            ·{" "}
            {issues.length === 0
              ? t("dataQuality.noIssues")
              : t(
                  new Intl.PluralRules(i18n.locale).select(issues.length) === "one"
                    ? "dataQuality.issueKinds.one"
                    : "dataQuality.issueKinds.other",
                  { n: issues.length },
                )}{" "}
            · {t("dataQuality.exportAs")} <DownloadLink href={exportHref("csv")} name="data-quality.csv" />
          </p>
          <table className="dq-table" data-testid="dq-table">
            <thead>
              <tr>
                <th>{t("dataQuality.issue")}</th>
                <th>{t("dataQuality.records")}</th>
                <th>{t("dataQuality.howToFix")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {issues.map((i) => (
                <tr key={`${i.kind}:${i.field?.key ?? ""}`} className={`dq-${i.severity}`}>
                  <td>
                    <span className={`badge ${i.severity}`}>{t(`dataQuality.severity.${i.severity}`)}</span>{" "}
                    {text(i).title}
                  </td>
                  <td className="num">{i18n.number(i.count)}</td>
                  <td>{text(i).fix}</td>
                  <td>
                    <a
                      href={i.link}
                      onClick={(e) => {
                        e.preventDefault();
                        navigate(i.link);
                      }}
                    >
                      {t("dataQuality.open", { list: t(`nav.${i.resource}`) })}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** Downloads with the session's bearer token (a plain link would not carry it). */
function DownloadLink(props: { href: string; name: string }) {
  return (
    <a
      href={props.href}
      onClick={async (e) => {
        e.preventDefault();
        const raw = sessionStorage.getItem("waypoint.session");
        const token = raw ? (JSON.parse(raw) as { token: string }).token : "";
        const res = await fetch(props.href, { headers: { authorization: `Bearer ${token}` } });
        const url = URL.createObjectURL(await res.blob());
        const a = document.createElement("a");
        a.href = url;
        a.download = props.name;
        a.click();
        URL.revokeObjectURL(url);
      }}
    >
      CSV
    </a>
  );
}
