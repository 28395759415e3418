import { useState } from "react";
import {
  AssessmentKindLabels,
  AssessmentReviewInput,
  ClosureDecision,
  codeLabel,
  type AssessmentKind,
  type ClosureQueueItem,
  type ReviewQueueItem,
} from "@waypoint/schema";
import { z } from "zod";
import { api } from "../api/client.ts";
import { RecordForm } from "../components/RecordForm.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import type { MessageKey } from "../i18n/messages.ts";

/** The closure decision as the form asks it (approve or reject, a reason to reject); sent as ClosureDecision. */
const ClosureForm = z.object({
  decision: z.enum(["approve", "reject"]),
  comment: ClosureDecision.shape.comment,
  version: ClosureDecision.shape.version,
});

/** A supervisor's decision on a case closure: approve or reject, with a reason (required to reject). */
export function ClosureDecisionForm(props: { item: ClosureQueueItem; onDone: () => void }) {
  const { t } = useI18n();
  const { item } = props;
  return (
    <RecordForm
      schema={ClosureForm.refine((d) => d.decision === "approve" || (d.comment ?? "").trim().length >= 3, {
        path: ["comment"],
        message: t("work.commentRequired"),
      })}
      send={({ decision, ...rest }) =>
        api("POST", `/api/cases/${item.caseID}/closure-approval`, {
          ...rest,
          approve: decision === "approve",
        })
      }
      fixed={{ version: item.version }}
      fields={[
        {
          field: "decision",
          kind: "select",
          label: t("work.decision"),
          options: [
            { value: "approve", label: t("work.approve") },
            { value: "reject", label: t("work.reject") },
          ],
        },
        { field: "comment", kind: "textarea", label: t("work.comment") },
      ]}
      fieldOfPath={(p) => (p === "approve" ? "decision" : undefined)}
      submitLabel={t("work.send")}
      onDone={props.onDone}
    />
  );
}

/** A reviewer's vote on a BIA or BID (a BID counts once two reviewers other than the author approved). */
export function ReviewForm(props: { item: ReviewQueueItem; onDone: () => void }) {
  const { t } = useI18n();
  const { item } = props;
  return (
    <RecordForm
      schema={AssessmentReviewInput}
      path={`/api/assessments/${item.assessmentID}/review`}
      fixed={{ version: item.version }}
      fields={[
        {
          field: "decision",
          kind: "select",
          label: t("work.decision"),
          options: (["approve", "return", "reject"] as const).map((d) => ({
            value: d,
            label: t(`work.${d}` as MessageKey),
          })),
        },
        { field: "comment", kind: "textarea", label: t("work.comment") },
      ]}
      submitLabel={t("work.send")}
      onDone={props.onDone}
    />
  );
}

/** Who asked, when, why: a closure request in a sentence. */
export function ClosureSummary({ item }: { item: ClosureQueueItem }) {
  const i18n = useI18n();
  return (
    <p>
      {i18n.t("work.requestedBy", {
        name: item.requestedByName ?? "—",
        when: i18n.dateTime(item.requestedAt),
      })}{" "}
      {i18n.t("work.reason", { reason: item.reason })}
    </p>
  );
}

/** The assessment, its author and the panel so far ("1 of 2 approvals"; who voted what). */
export function ReviewSummary({ item }: { item: ReviewQueueItem }) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const vote = (d: string) => t(`work.${d}` as MessageKey);
  return (
    <>
      <p>
        <strong>{codeLabel(AssessmentKindLabels, item.kind as AssessmentKind, lang)}</strong>
        {item.personName ? ` · ${item.personName}` : ""} ·{" "}
        {t("work.author", { name: item.authorName ?? "—" })}
      </p>
      <p>
        {t("work.panel", { n: item.approvals, needed: item.needed })}
        {item.panel.length > 0 &&
          ` · ${item.panel.map((p) => `${p.reviewerName}: ${vote(p.decision)}`).join("; ")}`}
      </p>
    </>
  );
}

/**
 * On a record's page: the decisions waiting there for the signed-in user (a case's closure, its BIAs/BIDs to
 * review), each with its form. Shown only when something waits; the queue decides what (core checks it again).
 */
export function DecisionsHere(props: {
  closures: ClosureQueueItem[];
  reviews: ReviewQueueItem[];
  onDone: () => void;
}) {
  const { t } = useI18n();
  const [done, setDone] = useState<string | null>(null);
  if (props.closures.length === 0 && props.reviews.length === 0)
    return done ? (
      <p role="status" className="card">
        {done}
      </p>
    ) : null;
  const finish = () => {
    setDone(t("work.recorded"));
    props.onDone();
  };
  return (
    <section className="card decision" aria-labelledby="decisions">
      <h2 id="decisions">{t("work.decisionsHere")}</h2>
      {props.closures.map((c) => (
        <div key={c.caseID} className="decision-item">
          <h3>{t("work.closureToDecide")}</h3>
          <ClosureSummary item={c} />
          <ClosureDecisionForm item={c} onDone={finish} />
        </div>
      ))}
      {props.reviews.map((r) => (
        <div key={r.assessmentID} className="decision-item">
          <h3>{t("work.reviewToDo")}</h3>
          <ReviewSummary item={r} />
          <ReviewForm item={r} onDone={finish} />
        </div>
      ))}
    </section>
  );
}
