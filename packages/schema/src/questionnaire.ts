import { z } from "zod";
import { label, type Labels } from "./codes.ts";
import { IsoDate, IsoDateTime, RecordMeta } from "./common.ts";
import { ReturnVulnerabilityFactorLabels, ReturnVulnerabilityFactors } from "./reintegration.ts";
import { CodeOfConduct, CodeOfConductLabels } from "./hosting.ts";
import { VulnerabilityAnswerLabels, VulnerabilityQuestions } from "./vulnerability.ts";

/**
 * Questionnaires: the assessments an operation defines itself (sections, questions, skip conditions, a scoring
 * rule), versioned. A published version never changes; a record keeps the key and version it was answered with and
 * is scored by that version. The functions below (visibility, validation, scoring, explanation) are the only
 * implementation: the browser runs them for the live form and core runs them to store the score, so both agree.
 */

/** The questionnaires an operation may shape; each has a built-in version 1 (the definitions below). */
export const QuestionnaireKeys = ["vulnerability", "socio_economic", "return_vulnerability", "host_compliance"] as const;
export const QuestionnaireKey = z.enum(QuestionnaireKeys);
export type QuestionnaireKey = z.infer<typeof QuestionnaireKey>;
export const QuestionnaireKeyLabels: Record<QuestionnaireKey, Labels> = {
  vulnerability: label("Vulnerability assessment", "Evaluación de vulnerabilidad", "Évaluation de la vulnérabilité", "تقييم الهشاشة"),
  socio_economic: label("Socio-economic assessment", "Evaluación socioeconómica", "Évaluation socio-économique", "التقييم الاجتماعي والاقتصادي"),
  return_vulnerability: label("Return vulnerability", "Vulnerabilidad para el retorno", "Vulnérabilité au retour", "الهشاشة عند العودة"),
  host_compliance: label("Host compliance checklist", "Lista de cumplimiento del anfitrión", "Liste de conformité de l'hôte", "قائمة امتثال المضيف"),
};
/** Which questionnaire scores an assessment of each kind (BIA and BID are narrative: none). */
export const QuestionnaireOfAssessmentKind: Record<string, QuestionnaireKey | undefined> = {
  vulnerability: "vulnerability",
  socio_economic: "socio_economic",
  avr_vulnerability: "return_vulnerability",
};

export const QuestionTypes = ["yes_no", "one_of", "many_of", "number", "text", "date"] as const;
export const QuestionType = z.enum(QuestionTypes);
export type QuestionType = z.infer<typeof QuestionType>;
export const QuestionTypeLabels: Record<QuestionType, Labels> = {
  yes_no: label("Yes or no", "Sí o no", "Oui ou non", "نعم أو لا"),
  one_of: label("One of a list", "Una opción de una lista", "Un choix dans une liste", "خيار واحد من قائمة"),
  many_of: label("Several of a list", "Varias opciones de una lista", "Plusieurs choix dans une liste", "عدة خيارات من قائمة"),
  number: label("Number", "Número", "Nombre", "رقم"),
  text: label("Text", "Texto", "Texte", "نص"),
  date: label("Date", "Fecha", "Date", "تاريخ"),
};

/** A code: lower-case letters, digits and `_`, starting with a letter (question, option and band IDs). */
const Code = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "Use lower-case letters, digits and _");
const Text = z.string().trim().min(1).max(300);
export const QuestionnaireLabels = z.object({ en: Text, es: Text, fr: Text, ar: Text });
/** Points an answer carries (negative for a protective answer); the total is kept between 0 and the cap. */
const Points = z.number().int().min(-100).max(100);

export const QuestionOption = z.object({
  value: Code,
  labels: QuestionnaireLabels,
  points: Points.default(0),
});
export type QuestionOption = z.infer<typeof QuestionOption>;

/**
 * The condition language: a question is shown when its clauses hold (`all` of them or `any`). A clause compares
 * the answer to an earlier question: `eq`/`ne` (equal, not equal), `in` (one of the values), `gt`/`gte`/`lt`/`lte`
 * (numbers and dates), `answered`/`unanswered`, and `includes` (a many-of answer holds the value). A hidden
 * question counts as unanswered, so a chain of conditions hides what follows from a hidden question.
 */
