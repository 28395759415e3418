import { useState } from "react";
import {
  codeLabel,
  SubmissionStatusLabels,
  SubmissionTransitions,
  type SubmissionStatus,
} from "@waypoint/schema";
import { ApiError, api } from "../api/client.ts";
import { useAsk } from "../components/Ask.tsx";
import { useI18n } from "../i18n/i18n.tsx";

type Row = Record<string, unknown>;
export interface PanelProps {
  id: string;
  record: Row;
  /** Reload the record after an action changed it. */
  reload: () => void;
}

function Table(props: { rows: Row[] | null; fields: string[]; empty: string }) {
  const { field } = useI18n();
  if (!props.rows) return <p className="muted">…</p>;
  if (props.rows.length === 0) return <p className="muted">{props.empty}</p>;
  return (
    <table className="history">
      <thead>
        <tr>
          {props.fields.map((f) => (
            <th key={f}>{field(f)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r, i) => (
          <tr key={i}>
            {props.fields.map((f) => (
              <td key={f}>{typeof r[f] === "object" ? JSON.stringify(r[f]) : String(r[f] ?? "—")}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Runs an action and shows the problem's detail when core refuses it (flags open, BID missing, four eyes…). */
function useAction(reload: () => void) {
  const [error, setError] = useState<string | null>(null);
  const run = (path: string, body: unknown) =>
    api("POST", path, body)
      .then(() => {
        setError(null);
        reload();
      })
      .catch((e) => setError(e instanceof ApiError ? e.message : String(e)));
  return { error, run };
}

/** Lifecycle actions, review and the anti-fraud flags of a resettlement submission. */
export function SubmissionPanel({ id, record, reload }: PanelProps) {
  const { error, run } = useAction(reload);
  const status = record.status as SubmissionStatus;
  const version = record.version as number;
  const flags = (record.flags as Row[] | undefined) ?? [];
  const base = `/api/resettlement/${id}`;
  const { dialog, ask } = useAsk();
  const { t, lang } = useI18n();
  const label = (to: SubmissionStatus) => codeLabel(SubmissionStatusLabels, to, lang);
  const transition = async (to: SubmissionStatus) => {
    let reason: string | undefined;
    let departureDate: string | undefined;
    if (["rejected", "deferred", "withdrawn", "accepted"].includes(to)) {
      reason = await ask({
        title: t("panel.moveTo", { to: label(to) }),
        label: t("panel.reason"),
        submit: `→ ${label(to)}`,
        multiline: true,
      });
      if (reason === undefined) return;
    }
    if (to === "departure_arranged") {
      departureDate = await ask({
        title: t("panel.moveTo", { to: label(to) }),
        label: t("panel.departureDate"),
        type: "date",
        submit: `→ ${label(to)}`,
      });
      if (departureDate === undefined) return;
    }
    run(`${base}/transition`, { to, version, reason, departureDate });
  };
  const decisionLabel = (d: "recommend" | "return") =>
    t(d === "recommend" ? "panel.recommend" : "panel.return");
  const review = async (decision: "recommend" | "return") => {
    const comment = await ask({
      title: t("panel.reviewTitle", { decision: decisionLabel(decision) }),
      label: t("panel.reviewComment"),
      submit: decisionLabel(decision),
      multiline: true,
      required: false,
    });
    if (comment !== undefined) run(`${base}/review`, { decision, comment, version });
  };
  const resolveFlag = async (flagID: string, kind: string) => {
    const note = await ask({
      title: t("panel.resolveTitle", { kind }),
      label: t("panel.resolutionNote"),
      submit: t("panel.resolve"),
      multiline: true,
      required: false,
    });
    if (note !== undefined) run(`${base}/flags/${flagID}/resolve`, { outcome: "cleared", note, version });
  };
  return (
    <section className="card" aria-labelledby="lifecycle">
      {dialog}
      <h2 id="lifecycle">{t("panel.lifecycle")}</h2>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p>
        {SubmissionTransitions[status].map((to) => (
          <button key={to} type="button" onClick={() => void transition(to)}>
            → {label(to)}
          </button>
        ))}
        {status === "drafted" &&
          (["recommend", "return"] as const).map((decision) => (
            <button key={decision} type="button" onClick={() => void review(decision)}>
              {decisionLabel(decision)}
            </button>
          ))}
        <button type="button" onClick={() => run(`${base}/screen`, {})}>
          {t("panel.screen")}
        </button>
      </p>
      <h3>{t("panel.flags")}</h3>
      <Table
        rows={flags}
        fields={["kind", "individualID", "detail", "status", "raisedAt"]}
        empty={t("panel.noFlags")}
      />
      {flags
        .filter((f) => f.status === "open")
        .map((f) => (
          <button
            key={String(f.flagID)}
            type="button"
            onClick={() => void resolveFlag(String(f.flagID), String(f.kind))}
          >
            {t("panel.resolveTitle", { kind: String(f.kind) })}
          </button>
        ))}
    </section>
  );
}

/** A host's page: placements, visits with their checklist, contracts and documents (web/src/hosting/). */
export { HostPanel } from "../hosting/HostPanel.tsx";

/**
 * A return's page: steps, vulnerability, plan editor with approval, quotes and decision, monitoring, files
 * (web/src/returns/). The plan is read as the one record it is: the old list reading took its items for plans
 * and showed "No plan yet" for an approved plan.
 */
export { ReturnPanel } from "../returns/ReturnPanel.tsx";
