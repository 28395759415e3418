import { useState } from "react";
import { ReturnCreate } from "@waypoint/schema";
import { api } from "../api/client.ts";
import { isoToParts } from "../components/DateInput.tsx";
import { downloadFile, recordName, useMe, useRecords } from "../components/lookups.ts";
import { RecordForm } from "../components/RecordForm.tsx";
import { useRelated } from "../components/RelatedSection.tsx";
import { Go } from "../hosting/parts.tsx";
import { navigate } from "../nav.ts";
import { MONTHLY_HEADERS, useRT } from "./parts.ts";
import { InconsistencyText } from "./returnsText.ts";
import "../hosting/hosting.css";

type Row = Record<string, unknown>;
const lastMonth = () => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).toISOString().slice(0, 7);
};

/**
 * The return and reintegration assistant's desk: register a return by picking the person; the month's AVRR
 * statistical table, on screen and as CSV or Excel; the data inconsistencies with their suggested fixes.
 */
export function ReturnsDesk(props: { officeID: string | null }) {
  const { may } = useMe();
  const { rt } = useRT();
  return (
    <section className="page programme" aria-labelledby="page-title">
      <h1 id="page-title">{rt("r.title")}</h1>
      {may("programme.update") && <Register officeID={props.officeID} />}
      {may("report.read") && <Monthly />}
      {may("programme.read") && <Inconsistencies />}
    </section>
  );
}

function Register(props: { officeID: string | null }) {
  const { rt } = useRT();
  const { me } = useMe();
  // the office chosen in the header, or the user's only office; otherwise the form asks
  const officeID = props.officeID ?? (me?.officeIDs?.length === 1 ? me.officeIDs[0]! : null);
  return (
    <section className="card" aria-labelledby="register">
      <h2 id="register">{rt("r.register")}</h2>
      <RecordForm
        schema={ReturnCreate}
        intro={<p className="muted">{rt("r.registerIntro")}</p>}
        fixed={officeID ? { officeID } : {}}
        officeID={officeID ?? undefined}
        fields={[
          ...(officeID ? [] : [{ field: "officeID", kind: "office" as const }]),
          { field: "individualIDs", kind: "ref", ref: "individuals", label: rt("r.person") },
          { field: "countryOfReturn", kind: "text", label: rt("r.country"), hint: rt("r.countryHint") },
          { field: "destinationAdm1", kind: "text", label: rt("r.destination") },
          { field: "plannedReturnDate", kind: "date", label: rt("r.planned") },
          { field: "notes", kind: "textarea", label: rt("r.notes") },
        ]}
        transform={({ individualIDs, countryOfReturn, ...rest }) => ({
          ...rest,
          ...(countryOfReturn ? { countryOfReturn: String(countryOfReturn).toUpperCase() } : {}),
          individualIDs: individualIDs ? [individualIDs] : [],
        })}
        send={(body) => api<Row>("POST", "/api/returns", body)}
        submitLabel={rt("r.save")}
        onDone={(r) => navigate(`/returns/${String((r as Row).returnID)}`)}
      />
    </section>
  );
}

function Monthly() {
  const { rt, lang, number } = useRT();
  const [month, setMonth] = useState(lastMonth());
  const rows = useRelated(/^\d{4}-\d{2}$/.test(month) ? `/api/avrr/monthly?month=${month}` : null);
  const headers = MONTHLY_HEADERS[lang];
  const file = (format: "csv" | "xlsx") =>
    void downloadFile(`/api/avrr/monthly/export?month=${month}&format=${format}&lang=${lang}`, `avrr-${month}.${format}`);
  return (
    <section className="card" aria-labelledby="monthly">
      <h2 id="monthly">{rt("r.monthly")}</h2>
      <div className="filters">
        <label>
          {rt("r.month")}
          <input type="month" value={month} onChange={(e) => setMonth(e.target.value)} />
        </label>
        <button type="button" onClick={() => file("csv")}>
          {rt("r.csv")}
        </button>
        <button type="button" onClick={() => file("xlsx")}>
          {rt("r.xlsx")}
        </button>
      </div>
      {rows.items && rows.items.length === 0 && <p className="muted">{rt("r.noRows")}</p>}
      {rows.items && rows.items.length > 0 && (
        <div className="table-scroll">
          <table className="history" aria-label={rt("r.monthly")}>
            <thead>
              <tr>
                {headers.map((h) => (
                  <th key={h}>{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.items.map((r) => {
                const d = r.itemsDelivered as Record<string, number>;
                const cells = [r.returnedCases, r.returnedIndividuals, r.female, r.male, r.children, r.underMonitoring, r.visitsInMonth, r.highVulnerability, r.plansApproved, d.economic, d.social, d.psychosocial];
                return (
                  <tr key={String(r.countryOfReturn)}>
                    <th scope="row">{String(r.countryOfReturn)}</th>
                    {cells.map((c, i) => (
                      <td key={i}>{number(Number(c))}</td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Inconsistencies() {
  const { rt, lang } = useRT();
  const report = useRelated("/api/avrr/inconsistencies");
  const returns = useRelated("/api/returns?limit=1000");
  const byID = new Map((returns.items ?? []).map((r) => [String(r.returnID), r]));
  const ids = [
    ...new Set([
      ...(report.items ?? []).flatMap((i) => (byID.get(String(i.returnID))?.individualIDs as string[] | undefined) ?? []),
      ...(report.items ?? []).map((i) => String(i.individualID ?? "")).filter(Boolean),
    ]),
  ];
  const people = useRecords("individuals", ids);
  const nameOf = (id: string) => recordName("individuals", people.get(id)) ?? "…";
  const returnName = (id: string) => {
    const r = byID.get(id);
    if (!r) return "…";
    return `${((r.individualIDs as string[]) ?? []).map(nameOf).join(", ")} → ${String(r.countryOfReturn)}`;
  };
  return (
    <section className="card" aria-labelledby="inconsistencies">
      <h2 id="inconsistencies">{rt("r.inconsistencies")}</h2>
      {report.items && report.items.length === 0 && <p className="muted">{rt("r.noInconsistencies")}</p>}
      {report.items && report.items.length > 0 && (
        <table className="history">
          <thead>
            <tr>
              <th>{rt("r.return")}</th>
              <th>{rt("r.problem")}</th>
              <th>{rt("r.fix")}</th>
            </tr>
          </thead>
          <tbody>
            {report.items.map((i, n) => {
              const words = InconsistencyText[String(i.code)]?.[lang];
              const problem = words ? words[0].replace("{person}", nameOf(String(i.individualID ?? ""))) : String(i.problem);
              const fix = words ? words[1] : String(i.suggestedFix);
              return (
                <tr key={`${String(i.recordID)}-${String(i.code)}-${n}`}>
                  <td>
                    <Go to={`/returns/${String(i.returnID)}`}>{returnName(String(i.returnID))}</Go>
                  </td>
                  <td>
                    {problem}
                    {((i.relatedReturnIDs as string[] | undefined) ?? []).map((o) => (
                      <div key={o} className="small">
                        → <Go to={`/returns/${o}`}>{returnName(o)}</Go>
                      </div>
                    ))}
                  </td>
                  <td>{fix}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