export const ConditionOps = ["eq", "ne", "in", "gt", "gte", "lt", "lte", "answered", "unanswered", "includes"] as const;
export const ConditionOp = z.enum(ConditionOps);
export type ConditionOp = z.infer<typeof ConditionOp>;
export const ConditionClause = z.object({
  questionID: Code,
  op: ConditionOp,
  value: z.union([z.string().max(100), z.number(), z.boolean(), z.array(z.string().max(100)).max(50)]).optional(),
});
export type ConditionClause = z.infer<typeof ConditionClause>;
export const Condition = z.object({
  match: z.enum(["all", "any"]).default("all"),
  clauses: z.array(ConditionClause).min(1).max(10),
});
export type Condition = z.infer<typeof Condition>;

export const Question = z.object({
  questionID: Code,
  type: QuestionType,
  labels: QuestionnaireLabels,
  help: QuestionnaireLabels.optional(),
  required: z.boolean().default(false),
  /** Shown only when this holds (skip logic). */
  showIf: Condition.optional(),
  /** one_of / many_of: the answers, each with its points (many_of adds up the chosen ones). */
  options: z.array(QuestionOption).max(40).optional(),
  /** yes_no: points of each answer. */
  yesPoints: Points.optional(),
  noPoints: Points.optional(),
  /** number: allowed range, and points per unit (rounded) up to `maxPoints`. */
  min: z.number().optional(),
  max: z.number().optional(),
  pointsPerUnit: z.number().min(-100).max(100).optional(),
  maxPoints: Points.optional(),
});
export type Question = z.infer<typeof Question>;

export const QuestionnaireSection = z.object({
  sectionID: Code,
  labels: QuestionnaireLabels,
  questions: z.array(Question).max(100),
});
export type QuestionnaireSection = z.infer<typeof QuestionnaireSection>;

/** A score band: the highest band whose `min` the score reaches names the result (`critical`, `compliant`…). */
export const ScoreBand = z.object({ band: Code, min: z.number().int().min(0).max(10_000), labels: QuestionnaireLabels });
export type ScoreBand = z.infer<typeof ScoreBand>;
export const ScoringRule = z.object({
  /** The score never exceeds this (the vulnerability score is out of 100). */
  cap: z.number().int().min(1).max(10_000).optional(),
  bands: z.array(ScoreBand).min(1).max(10),
});
export type ScoringRule = z.infer<typeof ScoringRule>;

/** What an admin writes: the whole definition of one version. */
export const QuestionnaireDefinition = z.object({
  labels: QuestionnaireLabels,
  sections: z.array(QuestionnaireSection).min(1).max(30),
  scoring: ScoringRule,
});
export type QuestionnaireDefinition = z.infer<typeof QuestionnaireDefinition>;

export const QuestionnaireStatuses = ["draft", "published"] as const;
export const QuestionnaireStatusLabels: Record<(typeof QuestionnaireStatuses)[number], Labels> = {
  draft: label("Draft", "Borrador", "Brouillon", "مسودة"),
  published: label("Published", "Publicada", "Publiée", "منشورة"),
};
export const QuestionnaireInfo = QuestionnaireDefinition.extend({
  operationID: z.string(),
  questionnaireKey: QuestionnaireKey,
  /** The questionnaire's version number (1 is the built-in definition). */
  questionnaireVersion: z.number().int().min(1),
  status: z.enum(QuestionnaireStatuses),
  /** The built-in definition, served while the operation has none of its own. */
  builtIn: z.boolean().optional(),
  publishedAt: IsoDateTime.optional(),
  publishedBy: z.string().optional(),
  createdBy: z.string(),
  ...RecordMeta,
});
export type QuestionnaireInfo = z.infer<typeof QuestionnaireInfo>;
/** The list: each questionnaire with its current (newest published) version and its newest draft, if any. */
export const QuestionnaireSummary = z.object({
  questionnaireKey: QuestionnaireKey,
  labels: QuestionnaireLabels,
  currentVersion: z.number().int(),
  draftVersion: z.number().int().optional(),
  versions: z.array(
    z.object({
      questionnaireVersion: z.number().int(),
      status: z.enum(QuestionnaireStatuses),
      publishedAt: IsoDateTime.optional(),
      builtIn: z.boolean().optional(),
    }),
  ),
});
export type QuestionnaireSummary = z.infer<typeof QuestionnaireSummary>;
export const QuestionnaireVersionCreate = QuestionnaireDefinition;
export const QuestionnairePublish = z.object({ version: z.number().int().min(1) });

