import { useState } from "react";
import type { ColDef } from "ag-grid-community";
import {
  AssessmentCreate,
  AssessmentKindLabels,
  FlagOutcomes,
  FlagResolutionInput,
  InterviewNoteInput,
  SubmissionChanges,
  SubmissionReviewInput,
  SubmissionSectionKeys,
  SubmissionSectionLabels,
  SubmissionStatusLabels,
  SubmissionTransitionInput,
  SubmissionTransitions,
  codeLabel,
  type SubmissionDesk as Desk,
  type SubmissionStatus,
} from "@waypoint/schema";
import { z } from "zod";
import { api } from "../api/client.ts";
import { EditDetails } from "../components/EditDetails.tsx";
import { recordName, useMe, useRecords } from "../components/lookups.ts";
import { Modal } from "../components/Modal.tsx";
import { patchOne } from "../components/patchOne.ts";
import { RecordForm } from "../components/RecordForm.tsx";
import { RelatedSection } from "../components/RelatedSection.tsx";
import { PeopleSection } from "../cases/PeopleSection.tsx";
import { submissionColumns } from "../domains/programmes.columns.ts";
import { navigate } from "../nav.ts";
import type { PanelProps } from "../programmes/ProgrammePanels.tsx";
import type { RstKey } from "./rstText.ts";
import { Go, sendAs, useResource, useRst } from "./shared.tsx";

type Row = Record<string, unknown>;
const IN_PREPARATION: SubmissionStatus[] = ["identified", "interviewed", "drafted", "returned"];
const INTERVIEW_STAGES: SubmissionStatus[] = [...IN_PREPARATION, "deferred"];
const NEEDS_REASON: SubmissionStatus[] = ["accepted", "rejected", "deferred", "withdrawn"];

/** The button of a move in words: what the person does, not the state it lands in. */
function moveKey(from: SubmissionStatus, to: SubmissionStatus): RstKey {
  if (to === "drafted" && from === "recommended") return "move.redraft";
  if (to === "submitted" && from === "deferred") return "move.resubmitted";
  if (to === "accepted" && from === "departure_arranged") return "move.unarrange";
  return `move.${to}` as RstKey;
}

/**
 * The submission's page: the RRF-style sections and interview notes, its people by name, the quality review,
 * integrity flags resolved with an outcome and a reason, and decisions and departure. Four eyes is core's rule;
 * the page only leaves out what the signed-in person may not do and says why.
 */
