import { useEffect, useState } from "react";
import type { DataQualityReport } from "@waypoint/schema";
import { api, ApiError } from "../api/client.ts";
import { navigate } from "../nav.ts";
import type { Office } from "../pages/Shell.tsx";

/** Registry inconsistencies, worst first, each with its fix and a link to the grid filtered on its records. */
export function DataQualityPage(props: { offices: Office[]; officeID: string | null }) {
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
      <h1 id="page-title">Data quality</h1>
      {error && (
        <div className="notice error" role="alert">
          {error}
        </div>
      )}
      {!report && !error && <p className="muted">Checking the register…</p>}
      {report && (
        <>
          <p className="muted">
            Checked {report.checked.individuals.toLocaleString()} individuals and{" "}
            {report.checked.households.toLocaleString()} households
            {officeID
              ? ` of ${props.offices.find((o) => o.officeID === officeID)?.name ?? officeID}`
              : ""} · {issues.length === 0 ? "no issues found" : `${issues.length} kinds of issue`} · export
            as <DownloadLink href={exportHref("csv")} name="data-quality.csv" />
          </p>
          <table className="dq-table" data-testid="dq-table">
            <thead>
              <tr>
                <th>Issue</th>
                <th>Records</th>
                <th>How to fix</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {issues.map((i) => (
                <tr key={i.kind} className={`dq-${i.severity}`}>
                  <td>
                    <span className={`badge ${i.severity}`}>{i.severity}</span> {i.title}
                  </td>
                  <td className="num">{i.count.toLocaleString()}</td>
                  <td>{i.suggestedFix}</td>
                  <td>
                    <a
                      href={i.link}
                      onClick={(e) => {
                        e.preventDefault();
                        navigate(i.link);
                      }}
                    >
                      Open {i.resource} →
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