/* ---------- Answers ---------- */

export type AnswerValue = string | number | boolean | string[];
export interface GivenAnswer {
  questionID: string;
  answer: AnswerValue;
}
export type AnswerMap = ReadonlyMap<string, AnswerValue>;

export const allQuestions = (d: Pick<QuestionnaireDefinition, "sections">): Question[] =>
  d.sections.flatMap((s) => s.questions);

const isAnswered = (v: AnswerValue | undefined) =>
  v !== undefined && v !== "" && !(Array.isArray(v) && v.length === 0);

function clauseHolds(c: ConditionClause, v: AnswerValue | undefined): boolean {
  switch (c.op) {
    case "answered":
      return isAnswered(v);
    case "unanswered":
      return !isAnswered(v);
    case "eq":
      return isAnswered(v) && String(v) === String(c.value);
    case "ne":
      return !isAnswered(v) || String(v) !== String(c.value);
    case "in":
      return isAnswered(v) && Array.isArray(c.value) && c.value.includes(String(v));
    case "includes":
      return Array.isArray(v) && v.includes(String(c.value));
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      if (!isAnswered(v) || c.value === undefined || Array.isArray(c.value) || Array.isArray(v)) return false;
      // numbers compare as numbers, dates (YYYY-MM-DD) as strings
      const [a, b] =
        typeof v === "number" ? [v, Number(c.value)] : [String(v), String(c.value)];
      if (typeof a === "number" && !Number.isFinite(b as number)) return false;
      return c.op === "gt" ? a > b : c.op === "gte" ? a >= b : c.op === "lt" ? a < b : a <= b;
    }
  }
}

/** Whether a condition holds for these answers (no condition: always). */
export function conditionHolds(cond: Condition | undefined, answers: AnswerMap): boolean {
  if (!cond) return true;
  // a Map: a question ID such as "constructor" is just an unanswered question
  const results = cond.clauses.map((c) => clauseHolds(c, answers.get(c.questionID)));
  return cond.match === "any" ? results.some(Boolean) : results.every(Boolean);
}

/**
 * Which questions are shown for these answers, in order: a condition reads only earlier questions, and a hidden
 * question counts as unanswered for the ones after it.
 */
export function visibleQuestions(d: Pick<QuestionnaireDefinition, "sections">, answers: AnswerMap): Set<string> {
  const shown = new Set<string>();
  const effective = new Map<string, AnswerValue>();
  for (const q of allQuestions(d)) {
    if (conditionHolds(q.showIf, effective)) {
      shown.add(q.questionID);
      const v = answers.get(q.questionID);
      if (v !== undefined) effective.set(q.questionID, v);
    }
  }
  return shown;
}

/** The points one (valid) answer carries. */
export function answerPoints(q: Question, v: AnswerValue | undefined): number {
  if (!isAnswered(v)) return 0;
  switch (q.type) {
    case "yes_no":
      return v === true ? (q.yesPoints ?? 0) : (q.noPoints ?? 0);
    case "one_of":
      return (q.options ?? []).find((o) => o.value === v)?.points ?? 0;
    case "many_of":
      return (q.options ?? [])
        .filter((o) => Array.isArray(v) && v.includes(o.value))
        .reduce((s, o) => s + o.points, 0);
    case "number": {
      const raw = Math.round(Number(v) * (q.pointsPerUnit ?? 0));
      const cap = q.maxPoints;
      return cap === undefined ? raw : raw >= 0 ? Math.min(raw, cap) : Math.max(raw, -Math.abs(cap));
    }
    default:
      return 0;
  }
}

