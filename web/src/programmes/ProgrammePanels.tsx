import { useCallback, useEffect, useState } from "react";
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

function useList(path: string) {
  const [items, setItems] = useState<Row[] | null>(null);
  const load = useCallback(() => {
    api<{ items: Row[] } | Row>("GET", path)
      .then((r) =>
        setItems(Array.isArray((r as { items?: Row[] }).items) ? (r as { items: Row[] }).items : [r as Row]),
      )
      .catch(() => setItems([]));
  }, [path]);
  useEffect(load, [load]);
  return items;
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

/** Placements and monitoring/compliance visits of a host. */
export function HostPanel({ id }: PanelProps) {
  const { t } = useI18n();
  const placements = useList(`/api/hosts/${id}/placements`);
  const visits = useList(`/api/hosts/${id}/visits`);
  return (
    <section className="card" aria-labelledby="hosting">
      <h2 id="hosting">{t("panel.placements")}</h2>
      <Table
        rows={placements}
        fields={["individualID", "start", "end", "reason", "status"]}
        empty={t("panel.noPlacements")}
      />
      <h2>{t("panel.visits")}</h2>
      <Table
        rows={visits}
        fields={["kind", "scheduledFor", "status", "date", "result", "findings"]}
        empty={t("panel.noVisits")}
      />
    </section>
  );
}

/** Reintegration plan, invoices and monitoring visits of a return. */
export function ReturnPanel({ id, record }: PanelProps) {
  const { t } = useI18n();
  const plan = useList(`/api/returns/${id}/plan`);
  const invoices = useList(`/api/returns/${id}/invoices`);
  const items = (plan?.[0]?.items as Row[] | undefined) ?? (plan ? [] : null);
  return (
    <section className="card" aria-labelledby="reintegration">
      <h2 id="reintegration">
        {t("panel.plan")} {plan?.[0] ? `(${String(plan[0].status)})` : ""}
      </h2>
      <Table
        rows={items}
        fields={["kind", "description", "budget", "currency", "status"]}
        empty={t("panel.noPlan")}
      />
      <h2>{t("panel.invoices")}</h2>
      <Table
        rows={invoices}
        fields={[
          "itemID",
          "status",
          "amount",
          "currency",
          "selectedSupplierID",
          "selectionReason",
          "paymentID",
        ]}
        empty={t("panel.noInvoices")}
      />
      <h2>{t("panel.monitoring")}</h2>
      <Table
        rows={(record.monitoring as Row[]) ?? []}
        fields={["date", "milestone", "sustainability", "findings"]}
        empty={t("panel.noMonitoring")}
      />
    </section>
  );
}