export function SubmissionDesk({ id, record, reload }: PanelProps) {
  const i18n = useRst();
  const { r, lang } = i18n;
  const { me, may, mayOn } = useMe();
  const desk = useResource<Desk>(`/api/resettlement/${id}/desk?v=${String(record.version)}`);
  const staff = desk.data?.staff ?? {};
  const name = (u: unknown) => (typeof u === "string" && staff[u]) || r("desk.nobody");
  const status = record.status as SubmissionStatus;
  const version = Number(record.version);
  const canUpdate = mayOn("programme.update", record);
  const shaper =
    record.createdBy === me?.userID ||
    record.draftedBy === me?.userID ||
    ((record.editors as string[] | undefined) ?? []).includes(me?.userID ?? "");
  const canReview = mayOn("programme.review", record);
  const individualIDs = (record.individualIDs as string[] | undefined) ?? [];
  const people = useRecords("individuals", individualIDs);
  const person = (pid: unknown) =>
    typeof pid === "string" ? (recordName("individuals", people.get(pid)) ?? "…") : "";

  return (
    <div className="work-surface">
      <section className="card" aria-labelledby="rst-desk">
        <div className="related-head">
          <h2 id="rst-desk">{r("desk.title")}</h2>
          {canUpdate && (
            <EditDetails
              path="/api/resettlement"
              id={id}
              record={record}
              columns={submissionColumns as unknown as ColDef[]}
              changes={SubmissionChanges}
              action="programme.update"
              onSaved={reload}
            />
          )}
        </div>
        <p>
          <strong>{r("desk.status", { status: codeLabel(SubmissionStatusLabels, status, lang) })}</strong>
          {desk.data?.caseNumber && (
            <>
              {" · "}
              <Go to={`/cases/${String(record.caseID)}`}>
                {r("desk.case", { number: desk.data.caseNumber })}
              </Go>
            </>
          )}
        </p>
        <dl className="fields">
          <div>
            <dt>{r("desk.assigned")}</dt>
            <dd>{name(record.assignedTo)}</dd>
          </div>
          <div>
            <dt>{r("desk.drafted")}</dt>
            <dd>{name(record.draftedBy)}</dd>
          </div>
          <div>
            <dt>{r("desk.reviewed")}</dt>
            <dd>{name(record.reviewedBy)}</dd>
          </div>
          {typeof record.reviewComment === "string" && (
            <div>
              <dt>{r("desk.reviewComment")}</dt>
              <dd>{record.reviewComment}</dd>
            </div>
          )}
          {typeof record.decisionReason === "string" && (
            <div>
              <dt>{r("desk.decisionReason")}</dt>
              <dd>{record.decisionReason}</dd>
            </div>
          )}
          {(desk.data?.missions.length ?? 0) > 0 && (
            <div>
              <dt>{r("desk.missions")}</dt>
              <dd>
                {desk.data!.missions.map((m) => (
                  <span key={m.missionID}>
                    <Go to={`/missions/${m.missionID}`}>
                      {m.location} (
                      {r("missions.dates", { from: i18n.date(m.startDate), to: i18n.date(m.endDate) })})
                    </Go>{" "}
                  </span>
                ))}
              </dd>
            </div>
          )}
        </dl>
      </section>
      <Steps
        id={id}
        record={record}
        reload={reload}
        canUpdate={canUpdate}
        canReview={canReview}
        shaper={shaper}
      />
      <Sections
        id={id}
        record={record}
        reload={reload}
        editable={canUpdate && IN_PREPARATION.includes(status)}
      />
      <RelatedSection
        id="rst-notes"
        title={r("notes.title")}
        items={((record.interviewNotes as Row[] | undefined) ?? []).slice().reverse()}
        empty={r("notes.empty")}
        columns={[
          { field: "date", kind: "date", label: r("notes.date") },
          { field: "text", kind: "textarea", label: r("notes.text") },
          { field: "by", kind: "text", label: r("notes.by"), get: (n) => name(n.by) },
        ]}
        onChanged={reload}
        add={
          canUpdate && INTERVIEW_STAGES.includes(status)
            ? {
                label: r("notes.add"),
                form: {
                  schema: InterviewNoteInput,
                  fixed: { version },
                  fields: [
                    { field: "date", kind: "date", label: r("notes.date") },
                    { field: "text", kind: "textarea", label: r("notes.text") },
                  ],
                  send: (body) => api("POST", `/api/resettlement/${id}/interview-notes`, body),
                },
              }
            : undefined
        }
      />
      <PeopleSection individualIDs={individualIDs} title={r("desk.people")} />
      {mayOn("assessment.create", record) && (
        <StartBip
          caseID={String(record.caseID)}
          kids={individualIDs.filter((p) => isChild(people.get(p)))}
          person={person}
        />
      )}
      <Flags
        id={id}
        record={record}
        reload={reload}
        canScreen={canUpdate}
        canResolve={canReview && may("programme.review")}
        shaper={shaper}
        person={person}
        name={name}
      />
    </div>
  );
}

/** Under 18 today, from the date of birth or the estimated age. */
function isChild(p: Row | undefined): boolean {
  if (!p) return false;
  if (typeof p.dateOfBirth === "string") {
    const born = new Date(`${p.dateOfBirth}T00:00:00Z`);
    const adult = new Date(born);
    adult.setUTCFullYear(born.getUTCFullYear() + 18);
    return adult.getTime() > Date.now();
  }
  return typeof p.estimatedAge === "number" && p.estimatedAge < 18;
}

