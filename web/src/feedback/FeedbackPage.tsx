import { useCallback, useEffect, useState, type ReactNode } from "react";
import {
  DataChangeFieldLabels,
  DataChangeFields,
  DataChangeStatusLabels,
  FeedbackCategories,
  FeedbackCategoryLabels,
  FeedbackChannelLabels,
  FeedbackClosureReasonLabels,
  FeedbackClosureReasons,
  FeedbackCreate,
  FeedbackStatusLabels,
  SensitiveFeedbackCategories,
  SexLabels,
  codeLabel,
  type FeedbackCategory,
  type FeedbackInfo,
  type FeedbackSettingsInfo,
} from "@waypoint/schema";
import { api, ApiError } from "../api/client.ts";
import { Modal } from "../components/Modal.tsx";
import { problemSentence, RecordForm } from "../components/RecordForm.tsx";
import { recordName, useMe, useOffices, useRecords, useStaffNames } from "../components/lookups.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { navigate } from "../nav.ts";
import { fbText, type FeedbackTextKey } from "./feedbackText.ts";

type Staff = { userID: string; name: string; role: string };
type Tab = "open" | "escalated" | "overdue" | "closed" | "all";
const TABS: Tab[] = ["open", "escalated", "overdue", "closed", "all"];

/** The API's rule codes of complaints, in the user's words (the API's own sentence is English). */
const CODES: Record<string, FeedbackTextKey> = {
  "feedback.closed": "fb.err.closed",
  "feedback.pendingChange": "fb.err.pendingChange",
  "dataChange.decided": "fb.err.decided",
  "dataChange.ownRequest": "fb.ownRequest",
  "invalid.focalPoint": "fb.err.focalPoint",
  "invalid.required": "fb.err.needPerson",
  "invalid.value": "fb.err.value",
};

function useText() {
  const i18n = useI18n();
  const w = (k: FeedbackTextKey, v?: Record<string, string | number>) => fbText(i18n.lang, k, v);
  const sentence = (e: unknown) => {
    if (e instanceof ApiError) {
      const code = e.problem.code ?? e.problem.errors?.[0]?.code;
      if (code && Object.hasOwn(CODES, code)) return w(CODES[code]!);
    }
    return problemSentence(i18n, e);
  };
  return { i18n, w, sentence };
}

/** The operation's staff by name (who a complaint can be given to, who can be a focal point). */
function useStaff(enabled: boolean): Staff[] {
  const [staff, setStaff] = useState<Staff[]>([]);
  useEffect(() => {
    if (!enabled) return;
    api<{ items: Staff[] }>("GET", "/api/feedback-settings/staff")
      .then((r) => setStaff(r.items))
      .catch(() => setStaff([]));
  }, [enabled]);
  return staff;
}

/**
 * Feedback and complaints: the register by status (the escalation queue among them), recording what came in by
 * any channel, one complaint's page, and the focal points and deadlines (admins).
 */
export function FeedbackPage(props: { officeID: string | null; id?: string }) {
  if (props.id) return <FeedbackRecord id={props.id} />;
  return <FeedbackList officeID={props.officeID} />;
}

