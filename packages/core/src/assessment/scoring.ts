import {
  builtInQuestionnaire,
  checkAndScore,
  QuestionnaireOfAssessmentKind,
  type AnswerValue,
  type QuestionnaireDefinition,
} from "@waypoint/schema/questionnaire";
import { RiskLevels, type AssessmentKind, type RiskLevel } from "@waypoint/schema/cases";
import { InvalidError } from "../common/errors.ts";
import { Questionnaire } from "../questionnaire/index.ts";

type Answer = { questionID: string; answer: AnswerValue; score?: number };
export interface Scored {
  answers: (Answer & { score: number })[];
  score: number;
  level?: RiskLevel;
  band?: string;
  questionnaireKey?: string;
  questionnaireVersion?: number;
}

const asLevel = (band: string): RiskLevel | undefined =>
  (RiskLevels as readonly string[]).includes(band) ? (band as RiskLevel) : undefined;

/** The answers as given (a stored answer carries its earlier points: they are computed again, never trusted). */
const given = (answers: readonly Answer[]) => answers.map((a) => ({ questionID: a.questionID, answer: a.answer }));

/** Scores answers by a questionnaire definition: a 422 with `answers.<questionID>` paths for anything that does not fit. */
export function scoreBy(d: QuestionnaireDefinition, answers: readonly Answer[], prefix = "") {
  const { issues, result } = checkAndScore(d, given(answers), prefix);
  if (issues.length) throw new InvalidError(issues);
  const level = asLevel(result.band);
  return { answers: result.answers, score: result.score, band: result.band, ...(level ? { level } : {}) };
}

/**
 * Scores answers with the built-in version 1 of the kind's questionnaire (no operation needed): unknown questions
 * or answers are refused, points come from the definition, never from the client, and the level follows the
 * thresholds. Kinds without a questionnaire (BIA, BID) sum the points the form assigned.
 */
export function scoreAnswers(kind: AssessmentKind, answers: Answer[], prefix = ""): Scored {
  const key = QuestionnaireOfAssessmentKind[kind];
  if (!key) {
    const scored = answers.map((a) => ({ ...a, score: a.score ?? 0 }));
    return { answers: scored, score: scored.reduce((s, a) => s + a.score, 0) };
  }
  return { ...scoreBy(builtInQuestionnaire(key), answers, prefix), questionnaireKey: key, questionnaireVersion: 1 };
}

/**
 * Scores an assessment's answers by the operation's questionnaire for its kind: version `n` when the record (or
 * the form) names one, the current published version otherwise. The result names the version it used.
 */
export async function scoreForKind(
  kind: AssessmentKind,
  answers: Answer[],
  opts: { prefix?: string; version?: number; exact?: boolean } = {},
): Promise<Scored> {
  const key = QuestionnaireOfAssessmentKind[kind];
  if (!key) return scoreAnswers(kind, answers, opts.prefix);
  const q = opts.exact
    ? await Questionnaire.version(key, opts.version!)
    : await Questionnaire.forAnswering(key, opts.version, `${opts.prefix ?? ""}questionnaireVersion`);
  return {
    ...scoreBy(q, answers, opts.prefix),
    questionnaireKey: key,
    questionnaireVersion: q.questionnaireVersion,
  };
}
