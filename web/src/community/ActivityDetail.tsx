import { useState, type FormEvent } from "react";
import {
  ActivityKindLabels,
  AgeGroupLabels,
  AgeGroups,
  CountSexes,
  DiversityLabels,
  GenderLabels,
  TrainingKinds,
  type ActivityInfo,
  type AgdFinding,
  type AttendanceCount,
} from "@waypoint/schema";
import { ApiError, api } from "../api/client.ts";
import { recordName, useMe, useOffices, useRecords } from "../components/lookups.ts";
import { personFacts, RecordPicker } from "../components/RecordPicker.tsx";
import { Modal } from "../components/Modal.tsx";
import { ActivityForm } from "./ActivityForm.tsx";
import { attendanceSummary, Go, placeOf, useAreas, useCT, useGet, useStaff } from "./parts.tsx";

type Change = { add?: string[]; addNumbers?: string[]; addStaff?: string[]; remove?: string[] };

/** One activity: what, when and where; who attended (people, staff trained) or how many; findings by AGD group. */
export function ActivityDetail(props: { activityID: string }) {
  const ct = useCT();
  const { c, label, language, dateTime, number } = ct;
  const { mayOn } = useMe();
  const offices = useOffices();
  const areas = useAreas();
  const staff = useStaff();
  const path = `/api/activities/${encodeURIComponent(props.activityID)}`;
  const act = useGet<ActivityInfo>(path);
  const list = useGet<{ items: { attendeeID: string; kind: string }[] }>(`${path}/attendees`);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);
  const [editing, setEditing] = useState(false);
  const a = act.data;
  if (act.error) return <p role="alert" className="error">{ct.problem(act.error)}</p>;
  if (!a) return <p className="muted">…</p>;
  const may = mayOn("activity.record", a as unknown as Record<string, unknown>);
  const staffName = (id: string) => staff.find((s) => s.userID === id)?.name ?? "…";
  const reload = () => {
    act.reload();
    list.reload();
  };
  const fail = (e: unknown) => {
    if (e instanceof ApiError && e.status === 409) {
      reload();
      setMessage({ text: c("act.conflict"), error: true });
    } else setMessage({ text: ct.problem(e), error: true });
  };
  const change = async (body: Change) => {
    try {
      const r = await api<{ added: number; unknown: string[] }>("POST", `${path}/attendees`, { version: a.version, ...body });
      reload();
      setMessage(
        r.unknown.length
          ? { text: `${c("act.added", { n: number(r.added) })} ${c("act.unknown", { list: r.unknown.join(", ") })}`, error: true }
          : { text: c("act.added", { n: number(r.added) }) },
      );
    } catch (e) {
      fail(e);
    }
  };
  const patch = async (changes: Record<string, unknown>) => {
    try {
      await api("PATCH", path, { version: a.version, changes });
      reload();
      setMessage({ text: c("act.saved") });
    } catch (e) {
      fail(e);
    }
  };
  const people = (list.data?.items ?? []).filter((r) => r.kind === "individual").map((r) => r.attendeeID);
  const trainees = (list.data?.items ?? []).filter((r) => r.kind === "staff").map((r) => r.attendeeID);
  return (
    <section className="page community" aria-labelledby="page-title">
      <p>
        <Go to="/activities">{c("act.back")}</Go>
      </p>
      <h1 id="page-title">{a.topic}</h1>
      {may && (
        <button aria-haspopup="dialog" type="button" onClick={() => setEditing(true)}>
          {c("act.edit")}
        </button>
      )}
      {editing && (
        <Modal title={c("act.edit")} onClose={() => setEditing(false)} wide>
          <ActivityForm
            officeID={a.officeID}
            activity={a}
            onDone={() => {
              setEditing(false);
              reload();
              setMessage({ text: c("act.saved") });
            }}
            onCancel={() => setEditing(false)}
          />
        </Modal>
      )}
      <dl className="facts">
        <dt>{c("act.kind")}</dt>
        <dd>{label(ActivityKindLabels, a.kind)}</dd>
        <dt>{c("act.when")}</dt>
        <dd>{dateTime(a.start)}</dd>
        <dt>{c("act.where")}</dt>
        <dd>{placeOf(a, offices, areas)}</dd>
        <dt>{c("act.language")}</dt>
        <dd>{language(a.language)}</dd>
        <dt>{c("act.facilitators")}</dt>
        <dd>{[...a.facilitatorIDs.map(staffName), a.otherFacilitators].filter(Boolean).join(", ")}</dd>
        <dt>{c("act.attendance")}</dt>
        <dd>{attendanceSummary(a, c, number)}</dd>
        {a.notes && (
          <>
            <dt>{c("act.notes")}</dt>
            <dd>{a.notes}</dd>
          </>
        )}
      </dl>
      {message && (
        <p role={message.error ? "alert" : "status"} className={message.error ? "error" : "notice"}>
          {message.text}
        </p>
      )}
      <Attendees ids={people} may={may} onChange={change} officeID={a.officeID} />
      <Counts key={`counts-${a.version}`} counts={a.counts} may={may} onSave={(counts) => patch({ counts })} />
      {a.kind === "participatory_assessment" && (
        <Findings findings={a.findings} may={may} onSave={(findings) => patch({ findings })} />
      )}
      {TrainingKinds.includes(a.kind) && (
        <section className="card" aria-labelledby="trainees">
          <h2 id="trainees">{c("act.trainees")}</h2>
          {trainees.length === 0 ? (
            <p className="muted">{c("act.noTrainees")}</p>
          ) : (
            <ul>
              {trainees.map((id) => (
                <li key={id}>
                  {staffName(id)}{" "}
                  {may && (
                    <button type="button" className="link" onClick={() => void change({ remove: [id] })}>
                      {c("act.remove")}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
          {may && <AddTrainee staff={staff.filter((s) => !trainees.includes(s.userID))} onAdd={(id) => change({ addStaff: [id] })} />}
        </section>
      )}
    </section>
  );
}

function Attendees(props: { ids: string[]; may: boolean; officeID: string; onChange: (b: Change) => Promise<void> }) {
  const ct = useCT();
  const { c } = ct;
  const found = useRecords("individuals", props.ids);
  const [picked, setPicked] = useState<string | undefined>();
  const [pasted, setPasted] = useState("");
  return (
    <section className="card" aria-labelledby="attendees">
      <h2 id="attendees">{c("act.registered")}</h2>
      {props.ids.length === 0 ? (
        <p className="muted">{c("act.noAttendees")}</p>
      ) : (
        <ul aria-label={c("act.registered")}>
          {props.ids.map((id) => {
            const r = found.get(id);
            return (
              <li key={id}>
                <Go to={`/individuals/${id}`}>{recordName("individuals", r) ?? "…"}</Go>
                {r && <span className="muted"> · {personFacts(r, ct)}</span>}{" "}
                {props.may && (
                  <button type="button" className="link" onClick={() => void props.onChange({ remove: [id] })}>
                    {c("act.remove")}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {props.may && (
        <>
          <div className="inline-form">
            <label htmlFor="attendee-pick">{c("act.pickPerson")}</label>
            <RecordPicker id="attendee-pick" value={picked} officeID={props.officeID} onChange={(id) => setPicked(id)} />
            <button
              type="button"
              disabled={!picked}
              onClick={() => {
                if (picked) void props.onChange({ add: [picked] }).then(() => setPicked(undefined));
              }}
            >
              {c("act.addPerson")}
            </button>
          </div>
          <form
            className="inline-form"
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              const numbers = pasted.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
              if (numbers.length) void props.onChange({ addNumbers: numbers }).then(() => setPasted(""));
            }}
          >
            <label>
              {c("act.paste")}
              <textarea rows={3} value={pasted} onChange={(e) => setPasted(e.target.value)} />
            </label>
            <button type="submit">{c("act.addList")}</button>
          </form>
        </>
      )}
    </section>
  );
}

function Counts(props: { counts: AttendanceCount[]; may: boolean; onSave: (c: AttendanceCount[]) => void }) {
  const { c, label, number } = useCT();
  const init = Object.fromEntries(props.counts.map((x) => [`${x.sex}/${x.ageGroup}`, String(x.count)]));
  const [cells, setCells] = useState<Record<string, string>>(init);
  const [bad, setBad] = useState(false);
  const total = Object.values(cells).reduce((s, v) => s + (/^\d+$/.test(v) ? Number(v) : 0), 0);
  const save = () => {
    const out: AttendanceCount[] = [];
    for (const [k, v] of Object.entries(cells)) {
      if (v.trim() === "") continue;
      if (!/^\d+$/.test(v.trim())) return setBad(true);
      const [sex, ageGroup] = k.split("/") as [AttendanceCount["sex"], AttendanceCount["ageGroup"]];
      out.push({ sex, ageGroup, count: Number(v.trim()) });
    }
    setBad(false);
    props.onSave(out);
  };
  return (
    <section className="card counts" aria-labelledby="counts">
      <h2 id="counts">{c("act.counts")}</h2>
      <p className="muted small">{c("act.countsHint")}</p>
      {bad && <p role="alert" className="error">{c("act.badCount")}</p>}
      <table className="plain">
        <thead>
          <tr>
            <th scope="col">{c("act.ageGroup")}</th>
            {CountSexes.map((s) => (
              <th key={s} scope="col">
                {c(s === "female" ? "act.female" : "act.male")}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {AgeGroups.map((g) => (
            <tr key={g}>
              <th scope="row">{label(AgeGroupLabels, g)}</th>
              {CountSexes.map((s) => {
                const k = `${s}/${g}`;
                const name = `${label(AgeGroupLabels, g)}, ${c(s === "female" ? "act.female" : "act.male")}`;
                return (
                  <td key={s}>
                    {props.may ? (
                      <input
                        inputMode="numeric"
                        aria-label={name}
                        value={cells[k] ?? ""}
                        onChange={(e) => setCells({ ...cells, [k]: e.target.value })}
                      />
                    ) : (
                      number(Number(cells[k] ?? 0))
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
          <tr>
            <th scope="row">{c("act.total")}</th>
            <td colSpan={2}>{number(total)}</td>
          </tr>
        </tbody>
      </table>
      {props.may && (
        <button type="button" onClick={save}>
          {c("act.saveCounts")}
        </button>
      )}
    </section>
  );
}

function Findings(props: { findings: AgdFinding[]; may: boolean; onSave: (f: AgdFinding[]) => void }) {
  const { c, label } = useCT();
  const [draft, setDraft] = useState<AgdFinding>({ ageGroup: "18_24", gender: "women", diversity: "none", finding: "" });
  return (
    <section className="card" aria-labelledby="findings">
      <h2 id="findings">{c("act.findings")}</h2>
      {props.findings.length === 0 ? (
        <p className="muted">{c("act.noFindings")}</p>
      ) : (
        <table className="plain">
          <thead>
            <tr>
              <th scope="col">{c("act.ageGroup")}</th>
              <th scope="col">{c("act.gender")}</th>
              <th scope="col">{c("act.diversity")}</th>
              <th scope="col">{c("act.finding")}</th>
            </tr>
          </thead>
          <tbody>
            {props.findings.map((f, i) => (
              <tr key={i}>
                <td>{label(AgeGroupLabels, f.ageGroup)}</td>
                <td>{label(GenderLabels, f.gender)}</td>
                <td>{label(DiversityLabels, f.diversity)}</td>
                <td>{f.finding}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.may && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (!draft.finding.trim()) return;
            props.onSave([...props.findings, { ...draft, finding: draft.finding.trim() }]);
            setDraft({ ...draft, finding: "" });
          }}
        >
          <Choice name={c("act.ageGroup")} table={AgeGroupLabels} value={draft.ageGroup} onChange={(v) => setDraft({ ...draft, ageGroup: v as AgdFinding["ageGroup"] })} />
          <Choice name={c("act.gender")} table={GenderLabels} value={draft.gender} onChange={(v) => setDraft({ ...draft, gender: v as AgdFinding["gender"] })} />
          <Choice name={c("act.diversity")} table={DiversityLabels} value={draft.diversity} onChange={(v) => setDraft({ ...draft, diversity: v as AgdFinding["diversity"] })} />
          <label>
            {c("act.finding")}
            <textarea rows={2} value={draft.finding} onChange={(e) => setDraft({ ...draft, finding: e.target.value })} />
          </label>
          <button type="submit">{c("act.addFinding")}</button>
        </form>
      )}
    </section>
  );
}

function Choice(props: {
  name: string;
  table: Record<string, Record<"en" | "es" | "fr" | "ar", string>>;
  value: string;
  onChange: (v: string) => void;
}) {
  const { label } = useCT();
  return (
    <label>
      {props.name}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {Object.keys(props.table).map((k) => (
          <option key={k} value={k}>
            {label(props.table, k)}
          </option>
        ))}
      </select>
    </label>
  );
}

function AddTrainee(props: { staff: { userID: string; name: string }[]; onAdd: (id: string) => Promise<void> }) {
  const { c } = useCT();
  const [who, setWho] = useState("");
  return (
    <div className="inline-form">
      <label>
        {c("act.staffMember")}
        <select value={who} onChange={(e) => setWho(e.target.value)}>
          <option value="">…</option>
          {props.staff.map((s) => (
            <option key={s.userID} value={s.userID}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <button type="button" disabled={!who} onClick={() => void props.onAdd(who).then(() => setWho(""))}>
        {c("act.addTrainee")}
      </button>
    </div>
  );
}
