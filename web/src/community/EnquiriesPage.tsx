import { useCallback, useState } from "react";
import {
  EnquiryChannelLabels,
  EnquiryCreate,
  EnquiryStatusLabels,
  EnquiryTopicLabels,
  type FaqEntry,
} from "@waypoint/schema";
import { api } from "../api/client.ts";
import { isoToParts } from "../components/DateInput.tsx";
import { recordName, useMe, useRecords } from "../components/lookups.ts";
import { Modal } from "../components/Modal.tsx";
import { RecordForm } from "../components/RecordForm.tsx";
import { FaqEditor, FaqPanel } from "./Faq.tsx";
import { RegisterLead } from "./RegisterLead.tsx";
import { Go, useCT, useGet, type Row } from "./parts.tsx";

interface QueueRow {
  kind: "enquiry" | "lead";
  id: string;
  time: string;
  name?: string;
  individualID?: string;
  channel: string;
  topic?: string;
  status: string;
  followUpDue?: string;
  overdue: boolean;
  version: number;
  record: Row;
}

/**
 * The enquiry desk: the queue of enquiries still to do (overdue follow-ups first, highlighted) with the interest
 * form's requests in it; logging an enquiry with the programme's FAQ beside the form; registering a request's
 * person through the registry's duplicate check.
 */
export function EnquiriesPage(props: { officeID: string | null }) {
  const { c, number } = useCT();
  const { may, me } = useMe();
  const [view, setView] = useState<"open" | "all">("open");
  const [topic, setTopic] = useState<string | undefined>();
  const [formKey, setFormKey] = useState(0);
  const [editingFaq, setEditingFaq] = useState(false);
  const qs = new URLSearchParams({ view });
  if (props.officeID) qs.set("officeID", props.officeID);
  const queue = useGet<{ items: QueueRow[] }>(`/api/enquiries?${qs.toString()}`);
  const faq = useGet<{ entries: FaqEntry[]; version: number }>("/api/enquiries/faq");
  const officeID = props.officeID ?? (me?.officeIDs?.length === 1 ? me.officeIDs[0]! : null);
  const overdue = (queue.data?.items ?? []).filter((r) => r.overdue).length;
  const onValues = useCallback((v: Record<string, unknown>) => setTopic((v.topic as string) || undefined), []);
  return (
    <section className="page community" aria-labelledby="page-title">
      <h1 id="page-title">{c("enq.title")}</h1>
      <p className="muted">{c("enq.intro")}</p>
      <div className="columns">
        <div>
          {may("enquiry.record") && (
            <section className="card" aria-labelledby="log-enquiry">
              <h2 id="log-enquiry">{c("enq.new")}</h2>
              <LogForm
                key={formKey}
                officeID={officeID}
                onValues={onValues}
                onDone={() => {
                  setFormKey((k) => k + 1);
                  queue.reload();
                }}
              />
            </section>
          )}
          <section className="card" aria-labelledby="queue">
            <h2 id="queue">{c("enq.queue")}</h2>
            <div className="filters" role="radiogroup" aria-label={c("enq.queue")}>
              {(["open", "all"] as const).map((v) => (
                <label key={v} className="check">
                  <input type="radio" name="enq-view" checked={view === v} onChange={() => setView(v)} />
                  {c(v === "open" ? "enq.open" : "enq.all")}
                </label>
              ))}
              {overdue > 0 && <span className="badge error">{c("enq.overdueN", { n: number(overdue) })}</span>}
            </div>
            <Queue rows={queue.data?.items ?? null} reload={queue.reload} officeID={officeID} />
          </section>
        </div>
        <aside className="card faq" aria-labelledby="faq-title">
          <h2 id="faq-title">{c("enq.faq")}</h2>
          <FaqPanel entries={faq.data?.entries ?? []} topic={topic} />
          {may("faq.manage") && faq.data && (
            <button aria-haspopup="dialog" type="button" onClick={() => setEditingFaq(true)}>
              {c("enq.faqEdit")}
            </button>
          )}
        </aside>
      </div>
      {editingFaq && faq.data && (
        <Modal title={c("enq.faqEdit")} onClose={() => setEditingFaq(false)} wide>
          <FaqEditor
            faq={faq.data}
            onDone={() => {
              setEditingFaq(false);
              faq.reload();
            }}
            onCancel={() => setEditingFaq(false)}
          />
        </Modal>
      )}
    </section>
  );
}

function LogForm(props: { officeID: string | null; onValues: (v: Record<string, unknown>) => void; onDone: () => void }) {
  const { c } = useCT();
  return (
    <RecordForm
      schema={EnquiryCreate}
      fixed={props.officeID ? { officeID: props.officeID } : {}}
      officeID={props.officeID ?? undefined}
      onValues={props.onValues}
      fields={[
        ...(props.officeID ? [] : [{ field: "officeID", kind: "office" as const, label: c("enq.office") }]),
        { field: "channel", kind: "enum", table: EnquiryChannelLabels, label: c("enq.channel") },
        { field: "topic", kind: "enum", table: EnquiryTopicLabels, label: c("enq.topic") },
        { field: "individualID", kind: "ref", ref: "individuals", label: c("enq.person") },
        { field: "callerName", kind: "text", label: c("enq.caller"), hint: c("enq.callerHint") },
        { field: "phone", kind: "text", label: c("enq.phone") },
        { field: "question", kind: "textarea", label: c("enq.question") },
        { field: "answer", kind: "textarea", label: c("enq.answer") },
        { field: "followUpDue", kind: "date", label: c("enq.followUp") },
        { field: "status", kind: "enum", table: EnquiryStatusLabels, label: c("enq.status") },
      ]}
      path="/api/enquiries"
      submitLabel={c("enq.save")}
      onDone={props.onDone}
    />
  );
}