/** Starts a BIA or BID for a child of the submission; it opens on its own page, where it is sent to the panel. */
function StartBip(props: { caseID: string; kids: string[]; person: (id: unknown) => string }) {
  const { r, lang } = useRst();
  const [open, setOpen] = useState(false);
  if (props.kids.length === 0) return null;
  return (
    <section className="card" aria-labelledby="rst-bip">
      <div className="related-head">
        <h2 id="rst-bip">{r("nav.bip")}</h2>
        <button aria-haspopup="dialog" type="button" className="primary" onClick={() => setOpen(true)}>
          {r("bip.start")}
        </button>
      </div>
      <p>
        <Go to={`/bip?caseID=${props.caseID}`}>{r("bip.back")}</Go>
      </p>
      {open && (
        <Modal title={r("bip.start")} onClose={() => setOpen(false)} wide>
          <RecordForm
            schema={AssessmentCreate}
            fixed={{ caseID: props.caseID }}
            fields={[
              {
                field: "kind",
                kind: "select",
                label: r("bip.kind"),
                options: (["bia", "bid"] as const).map((k) => ({
                  value: k,
                  label: codeLabel(AssessmentKindLabels, k, lang),
                })),
              },
              {
                field: "individualID",
                kind: "select",
                label: r("bip.child"),
                options: props.kids.map((c) => ({ value: c, label: props.person(c) })),
              },
              { field: "summary", kind: "textarea", label: r("bip.summary") },
            ]}
            path="/api/assessments"
            submitLabel={r("bip.start")}
            onCancel={() => setOpen(false)}
            onDone={(a) => {
              setOpen(false);
              const id = (a as { assessmentID?: string }).assessmentID;
              if (id) navigate(`/bip/${id}`);
            }}
          />
        </Modal>
      )}
    </section>
  );
}

function Steps(props: PanelProps & { canUpdate: boolean; canReview: boolean; shaper: boolean }) {
  const { r, lang, t } = useRst();
  const { id, record } = props;
  const status = record.status as SubmissionStatus;
  const version = Number(record.version);
  const [moving, setMoving] = useState<SubmissionStatus | null>(null);
  const moves = props.canUpdate ? SubmissionTransitions[status] : [];
  const reviewing = status === "drafted";
  return (
    <section className="card" aria-labelledby="rst-steps">
      <h2 id="rst-steps">{r("qa.title")}</h2>
      {reviewing && (
        <div className="decision-item">
          <h3>{r("qa.review")}</h3>
          {!props.canReview ? (
            <p className="muted">{r("qa.waiting")}</p>
          ) : props.shaper ? (
            <p className="muted">{r("qa.notYours")}</p>
          ) : (
            <>
              <p className="muted">{r("qa.reviewHint")}</p>
              <RecordForm
                schema={SubmissionReviewInput}
                fixed={{ version }}
                fields={[
                  {
                    field: "decision",
                    kind: "select",
                    label: r("qa.decision"),
                    options: [
                      { value: "recommend", label: r("qa.recommend") },
                      { value: "return", label: r("qa.return") },
                    ],
                  },
                  { field: "comment", kind: "textarea", label: r("qa.comment") },
                ]}
                send={(body) => sendAs(lang, () => api("POST", `/api/resettlement/${id}/review`, body))}
                submitLabel={r("qa.send")}
                onDone={props.reload}
              />
            </>
          )}
        </div>
      )}
      {moves.length === 0 && !reviewing && <p className="muted">{r("qa.noSteps")}</p>}
      <p className="actions-row">
        {moves.map((to) => (
          <button
            aria-haspopup="dialog"
            key={to}
            type="button"
            className={to === "withdrawn" ? undefined : "primary"}
            onClick={() => setMoving(to)}
          >
            {r(moveKey(status, to))}
          </button>
        ))}
      </p>
      {moving && (
        <Modal title={r(moveKey(status, moving))} onClose={() => setMoving(null)}>
          <RecordForm
            schema={SubmissionTransitionInput.extend(
              NEEDS_REASON.includes(moving) ? { reason: z.string().trim().min(3).max(1000) } : {},
            )}
            fixed={{ to: moving, version }}
            intro={<p>{codeLabel(SubmissionStatusLabels, moving, lang)}</p>}
            fields={[
              ...(NEEDS_REASON.includes(moving)
                ? [{ field: "reason", kind: "textarea" as const, label: r("qa.reason") }]
                : []),
              ...(moving === "departure_arranged" ? [{ field: "departureDate", kind: "date" as const }] : []),
            ]}
            send={(body) => sendAs(lang, () => api("POST", `/api/resettlement/${id}/transition`, body))}
            submitLabel={t("form.submit")}
            onCancel={() => setMoving(null)}
            onDone={() => {
              setMoving(null);
              props.reload();
            }}
          />
        </Modal>
      )}
    </section>
  );
}

