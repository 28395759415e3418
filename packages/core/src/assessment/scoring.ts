import {
  VulnerabilityQuestions,
  vulnerabilityLevel,
  type VulnerabilityLevel,
} from "@waypoint/schema/vulnerability";
import { type AssessmentKind } from "@waypoint/schema/cases";
import { InvalidError, type FieldIssue } from "../common/errors.ts";

type Answer = { questionID: string; answer: string | number | boolean; score?: number };

const bank = new Map(VulnerabilityQuestions.map((q) => [q.questionID, q]));

/**
 * Scores answers. A vulnerability assessment is scored by the documented questionnaire (schema
 * `VulnerabilityQuestions`): unknown questions or answers are refused, points come from the table, never from
 * the client, and the level follows the thresholds. Other kinds sum the points the form assigned.
 */
export function scoreAnswers(
  kind: AssessmentKind,
  answers: Answer[],
  prefix = "",
): { answers: (Answer & { score: number })[]; score: number; level?: VulnerabilityLevel } {
  if (kind !== "vulnerability") {
    const scored = answers.map((a) => ({ ...a, score: a.score ?? 0 }));
    return { answers: scored, score: scored.reduce((s, a) => s + a.score, 0) };
  }
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  const scored = answers.map((a, i) => {
    const q = bank.get(a.questionID);
    const path = `${prefix}answers.${i}`;
    if (!q) {
      issues.push({ path: `${path}.questionID`, code: "invalid.question", message: "Unknown question" });
      return { ...a, score: 0 };
    }
    if (seen.has(a.questionID))
      issues.push({
        path: `${path}.questionID`,
        code: "invalid.duplicate",
        message: "Question answered twice",
      });
    seen.add(a.questionID);
    // Own keys only: "constructor", "__proto__" or "toString" must not reach Object.prototype.
    const key = String(a.answer);
    const points = Object.hasOwn(q.points, key) ? q.points[key] : undefined;
    if (typeof points !== "number") {
      issues.push({
        path: `${path}.answer`,
        code: "invalid.answer",
        message: `Allowed answers: ${Object.keys(q.points).join(", ")}`,
      });
      return { ...a, score: 0 };
    }
    return { ...a, score: points };
  });
  if (issues.length) throw new InvalidError(issues);
  const score = Math.min(
    100,
    scored.reduce((s, a) => s + a.score, 0),
  );
  return { answers: scored, score, level: vulnerabilityLevel(score) };
}
