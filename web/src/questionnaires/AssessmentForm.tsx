import {
  AssessmentKindLabels,
  checkAndScore,
  codeLabel,
  QuestionnaireOfAssessmentKind,
  visibleQuestions,
  type AnswerValue,
  type AssessmentKind,
  type Question,
  type QuestionnaireInfo,
  type ScoreExplanation,
} from "@waypoint/schema";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { ApiError, api } from "../api/client.ts";
import { Modal } from "../components/Modal.tsx";
import {
  clearErrors,
  errorsOf,
  FormQuestion,
  placeIssues,
  problemSentence,
  typed,
  type FormError,
} from "../components/RecordForm.tsx";
import { isRequired } from "../components/formFields.ts";
import { useConfiguredCreate } from "../fields/ConfiguredSection.tsx";
import { fieldsText } from "../fields/fieldsText.ts";
import { z } from "zod";
import { useI18n } from "../i18n/i18n.tsx";
import { qText, type QuestionnaireTextKey } from "./questionnaireText.ts";
import "../components/forms.css";

type Row = Record<string, unknown>;

/** Assessment kinds answered with a questionnaire (the case page offers these). */
export const QuestionnaireKinds = (Object.keys(QuestionnaireOfAssessmentKind) as AssessmentKind[]).filter(
  (k) => QuestionnaireOfAssessmentKind[k],
);

const ERR: Record<string, QuestionnaireTextKey> = {
  "invalid.answer": "a.err.answer",
  "invalid.required": "a.err.required",
  "invalid.skipped": "a.err.skipped",
  "invalid.question": "a.err.question",
  "invalid.duplicate": "a.err.duplicate",
};

/**
 * A new assessment drawn from the current version of its kind's questionnaire: sections and questions in the
 * user's language, skip conditions applied as the answers change (the same function core runs), the score as
 * answered, and core's refusals placed on their questions. The operation's configured fields of assessments
 * follow (issue 19): asked as every record form asks them (`FormQuestion`, labels and help in the user's language,
 * required marks), checked by their rules before sending, core's errors at `fields.<key>` on their question.
 */
