import { useState } from "react";
import { ApiError, api } from "../api/client.ts";
import { useAsk } from "../components/Ask.tsx";
import { useMe } from "../components/lookups.ts";
import { problemSentence } from "../components/RecordForm.tsx";
import { useRelated } from "../components/RelatedSection.tsx";
import { Go, failedItems, useHT } from "./parts.tsx";

/**
 * The supervisor's part of community hosting: visits that found code-of-conduct items not met, each with the
 * host, the day, what was not met and the findings; "followed up" records what was done and takes it off the list.
 * Shown to roles that review programme records; the visitor's own findings are never in their list.
 */
export function ComplianceQueue() {
  const { may } = useMe();
  if (!may("programme.review")) return null;
  return <ComplianceList />;
}

function ComplianceList() {
  const i18n = useHT();
  const { ht, label, date } = i18n;
  const list = useRelated("/api/host-visits/reviews");
  const { dialog, ask } = useAsk();
  const [error, setError] = useState<string | null>(null);
  const review = async (visitID: string, version: number, host: string) => {
    const note = await ask({
      title: ht("h.reviewTitle", { host }),
      label: ht("h.reviewNote"),
      submit: ht("h.markReviewed"),
      multiline: true,
      minLength: 3,
    });
    if (note === undefined) return;
    try {
      await api("POST", `/api/host-visits/${visitID}/review`, { note, version });
      setError(null);
      list.reload();
    } catch (e) {
      setError(e instanceof ApiError ? problemSentence(i18n, e) : String(e));
    }
  };
  return (
    <section className="card queue-section hosting" aria-labelledby="q-compliance">
      {dialog}
      <h2 id="q-compliance">
        {ht("h.compliance")} <span className="badge">{list.items?.length ?? 0}</span>
      </h2>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {list.items && list.items.length === 0 && <p className="muted">{ht("h.noCompliance")}</p>}
      {list.items && list.items.length > 0 && (
        <ul className="queue">
          {list.items.map((v) => (
            <li key={String(v.visitID)}>
              <Go to={`/hosts/${String(v.hostID)}`}>{String(v.hostName)}</Go>{" "}
              <span className="muted">· {ht("h.visitedOn", { date: date(String(v.date ?? v.scheduledFor)) })}</span>
              <p>{ht("h.failed", { items: failedItems(v, label).join(", ") })}</p>
              {v.findings ? <p className="muted">{String(v.findings)}</p> : null}
              <button
                type="button"
                onClick={() => void review(String(v.visitID), Number(v.version), String(v.hostName))}
              >
                {ht("h.markReviewed")}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