export interface AnswerIssue {
  path: string;
  code: string;
  message: string;
}

/** Why an answer does not fit its question (undefined when it fits). */
function answerProblem(q: Question, v: AnswerValue): string | undefined {
  const own = (q.options ?? []).map((o) => o.value);
  switch (q.type) {
    case "yes_no":
      return typeof v === "boolean" ? undefined : "Answer yes (true) or no (false)";
    case "one_of":
      return typeof v === "string" && own.includes(v) ? undefined : `Allowed answers: ${own.join(", ")}`;
    case "many_of":
      return Array.isArray(v) && v.every((x) => own.includes(x)) && new Set(v).size === v.length
        ? undefined
        : `Choose among: ${own.join(", ")} (each once)`;
    case "number":
      if (typeof v !== "number" || !Number.isFinite(v)) return "Answer a number";
      if (q.min !== undefined && v < q.min) return `At least ${q.min}`;
      if (q.max !== undefined && v > q.max) return `At most ${q.max}`;
      return undefined;
    case "text":
      return typeof v === "string" && v.length <= 2000 ? undefined : "Answer a text of up to 2,000 characters";
    case "date":
      return typeof v === "string" && IsoDate.safeParse(v).success ? undefined : "Answer a date (YYYY-MM-DD)";
  }
}

export interface ScoredAnswer extends GivenAnswer {
  score: number;
}
export interface QuestionnaireScore {
  answers: ScoredAnswer[];
  score: number;
  band: string;
}

/**
 * Checks answers against a version and scores them. Problems come back with `answers.<questionID>` paths (after
 * `prefix`): an unknown question, a question answered twice, an answer that does not fit, a required question left
 * out, and an answer to a question its skip condition hides (refused, not dropped: the client showed a question the
 * rule hides, or sent an answer the person never saw).
 */
export function checkAndScore(
  d: Pick<QuestionnaireDefinition, "sections" | "scoring">,
  given: readonly GivenAnswer[],
  prefix = "",
): { issues: AnswerIssue[]; result: QuestionnaireScore } {
  const issues: AnswerIssue[] = [];
  const byID = new Map(allQuestions(d).map((q) => [q.questionID, q]));
  const answers = new Map<string, AnswerValue>();
  const seen = new Set<string>();
  const path = (id: string) => `${prefix}answers.${id}`;
  for (const a of given) {
    const q = byID.get(a.questionID);
    if (!q) {
      issues.push({ path: path(a.questionID), code: "invalid.question", message: "Unknown question" });
      continue;
    }
    if (seen.has(a.questionID)) {
      issues.push({ path: path(a.questionID), code: "invalid.duplicate", message: "Question answered twice" });
      continue;
    }
    seen.add(a.questionID);
    // a yes/no may come as the words "true"/"false" (a spreadsheet's cell): stored as the boolean
    const v = q.type === "yes_no" && (a.answer === "true" || a.answer === "false") ? a.answer === "true" : a.answer;
    const problem = answerProblem(q, v);
    if (problem) issues.push({ path: path(a.questionID), code: "invalid.answer", message: problem });
    else answers.set(a.questionID, v);
  }
  const shown = visibleQuestions(d, answers);
  for (const q of allQuestions(d)) {
    const v = answers.get(q.questionID);
    if (!shown.has(q.questionID) && isAnswered(v))
      issues.push({
        path: path(q.questionID),
        code: "invalid.skipped",
        message: "This question is skipped for these answers: leave it out",
      });
    else if (shown.has(q.questionID) && q.required && !isAnswered(v) && !issues.some((i) => i.path === path(q.questionID)))
      issues.push({ path: path(q.questionID), code: "invalid.required", message: "This question needs an answer" });
  }
  // in the order given; an empty answer (a cleared field) is kept and carries no points
  const scored: ScoredAnswer[] = [];
  for (const [id, v] of answers)
    if (shown.has(id)) scored.push({ questionID: id, answer: v, score: answerPoints(byID.get(id)!, v) });
  return { issues, result: totalOf(d.scoring, scored) };
}