function Queue(props: { rows: QueueRow[] | null; reload: () => void; officeID: string | null }) {
  const { c, label, date, dateTime } = useCT();
  const { mayOn, may } = useMe();
  const people = useRecords("individuals", (props.rows ?? []).map((r) => r.individualID).filter((x): x is string => !!x));
  const [editing, setEditing] = useState<QueueRow | null>(null);
  const [registering, setRegistering] = useState<QueueRow | null>(null);
  if (!props.rows) return <p className="muted">…</p>;
  if (props.rows.length === 0) return <p className="muted">{c("enq.none")}</p>;
  const channel = (r: QueueRow) =>
    r.kind === "lead" ? c(r.channel === "kobo" ? "enq.kobo" : "enq.lead") : label(EnquiryChannelLabels, r.channel);
  const status = (r: QueueRow) =>
    r.kind === "lead" ? c(r.status === "contacted" ? "enq.leadContacted" : "enq.leadNew") : label(EnquiryStatusLabels, r.status);
  const topic = (r: QueueRow) => (r.topic && r.topic in EnquiryTopicLabels ? label(EnquiryTopicLabels, r.topic) : "");
  return (
    <>
      <table className="plain" aria-label={c("enq.queue")}>
        <thead>
          <tr>
            <th scope="col">{c("enq.when")}</th>
            <th scope="col">{c("enq.who")}</th>
            <th scope="col">{c("enq.channel")}</th>
            <th scope="col">{c("enq.topic")}</th>
            <th scope="col">{c("enq.answer")}</th>
            <th scope="col">{c("enq.followUp")}</th>
            <th scope="col">{c("enq.status")}</th>
            <th scope="col">
              <span className="sr-only">{c("enq.edit")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => {
            const person = r.individualID ? people.get(r.individualID) : undefined;
            return (
              <tr key={r.id} className={r.overdue ? "overdue" : undefined} data-kind={r.kind}>
                <td>{dateTime(r.time)}</td>
                <td>
                  {r.individualID ? (
                    <Go to={`/individuals/${r.individualID}`}>{recordName("individuals", person) ?? "…"}</Go>
                  ) : (
                    r.name
                  )}
                </td>
                <td>{channel(r)}</td>
                <td>{topic(r)}</td>
                <td>{r.kind === "enquiry" ? String(r.record.answer ?? "") : ""}</td>
                <td>
                  {r.followUpDue ? date(r.followUpDue) : ""}
                  {r.overdue && <span className="badge error"> {c("enq.overdue")}</span>}
                </td>
                <td>{status(r)}</td>
                <td>
                  {r.kind === "enquiry" && mayOn("enquiry.record", r.record) && (
                    <button aria-haspopup="dialog" type="button" className="link" onClick={() => setEditing(r)}>
                      {c("enq.edit")}
                    </button>
                  )}
                  {r.kind === "lead" && may("enquiry.record") && may("individual.create") && (
                    <button aria-haspopup="dialog" type="button" className="link" onClick={() => setRegistering(r)}>
                      {c("enq.register")}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {editing && (
        <Modal title={c("enq.editTitle")} onClose={() => setEditing(null)}>
          <EditEnquiry
            row={editing}
            onDone={() => {
              setEditing(null);
              props.reload();
            }}
            onCancel={() => setEditing(null)}
          />
        </Modal>
      )}
      {registering && (
        <Modal title={c("enq.registerTitle")} onClose={() => setRegistering(null)} wide>
          <RegisterLead
            lead={registering.record}
            officeID={props.officeID}
            onDone={() => {
              setRegistering(null);
              props.reload();
            }}
            onCancel={() => setRegistering(null)}
          />
        </Modal>
      )}
    </>
  );
}

function EditEnquiry(props: { row: QueueRow; onDone: () => void; onCancel: () => void }) {
  const { c } = useCT();
  const r = props.row.record;
  return (
    <RecordForm
      schema={EnquiryCreate}
      initial={{
        status: r.status,
        answer: r.answer ?? "",
        followUpDue: r.followUpDue ? isoToParts(String(r.followUpDue)) : undefined,
        individualID: r.individualID ?? "",
        callerName: r.callerName ?? "",
      }}
      fixed={{ officeID: r.officeID, channel: r.channel, topic: r.topic }}
      fields={[
        { field: "individualID", kind: "ref", ref: "individuals", label: c("enq.person") },
        { field: "callerName", kind: "text", label: c("enq.caller") },
        { field: "answer", kind: "textarea", label: c("enq.answer") },
        { field: "followUpDue", kind: "date", label: c("enq.followUp") },
        { field: "status", kind: "enum", table: EnquiryStatusLabels, label: c("enq.status") },
      ]}
      send={({ officeID: _o, channel: _c, topic: _t, ...changes }) =>
        api("PATCH", `/api/enquiries/${encodeURIComponent(props.row.id)}`, { version: props.row.version, changes })
      }
      submitLabel={c("enq.save")}
      onDone={props.onDone}
      onCancel={props.onCancel}
    />
  );
}
