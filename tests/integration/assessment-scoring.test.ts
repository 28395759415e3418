import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AssessmentKinds, type AssessmentKind } from "@waypoint/schema/cases";
import { VulnerabilityQuestions, vulnerabilityLevel } from "@waypoint/schema/vulnerability";
import { ReturnVulnerabilityFactors } from "@waypoint/schema/reintegration";
import { scoreAnswers } from "@waypoint/core/assessment/scoring";
import { QuestionnaireOfAssessmentKind } from "@waypoint/schema/questionnaire";
import { InvalidError } from "@waypoint/core/common/errors";
import { call, createTestOperation } from "../support/fixtures.ts";
import { caseWith, people } from "../support/programmes.ts";

/** Names Object.prototype answers to, plus the questionnaire's own answers and arbitrary strings and values. */
const inherited = [
  "constructor",
  "__proto__",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "__defineGetter__",
  "__lookupGetter__",
];
const questionIDs = [...VulnerabilityQuestions.map((q) => q.questionID), ...inherited];
const ownAnswers = [...new Set(VulnerabilityQuestions.flatMap((q) => Object.keys(q.points)))];
const answer = fc.oneof(
  fc.constantFrom(...inherited),
  fc.constantFrom(...ownAnswers),
  fc.boolean(),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
);
const answers = fc.array(
  fc.record({
    questionID: fc.oneof(fc.constantFrom(...questionIDs), fc.string({ minLength: 1, maxLength: 20 })),
    answer,
    score: fc.integer({ min: 0, max: 100 }),
  }),
  { maxLength: 15 },
);

describe("questionnaire answers are looked up as own keys only", () => {
  it("every scored questionnaire: a finite score and its level, or a 422 naming each bad answer (fast-check)", () => {
    fc.assert(
      fc.property(fc.constantFrom<AssessmentKind>(...AssessmentKinds), answers, (kind, given) => {
        let result: ReturnType<typeof scoreAnswers>;
        try {
          result = scoreAnswers(kind, given);
        } catch (e) {
          // Only a questionnaire refuses answers, and it names each question (answers.<questionID>).
          expect(QuestionnaireOfAssessmentKind[kind]).toBeDefined();
          expect(e).toBeInstanceOf(InvalidError);
          const issues = (e as InvalidError).issues;
          expect(issues.length).toBeGreaterThan(0);
          for (const i of issues) {
            expect(i.path.startsWith("answers.")).toBe(true);
            const id = i.path.slice("answers.".length);
            expect(given.some((a) => a.questionID === id)).toBe(true);
          }
          // For the vulnerability questionnaire, each refused answer is really not in the table as an own key.
          if (kind === "vulnerability")
            for (const i of issues.filter((x) => x.code === "invalid.answer")) {
              const a = given.find((g) => `answers.${g.questionID}` === i.path)!;
              const q = VulnerabilityQuestions.find((x) => x.questionID === a.questionID)!;
              expect(Object.hasOwn(q.points, String(a.answer))).toBe(false);
            }
          return;
        }
        expect(Number.isFinite(result.score)).toBe(true);
        for (const a of result.answers) expect(Number.isInteger(a.score)).toBe(true);
        if (kind === "vulnerability") {
          expect(result.score).toBeGreaterThanOrEqual(0);
          expect(result.score).toBeLessThanOrEqual(100);
          expect(result.level).toBe(vulnerabilityLevel(result.score));
          for (const a of result.answers) {
            const q = VulnerabilityQuestions.find((x) => x.questionID === a.questionID)!;
            expect(Object.hasOwn(q.points, String(a.answer))).toBe(true);
            expect(a.score).toBe(q.points[String(a.answer)]);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("an answer of 'constructor' or '__proto__' is refused with its field path over HTTP, storing nothing", async () => {
    const op = await createTestOperation();
    const [head] = await people(op, [{ age: 34, relationshipToHead: "head" }]);
    const c = await caseWith(op, "bip", [head!.individualID]);
    const token = op.users.caseworker.token;
    const bad = await call("POST", "/api/assessments", {
      token,
      body: {
        caseID: c.caseID,
        kind: "vulnerability",
        answers: [
          { questionID: "shelter", answer: "constructor" },
          { questionID: "food", answer: "__proto__" },
          { questionID: "uasc", answer: "toString" },
          { questionID: "income", answer: "none" },
        ],
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      "answers.food",
      "answers.shelter",
      "answers.uasc",
    ]);
    const list = await call("GET", `/api/assessments?caseID=${c.caseID}`, { token });
    expect(list.json.items).toEqual([]);

    // The same through an edit of a draft: the path names the change.
    const ok = await call("POST", "/api/assessments", {
      token,
      body: { caseID: c.caseID, kind: "vulnerability", answers: [{ questionID: "income", answer: "none" }] },
    });
    expect(ok.status).toBe(201);
    const patched = await call("PATCH", `/api/assessments/${ok.json.assessmentID}`, {
      token,
      body: {
        version: ok.json.version,
        changes: { answers: [{ questionID: "shelter", answer: "constructor" }] },
      },
    });
    expect(patched.status).toBe(422);
    expect(patched.json.errors.map((e: { path: string }) => e.path)).toEqual(["changes.answers.shelter"]);
    const stored = await call("GET", `/api/assessments/${ok.json.assessmentID}`, { token });
    expect(stored.json).toMatchObject({ score: 10, version: 1 });
  });
});

describe("return vulnerability factors (the AVR questionnaire)", () => {
  it("score each known factor once; anything else is a 422 naming the factor, never a 500 (fast-check, HTTP)", async () => {
    const op = await createTestOperation();
    const [p] = await people(op, [{ age: 40 }]);
    const token = op.users.caseworker.token;
    const r = await call("POST", "/api/returns", {
      token,
      body: { officeID: op.officeA, individualIDs: [p!.individualID], countryOfReturn: "HND" },
    });
    expect(r.status).toBe(201);
    const id = r.json.returnID as string;
    const known = Object.keys(ReturnVulnerabilityFactors) as (keyof typeof ReturnVulnerabilityFactors)[];
    const factor = fc.oneof(
      fc.constantFrom(...known),
      fc.constantFrom(...inherited),
      fc.string({ maxLength: 12 }),
    );
    let version = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(factor, { maxLength: 12 }), async (factors) => {
        // The version as stored (a shrinking run replays after failures).
        version = (await call("GET", `/api/returns/${id}`, { token })).json.version;
        const res = await call("POST", `/api/returns/${id}/vulnerability`, {
          token,
          body: { factors, version },
        });
        const valid =
          factors.length <= 10 &&
          new Set(factors).size === factors.length &&
          factors.every((f) => (known as string[]).includes(f));
        if (!valid) {
          expect(res.status, res.text).toBe(422);
          for (const e of res.json.errors as { path: string }[]) expect(e.path).toMatch(/^factors(\.\d+)?$/);
          const stored = await call("GET", `/api/returns/${id}`, { token });
          expect(stored.json.version).toBe(version);
          return;
        }
        expect(res.status, res.text).toBe(200);
        const score = factors.reduce(
          (s, f) => s + ReturnVulnerabilityFactors[f as keyof typeof ReturnVulnerabilityFactors],
          0,
        );
        expect(res.json.vulnerability).toMatchObject({
          score,
          level: score >= 50 ? "high" : score >= 20 ? "medium" : "low",
        });
      }),
      {
        numRuns: 60,
        // Always tried: a factor listed twice (it would weigh twice), and Object.prototype's names.
        examples: [[["single_parent", "single_parent"]], [["constructor"]], [["__proto__", "pregnant"]]],
      },
    );
  });
});