function totalOf(scoring: ScoringRule, scored: ScoredAnswer[]): QuestionnaireScore {
  const sum = scored.reduce((s, a) => s + a.score, 0);
  const score = Math.max(0, scoring.cap === undefined ? sum : Math.min(scoring.cap, sum));
  return { answers: scored, score, band: bandOf(scoring, score).band };
}

/** The band a score falls in: the highest `min` it reaches (the lowest band otherwise). */
export function bandOf(scoring: ScoringRule, score: number): ScoreBand {
  const sorted = [...scoring.bands].sort((a, b) => b.min - a.min);
  return sorted.find((b) => score >= b.min) ?? sorted.at(-1)!;
}

/** One line of a score's explanation: a question, what was answered and the points it brought. */
export const ExplanationLine = z.object({
  sectionID: z.string(),
  questionID: z.string(),
  labels: QuestionnaireLabels,
  /** shown and answered, shown and left out, or hidden by its skip condition */
  state: z.enum(["answered", "unanswered", "skipped"]),
  answer: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]).optional(),
  /** The answer in words (option labels), when it is coded. */
  answerLabels: z.array(QuestionnaireLabels).optional(),
  points: z.number(),
});
export type ExplanationLine = z.infer<typeof ExplanationLine>;
export const ScoreExplanation = z.object({
  questionnaireKey: QuestionnaireKey,
  questionnaireVersion: z.number().int(),
  lines: z.array(ExplanationLine),
  /** Sum of the points before the cap. */
  total: z.number(),
  cap: z.number().optional(),
  score: z.number(),
  band: ScoreBand,
  bands: z.array(ScoreBand),
  /** Whether the stored score is the one this version gives (false: a recompute would change it). */
  storedScore: z.number().optional(),
});
export type ScoreExplanation = z.infer<typeof ScoreExplanation>;

/** Question by question, what contributed to the score of these (already checked) answers. */
export function explainScore(
  d: Pick<QuestionnaireDefinition, "sections" | "scoring">,
  given: readonly GivenAnswer[],
): Omit<ScoreExplanation, "questionnaireKey" | "questionnaireVersion" | "storedScore"> {
  const answers = new Map<string, AnswerValue>();
  for (const a of given) if (!answers.has(a.questionID)) answers.set(a.questionID, a.answer);
  const shown = visibleQuestions(d, answers);
  const lines: ExplanationLine[] = [];
  for (const s of d.sections)
    for (const q of s.questions) {
      const v = answers.get(q.questionID);
      const state = !shown.has(q.questionID) ? "skipped" : isAnswered(v) ? "answered" : "unanswered";
      const coded =
        state === "answered" && (q.type === "one_of" || q.type === "many_of")
          ? (q.options ?? []).filter((o) => (Array.isArray(v) ? v.includes(o.value) : o.value === v)).map((o) => o.labels)
          : undefined;
      lines.push({
        sectionID: s.sectionID,
        questionID: q.questionID,
        labels: q.labels,
        state,
        ...(state === "answered" ? { answer: v } : {}),
        ...(coded ? { answerLabels: coded } : {}),
        points: state === "answered" ? answerPoints(q, v) : 0,
      });
    }
  const total = lines.reduce((s, l) => s + l.points, 0);
  const score = Math.max(0, d.scoring.cap === undefined ? total : Math.min(d.scoring.cap, total));
  return {
    lines,
    total,
    ...(d.scoring.cap !== undefined ? { cap: d.scoring.cap } : {}),
    score,
    band: bandOf(d.scoring, score),
    bands: [...d.scoring.bands].sort((a, b) => a.min - b.min),
  };
}

/**
 * Rules a definition must keep beyond its shape: unique IDs, options where the type needs them, a condition that
 * reads an earlier question, band codes once each and one band from 0.
 */
