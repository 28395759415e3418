import {
  AppointmentKindLabels,
  AppointmentStatusLabels,
  AssessmentKindLabels,
  AssessmentStatusLabels,
  CaseDocumentKindLabels,
  CaseDocumentMaxBytes,
  CaseChanges,
  CaseDocumentMeta,
  CaseStageLabels,
  ApprovalRequiredForClosure,
  CaseTransition,
  CaseTransitions,
  ClosureRequest,
  type CaseType,
  IncidentCreate,
  IncidentKindLabels,
  NoteCreate,
  NoteKindLabels,
  PaymentPurposeLabels,
  PaymentStatusLabels,
  ReferralCreate,
  ReferralStatusLabels,
  RiskLevelLabels,
  ServiceCategoryLabels,
  UrgencyLabels,
  codeLabel,
  type CaseStage,
} from "@waypoint/schema";
import { useState } from "react";
import { api } from "../api/client.ts";
import { EditDetails } from "../components/EditDetails.tsx";
import { fieldsFrom, type FormField } from "../components/formFields.ts";
import { downloadFile, recordName, useMe, useOrganisations, useRecords } from "../components/lookups.ts";
import { Modal } from "../components/Modal.tsx";
import { problemSentence, RecordForm } from "../components/RecordForm.tsx";
import { newestFirst, RelatedSection } from "../components/RelatedSection.tsx";
import type { ColDef } from "ag-grid-community";
import { BookingForm } from "../appointments/BookingForm.tsx";
import { caseColumns } from "../domains/cases.columns.ts";
import { referralColumns } from "../domains/referrals.columns.ts";
import { useI18n } from "../i18n/i18n.tsx";
import type { PanelProps } from "../programmes/ProgrammePanels.tsx";
import { AssessmentForm, ScoreExplained } from "../questionnaires/AssessmentForm.tsx";
import { CashRequests } from "./CashRequests.tsx";
import { PerpetratorTypeLabels, SexLabels, SurvivorAgeGroupLabels } from "@waypoint/schema";
import { fbText } from "../feedback/feedbackText.ts";
import { PeopleSection } from "./PeopleSection.tsx";
import { useServiceChoice } from "../community/ServiceSuggestions.tsx";
import { formatMoney } from "../payments/money.ts";
import { ConfiguredEdit, ConfiguredValues, useConfiguredCreate, useHasConfigured } from "../fields/ConfiguredSection.tsx";
import { fieldsText } from "../fields/fieldsText.ts";

type Row = Record<string, unknown>;

/** Files a caseworker may attach: PDFs, images and office documents. */
const DOCUMENT_TYPES = ".pdf,.jpg,.jpeg,.png,.heic,.doc,.docx,.odt,application/pdf,image/*";