export function AssessmentForm(props: {
  caseID: string;
  people: { value: string; label: string }[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const i18n = useI18n();
  const { lang } = i18n;
  const say = (k: QuestionnaireTextKey, v?: Record<string, string | number>) => qText(lang, k, v);
  const [kind, setKind] = useState<AssessmentKind>(QuestionnaireKinds[0]!);
  const [person, setPerson] = useState("");
  const [q, setQ] = useState<QuestionnaireInfo | null>(null);
  const [answers, setAnswers] = useState<Record<string, AnswerValue>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const configured = useConfiguredCreate("assessments");
  const cfgSchema = configured.schema(z.object({}));
  // configured answers as their inputs hold them (by `fields.<key>`), and their errors
  const [cfg, setCfg] = useState<Row>({});
  const [cfgErrors, setCfgErrors] = useState<FormError[]>([]);
  const cfgLabel = (field: string) => configured.questions.find((f) => f.field === field)?.label ?? field;
  // problems on their configured question (a repeating group's on its entry and sub-field); others are not theirs
  const cfgIssues = (issues: { path: string; code?: string; message: string }[]) =>
    placeIssues(
      i18n,
      configured.questions,
      cfg,
      issues,
      (f) => cfgLabel(f.field),
      (path) => configured.questions.find((x) => path === x.field || path.startsWith(`${x.field}.`))?.field,
    ).filter((e) => e.field);

  useEffect(() => {
    setQ(null);
    setAnswers({});
    setErrors({});
    api<QuestionnaireInfo>("GET", `/api/questionnaires/${QuestionnaireOfAssessmentKind[kind]}/versions/current`)
      .then(setQ)
      .catch((e) => setFailure(problemSentence(i18n, e)));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reload on a change of kind only
  }, [kind]);

  const map = useMemo(() => new Map(Object.entries(answers)), [answers]);
  const shown = useMemo(() => (q ? visibleQuestions(q, map) : new Set<string>()), [q, map]);
  const given = () =>
    Object.entries(answers)
      .filter(([id, v]) => shown.has(id) && v !== "" && !(Array.isArray(v) && v.length === 0))
      .map(([questionID, answer]) => ({ questionID, answer }));
  const preview = q ? checkAndScore(q, given()) : null;
  const band = preview && q?.scoring.bands.find((b) => b.band === preview.result.band);

  const set = (id: string, v: AnswerValue | undefined) =>
    setAnswers((cur) => {
      const next = { ...cur };
      if (v === undefined) delete next[id];
      else next[id] = v;
      return next;
    });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!q) return;
    setErrors({});
    setCfgErrors([]);
    setFailure(null);
    const answers: Row = {};
    for (const f of configured.questions) {
      const v = typed(f, cfg[f.field]);
      if (v !== undefined) answers[f.field.slice("fields.".length)] = v;
    }
    const check = configured.check(answers);
    if (check && !check.success) {
      setCfgErrors(
        cfgIssues(check.error.issues.map((i) => ({ path: `fields.${i.path.join(".")}`, code: i.code, message: i.message }))),
      );
      return;
    }
    const fields = configured.fieldsOf(answers);
    setBusy(true);
    api("POST", "/api/assessments", {
      caseID: props.caseID,
      kind,
      ...(person ? { individualID: person } : {}),
      answers: given(),
      questionnaireVersion: q.questionnaireVersion,
      ...(fields ? { fields } : {}),
    })
      .then(props.onDone)
      .catch((err) => {
        const byQuestion: Record<string, string> = {};
        if (err instanceof ApiError && err.status === 422 && err.problem.errors?.length) {
          for (const i of err.problem.errors) {
            const m = i.path.match(/^answers\.(.+)$/);
            if (m) byQuestion[m[1]!] = say(ERR[i.code ?? ""] ?? "a.err.answer");
          }
          const byField = cfgIssues(err.problem.errors);
          setErrors(byQuestion);
          setCfgErrors(byField);
          if (!Object.keys(byQuestion).length && !byField.length) setFailure(say("a.err.other"));
        } else setFailure(problemSentence(i18n, err));
      })
      .finally(() => setBusy(false));
  };

  return (
    <form className="form record-form questionnaire" onSubmit={submit} noValidate>
      {failure && (
        <div role="alert" className="error">
          {failure}
        </div>
      )}
      <label className="question">
        <span>{say("a.kind")}</span>
        <select id="qa-kind" value={kind} onChange={(e) => setKind(e.target.value as AssessmentKind)}>
          {QuestionnaireKinds.map((k) => (
            <option key={k} value={k}>
              {codeLabel(AssessmentKindLabels, k, lang)}
            </option>
          ))}
        </select>
      </label>
      {props.people.length > 0 && (
        <label className="question">
          <span>{say("a.person")}</span>
          <select id="qa-person" value={person} onChange={(e) => setPerson(e.target.value)}>
            <option value="">{say("a.choose")}</option>
            {props.people.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
      )}
      {q && (
        <p className="muted small" id="qa-version">
          {say("a.answeredWith", { n: q.questionnaireVersion })}
        </p>
      )}
      {q?.sections.map((s) => {
        const questions = s.questions.filter((x) => shown.has(x.questionID));
        if (!questions.length) return null;
        return (
          <fieldset key={s.sectionID} className="questionnaire-section">
            <legend>{s.labels[lang]}</legend>
            {questions.map((x) => (
              <QuestionInput
                key={x.questionID}
                q={x}
                value={answers[x.questionID]}
                error={errors[x.questionID]}
                onChange={(v) => set(x.questionID, v)}
              />
            ))}
          </fieldset>
        );
      })}
      {configured.questions.length > 0 && (
        <fieldset className="questionnaire-section" id="qa-configured">
          <legend>{fieldsText(lang, "fields.section")}</legend>
          {configured.questions.map((f) => (
            <FormQuestion
              key={f.field}
              f={f}
              label={cfgLabel(f.field)}
              raw={cfg[f.field]}
              {...errorsOf(i18n, cfgErrors, f.field)}
              optional={!isRequired(cfgSchema, f.field) && f.kind !== "bool"}
              schema={cfgSchema}
              onChange={(v, touched) => {
                setCfg((cur) => ({ ...cur, [f.field]: v }));
                setCfgErrors((cur) => clearErrors(cur, f.field, touched));
              }}
            />
          ))}
        </fieldset>
      )}
      {preview && !preview.issues.length && band && (
        <p id="qa-preview" aria-live="polite">
          {say("a.preview", { score: preview.result.score, band: band.labels[lang] })}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={props.onCancel}>
          {i18n.t("common.cancel")}
        </button>
        <button type="submit" className="primary" disabled={busy || !q}>
          {i18n.t("common.save")}
        </button>
      </div>
    </form>
  );
}

function QuestionInput(props: {
  q: Question;
  value: AnswerValue | undefined;
  error?: string;
  onChange: (v: AnswerValue | undefined) => void;
}) {
  const { lang } = useI18n();
  const say = (k: QuestionnaireTextKey) => qText(lang, k);
  const { q, value } = props;
  const id = `qa-${q.questionID}`;
  const text = q.labels[lang];
  const err = props.error ? `${id}-error` : undefined;
  let input;
  switch (q.type) {
    case "yes_no":
      return (
        <fieldset className="question" id={id} aria-describedby={err}>
          <legend>{text}</legend>
          <div className="radios" role="radiogroup">
            {[true, false].map((b) => (
              <label key={String(b)} className="check">
                <input
                  type="radio"
                  name={id}
                  checked={value === b}
                  onChange={() => props.onChange(b)}
                />{" "}
                {say(b ? "q.yes" : "q.no")}
              </label>
            ))}
          </div>
          {props.error && (
            <span id={err} className="error field-error">
              {props.error}
            </span>
          )}
        </fieldset>
      );
    case "one_of":
      input = (
        <select
          id={id}
          aria-describedby={err}
          value={typeof value === "string" ? value : ""}
          onChange={(e) => props.onChange(e.target.value || undefined)}
        >
          <option value="">{say("a.choose")}</option>
          {(q.options ?? []).map((o) => (
            <option key={o.value} value={o.value}>
              {o.labels[lang]}
            </option>
          ))}
        </select>
      );
      break;
    case "many_of": {
      const chosen = Array.isArray(value) ? value : [];
      return (
        <fieldset className="question" id={id} aria-describedby={err}>
          <legend>{text}</legend>
          {(q.options ?? []).map((o) => (
            <label key={o.value} className="check">
              <input
                type="checkbox"
                checked={chosen.includes(o.value)}
                onChange={(e) =>
                  props.onChange(
                    e.target.checked ? [...chosen, o.value] : chosen.filter((c) => c !== o.value),
                  )
                }
              />{" "}
              {o.labels[lang]}
            </label>
          ))}
          {props.error && (
            <span id={err} className="error field-error">
              {props.error}
            </span>
          )}
        </fieldset>
      );
    }
    case "number":
      input = (
        <input
          id={id}
          type="number"
          aria-describedby={err}
          min={q.min}
          max={q.max}
          value={typeof value === "number" ? String(value) : ""}
          onChange={(e) => props.onChange(e.target.value === "" ? undefined : Number(e.target.value))}
        />
      );
      break;
    case "date":
      input = (
        <input
          id={id}
          type="date"
          aria-describedby={err}
          value={typeof value === "string" ? value : ""}
          onChange={(e) => props.onChange(e.target.value || undefined)}
        />
      );
      break;
    default:
      input = (
        <textarea
          id={id}
          aria-describedby={err}
          value={typeof value === "string" ? value : ""}
          onChange={(e) => props.onChange(e.target.value || undefined)}
        />
      );
  }
  return (
    <div className="question">
      <label htmlFor={id}>{text}</label>
      {q.help && <span className="muted small">{q.help[lang]}</span>}
      {input}
      {props.error && (
        <span id={err} className="error field-error">
          {props.error}
        </span>
      )}
    </div>
  );
}

/** An answer in words: yes/no, the chosen options' labels, a number or date in the user's locale. */
function answerText(
  line: ScoreExplanation["lines"][number],
  i18n: ReturnType<typeof useI18n>,
): string {
  const { lang } = i18n;
  const v = line.answer;
  if (line.answerLabels?.length) return line.answerLabels.map((l) => l[lang]).join(", ");
  if (typeof v === "boolean") return qText(lang, v ? "q.yes" : "q.no");
  if (typeof v === "number") return i18n.number(v);
  if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v)) return i18n.date(v);
  return Array.isArray(v) ? v.join(", ") : String(v ?? "");
}

/**
 * The assessment's score explained question by question, by the version it was scored with; "score again" for
 * those who may change the assessment.
 */
export function ScoreExplained(props: { assessment: Row; mayRecompute: boolean; onChanged: () => void }) {
  const i18n = useI18n();
  const { lang } = i18n;
  const say = (k: QuestionnaireTextKey, v?: Record<string, string | number>) => qText(lang, k, v);
  const [open, setOpen] = useState(false);
  const [ex, setEx] = useState<ScoreExplanation | null>(null);
  const [name, setName] = useState("");
  const [failure, setFailure] = useState<string | null>(null);
  const id = String(props.assessment.assessmentID);
  const load = () => {
    setFailure(null);
    api<ScoreExplanation>("GET", `/api/assessments/${id}/explain`)
      .then((e) => {
        setEx(e);
        return api<QuestionnaireInfo>("GET", `/api/questionnaires/${e.questionnaireKey}/versions/${e.questionnaireVersion}`);
      })
      .then((q) => setName(q.labels[lang]))
      .catch((e) => setFailure(problemSentence(i18n, e)));
  };
  if (!QuestionnaireOfAssessmentKind[String(props.assessment.kind)]) return null;
  return (
    <>
      <button
        type="button"
        
        onClick={() => {
          setOpen(true);
          load();
        }}
      >
        {say("a.explain")}
      </button>
      {open && (
        <Modal title={say("a.explainTitle")} onClose={() => setOpen(false)} wide>
          {failure && (
            <p role="alert" className="error">
              {failure}
            </p>
          )}
          {ex && (
            <div id="score-explained">
              <p>{say("a.scoredWith", { n: ex.questionnaireVersion, name })}</p>
              <table className="dq-table">
                <thead>
                  <tr>
                    <th scope="col">{say("a.colQuestion")}</th>
                    <th scope="col">{say("a.colAnswer")}</th>
                    <th scope="col">{say("a.colPoints")}</th>
                  </tr>
                </thead>
                <tbody>
                  {ex.lines.map((l) => (
                    <tr key={l.questionID} className={l.state !== "answered" ? "muted" : undefined}>
                      <td>{l.labels[lang]}</td>
                      <td>
                        {l.state === "answered"
                          ? answerText(l, i18n)
                          : say(l.state === "skipped" ? "a.skipped" : "a.unanswered")}
                      </td>
                      <td>{i18n.number(l.points)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p>{say("a.total", { total: ex.total })}</p>
              {ex.cap !== undefined && ex.total > ex.cap && <p>{say("a.capped", { cap: ex.cap })}</p>}
              <p>
                <strong id="score-explained-score">{say("a.score", { score: ex.score, band: ex.band.labels[lang] })}</strong>
              </p>
              <p className="muted small">
                {say("a.bandsAre", {
                  bands: ex.bands.map((b) => `${b.labels[lang]} ≥ ${i18n.number(b.min)}`).join(" · "),
                })}
              </p>
              {ex.storedScore !== undefined && ex.storedScore !== ex.score && (
                <p role="status">{say("a.stale", { stored: ex.storedScore, score: ex.score })}</p>
              )}
              {props.mayRecompute && (
                <button
                  type="button"
                  onClick={() =>
                    api("POST", `/api/assessments/${id}/recompute`, { version: props.assessment.version })
                      .then(() => {
                        props.onChanged();
                        load();
                      })
                      .catch((e) => setFailure(problemSentence(i18n, e)))
                  }
                >
                  {say("a.recompute")}
                </button>
              )}
            </div>
          )}
        </Modal>
      )}
    </>
  );
}