export function definitionIssues(d: QuestionnaireDefinition): AnswerIssue[] {
  const issues: AnswerIssue[] = [];
  const seen = new Map<string, Question>();
  const sections = new Set<string>();
  d.sections.forEach((s, si) => {
    if (sections.has(s.sectionID))
      issues.push({ path: `sections.${si}.sectionID`, code: "invalid.duplicate", message: "Section ID used twice" });
    sections.add(s.sectionID);
    s.questions.forEach((q, qi) => {
      const at = `sections.${si}.questions.${qi}`;
      if (seen.has(q.questionID))
        issues.push({ path: `${at}.questionID`, code: "invalid.duplicate", message: "Question ID used twice" });
      const coded = q.type === "one_of" || q.type === "many_of";
      if (coded && !(q.options ?? []).length)
        issues.push({ path: `${at}.options`, code: "invalid.required", message: "A list question needs its answers" });
      if (coded) {
        const values = (q.options ?? []).map((o) => o.value);
        values.forEach((v, oi) => {
          if (values.indexOf(v) !== oi)
            issues.push({ path: `${at}.options.${oi}.value`, code: "invalid.duplicate", message: "Answer used twice" });
        });
      }
      if (q.type === "number" && q.min !== undefined && q.max !== undefined && q.min > q.max)
        issues.push({ path: `${at}.max`, code: "invalid.range", message: "The maximum is below the minimum" });
      (q.showIf?.clauses ?? []).forEach((c, ci) => {
        const target = seen.get(c.questionID);
        const cpath = `${at}.showIf.clauses.${ci}`;
        if (!target)
          issues.push({
            path: `${cpath}.questionID`,
            code: "invalid.condition",
            message: "A condition reads an earlier question",
          });
        else if (
          ["eq", "ne", "gt", "gte", "lt", "lte", "includes"].includes(c.op) &&
          (c.value === undefined || Array.isArray(c.value))
        )
          issues.push({ path: `${cpath}.value`, code: "invalid.condition", message: "Give the value to compare with" });
        else if (c.op === "in" && !Array.isArray(c.value))
          issues.push({ path: `${cpath}.value`, code: "invalid.condition", message: "Give the list of values" });
        else if (target && (target.type === "one_of" || target.type === "many_of")) {
          const own = (target.options ?? []).map((o) => o.value);
          const vals = c.value === undefined ? [] : Array.isArray(c.value) ? c.value : [String(c.value)];
          if (vals.some((v) => !own.includes(v)))
            issues.push({ path: `${cpath}.value`, code: "invalid.condition", message: "Compare with one of the question's answers" });
        }
      });
      seen.set(q.questionID, q);
    });
  });
  const bands = d.scoring.bands.map((b) => b.band);
  bands.forEach((b, i) => {
    if (bands.indexOf(b) !== i)
      issues.push({ path: `scoring.bands.${i}.band`, code: "invalid.duplicate", message: "Band used twice" });
  });
  if (!d.scoring.bands.some((b) => b.min === 0))
    issues.push({ path: "scoring.bands", code: "invalid.range", message: "One band starts at 0" });
  return issues;
}

/* ---------- Built-in definitions (version 1 of every operation) ---------- */

const L = (x: Labels) => ({ ...x });
const RiskBandLabels = {
  low: label("Low", "Baja", "Faible", "منخفضة"),
  medium: label("Medium", "Media", "Moyenne", "متوسطة"),
  high: label("High", "Alta", "Élevée", "عالية"),
  critical: label("Critical", "Crítica", "Critique", "حرجة"),
};

