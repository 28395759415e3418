import { useCallback, useEffect, useState } from "react";
import { api } from "../api/client.ts";
import { downloadFile, useMe } from "../components/lookups.ts";
import { problemSentence } from "../components/RecordForm.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { intakeText, type IntakeTextKey } from "./intakeText.ts";
import { usePurpose, whyQuery } from "../privacy/PurposeDialog.tsx";

type Lead = {
  leadID: string;
  source: string;
  givenName: string;
  familyName?: string;
  status: string;
  version: number;
  submittedAt?: string;
  timeCreated: string;
  otherAnswers?: Record<string, unknown>;
  history?: {
    time: string;
    applied: boolean;
    changes: Record<string, { before?: unknown; after?: unknown }>;
  }[];
  reviewFlag?: { reason: string };
};

const show = (v: unknown) =>
  v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v);

/**
 * `/intake`: people who came in through partners' KoboToolbox forms, with every answer no field of the lead holds,
 * the edits Kobo sent (what changed, whether the lead took it) and the flag of an edit that needs a person; the
 * leads and the waiting submissions export as CSV.
 */
export function IntakePage() {
  const i18n = useI18n();
  const { lang, dateTime } = i18n;
  const tx = (k: IntakeTextKey) => intakeText(lang, k);
  const { may } = useMe();
  const [leads, setLeads] = useState<Lead[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { dialog: whyDialog, askPurpose } = usePurpose();
  const load = useCallback(() => {
    api<{ items: Lead[] }>("GET", "/api/intake/leads?limit=500")
      .then((r) => setLeads(r.items.filter((l) => l.source === "kobo")))
      .catch(() => setLeads([]));
  }, []);
  useEffect(load, [load]);
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      load();
    } catch (err) {
      setError(problemSentence(i18n, err));
    }
  };
  const day = new Date().toISOString().slice(0, 10);
  return (
    <section className="page intake" aria-labelledby="page-title">
      <h1 id="page-title">{tx("in.title")}</h1>
      <p className="muted">{tx("in.intro")}</p>
      <div className="surface-actions">
        <button
          type="button"
          aria-haspopup="dialog"
          onClick={() =>
            run(async () => {
              // the leads file names people: what it is for goes into the sharing log of those registered
              const why = await askPurpose();
              if (why) await downloadFile(`/api/intake/export?kind=leads&${whyQuery(why)}`, `leads-${day}.csv`);
            })
          }
        >
          {tx("in.exportLeads")}
        </button>
        {may("intake.manage") && (
          <button
            type="button"
            onClick={() => run(() => downloadFile("/api/intake/export?kind=reviews", `waiting-${day}.csv`))}
          >
            {tx("in.exportWaiting")}
          </button>
        )}
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <h2>{tx("in.leads")}</h2>
      {leads?.length === 0 && <p className="muted">{tx("in.none")}</p>}
      {leads && leads.length > 0 && (
        <table className="plain" aria-label={tx("in.leads")}>
          <thead>
            <tr>
              <th scope="col">{tx("in.person")}</th>
              <th scope="col">{tx("in.received")}</th>
              <th scope="col">{tx("in.status")}</th>
              <th scope="col">{tx("in.edits")}</th>
              <th scope="col">{tx("in.otherAnswers")}</th>
            </tr>
          </thead>
          <tbody>
            {leads.map((l) => (
              <LeadRows
                key={l.leadID}
                lead={l}
                open={open === l.leadID}
                toggle={() => setOpen(open === l.leadID ? null : l.leadID)}
                tx={tx}
                dateTime={dateTime}
                canReview={may("intake.manage")}
                reviewed={() =>
                  run(() => api("POST", `/api/intake/leads/${l.leadID}/reviewed`, { version: l.version }))
                }
              />
            ))}
          </tbody>
        </table>
      )}
      {whyDialog}
    </section>
  );
}

function LeadRows(props: {
  lead: Lead;
  open: boolean;
  toggle: () => void;
  tx: (k: IntakeTextKey) => string;
  dateTime: (iso: string | undefined | null) => string;
  canReview: boolean;
  reviewed: () => void;
}) {
  const { lead: l, tx, dateTime } = props;
  const other = Object.entries(l.otherAnswers ?? {});
  return (
    <>
      <tr>
        <td>{[l.givenName, l.familyName].filter(Boolean).join(" ")}</td>
        <td>{dateTime(l.submittedAt ?? l.timeCreated)}</td>
        <td>
          {tx(`status.${l.status}` as IntakeTextKey)}
          {l.reviewFlag && (
            <p className="notice warning">
              {tx(`in.flag.${l.reviewFlag.reason}` as IntakeTextKey)}{" "}
              {props.canReview && (
                <button type="button" onClick={props.reviewed}>
                  {tx("in.reviewed")}
                </button>
              )}
            </p>
          )}
        </td>
        <td>{l.history?.length ?? 0}</td>
        <td>
          {(other.length > 0 || l.history?.length) && (
            <button type="button" aria-expanded={props.open} onClick={props.toggle}>
              {tx("in.show")} ({other.length})
            </button>
          )}
        </td>
      </tr>
      {props.open && (
        <tr>
          <td colSpan={5}>
            <table className="plain" aria-label={tx("in.otherAnswers")}>
              <thead>
                <tr>
                  <th scope="col">{tx("in.question")}</th>
                  <th scope="col">{tx("in.answer")}</th>
                </tr>
              </thead>
              <tbody>
                {other.map(([q, v]) => (
                  <tr key={q}>
                    <td>
                      <code>{q}</code>
                    </td>
                    <td dir="auto">{show(v)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {l.history?.map((h, i) => (
              <table key={i} className="plain" aria-label={tx("in.history")}>
                <caption>
                  {tx("in.history")}: {dateTime(h.time)} ({h.applied ? tx("in.applied") : tx("in.notApplied")}
                  )
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{tx("in.question")}</th>
                    <th scope="col">{tx("in.before")}</th>
                    <th scope="col">{tx("in.after")}</th>
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(h.changes).map(([q, c]) => (
                    <tr key={q}>
                      <td>
                        <code>{q}</code>
                      </td>
                      <td dir="auto">{show(c.before)}</td>
                      <td dir="auto">{show(c.after)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ))}
          </td>
        </tr>
      )}
    </>
  );
}