/** The case page's work surface: its people and every piece of work on the case, each with the action the role may take. */
export function CasePanel({ id, record, reload }: PanelProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const { me, may, mayOn } = useMe();
  // the partner directory is for those who refer; other roles (finance) may not read it
  const orgs = useOrganisations(may("referral.read"));
  // the service directory's services for this case, offered beside the referral form (they fill it in)
  const serviceChoice = useServiceChoice(id);
  const peopleIDs = (record.individualIDs as string[] | undefined) ?? [];
  const people = useRecords("individuals", peopleIDs);
  const personOptions = peopleIDs.map((p) => ({
    value: p,
    label: recordName("individuals", people.get(p)) ?? "…",
  }));
  const person: FormField = { field: "individualID", kind: "select", options: personOptions };
  const officeID = String(record.officeID ?? "");
  // the operation's configured fields of assessments and incidents (issue 19): a column of their values, "Edit
  // these fields" on each row the role may change, and the questions of the incident form
  const configuredColumn = (resourceKey: string, has: boolean) =>
    has
      ? [
          {
            field: "fields",
            kind: "text" as const,
            label: fieldsText(lang, "fields.section"),
            render: (r: Row) => <ConfiguredValues resourceKey={resourceKey} record={r} />,
          },
        ]
      : [];
  const assessmentsConfigured = useHasConfigured("assessments");
  const incidentsConfigured = useHasConfigured("incidents");
  const incidentFields = useConfiguredCreate("incidents");
  const orgName = (o: Row) =>
    `${String(o.name)} (${((o.services as string[]) ?? [])
      .map((s) => codeLabel(ServiceCategoryLabels, s as keyof typeof ServiceCategoryLabels, lang))
      .join(", ")})`;

  return (
    <div className="work-surface">
      <div className="surface-actions">
        <EditDetails
          path="/api/cases"
          id={id}
          record={record}
          columns={caseColumns as unknown as ColDef[]}
          changes={CaseChanges}
          action="case.update"
          onSaved={reload}
        />
      </div>
      <PeopleSection
        individualIDs={peopleIDs}
        householdID={record.householdID as string | undefined}
        case={{ caseID: id, version: Number(record.version), onChanged: reload, record }}
      />
      <StageSection id={id} record={record} reload={reload} />
      {may("note.read") && (
        <RelatedSection
          id="case-notes"
          title={t("case.notes")}
          path={`/api/cases/${id}/notes`}
          sort={newestFirst}
          empty={t("case.noNotes")}
          columns={[
            { field: "timeCreated", kind: "datetime" },
            { field: "kind", kind: "enum", table: NoteKindLabels },
            { field: "body", kind: "textarea" },
          ]}
          add={
            mayOn("note.create", record)
              ? {
                  label: t("case.addNote"),
                  form: {
                    schema: NoteCreate,
                    path: `/api/cases/${id}/notes`,
                    fields: [
                      { field: "kind", kind: "enum", table: NoteKindLabels },
                      { field: "body", kind: "textarea" },
                    ],
                  },
                }
              : undefined
          }
        />
      )}
      {may("assessment.read") && (
        <RelatedSection
          id="case-assessments"
          title={t("case.assessments")}
          path={`/api/assessments?caseID=${encodeURIComponent(id)}&limit=1000`}
          sort={newestFirst}
          empty={t("case.noAssessments")}
          columns={[
            { field: "timeCreated", kind: "datetime" },
            { field: "kind", kind: "enum", table: AssessmentKindLabels },
            { field: "individualID", kind: "ref", ref: "individuals" },
            { field: "score", kind: "number" },
            { field: "level", kind: "enum", table: RiskLevelLabels },
            { field: "status", kind: "enum", table: AssessmentStatusLabels },
            ...configuredColumn("assessments", assessmentsConfigured),
          ]}
          extra={(a, again) => (
            <>
              <ScoreExplained assessment={a} mayRecompute={mayOn("assessment.update", a)} onChanged={again} />{" "}
              {a.status === "draft" && mayOn("assessment.update", a) ? (
                <SubmitAssessment assessment={a} onDone={again} />
              ) : null}{" "}
              <ConfiguredEdit
                collection={{ key: "assessments", path: "/api/assessments" }}
                id={String(a.assessmentID)}
                record={a}
                onSaved={again}
              />
            </>
          )}
          add={
            mayOn("assessment.create", record)
              ? {
                  label: t("case.addAssessment"),
                  // drawn from the current version of the kind's questionnaire, skip conditions applied live
                  render: (done, cancel) => (
                    <AssessmentForm caseID={id} people={personOptions} onDone={done} onCancel={cancel} />
                  ),
                }
              : undefined
          }
        />
      )}
      {may("document.read") && (
        <RelatedSection
          id="case-documents"
          title={t("case.documents")}
          path={`/api/cases/${id}/documents`}
          sort={newestFirst}
          empty={t("case.noDocuments")}
          columns={[
            { field: "title", kind: "text" },
            { field: "kind", kind: "enum", table: CaseDocumentKindLabels },
            { field: "fileName", kind: "text" },
            { field: "timeCreated", kind: "datetime" },
          ]}
          extra={(d) =>
            may("document.read") ? (
              <button
                type="button"
                onClick={() =>
                  void downloadFile(
                    `/api/cases/${id}/documents/${String(d.documentID)}/content`,
                    String(d.fileName),
                  )
                }
              >
                {t("case.download")}
              </button>
            ) : null
          }
          add={
            mayOn("document.create", record)
              ? {
                  label: t("case.upload"),
                  form: {
                    schema: CaseDocumentMeta,
                    fields: [
                      {
                        field: "file",
                        kind: "file",
                        accept: DOCUMENT_TYPES,
                        maxBytes: CaseDocumentMaxBytes,
                        hint: t("case.uploadHint", { mb: CaseDocumentMaxBytes / 1048576 }),
                      },
                      { field: "kind", kind: "enum", table: CaseDocumentKindLabels },
                      { field: "title", kind: "text" },
                      person,
                    ],
                    transform: ({ file, ...rest }) => ({
                      ...rest,
                      file,
                      fileName: file instanceof File ? file.name : undefined,
                      contentType: file instanceof File ? file.type || "application/octet-stream" : undefined,
                    }),
                    fieldOfPath: (p) =>
                      p === "fileName" || p === "contentType" || p === "content" || p === "contentBase64"
                        ? "file"
                        : undefined,
                    send: async ({ file, ...meta }) =>
                      api("POST", `/api/cases/${id}/documents`, {
                        ...meta,
                        contentBase64: await toBase64(file as File),
                      }),
                  },
                }
              : undefined
          }
        />
      )}
      {may("referral.read") && (
        <RelatedSection
          id="case-referrals"
          title={t("case.referrals")}
          path={`/api/referrals?caseID=${encodeURIComponent(id)}&limit=1000`}
          sort={newestFirst}
          empty={t("case.noReferrals")}
          link={(r) => `/referrals/${String(r.referralID)}`}
          columns={[
            { field: "referralNumber", kind: "text" },
            { field: "serviceCategory", kind: "enum", table: ServiceCategoryLabels },
            {
              field: "toOrganisationID",
              kind: "select",
              options: orgs.map((o) => ({ value: String(o.organisationID), label: String(o.name) })),
            },
            { field: "individualID", kind: "ref", ref: "individuals" },
            { field: "status", kind: "enum", table: ReferralStatusLabels },
            {
              field: "answer",
              kind: "text",
              get: (r) => r.declineReason ?? r.serviceNote,
            },
            { field: "timeCreated", kind: "datetime" },
          ]}
          add={
            mayOn("referral.create", record)
              ? {
                  label: t("case.addReferral"),
                  form: {
                    schema: ReferralCreate,
                    path: "/api/referrals",
                    ...serviceChoice,
                    fixed: { officeID, caseID: id },
                    fields: [
                      person,
                      ...fieldsFrom(referralColumns as unknown as ColDef[], ["serviceCategory"]),
                      {
                        field: "toOrganisationID",
                        kind: "select",
                        options: orgs.map((o) => ({ value: String(o.organisationID), label: orgName(o) })),
                      },
                      ...fieldsFrom(referralColumns as unknown as ColDef[], ["urgency", "reason"]),
                      { field: "consent.given", kind: "bool", hint: t("case.consentHint") },
                      { field: "consent.date", kind: "date" },
                      { field: "consent.scope", kind: "text" },
                      ...fieldsFrom(referralColumns as unknown as ColDef[], ["deadline"]),
                    ],
                  },
                }
              : undefined
          }
        />
      )}
      {may("appointment.read") && (
        <RelatedSection
          id="case-appointments"
          title={t("case.appointments")}
          path={`/api/appointments?caseID=${encodeURIComponent(id)}&limit=1000`}
          sort={newestFirst}
          empty={t("case.noAppointments")}
          link={(r) => `/appointments/${String(r.appointmentID)}`}
          columns={[
            { field: "start", kind: "datetime" },
            { field: "kind", kind: "enum", table: AppointmentKindLabels },
            { field: "participants", kind: "ref", ref: "individuals" },
            { field: "officeID", kind: "office" },
            { field: "room", kind: "text" },
            { field: "status", kind: "enum", table: AppointmentStatusLabels },
          ]}
          add={
            mayOn("appointment.create", record)
              ? {
                  label: t("case.book"),
                  render: (done, cancel) => (
                    <BookingForm
                      caseID={id}
                      officeID={officeID}
                      people={personOptions}
                      onDone={done}
                      onCancel={cancel}
                    />
                  ),
                }
              : undefined
          }
        />
      )}
      {may("payment.read") && (
        <RelatedSection
          id="case-payments"
          title={t("case.payments")}
          path={`/api/payments?caseID=${encodeURIComponent(id)}&limit=1000`}
          sort={newestFirst}
          empty={t("case.noPayments")}
          link={(r) => `/payments/${String(r.paymentID)}`}
          columns={[
            { field: "purpose", kind: "enum", table: PaymentPurposeLabels },
            { field: "amount", kind: "text", get: (r) => money(r, i18n.locale) },
            { field: "status", kind: "enum", table: PaymentStatusLabels },
            { field: "timeCreated", kind: "datetime" },
          ]}
        />
      )}
      {(mayOn("payment.request", record) || mayOn("payment.authorise", record)) && (
        <CashRequests
          caseID={id}
          mayAsk={mayOn("payment.request", record) && record.stage !== "closed"}
          mayDecide={mayOn("payment.authorise", record)}
          myID={me?.userID}
        />
      )}
      {may("incident.read") && (
        <RelatedSection
          id="case-incidents"
          title={t("case.incidents")}
          path={`/api/incidents?caseID=${encodeURIComponent(id)}&limit=1000`}
          sort={newestFirst}
          empty={t("case.noIncidents")}
          columns={[
            { field: "dateOfIncident", kind: "date" },
            { field: "kind", kind: "enum", table: IncidentKindLabels },
            {
              field: "perpetratorType",
              kind: "enum",
              table: PerpetratorTypeLabels,
              label: fbText(lang, "inc.perpetratorType"),
            },
            { field: "description", kind: "textarea" },
            ...configuredColumn("incidents", incidentsConfigured),
          ]}
          extra={(r, again) => (
            <ConfiguredEdit
              collection={{ key: "incidents", path: "/api/incidents" }}
              id={String(r.incidentID)}
              record={r}
              onSaved={again}
            />
          )}
          add={
            mayOn("incident.create", record)
              ? {
                  label: t("case.addIncident"),
                  form: {
                    schema: incidentFields.schema(IncidentCreate),
                    transform: incidentFields.transform,
                    path: "/api/incidents",
                    fixed: { officeID, caseID: id, individualIDs: peopleIDs },
                    fields: [
                      { field: "kind", kind: "enum", table: IncidentKindLabels },
                      { field: "dateOfIncident", kind: "date" },
                      {
                        field: "perpetratorType",
                        kind: "enum",
                        table: PerpetratorTypeLabels,
                        label: fbText(lang, "inc.perpetratorType"),
                      },
                      {
                        field: "survivorSex",
                        kind: "enum",
                        table: SexLabels,
                        label: fbText(lang, "inc.survivorSex"),
                      },
                      {
                        field: "survivorAgeGroup",
                        kind: "enum",
                        table: SurvivorAgeGroupLabels,
                        label: fbText(lang, "inc.survivorAgeGroup"),
                      },
                      { field: "description", kind: "textarea" },
                      ...incidentFields.questions,
                    ],
                  },
                }
              : undefined
          }
        />
      )}
    </div>
  );
}