/** The documented vulnerability questionnaire (schema/vulnerability.ts) as version 1. */
function builtInVulnerability(): QuestionnaireDefinition {
  const toQuestion = (v: (typeof VulnerabilityQuestions)[number]): Question => {
    const keys = Object.keys(v.points);
    if (keys.length === 2 && keys.includes("true") && keys.includes("false"))
      return {
        questionID: v.questionID,
        type: "yes_no",
        labels: L(v.label),
        required: false,
        yesPoints: v.points.true,
        noPoints: v.points.false,
      };
    return {
      questionID: v.questionID,
      type: "one_of",
      labels: L(v.label),
      required: false,
      options: keys.map((k) => ({
        value: k,
        labels: L(VulnerabilityAnswerLabels[k] ?? label(k, k, k, k)),
        points: v.points[k]!,
      })),
    };
  };
  const needs = ["shelter", "food", "income"];
  return {
    labels: L(QuestionnaireKeyLabels.vulnerability),
    sections: [
      {
        sectionID: "protection",
        labels: label("Protection risks", "Riesgos de protección", "Risques de protection", "مخاطر الحماية"),
        questions: VulnerabilityQuestions.filter((q) => !needs.includes(q.questionID)).map(toQuestion),
      },
      {
        sectionID: "basic_needs",
        labels: label("Basic needs", "Necesidades básicas", "Besoins de base", "الاحتياجات الأساسية"),
        questions: VulnerabilityQuestions.filter((q) => needs.includes(q.questionID)).map(toQuestion),
      },
    ],
    scoring: {
      cap: 100,
      bands: [
        { band: "low", min: 0, labels: RiskBandLabels.low },
        { band: "medium", min: 20, labels: RiskBandLabels.medium },
        { band: "high", min: 40, labels: RiskBandLabels.high },
        { band: "critical", min: 60, labels: RiskBandLabels.critical },
      ],
    },
  };
}

const yes = (questionID: string, labels: Labels, points: number, extra: Partial<Question> = {}): Question => ({
  questionID,
  type: "yes_no",
  labels,
  required: false,
  yesPoints: points,
  noPoints: 0,
  ...extra,
});

/** A household's economy: income, dependants, debt and coping (debt amount asked only when in debt). */
function builtInSocioEconomic(): QuestionnaireDefinition {
  return {
    labels: L(QuestionnaireKeyLabels.socio_economic),
    sections: [
      {
        sectionID: "income",
        labels: label("Income and dependants", "Ingresos y dependientes", "Revenus et personnes à charge", "الدخل والمعالون"),
        questions: [
          {
            questionID: "income_source",
            type: "one_of",
            labels: label("Main source of income", "Fuente principal de ingresos", "Principale source de revenus", "مصدر الدخل الرئيسي"),
            required: false,
            options: [
              { value: "none", labels: label("None", "Ninguna", "Aucune", "لا يوجد"), points: 15 },
              { value: "aid", labels: label("Humanitarian aid", "Ayuda humanitaria", "Aide humanitaire", "مساعدات إنسانية"), points: 10 },
              { value: "informal", labels: label("Informal or daily work", "Trabajo informal o por día", "Travail informel ou journalier", "عمل غير رسمي أو يومي"), points: 6 },
              { value: "formal", labels: label("Regular work", "Trabajo formal", "Emploi régulier", "عمل منتظم"), points: 0 },
            ],
          },
          {
            questionID: "monthly_income",
            type: "number",
            labels: label("Household income last month", "Ingreso del hogar el mes pasado", "Revenu du ménage le mois dernier", "دخل الأسرة في الشهر الماضي"),
            required: false,
            min: 0,
          },
          {
            questionID: "dependants",
            type: "number",
            labels: label("Dependants (children, older or sick people)", "Personas dependientes (niños, mayores o enfermos)", "Personnes à charge (enfants, aînés ou malades)", "المعالون (أطفال أو مسنون أو مرضى)"),
            required: false,
            min: 0,
            max: 30,
            pointsPerUnit: 3,
            maxPoints: 15,
          },
        ],
      },
      {
        sectionID: "coping",
        labels: label("Debt and coping", "Deudas y estrategias", "Dettes et stratégies d'adaptation", "الديون واستراتيجيات التكيف"),
        questions: [
          yes("in_debt", label("In debt", "Con deudas", "Endetté", "مدين"), 10),
          {
            questionID: "debt_amount",
            type: "number",
            labels: label("Amount owed", "Monto adeudado", "Montant dû", "المبلغ المستحق"),
            required: false,
            min: 0,
            showIf: { match: "all", clauses: [{ questionID: "in_debt", op: "eq", value: true }] },
          },
          yes("sold_assets", label("Sold belongings to cover needs", "Vendió bienes para cubrir necesidades", "A vendu des biens pour couvrir ses besoins", "باع ممتلكات لتغطية الاحتياجات"), 10),
          {
            questionID: "skipped_meals",
            type: "one_of",
            labels: label("Skipped meals last week", "Comidas omitidas la semana pasada", "Repas sautés la semaine dernière", "وجبات فائتة في الأسبوع الماضي"),
            required: false,
            options: [
              { value: "never", labels: label("Never", "Nunca", "Jamais", "أبداً"), points: 0 },
              { value: "sometimes", labels: label("Sometimes", "A veces", "Parfois", "أحياناً"), points: 8 },
              { value: "often", labels: label("Often", "A menudo", "Souvent", "غالباً"), points: 15 },
            ],
          },
        ],
      },
    ],
    scoring: {
      cap: 100,
      bands: [
        { band: "low", min: 0, labels: RiskBandLabels.low },
        { band: "medium", min: 20, labels: RiskBandLabels.medium },
        { band: "high", min: 40, labels: RiskBandLabels.high },
        { band: "critical", min: 60, labels: RiskBandLabels.critical },
      ],
    },
  };
}