function FeedbackList(props: { officeID: string | null }) {
  const { i18n, w } = useText();
  const { may } = useMe();
  const offices = useOffices();
  const [tab, setTab] = useState<Tab>("open");
  const [items, setItems] = useState<FeedbackInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const names = useStaffNames((items ?? []).map((f) => f.assignedTo));
  const people = useRecords(
    "individuals",
    (items ?? []).map((f) => f.individualID).filter((x): x is string => Boolean(x)),
  );
  useEffect(() => {
    let live = true;
    setItems(null);
    const q =
      tab === "all"
        ? ""
        : tab === "overdue"
          ? "&overdue=true"
          : `&status=${tab}`;
    api<{ items: FeedbackInfo[] }>("GET", `/api/feedback?limit=200${q}`)
      .then((r) => live && (setItems(r.items), setError(null)))
      .catch((e) => live && setError(problemSentence(i18n, e)));
    return () => void (live = false);
  }, [tab, reload, i18n]);
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{w("fb.title")}</h1>
      <p className="muted">{w("fb.intro")}</p>
      {notice && (
        <div className="notice" role="status" data-testid="fb-notice">
          {notice}
        </div>
      )}
      {may("feedback.create") && (
        <p>
          <button aria-haspopup="dialog" type="button" onClick={() => setAdding(true)}>
            {w("fb.record")}
          </button>
        </p>
      )}
      {adding && (
        <Modal title={w("fb.record")} onClose={() => setAdding(false)} wide>
          <RecordForm
            schema={FeedbackCreate}
            path="/api/feedback"
            officeID={props.officeID ?? undefined}
            initial={props.officeID ? { officeID: props.officeID } : undefined}
            fields={[
              { field: "officeID", kind: "office", label: w("fb.office") },
              { field: "channel", kind: "enum", table: FeedbackChannelLabels, label: w("fb.channel") },
              { field: "category", kind: "enum", table: FeedbackCategoryLabels, label: w("fb.category") },
              { field: "receivedOn", kind: "date", label: w("fb.received") },
              { field: "individualID", kind: "ref", ref: "individuals", label: w("fb.person") },
              { field: "contactName", kind: "text", label: w("fb.contactName") },
              { field: "contactPhone", kind: "text", label: w("fb.contactPhone") },
              { field: "summary", kind: "textarea", label: w("fb.summary") },
            ]}
            submitLabel={w("fb.recordSubmit")}
            onCancel={() => setAdding(false)}
            onDone={(r) => {
              const res = r as { number: string; visible: boolean; feedbackID?: string };
              setAdding(false);
              if (res.visible && res.feedbackID) navigate(`/feedback/${res.feedbackID}`);
              else {
                setNotice(w("fb.recordedSensitive", { number: res.number }));
                setReload((n) => n + 1);
              }
            }}
          />
        </Modal>
      )}
      <div role="group" aria-label={w("fb.status")} className="toolbar">
        {TABS.map((k) => (
          <button key={k} type="button" aria-pressed={tab === k} onClick={() => setTab(k)}>
            {w(`fb.tab.${k}` as FeedbackTextKey)}
          </button>
        ))}
      </div>
      {error && (
        <div className="notice error" role="alert">
          {error}
        </div>
      )}
      {!items && !error && <p className="muted">{w("fb.loading")}</p>}
      {items && items.length === 0 && <p className="muted">{w("fb.none")}</p>}
      {items && items.length > 0 && (
        <table className="data-table" data-testid="feedback-table">
          <thead>
            <tr>
              <th>{w("fb.number")}</th>
              <th>{w("fb.received")}</th>
              <th>{w("fb.channel")}</th>
              <th>{w("fb.category")}</th>
              <th>{w("fb.status")}</th>
              <th>{w("fb.due")}</th>
              <th>{w("fb.person")}</th>
              <th>{w("fb.office")}</th>
              <th>{w("fb.assigned")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((f) => (
              <tr key={f.feedbackID} data-number={f.number}>
                <td>
                  <a
                    href={`/feedback/${f.feedbackID}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(`/feedback/${f.feedbackID}`);
                    }}
                  >
                    {f.number}
                  </a>
                </td>
                <td>{i18n.date(f.receivedOn)}</td>
                <td>{codeLabel(FeedbackChannelLabels, f.channel, i18n.lang)}</td>
                <td>
                  {codeLabel(FeedbackCategoryLabels, f.category, i18n.lang)}
                  {f.sensitive && <span className="badge warning"> {w("fb.sensitive")}</span>}
                </td>
                <td>
                  {codeLabel(FeedbackStatusLabels, f.status, i18n.lang)}
                  {f.overdue && f.status === "open" && <span className="badge error"> {w("fb.overdue")}</span>}
                </td>
                <td>{i18n.date(f.dueOn)}</td>
                <td>
                  {f.individualID
                    ? (recordName("individuals", people.get(f.individualID)) ?? "…")
                    : f.anonymous
                      ? w("fb.anonymous")
                      : (f.contactName ?? "")}
                </td>
                <td>{f.officeID ? (offices.get(f.officeID) ?? "") : w("fb.noOffice")}</td>
                <td>{f.assignedTo ? (names.get(f.assignedTo) ?? "…") : w("fb.nobody")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {may("feedback.manage") && <FeedbackSettings />}
    </section>
  );
}

/** The focal points (staff picked by name) and the deadlines by category: admins. */
function FeedbackSettings() {
  const { i18n, w } = useText();
  const staff = useStaff(true);
  const [s, setS] = useState<FeedbackSettingsInfo | null>(null);
  const [pick, setPick] = useState("");
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    api<FeedbackSettingsInfo>("GET", "/api/feedback-settings")
      .then(setS)
      .catch((e) => setMsg({ ok: false, text: problemSentence(i18n, e) }));
  }, [i18n]);
  if (!s) return null;
  const nameOf = (id: string) => staff.find((x) => x.userID === id)?.name ?? "…";
  return (
    <section aria-labelledby="fb-settings" className="panel" data-testid="fb-settings">
      <h2 id="fb-settings">{w("fb.settings")}</h2>
      <h3>{w("fb.focalPoints")}</h3>
      {s.focalPoints.length === 0 && <p className="muted">{w("fb.noFocalPoints")}</p>}
      <ul>
        {s.focalPoints.map((id) => (
          <li key={id}>
            {nameOf(id)}{" "}
            <button
              type="button"
              className="link"
              onClick={() => setS({ ...s, focalPoints: s.focalPoints.filter((x) => x !== id) })}
            >
              {w("fb.remove")}
            </button>
          </li>
        ))}
      </ul>
      <label htmlFor="fb-focal">{w("fb.addFocal")}</label>{" "}
      <select
        id="fb-focal"
        value={pick}
        onChange={(e) => {
          const id = e.target.value;
          setPick("");
          if (id && !s.focalPoints.includes(id)) setS({ ...s, focalPoints: [...s.focalPoints, id] });
        }}
      >
        <option value="">{w("fb.choose")}</option>
        {staff
          .filter((x) => !s.focalPoints.includes(x.userID))
          .map((x) => (
            <option key={x.userID} value={x.userID}>
              {x.name}
            </option>
          ))}
      </select>
      <h3>{w("fb.deadlines")}</h3>
      <table className="data-table">
        <tbody>
          {FeedbackCategories.map((c) => (
            <tr key={c}>
              <td>
                <label htmlFor={`fb-days-${c}`}>{codeLabel(FeedbackCategoryLabels, c, i18n.lang)}</label>
              </td>
              <td>
                <input
                  id={`fb-days-${c}`}
                  type="number"
                  min={1}
                  max={365}
                  value={s.deadlineDays[c] ?? ""}
                  onChange={(e) =>
                    setS({ ...s, deadlineDays: { ...s.deadlineDays, [c]: Number(e.target.value) } })
                  }
                />{" "}
                {w("fb.days")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        onClick={() =>
          api<FeedbackSettingsInfo>("PUT", "/api/feedback-settings", {
            version: s.version,
            focalPoints: s.focalPoints,
            deadlineDays: s.deadlineDays,
          })
            .then((saved) => (setS(saved), setMsg({ ok: true, text: w("fb.saved") })))
            .catch((e) => setMsg({ ok: false, text: problemSentence(i18n, e) }))
        }
      >
        {w("fb.saveSettings")}
      </button>
      {msg && (
        <p role={msg.ok ? "status" : "alert"} className={msg.ok ? "notice" : "notice error"}>
          {msg.text}
        </p>
      )}
    </section>
  );
}

function Row(props: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </>
  );
}

/** One complaint: what came in, who handles it, the answer given, closure, and corrections of the person's record. */
function FeedbackRecord(props: { id: string }) {
  const { i18n, w, sentence } = useText();
  const { me, may } = useMe();
  const offices = useOffices();
  const [f, setF] = useState<FeedbackInfo | null>(null);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api<FeedbackInfo>("GET", `/api/feedback/${encodeURIComponent(props.id)}`)
      .then((r) => (setF(r), setMissing(false)))
      .catch((e) => (e instanceof ApiError && e.status === 404 ? setMissing(true) : setError(problemSentence(i18n, e))));
  }, [props.id, i18n]);
  useEffect(load, [load]);
  const staff = useStaff(may("feedback.update"));
  const people = useRecords("individuals", f?.individualID ? [f.individualID] : []);
  const names = useStaffNames([
    f?.assignedTo,
    f?.respondedBy,
    f?.closedBy,
    ...(f?.changeRequests ?? []).flatMap((r) => [r.requestedBy, r.decidedBy]),
  ]);
  const [settings, setSettings] = useState<FeedbackSettingsInfo | null>(null);
  useEffect(() => {
    if (f?.sensitive)
      api<FeedbackSettingsInfo>("GET", "/api/feedback-settings")
        .then(setSettings)
        .catch(() => undefined);
  }, [f?.sensitive]);
  const run = (p: Promise<FeedbackInfo>) =>
    p
      .then((r) => (setF(r), setError(null)))
      .catch((e) => {
        if (e instanceof ApiError && e.status === 409) {
          setError(w("fb.conflict"));
          load();
        } else setError(sentence(e));
      });
  const back = (
    <p>
      <a
        href="/feedback"
        onClick={(e) => {
          e.preventDefault();
          navigate("/feedback");
        }}
      >
        {w("fb.back")}
      </a>
    </p>
  );
  if (missing)
    return (
      <section className="page">
        {back}
        <p className="notice">{w("fb.notFound")}</p>
      </section>
    );
  if (!f)
    return (
      <section className="page">
        {back}
        {error ? <p className="notice error">{error}</p> : <p className="muted">{w("fb.loading")}</p>}
      </section>
    );
  const open = f.status !== "closed";
  const canHandle = may("feedback.update") && open;
  const name = (id?: string) => (id ? (names.get(id) ?? "…") : "");
  const assignable = f.sensitive && settings ? staff.filter((s) => settings.focalPoints.includes(s.userID)) : staff;
  const person = f.individualID ? people.get(f.individualID) : undefined;
  return (
    <section className="page" aria-labelledby="page-title" data-testid="feedback-record">
      {back}
      <h1 id="page-title">
        {f.number} · {codeLabel(FeedbackCategoryLabels, f.category, i18n.lang)}
      </h1>
      {f.sensitive && <p className="badge warning">{w("fb.sensitive")}</p>}
      {error && (
        <div className="notice error" role="alert">
          {error}
        </div>
      )}
      <dl className="details">
        <Row label={w("fb.status")}>
          <span data-testid="fb-status">{codeLabel(FeedbackStatusLabels, f.status, i18n.lang)}</span>
          {f.overdue && f.status === "open" && <span className="badge error"> {w("fb.overdue")}</span>}
        </Row>
        <Row label={w("fb.channel")}>{codeLabel(FeedbackChannelLabels, f.channel, i18n.lang)}</Row>
        <Row label={w("fb.received")}>{i18n.date(f.receivedOn)}</Row>
        <Row label={w("fb.due")}>{i18n.date(f.dueOn)}</Row>
        <Row label={w("fb.office")}>{f.officeID ? (offices.get(f.officeID) ?? "…") : w("fb.noOffice")}</Row>
        <Row label={w("fb.person")}>
          {f.individualID
            ? (recordName("individuals", person) ?? "…")
            : f.anonymous
              ? w("fb.anonymous")
              : [f.contactName, f.contactPhone].filter(Boolean).join(" · ")}
        </Row>
        <Row label={w("fb.assigned")}>{f.assignedTo ? name(f.assignedTo) : w("fb.nobody")}</Row>
        <Row label={w("fb.summary")}>
          <span style={{ whiteSpace: "pre-wrap" }}>{f.summary}</span>
        </Row>
      </dl>
      {f.escalatedAt && <p className="notice">{w("fb.escalatedAt", { date: i18n.date(f.escalatedAt) })}</p>}

      {canHandle && (
        <div className="panel">
          <label htmlFor="fb-assign">{w("fb.assign")}</label>{" "}
          <select
            id="fb-assign"
            value={f.assignedTo ?? ""}
            onChange={(e) =>
              run(
                api("PATCH", `/api/feedback/${f.feedbackID}`, {
                  version: f.version,
                  changes: { assignedTo: e.target.value || null },
                }),
              )
            }
          >
            <option value="">{w("fb.nobody")}</option>
            {assignable.map((s) => (
              <option key={s.userID} value={s.userID}>
                {s.name}
              </option>
            ))}
          </select>{" "}
          <label htmlFor="fb-category">{w("fb.changeCategory")}</label>{" "}
          <select
            id="fb-category"
            value={f.category}
            onChange={(e) =>
              run(
                api("PATCH", `/api/feedback/${f.feedbackID}`, {
                  version: f.version,
                  changes: { category: e.target.value as FeedbackCategory },
                }),
              )
            }
          >
            {FeedbackCategories.map((c) => (
              <option key={c} value={c}>
                {codeLabel(FeedbackCategoryLabels, c, i18n.lang)}
                {SensitiveFeedbackCategories.includes(c) ? ` (${w("fb.sensitive")})` : ""}
              </option>
            ))}
          </select>
        </div>
      )}

      <h2>{w("fb.response")}</h2>
      {f.response ? (
        <>
          <p style={{ whiteSpace: "pre-wrap" }} data-testid="fb-response">
            {f.response}
          </p>
          <p className="muted small">
            {w("fb.respondedAt", { date: i18n.date(f.respondedAt), name: name(f.respondedBy) })}
          </p>
        </>
      ) : (
        <p className="muted">{w("fb.responseNone")}</p>
      )}
      {canHandle && (
        <TextAction
          id="fb-response"
          label={w("fb.response")}
          submit={w("fb.responseSave")}
          onSubmit={(text) =>
            run(api("POST", `/api/feedback/${f.feedbackID}/response`, { version: f.version, response: text }))
          }
        />
      )}

      <h2>{w("fb.changes")}</h2>
      <ChangeRequests f={f} myID={me?.userID} name={name} run={run} canHandle={canHandle} />

      {f.status === "closed" ? (
        <p className="notice" data-testid="fb-closed">
          {w("fb.closedAs", {
            date: i18n.date(f.closedAt),
            name: name(f.closedBy),
            reason: f.closureReason ? codeLabel(FeedbackClosureReasonLabels, f.closureReason, i18n.lang) : "",
          })}
          {f.closureNote ? ` · ${f.closureNote}` : ""}
        </p>
      ) : (
        canHandle && <CloseForm onClose={(reason, note) => run(api("POST", `/api/feedback/${f.feedbackID}/close`, { version: f.version, reason, ...(note ? { note } : {}) }))} />
      )}
    </section>
  );
}

function TextAction(props: { id: string; label: string; submit: string; onSubmit: (text: string) => Promise<unknown> }) {
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!text.trim()) return;
        setBusy(true);
        void props.onSubmit(text.trim()).finally(() => (setBusy(false), setText("")));
      }}
    >
      <label htmlFor={props.id} className="visually-hidden">
        {props.label}
      </label>
      <textarea id={props.id} rows={3} value={text} onChange={(e) => setText(e.target.value)} />
      <br />
      <button type="submit" disabled={busy || !text.trim()}>
        {props.submit}
      </button>
    </form>
  );
}

function CloseForm(props: { onClose: (reason: string, note: string) => Promise<unknown> }) {
  const { i18n, w } = useText();
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  return (
    <form
      className="panel"
      onSubmit={(e) => {
        e.preventDefault();
        if (reason) void props.onClose(reason, note.trim());
      }}
    >
      <h2>{w("fb.close")}</h2>
      <label htmlFor="fb-close-reason">{w("fb.closeReason")}</label>{" "}
      <select id="fb-close-reason" value={reason} onChange={(e) => setReason(e.target.value)}>
        <option value="">{w("fb.choose")}</option>
        {FeedbackClosureReasons.map((r) => (
          <option key={r} value={r}>
            {codeLabel(FeedbackClosureReasonLabels, r, i18n.lang)}
          </option>
        ))}
      </select>{" "}
      <label htmlFor="fb-close-note">{w("fb.closeNote")}</label>{" "}
      <input id="fb-close-note" value={note} onChange={(e) => setNote(e.target.value)} />{" "}
      <button type="submit" disabled={!reason}>
        {w("fb.close")}
      </button>
    </form>
  );
}

/** A value of the person's record as a person reads it (a sex as its label, a date formatted). */
function shownValue(field: string, v: string | undefined, i18n: ReturnType<typeof useI18n>) {
  if (v === undefined) return "—";
  if (field === "sex" && v in SexLabels) return codeLabel(SexLabels, v as keyof typeof SexLabels, i18n.lang);
  if (field === "dateOfBirth") return i18n.date(v);
  return v;
}

function ChangeRequests(props: {
  f: FeedbackInfo;
  myID?: string;
  name: (id?: string) => string;
  run: (p: Promise<FeedbackInfo>) => Promise<unknown>;
  canHandle: boolean;
}) {
  const { i18n, w, sentence } = useText();
  const { f } = props;
  const [field, setField] = useState<string>("");
  const [to, setTo] = useState("");
  const [note, setNote] = useState<string | null>(null);
  const decide = async (requestID: string, decision: "approve" | "reject") => {
    setNote(null);
    try {
      // the version of the person's record the approver is looking at now: a change after this is a conflict
      const person =
        decision === "approve" && f.individualID
          ? await api<{ version: number }>("GET", `/api/individuals/${encodeURIComponent(f.individualID)}`)
          : undefined;
      const decided = await api<FeedbackInfo>(
        "POST",
        `/api/feedback/${f.feedbackID}/change-requests/${requestID}/decision`,
        { version: f.version, decision, ...(person ? { individualVersion: person.version } : {}) },
      );
      await props.run(Promise.resolve(decided));
    } catch (e) {
      setNote(e instanceof ApiError && e.status === 409 ? w("fb.conflictPerson") : sentence(e));
    }
  };
  return (
    <div data-testid="fb-changes">
      {f.changeRequests.length === 0 && <p className="muted">{w("fb.changesNone")}</p>}
      <ul>
        {f.changeRequests.map((r) => (
          <li key={r.requestID} data-status={r.status}>
            {w("fb.changeFromTo", {
              field: codeLabel(DataChangeFieldLabels, r.field, i18n.lang),
              from: shownValue(r.field, r.from, i18n),
              to: shownValue(r.field, r.to, i18n),
            })}{" "}
            · <strong>{codeLabel(DataChangeStatusLabels, r.status, i18n.lang)}</strong> ·{" "}
            <span className="muted small">
              {w("fb.changeRequestedBy", { name: props.name(r.requestedBy), date: i18n.date(r.requestedAt) })}
              {r.decidedBy &&
                ` · ${w("fb.changeDecidedBy", { name: props.name(r.decidedBy), date: i18n.date(r.decidedAt) })}`}
            </span>
            {r.status === "pending" &&
              props.canHandle &&
              (r.requestedBy === props.myID ? (
                <p className="muted small">{w("fb.ownRequest")}</p>
              ) : (
                <>
                  {" "}
                  <button type="button" onClick={() => void decide(r.requestID, "approve")}>
                    {w("fb.approve")}
                  </button>{" "}
                  <button type="button" onClick={() => void decide(r.requestID, "reject")}>
                    {w("fb.reject")}
                  </button>
                </>
              ))}
          </li>
        ))}
      </ul>
      {note && (
        <p className="notice error" role="alert">
          {note}
        </p>
      )}
      {props.canHandle && !f.individualID && <p className="muted">{w("fb.changesNeedPerson")}</p>}
      {props.canHandle && f.individualID && (
        <form
          className="panel"
          onSubmit={(e) => {
            e.preventDefault();
            if (!field || !to.trim()) return;
            void props
              .run(
                api<FeedbackInfo>("POST", `/api/feedback/${f.feedbackID}/change-requests`, {
                  version: f.version,
                  field,
                  to: to.trim(),
                }),
              )
              .then(() => (setField(""), setTo("")));
          }}
        >
          <h3>{w("fb.changeAsk")}</h3>
          <label htmlFor="fb-change-field">{w("fb.changeField")}</label>{" "}
          <select id="fb-change-field" value={field} onChange={(e) => setField(e.target.value)}>
            <option value="">{w("fb.choose")}</option>
            {DataChangeFields.map((k) => (
              <option key={k} value={k}>
                {codeLabel(DataChangeFieldLabels, k, i18n.lang)}
              </option>
            ))}
          </select>{" "}
          <label htmlFor="fb-change-to">{w("fb.changeTo")}</label>{" "}
          {field === "sex" ? (
            <select id="fb-change-to" value={to} onChange={(e) => setTo(e.target.value)}>
              <option value="">{w("fb.choose")}</option>
              {Object.keys(SexLabels).map((k) => (
                <option key={k} value={k}>
                  {codeLabel(SexLabels, k as keyof typeof SexLabels, i18n.lang)}
                </option>
              ))}
            </select>
          ) : (
            <input
              id="fb-change-to"
              type={field === "dateOfBirth" ? "date" : "text"}
              value={to}
              onChange={(e) => setTo(e.target.value)}
            />
          )}{" "}
          <button type="submit" disabled={!field || !to.trim()}>
            {w("fb.changeAskSave")}
          </button>
        </form>
      )}
    </div>
  );
}