/** Sends a draft assessment for review (one that needs no reviewer is approved at once). */
function SubmitAssessment(props: { assessment: Row; onDone: () => void }) {
  const i18n = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <button
        type="button"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          api("POST", `/api/assessments/${String(props.assessment.assessmentID)}/submit`, {
            version: props.assessment.version,
          })
            .then(props.onDone)
            .catch((e) => setError(problemSentence(i18n, e)))
            .finally(() => setBusy(false));
        }}
      >
        {i18n.t("case.submitAssessment")}
      </button>
      {error && (
        <span role="alert" className="error small">
          {" "}
          {error}
        </span>
      )}
    </>
  );
}

/** Integer minor units in the payment's currency (150000 MXN → $1,500.00). */
function money(r: Row, locale: string): string {
  if (typeof r.amount !== "number" || typeof r.currency !== "string") return "";
  return formatMoney(locale, r.currency, r.amount);
}

function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ""));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

/** Stage, closure approval and the move to another stage (shown when the role may move cases). */
function StageSection({ id, record, reload }: PanelProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const { mayOn } = useMe();
  const [moving, setMoving] = useState(false);
  const [asking, setAsking] = useState(false);
  const stage = record.stage as CaseStage;
  const approval = record.closureApproval as Row | undefined;
  const stageLabel = (s: string) => codeLabel(CaseStageLabels, s as CaseStage, lang);
  // Protection and BIP cases close only after a supervisor approved it: the caseworker asks first.
  const mayAsk =
    mayOn("case.transition", record) &&
    stage !== "closed" &&
    ApprovalRequiredForClosure.includes(record.type as CaseType) &&
    approval?.decision !== "pending" &&
    approval?.decision !== "approved";
  return (
    <section className="card related" aria-labelledby="case-stage">
      <div className="related-head">
        <h2 id="case-stage">{t("case.stages")}</h2>
        {mayOn("case.transition", record) && (CaseTransitions[stage] ?? []).length > 0 && (
          <button aria-haspopup="dialog" type="button" onClick={() => setMoving(true)}>
            {t("case.changeStage")}
          </button>
        )}
        {mayAsk && (
          <button aria-haspopup="dialog" type="button" onClick={() => setAsking(true)}>
            {t("case.askClosure")}
          </button>
        )}
      </div>
      <p>{t("case.stageNow", { stage: stageLabel(stage) })}</p>
      {approval && (
        <p>
          {t("case.closure", {
            when: i18n.dateTime(String(approval.requestedAt)),
            reason: String(approval.reason ?? ""),
            decision: t(`case.decision.${String(approval.decision)}` as "case.decision.pending"),
          })}
        </p>
      )}
      {typeof record.closedReason === "string" && (
        <p>{t("case.closedReason", { reason: record.closedReason })}</p>
      )}
      {typeof record.reopenedReason === "string" && (
        <p>{t("case.reopened", { reason: record.reopenedReason })}</p>
      )}
      {asking && (
        <Modal title={t("case.askClosure")} onClose={() => setAsking(false)}>
          <RecordForm
            schema={ClosureRequest}
            path={`/api/cases/${id}/closure-request`}
            fixed={{ version: record.version }}
            fields={[{ field: "reason", kind: "textarea" }]}
            submitLabel={t("case.askClosure")}
            onCancel={() => setAsking(false)}
            onDone={() => {
              setAsking(false);
              reload();
            }}
          />
        </Modal>
      )}
      {moving && (
        <Modal title={t("case.changeStage")} onClose={() => setMoving(false)}>
          <RecordForm
            schema={CaseTransition}
            path={`/api/cases/${id}/transition`}
            fixed={{ version: record.version }}
            fields={[
              {
                field: "to",
                kind: "select",
                options: CaseTransitions[stage].map((s) => ({ value: s, label: stageLabel(s) })),
              },
              { field: "reason", kind: "textarea" },
            ]}
            submitLabel={t("case.changeStage")}
            onCancel={() => setMoving(false)}
            onDone={() => {
              setMoving(false);
              reload();
            }}
          />
        </Modal>
      )}
    </section>
  );
}