/** The return counselling factors (schema/reintegration.ts), each a yes/no with its weight; 50+ high, 20+ medium. */
function builtInReturnVulnerability(): QuestionnaireDefinition {
  return {
    labels: L(QuestionnaireKeyLabels.return_vulnerability),
    sections: [
      {
        sectionID: "factors",
        labels: label("Vulnerability factors", "Factores de vulnerabilidad", "Facteurs de vulnérabilité", "عوامل الهشاشة"),
        questions: (Object.keys(ReturnVulnerabilityFactors) as (keyof typeof ReturnVulnerabilityFactors)[]).map((f) =>
          yes(f, L(ReturnVulnerabilityFactorLabels[f]), ReturnVulnerabilityFactors[f]),
        ),
      },
    ],
    scoring: {
      bands: [
        { band: "low", min: 0, labels: RiskBandLabels.low },
        { band: "medium", min: 20, labels: RiskBandLabels.medium },
        { band: "high", min: 50, labels: RiskBandLabels.high },
      ],
    },
  };
}

/** The host's code of conduct, item by item (one point each met): all met compliant, all but two partly. */
function builtInHostCompliance(): QuestionnaireDefinition {
  const n = CodeOfConduct.length;
  return {
    labels: L(QuestionnaireKeyLabels.host_compliance),
    sections: [
      {
        sectionID: "code_of_conduct",
        labels: label("Code of conduct", "Código de conducta", "Code de conduite", "مدونة السلوك"),
        questions: CodeOfConduct.map((i) => yes(i, L(CodeOfConductLabels[i]), 1, { required: true })),
      },
    ],
    scoring: {
      bands: [
        { band: "non_compliant", min: 0, labels: label("Not compliant", "No cumple", "Non conforme", "غير ممتثل") },
        { band: "partially_compliant", min: n - 2, labels: label("Partly compliant", "Cumple en parte", "Partiellement conforme", "ممتثل جزئياً") },
        { band: "compliant", min: n, labels: label("Compliant", "Cumple", "Conforme", "ممتثل") },
      ],
    },
  };
}

const builders: Record<QuestionnaireKey, () => QuestionnaireDefinition> = {
  vulnerability: builtInVulnerability,
  socio_economic: builtInSocioEconomic,
  return_vulnerability: builtInReturnVulnerability,
  host_compliance: builtInHostCompliance,
};
/** Version 1 of a questionnaire: what an operation uses until its admin publishes one of its own. */
export const builtInQuestionnaire = (key: QuestionnaireKey): QuestionnaireDefinition =>
  // a copy each time: callers may change what they get
  structuredClone((builtIns[key] ??= QuestionnaireDefinition.parse(builders[key]())));
const builtIns: Partial<Record<QuestionnaireKey, QuestionnaireDefinition>> = {};
