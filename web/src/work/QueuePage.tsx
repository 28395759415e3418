import {
  ResettlementProgrammeLabels,
  codeLabel,
  type CashRequestQueueItem,
  type ClosureQueueItem,
  type FlaggedQueueItem,
  type ReviewQueueItem,
} from "@waypoint/schema";
import type { ReactNode } from "react";
import { useI18n } from "../i18n/i18n.tsx";
import type { MessageKey } from "../i18n/messages.ts";
import { navigate } from "../nav.ts";
import { ComplianceQueue } from "../hosting/ComplianceQueue.tsx";
import { cashText } from "../cases/cashText.ts";
import { formatMoney } from "../payments/money.ts";
import { ClosureSummary, ReviewSummary } from "./Decisions.tsx";
import { useQueue } from "./useQueue.ts";
import "./work.css";

function Open(props: { to: string; children: ReactNode }) {
  return (
    <a
      href={props.to}
      onClick={(e) => {
        e.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}

function Section<T>(props: {
  id: string;
  title: string;
  items: T[] | null;
  render: (item: T) => ReactNode;
  keyOf: (item: T) => string;
}) {
  const { t } = useI18n();
  if (props.items === null) return null;
  return (
    <section className="card queue-section" aria-labelledby={props.id}>
      <h2 id={props.id}>
        {props.title} <span className="badge">{props.items.length}</span>
      </h2>
      {props.items.length === 0 ? (
        <p className="muted">{t("work.empty")}</p>
      ) : (
        <ul className="queue">
          {props.items.map((i) => (
            <li key={props.keyOf(i)}>{props.render(i)}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * A supervisor's landing page: what waits on them. Each item opens its record, where the decision form waits
 * (closures on the case page, BIA/BID reviews on the BIA/BID page, integrity flags on the submission page).
 */
export function QueuePage() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const { queue, error } = useQueue();
  return (
    <section className="page work" aria-labelledby="page-title">
      <h1 id="page-title">{t("work.queue.title")}</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {queue && (
        <>
          <Section<ClosureQueueItem>
            id="q-closures"
            title={t("work.closures")}
            items={queue.closures}
            keyOf={(c) => c.caseID}
            render={(c) => (
              <>
                <Open to={`/cases/${c.caseID}`}>{t("work.decideOn", { what: c.caseNumber })}</Open>
                {c.assignedName && <span className="muted"> · {c.assignedName}</span>}
                <ClosureSummary item={c} />
              </>
            )}
          />
          <Section<ReviewQueueItem>
            id="q-reviews"
            title={t("work.reviews")}
            items={queue.reviews}
            keyOf={(r) => r.assessmentID}
            render={(r) => (
              <>
                <Open to={`/bip/${r.assessmentID}`}>{t("work.decideOn", { what: r.caseNumber ?? "—" })}</Open>
                <ReviewSummary item={r} />
              </>
            )}
          />
          <Section<FlaggedQueueItem>
            id="q-flagged"
            title={t("work.flagged")}
            items={queue.flagged}
            keyOf={(s) => s.submissionID}
            render={(s) => (
              <>
                <Open to={`/resettlement/${s.submissionID}`}>
                  {t("work.decideOn", { what: s.caseNumber ?? "—" })}
                </Open>{" "}
                <span className="muted">
                  {codeLabel(ResettlementProgrammeLabels, s.programme as never, lang)}
                </span>
                <p>
                  {s.openFlags
                    .map((f) => `${t(`work.flag.${f.kind}` as MessageKey)} (${i18n.dateTime(f.raisedAt)})`)
                    .join("; ")}
                </p>
              </>
            )}
          />
          <Section<CashRequestQueueItem>
            id="q-cash"
            title={cashText(lang, "cash.queue")}
            items={queue.cashRequests ?? null}
            keyOf={(r) => r.paymentID}
            render={(r) => (
              <>
                <Open to={`/cases/${r.caseID}`}>{t("work.decideOn", { what: r.caseNumber })}</Open>
                <span className="muted">
                  {" "}
                  · {r.payeeName} · {formatMoney(i18n.locale, r.currency, r.amount)}
                  {r.requestedByName && ` · ${r.requestedByName}`} · {i18n.dateTime(r.requestedAt)}
                </span>
                <p>{r.reason}</p>
              </>
            )}
          />
        </>
      )}
      <ComplianceQueue />
    </section>
  );
}
