import {
  ConditionOps,
  QuestionTypeLabels,
  QuestionTypes,
  codeLabel,
  type Condition,
  type ConditionOp,
  type Question,
  type QuestionnaireDefinition,
  type QuestionnaireInfo,
  type QuestionnaireSummary,
  type QuestionType,
} from "@waypoint/schema";
import { useEffect, useState, type ReactNode } from "react";
import { ApiError, api } from "../api/client.ts";
import { problemSentence } from "../components/RecordForm.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { qText, type QuestionnaireTextKey } from "./questionnaireText.ts";
import "../components/forms.css";

const LANGS = ["en", "es", "fr", "ar"] as const;
type Labels = Record<(typeof LANGS)[number], string>;
const blank = (): Labels => ({ en: "", es: "", fr: "", ar: "" });
/** A new question's, option's or section's ID: never shown, only unique within the questionnaire. */
const newID = (prefix: string) => `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const clone = <T,>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

const ERR: Record<string, QuestionnaireTextKey> = {
  "invalid.duplicate": "q.err.duplicate",
  "invalid.condition": "q.err.condition",
  "invalid.required": "q.err.required",
  "invalid.too_small": "q.err.required",
  "invalid.range": "q.err.range",
  "invalid.too_big": "q.err.range",
};

interface Editing {
  key: string;
  /** The draft's number and record version once saved; the version it starts from otherwise. */
  draft?: { n: number; version: number };
  base: number;
  d: QuestionnaireDefinition;
}

/**
 * The operation's questionnaires (admins): each with its versions; "make a new version" copies the current one
 * into an editor (questions, skip conditions, weights, bands, wording in four languages), saved as a draft and
 * then published. A published version is never edited: the editor always writes a draft.
 */
export function QuestionnairesPage() {
  const i18n = useI18n();
  const { lang } = i18n;
  const say = (k: QuestionnaireTextKey, v?: Record<string, string | number>) => qText(lang, k, v);
  const [items, setItems] = useState<QuestionnaireSummary[] | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const load = () =>
    api<{ items: QuestionnaireSummary[] }>("GET", "/api/questionnaires")
      .then((r) => setItems(r.items))
      .catch((e) => setErrors([problemSentence(i18n, e)]));
  useEffect(() => void load(), []); // eslint-disable-line react-hooks/exhaustive-deps

  const open = async (s: QuestionnaireSummary) => {
    setNotice(null);
    setErrors([]);
    const n = s.draftVersion ?? s.currentVersion;
    const q = await api<QuestionnaireInfo>("GET", `/api/questionnaires/${s.questionnaireKey}/versions/${n}`);
    setEditing({
      key: s.questionnaireKey,
      base: n,
      draft: s.draftVersion ? { n, version: q.version } : undefined,
      d: clone({ labels: q.labels, sections: q.sections, scoring: q.scoring }),
    });
  };

  const refusal = (e: unknown): string[] => {
    if (e instanceof ApiError && e.status === 422 && e.problem.code === "questionnaire.published")
      return [say("q.err.published")];
    if (e instanceof ApiError && e.status === 409) return [say("q.err.conflict")];
    if (e instanceof ApiError && e.problem.errors?.length)
      return [...new Set(e.problem.errors.map((i) => `${where(i.path)}${say(ERR[i.code ?? ""] ?? "q.err.other")}`))];
    return [problemSentence(i18n, e)];
  };
  /** "Section 2, question 3: " for a path into the definition. */
  const where = (path: string) => {
    const m = path.match(/sections\.(\d+)(?:\.questions\.(\d+))?/);
    if (!m) return "";
    const parts = [say("q.section", { n: Number(m[1]) + 1 })];
    if (m[2] !== undefined) parts.push(say("q.question", { n: Number(m[2]) + 1 }));
    return `${parts.join(", ")}: `;
  };

  const save = async (): Promise<Editing | null> => {
    if (!editing) return null;
    setErrors([]);
    try {
      const saved = editing.draft
        ? await api<QuestionnaireInfo>("PUT", `/api/questionnaires/${editing.key}/versions/${editing.draft.n}`, {
            version: editing.draft.version,
            definition: editing.d,
          })
        : await api<QuestionnaireInfo>("POST", `/api/questionnaires/${editing.key}/versions`, editing.d);
      const next = { ...editing, draft: { n: saved.questionnaireVersion, version: saved.version } };
      setEditing(next);
      setNotice(say("q.saved", { n: saved.questionnaireVersion }));
      void load();
      return next;
    } catch (e) {
      setErrors(refusal(e));
      return null;
    }
  };

  const publish = async () => {
    setBusy(true);
    try {
      const saved = await save();
      if (!saved?.draft) return;
      await api("POST", `/api/questionnaires/${saved.key}/versions/${saved.draft.n}/publish`, {
        version: saved.draft.version,
      });
      setEditing(null);
      setNotice(say("q.publishedOk", { n: saved.draft.n }));
      void load();
    } catch (e) {
      setErrors(refusal(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page questionnaires-page">
      <h1>{say("q.title")}</h1>
      <p className="muted">{say("q.intro")}</p>
      {notice && (
        <p role="status" className="notice" id="q-notice">
          {notice}
        </p>
      )}
      {errors.length > 0 && (
        <div className="error-summary" role="alert" id="q-errors">
          <h3>{say("q.errors")}</h3>
          <ul>
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      )}
      {!editing &&
        items?.map((s) => (
          <section key={s.questionnaireKey} className="card" aria-labelledby={`q-${s.questionnaireKey}`}>
            <h2 id={`q-${s.questionnaireKey}`}>{s.labels[lang]}</h2>
            <p>{say("q.current", { n: s.currentVersion })}</p>
            {s.draftVersion && <p>{say("q.draftOf", { n: s.draftVersion })}</p>}
            <h3>{say("q.versions")}</h3>
            <ul>
              {s.versions.map((v) => (
                <li key={v.questionnaireVersion}>
                  {say("q.version", { n: v.questionnaireVersion })} ({say(`q.status.${v.status}`)}
                  {v.publishedAt ? `, ${say("q.publishedOn", { when: i18n.dateTime(v.publishedAt) })}` : ""}
                  {v.builtIn ? `, ${say("q.builtIn")}` : ""})
                </li>
              ))}
            </ul>
            <button type="button" className="primary" onClick={() => void open(s)}>
              {s.draftVersion ? say("q.editDraft", { n: s.draftVersion }) : say("q.newVersion")}
            </button>
          </section>
        ))}
      {editing && (
        <Editor
          e={editing}
          onChange={(d) => setEditing({ ...editing, d })}
          footer={
            <div className="actions">
              <button type="button" onClick={() => setEditing(null)}>
                {say("q.close")}
              </button>
              <button type="button" disabled={busy} onClick={() => void save()}>
                {say("q.save")}
              </button>
              <button type="button" className="primary" disabled={busy} onClick={() => void publish()}>
                {say("q.publish")}
              </button>
            </div>
          }
        />
      )}
    </div>
  );
}

function LabelInputs(props: { id: string; legend: string; value: Labels; onChange: (v: Labels) => void }) {
  const { lang } = useI18n();
  return (
    <fieldset className="question">
      <legend>{props.legend}</legend>
      {LANGS.map((l) => (
        <label key={l} className="inline">
          {qText(lang, `q.lang.${l}`)}{" "}
          <input
            id={`${props.id}-${l}`}
            dir={l === "ar" ? "rtl" : "ltr"}
            lang={l}
            value={props.value[l] ?? ""}
            onChange={(e) => props.onChange({ ...props.value, [l]: e.target.value })}
          />
        </label>
      ))}
    </fieldset>
  );
}

function NumberInput(props: { id: string; label: string; value: number | undefined; onChange: (v: number | undefined) => void }) {
  return (
    <label className="inline">
      {props.label}{" "}
      <input
        id={props.id}
        type="number"
        value={props.value === undefined ? "" : String(props.value)}
        onChange={(e) => props.onChange(e.target.value === "" ? undefined : Number(e.target.value))}
      />
    </label>
  );
}

function Editor(props: { e: Editing; onChange: (d: QuestionnaireDefinition) => void; footer: ReactNode }) {
  const { lang } = useI18n();
  const say = (k: QuestionnaireTextKey, v?: Record<string, string | number>) => qText(lang, k, v);
  const d = props.e.d;
  const update = (f: (d: QuestionnaireDefinition) => void) => {
    const next = clone(d);
    f(next);
    props.onChange(next);
  };
  const all = d.sections.flatMap((s) => s.questions);
  return (
    <form className="form record-form" onSubmit={(ev) => ev.preventDefault()} id="q-editor">
      <h2>
        {props.e.draft ? say("q.editing", { n: props.e.draft.n }) : say("q.editingNew", { n: props.e.base })}
      </h2>
      <LabelInputs id="q-name" legend={say("q.name")} value={d.labels as Labels} onChange={(v) => update((x) => void (x.labels = v))} />
      {d.sections.map((s, si) => (
        <section key={s.sectionID} className="card">
          <h3>{say("q.section", { n: si + 1 })}</h3>
          <LabelInputs
            id={`s${si}-title`}
            legend={say("q.sectionTitle")}
            value={s.labels as Labels}
            onChange={(v) => update((x) => void (x.sections[si]!.labels = v))}
          />
          {s.questions.map((q, qi) => {
            const before = all.slice(0, all.findIndex((x) => x.questionID === q.questionID));
            return (
              <QuestionEditor
                key={q.questionID}
                id={`s${si}q${qi}`}
                n={qi + 1}
                q={q}
                earlier={before}
                onChange={(nq) => update((x) => void (x.sections[si]!.questions[qi] = nq))}
                onRemove={() => update((x) => void x.sections[si]!.questions.splice(qi, 1))}
              />
            );
          })}
          <button
            type="button"
            onClick={() =>
              update((x) =>
                void x.sections[si]!.questions.push({
                  questionID: newID("q"),
                  type: "yes_no",
                  labels: blank(),
                  required: false,
                  yesPoints: 0,
                  noPoints: 0,
                }),
              )
            }
          >
            {say("q.addQuestion")}
          </button>
        </section>
      ))}
      <button
        type="button"
        onClick={() => update((x) => void x.sections.push({ sectionID: newID("s"), labels: blank(), questions: [] }))}
      >
        {say("q.addSection")}
      </button>
      <section className="card">
        <h3>{say("q.scoring")}</h3>
        <NumberInput
          id="q-cap"
          label={say("q.cap")}
          value={d.scoring.cap}
          onChange={(v) => update((x) => void (v === undefined ? delete x.scoring.cap : (x.scoring.cap = v)))}
        />
        <p>{say("q.bands")}</p>
        {d.scoring.bands.map((b, bi) => (
          <div key={b.band} className="question">
            <NumberInput
              id={`band-${bi}-min`}
              label={say("q.from")}
              value={b.min}
              onChange={(v) => update((x) => void (x.scoring.bands[bi]!.min = v ?? 0))}
            />
            <LabelInputs
              id={`band-${bi}`}
              legend={b.labels[lang]}
              value={b.labels as Labels}
              onChange={(v) => update((x) => void (x.scoring.bands[bi]!.labels = v))}
            />
          </div>
        ))}
      </section>
      {props.footer}
    </form>
  );
}

function QuestionEditor(props: {
  id: string;
  n: number;
  q: Question;
  earlier: Question[];
  onChange: (q: Question) => void;
  onRemove: () => void;
}) {
  const { lang } = useI18n();
  const say = (k: QuestionnaireTextKey, v?: Record<string, string | number>) => qText(lang, k, v);
  const { q, id } = props;
  const set = (f: (q: Question) => void) => {
    const next = clone(q);
    f(next);
    props.onChange(next);
  };
  const coded = q.type === "one_of" || q.type === "many_of";
  return (
    <fieldset className="question" id={id}>
      <legend>
        {say("q.question", { n: props.n })}: {q.labels[lang]}
      </legend>
      <LabelInputs id={`${id}-label`} legend={say("q.wording")} value={q.labels as Labels} onChange={(v) => set((x) => void (x.labels = v))} />
      <label className="inline">
        {say("q.type")}{" "}
        <select
          id={`${id}-type`}
          value={q.type}
          onChange={(e) =>
            set((x) => {
              x.type = e.target.value as QuestionType;
              if ((x.type === "one_of" || x.type === "many_of") && !x.options?.length)
                x.options = [{ value: newID("o"), labels: blank(), points: 0 }];
            })
          }
        >
          {QuestionTypes.map((t) => (
            <option key={t} value={t}>
              {codeLabel(QuestionTypeLabels, t, lang)}
            </option>
          ))}
        </select>
      </label>{" "}
      <label className="check">
        <input type="checkbox" checked={q.required} onChange={(e) => set((x) => void (x.required = e.target.checked))} />{" "}
        {say("q.required")}
      </label>
      {q.type === "yes_no" && (
        <div>
          <NumberInput id={`${id}-yes`} label={say("q.yesPoints")} value={q.yesPoints} onChange={(v) => set((x) => void (x.yesPoints = v))} />{" "}
          <NumberInput id={`${id}-no`} label={say("q.noPoints")} value={q.noPoints} onChange={(v) => set((x) => void (x.noPoints = v))} />
        </div>
      )}
      {q.type === "number" && (
        <div>
          <NumberInput id={`${id}-min`} label={say("q.min")} value={q.min} onChange={(v) => set((x) => void (x.min = v))} />{" "}
          <NumberInput id={`${id}-max`} label={say("q.max")} value={q.max} onChange={(v) => set((x) => void (x.max = v))} />{" "}
          <NumberInput id={`${id}-unit`} label={say("q.perUnit")} value={q.pointsPerUnit} onChange={(v) => set((x) => void (x.pointsPerUnit = v))} />{" "}
          <NumberInput id={`${id}-maxp`} label={say("q.maxPoints")} value={q.maxPoints} onChange={(v) => set((x) => void (x.maxPoints = v))} />
        </div>
      )}
      {coded && (
        <div>
          <p>{say("q.options")}</p>
          {(q.options ?? []).map((o, oi) => (
            <div key={o.value} className="question">
              <LabelInputs
                id={`${id}-o${oi}`}
                legend={o.labels[lang] || say("q.options")}
                value={o.labels as Labels}
                onChange={(v) => set((x) => void (x.options![oi]!.labels = v))}
              />
              <NumberInput
                id={`${id}-o${oi}-points`}
                label={say("q.points")}
                value={o.points}
                onChange={(v) => set((x) => void (x.options![oi]!.points = v ?? 0))}
              />{" "}
              <button type="button" onClick={() => set((x) => void x.options!.splice(oi, 1))}>
                {say("q.remove")}
              </button>
            </div>
          ))}
          <button
            type="button"
            onClick={() => set((x) => void (x.options = [...(x.options ?? []), { value: newID("o"), labels: blank(), points: 0 }]))}
          >
            {say("q.addOption")}
          </button>
        </div>
      )}
      <ConditionEditor id={`${id}-if`} cond={q.showIf} earlier={props.earlier} onChange={(c) => set((x) => void (c ? (x.showIf = c) : delete x.showIf))} />
      <button type="button" onClick={props.onRemove}>
        {say("q.remove")}
      </button>
    </fieldset>
  );
}

/** Which comparisons fit a question's type. */
const opsFor = (t: QuestionType): ConditionOp[] =>
  t === "number" || t === "date"
    ? ["eq", "ne", "gt", "gte", "lt", "lte", "answered", "unanswered"]
    : t === "many_of"
      ? ["includes", "answered", "unanswered"]
      : t === "text"
        ? ["answered", "unanswered"]
        : ["eq", "ne", "answered", "unanswered"];

function ConditionEditor(props: {
  id: string;
  cond: Condition | undefined;
  earlier: Question[];
  onChange: (c: Condition | undefined) => void;
}) {
  const { lang } = useI18n();
  const say = (k: QuestionnaireTextKey) => qText(lang, k);
  const c = props.cond;
  if (!props.earlier.length) return null;
  const first = props.earlier.at(-1)!;
  const newClause = () => ({ questionID: first.questionID, op: opsFor(first.type)[0]!, value: first.type === "yes_no" ? true : undefined });
  return (
    <div className="question">
      <label className="inline">
        {say("q.showIf")}{" "}
        <select
          id={`${props.id}-match`}
          value={c ? c.match : ""}
          onChange={(e) =>
            props.onChange(
              e.target.value === "" ? undefined : { match: e.target.value as "all" | "any", clauses: c?.clauses ?? [newClause()] },
            )
          }
        >
          <option value="">{say("q.always")}</option>
          <option value="all">{say("q.match.all")}</option>
          <option value="any">{say("q.match.any")}</option>
        </select>
      </label>
      {c?.clauses.map((cl, ci) => {
        const target = props.earlier.find((q) => q.questionID === cl.questionID) ?? first;
        const setClause = (patch: Partial<typeof cl>) =>
          props.onChange({ ...c, clauses: c.clauses.map((x, i) => (i === ci ? { ...x, ...patch } : x)) });
        const needsValue = !["answered", "unanswered"].includes(cl.op);
        return (
          <div key={ci} className="inline">
            <select
              id={`${props.id}-${ci}-q`}
              aria-label={say("a.colQuestion")}
              value={target.questionID}
              onChange={(e) => {
                const t = props.earlier.find((q) => q.questionID === e.target.value)!;
                setClause({ questionID: t.questionID, op: opsFor(t.type)[0]!, value: t.type === "yes_no" ? true : undefined });
              }}
            >
              {props.earlier.map((q) => (
                <option key={q.questionID} value={q.questionID}>
                  {q.labels[lang]}
                </option>
              ))}
            </select>{" "}
            <select
              id={`${props.id}-${ci}-op`}
              aria-label={say("q.type")}
              value={cl.op}
              onChange={(e) => setClause({ op: e.target.value as ConditionOp })}
            >
              {ConditionOps.filter((o) => opsFor(target.type).includes(o)).map((o) => (
                <option key={o} value={o}>
                  {say(`q.op.${o}`)}
                </option>
              ))}
            </select>{" "}
            {needsValue &&
              (target.type === "yes_no" ? (
                <select
                  id={`${props.id}-${ci}-v`}
                  aria-label={say("q.value")}
                  value={cl.value === false ? "no" : "yes"}
                  onChange={(e) => setClause({ value: e.target.value === "yes" })}
                >
                  <option value="yes">{say("q.yes")}</option>
                  <option value="no">{say("q.no")}</option>
                </select>
              ) : target.options?.length ? (
                <select
                  id={`${props.id}-${ci}-v`}
                  aria-label={say("q.value")}
                  value={String(cl.value ?? "")}
                  onChange={(e) => setClause({ value: e.target.value })}
                >
                  <option value="">{say("a.choose")}</option>
                  {target.options.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.labels[lang]}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  id={`${props.id}-${ci}-v`}
                  aria-label={say("q.value")}
                  type={target.type === "date" ? "date" : "number"}
                  value={cl.value === undefined ? "" : String(cl.value)}
                  onChange={(e) =>
                    setClause({ value: target.type === "date" ? e.target.value : e.target.value === "" ? undefined : Number(e.target.value) })
                  }
                />
              ))}{" "}
            <button
              type="button"
              onClick={() => {
                const rest = c.clauses.filter((_, i) => i !== ci);
                props.onChange(rest.length ? { ...c, clauses: rest } : undefined);
              }}
            >
              {say("q.remove")}
            </button>
          </div>
        );
      })}
      {c && (
        <button type="button" onClick={() => props.onChange({ ...c, clauses: [...c.clauses, newClause()] })}>
          {say("q.addCondition")}
        </button>
      )}
    </div>
  );
}