function Sections(props: PanelProps & { editable: boolean }) {
  const { r, lang } = useRst();
  const [open, setOpen] = useState(false);
  const sections = (props.record.sections as Record<string, string> | undefined) ?? {};
  const fields = SubmissionSectionKeys.map((k) => ({
    field: `sections.${k}`,
    kind: "textarea" as const,
    label: codeLabel(SubmissionSectionLabels, k, lang),
  }));
  return (
    <section className="card" aria-labelledby="rst-sections">
      <div className="related-head">
        <h2 id="rst-sections">{r("sections.title")}</h2>
        {props.editable && (
          <button aria-haspopup="dialog" type="button" className="primary" onClick={() => setOpen(true)}>
            {r("sections.edit")}
          </button>
        )}
      </div>
      {!props.editable && Object.keys(sections).length > 0 && <p className="muted">{r("sections.locked")}</p>}
      <dl className="sections">
        {SubmissionSectionKeys.map((k) => (
          <div key={k}>
            <dt>{codeLabel(SubmissionSectionLabels, k, lang)}</dt>
            <dd className={sections[k] ? "long" : "muted"}>{sections[k] ?? r("sections.empty")}</dd>
          </div>
        ))}
      </dl>
      {open && (
        <Modal title={r("sections.edit")} onClose={() => setOpen(false)} wide>
          <RecordForm
            schema={z.object({ sections: SubmissionChanges.shape.sections })}
            fields={fields}
            initial={Object.fromEntries(
              SubmissionSectionKeys.map((k) => [`sections.${k}`, sections[k] ?? ""]),
            )}
            transform={(body) => {
              const next = (body.sections as Record<string, string> | undefined) ?? {};
              // only the sections that changed; a section emptied is sent as empty text (core clears it)
              const changed = Object.fromEntries(
                SubmissionSectionKeys.flatMap((k) =>
                  (next[k] ?? "") !== (sections[k] ?? "") ? [[k, next[k] ?? ""]] : [],
                ),
              );
              return { sections: changed };
            }}
            send={(body) =>
              Object.keys(body.sections as object).length
                ? patchOne("/api/resettlement", props.id, Number(props.record.version), body)
                : Promise.resolve(props.record)
            }
            submitLabel={r("qa.send")}
            onCancel={() => setOpen(false)}
            onDone={() => {
              setOpen(false);
              props.reload();
            }}
          />
        </Modal>
      )}
    </section>
  );
}

function Flags(
  props: PanelProps & {
    canScreen: boolean;
    canResolve: boolean;
    shaper: boolean;
    person: (id: unknown) => string;
    name: (id: unknown) => string;
  },
) {
  const i18n = useRst();
  const { r, lang, field } = i18n;
  const { id, record } = props;
  const flags = (record.flags as Row[] | undefined) ?? [];
  const [resolving, setResolving] = useState<Row | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const candidates = useRecords(
    "individuals",
    flags.flatMap((f) => [
      ...(typeof f.candidateID === "string" ? [f.candidateID] : []),
      ...((f.added as string[] | undefined) ?? []),
      ...((f.removed as string[] | undefined) ?? []),
    ]),
  );
  const nameOf = (pid: string) => recordName("individuals", candidates.get(pid)) ?? props.person(pid);
  const what = (f: Row) => {
    if (f.kind === "biodata_changed" && Array.isArray(f.fields))
      return r("flags.changed", { fields: (f.fields as string[]).map((x) => field(x)).join(", ") });
    if (f.kind === "duplicate_candidate" && typeof f.candidateID === "string")
      return r("flags.duplicate", { name: nameOf(f.candidateID) });
    if (f.kind === "family_composition_changed" && (f.added || f.removed))
      return r("flags.family", {
        added: ((f.added as string[]) ?? []).map(nameOf).join(", ") || "—",
        removed: ((f.removed as string[]) ?? []).map(nameOf).join(", ") || "—",
      });
    return "";
  };
  const state = (f: Row) => {
    const res = f.resolution as Row | undefined;
    if (!res) return r("flags.open");
    return r("flags.resolvedAs", {
      outcome: r(`outcome.${String(res.outcome)}` as RstKey),
      name: props.name(res.by),
      when: i18n.dateTime(String(res.at)),
      note: String(res.note ?? ""),
    });
  };
  const open = flags.filter((f) => f.status === "open");
  return (
    <section className="card" aria-labelledby="rst-flags">
      <div className="related-head">
        <h2 id="rst-flags">{r("flags.title")}</h2>
        {props.canScreen && (
          <button
            type="button"
            onClick={() =>
              void api("POST", `/api/resettlement/${id}/screen`, {}).then(() => {
                setNote(r("flags.screened"));
                props.reload();
              })
            }
          >
            {r("flags.screen")}
          </button>
        )}
      </div>
      {note && <p role="status">{note}</p>}
      {flags.length === 0 ? (
        <p className="muted">{r("flags.none")}</p>
      ) : (
        <table className="plain">
          <thead>
            <tr>
              <th scope="col">{r("flags.kind")}</th>
              <th scope="col">{r("flags.person")}</th>
              <th scope="col">{r("flags.what")}</th>
              <th scope="col">{r("flags.raised")}</th>
              <th scope="col">{r("flags.status")}</th>
              <th aria-hidden />
            </tr>
          </thead>
          <tbody>
            {flags.map((f) => (
              <tr key={String(f.flagID)}>
                <td>{r(`flag.${String(f.kind)}` as RstKey)}</td>
                <td>{f.individualID ? props.person(f.individualID) : "—"}</td>
                <td>{what(f) || "—"}</td>
                <td>{i18n.dateTime(String(f.raisedAt))}</td>
                <td>{state(f)}</td>
                <td>
                  {f.status === "open" && props.canResolve && !props.shaper && (
                    <button
                      aria-haspopup="dialog"
                      type="button"
                      className="primary"
                      onClick={() => setResolving(f)}
                    >
                      {r("flags.resolve")}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open.length > 0 && props.canResolve && props.shaper && <p className="muted">{r("flags.notYours")}</p>}
      {resolving && (
        <Modal title={r("flags.resolveTitle")} onClose={() => setResolving(null)}>
          <RecordForm
            schema={FlagResolutionInput}
            fixed={{ version: Number(record.version) }}
            intro={
              <p>
                <strong>{r(`flag.${String(resolving.kind)}` as RstKey)}</strong>
                {resolving.individualID ? ` · ${props.person(resolving.individualID)}` : ""} {what(resolving)}
              </p>
            }
            fields={[
              {
                field: "outcome",
                kind: "select",
                label: r("flags.outcome"),
                options: FlagOutcomes.map((o) => ({ value: o, label: r(`outcome.${o}` as RstKey) })),
              },
              { field: "note", kind: "textarea", label: r("flags.note") },
            ]}
            send={(body) =>
              sendAs(lang, () =>
                api("POST", `/api/resettlement/${id}/flags/${String(resolving.flagID)}/resolve`, body),
              )
            }
            submitLabel={r("flags.resolve")}
            onCancel={() => setResolving(null)}
            onDone={() => {
              setResolving(null);
              props.reload();
            }}
          />
        </Modal>
      )}
    </section>
  );
}
