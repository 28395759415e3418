import { describe, expect, it } from "vitest";
import type { QuestionnaireDefinition } from "@waypoint/schema/questionnaire";
import { call, createTestOperation, type TestOperation } from "../support/fixtures.ts";
import { caseWith, people } from "../support/programmes.ts";

/**
 * Questionnaires (issue 19, point 3): versioned per operation, published versions never change, records keep the
 * version they were answered with, skip conditions and answers checked by core with `answers.<questionID>` paths.
 */
type Def = QuestionnaireDefinition & { version?: number };
const lbl = (en: string) => ({ en, es: `${en} (es)`, fr: `${en} (fr)`, ar: `${en} (ar)` });

async function caseOf(op: TestOperation) {
  const [head] = await people(op, [{ age: 30, relationshipToHead: "head" }]);
  return caseWith(op, "protection", [head!.individualID]);
}

async function current(op: TestOperation, key = "vulnerability"): Promise<Def & Record<string, unknown>> {
  const res = await call("GET", `/api/questionnaires/${key}/versions/current`, { token: op.users.caseworker.token });
  expect(res.status, res.text).toBe(200);
  return res.json;
}

const definitionOf = (q: Record<string, unknown>): QuestionnaireDefinition => ({
  labels: q.labels as never,
  sections: q.sections as never,
  scoring: q.scoring as never,
});

/** A new version of `key` made from the current one by `change`, then published; returns the published version. */
async function newVersion(op: TestOperation, key: string, change: (d: QuestionnaireDefinition) => void) {
  const admin = op.users.admin.token;
  const d = definitionOf(await current(op, key));
  change(d);
  const draft = await call("POST", `/api/questionnaires/${key}/versions`, { token: admin, body: d });
  expect(draft.status, draft.text).toBe(201);
  const pub = await call(
    "POST",
    `/api/questionnaires/${key}/versions/${draft.json.questionnaireVersion}/publish`,
    { token: admin, body: { version: draft.json.version } },
  );
  expect(pub.status, pub.text).toBe(200);
  return pub.json;
}

const question = (d: QuestionnaireDefinition, id: string) =>
  d.sections.flatMap((s) => s.questions).find((q) => q.questionID === id)!;

describe("questionnaire versions", () => {
  it("the built-in questionnaire is version 1; an admin's draft is version 2, rewritten until published, then never", async () => {
    const op = await createTestOperation();
    const admin = op.users.admin.token;
    const list = await call("GET", "/api/questionnaires", { token: op.users.caseworker.token });
    expect(list.status).toBe(200);
    expect(list.json.items.map((q: { questionnaireKey: string }) => q.questionnaireKey)).toEqual([
      "vulnerability",
      "socio_economic",
      "return_vulnerability",
      "host_compliance",
    ]);
    expect(list.json.items[0]).toMatchObject({ currentVersion: 1, versions: [{ questionnaireVersion: 1, builtIn: true }] });

    const d = definitionOf(await current(op));
    question(d, "disability").yesPoints = 30;
    // a caseworker may read but not shape questionnaires
    const refused = await call("POST", "/api/questionnaires/vulnerability/versions", {
      token: op.users.caseworker.token,
      body: d,
    });
    expect(refused.status).toBe(403);
    const draft = await call("POST", "/api/questionnaires/vulnerability/versions", { token: admin, body: d });
    expect(draft.status, draft.text).toBe(201);
    expect(draft.json).toMatchObject({ questionnaireVersion: 2, status: "draft", version: 1 });

    // a draft is rewritten; the current version is still 1
    question(d, "disability").yesPoints = 35;
    const edited = await call("PUT", "/api/questionnaires/vulnerability/versions/2", {
      token: admin,
      body: { version: 1, definition: d },
    });
    expect(edited.status, edited.text).toBe(200);
    expect((await current(op)).questionnaireVersion).toBe(1);

    const pub = await call("POST", "/api/questionnaires/vulnerability/versions/2/publish", {
      token: admin,
      body: { version: edited.json.version },
    });
    expect(pub.status, pub.text).toBe(200);
    expect(pub.json).toMatchObject({ status: "published", questionnaireVersion: 2 });

    // published: never written again, whatever the path
    question(d, "disability").yesPoints = 1;
    const rewrite = await call("PUT", "/api/questionnaires/vulnerability/versions/2", {
      token: admin,
      body: { version: pub.json.version, definition: d },
    });
    expect(rewrite.status).toBe(422);
    expect(rewrite.json.code).toBe("questionnaire.published");
    const again = await call("POST", "/api/questionnaires/vulnerability/versions/2/publish", {
      token: admin,
      body: { version: pub.json.version },
    });
    expect(again.status).toBe(422);
    // the built-in version 1 is stored as it was, unchanged
    const v1 = await call("GET", "/api/questionnaires/vulnerability/versions/1", { token: admin });
    expect(question(definitionOf(v1.json), "disability").yesPoints).toBe(15);
    const v2 = await call("GET", "/api/questionnaires/vulnerability/versions/2", { token: admin });
    expect(question(definitionOf(v2.json), "disability").yesPoints).toBe(35);
    const summary = (await call("GET", "/api/questionnaires", { token: admin })).json.items[0];
    expect(summary).toMatchObject({ currentVersion: 2 });
    expect(summary.versions.map((v: { status: string }) => v.status)).toEqual(["published", "published"]);
  });

  it("a definition whose condition reads a later question or an unknown answer is refused with its path", async () => {
    const op = await createTestOperation();
    const d = definitionOf(await current(op, "socio_economic"));
    const first = d.sections[0]!.questions[0]!;
    first.showIf = { match: "all", clauses: [{ questionID: "in_debt", op: "eq", value: true }] };
    question(d, "debt_amount").showIf = { match: "all", clauses: [{ questionID: "income_source", op: "eq", value: "lottery" }] };
    const res = await call("POST", "/api/questionnaires/socio_economic/versions", { token: op.users.admin.token, body: d });
    expect(res.status).toBe(422);
    expect(res.json.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      "sections.0.questions.0.showIf.clauses.0.questionID",
      "sections.1.questions.1.showIf.clauses.0.value",
    ]);
  });
});

describe("assessments keep their questionnaire version", () => {
  it("old assessments keep version and score after a new version; new ones score by it; recompute and explain", async () => {
    const op = await createTestOperation();
    const c = await caseOf(op);
    const cw = op.users.caseworker.token;
    const answers = [
      { questionID: "disability", answer: true },
      { questionID: "shelter", answer: "temporary" },
    ];
    const old = await call("POST", "/api/assessments", { token: cw, body: { caseID: c.caseID, kind: "vulnerability", answers } });
    expect(old.status, old.text).toBe(201);
    expect(old.json).toMatchObject({ score: 23, level: "medium", questionnaireKey: "vulnerability", questionnaireVersion: 1 });
    const oldDraft = await call("POST", "/api/assessments", { token: cw, body: { caseID: c.caseID, kind: "vulnerability", answers } });

    await newVersion(op, "vulnerability", (d) => {
      question(d, "disability").yesPoints = 40;
      d.scoring.bands.find((b) => b.band === "high")!.min = 45;
    });

    const fresh = await call("POST", "/api/assessments", { token: cw, body: { caseID: c.caseID, kind: "vulnerability", answers } });
    expect(fresh.json).toMatchObject({ score: 48, level: "high", band: "high", questionnaireVersion: 2 });
    // a form opened before the publication still scores by the version it showed
    const pinned = await call("POST", "/api/assessments", {
      token: cw,
      body: { caseID: c.caseID, kind: "vulnerability", answers, questionnaireVersion: 1 },
    });
    expect(pinned.json).toMatchObject({ score: 23, questionnaireVersion: 1 });
    const noSuch = await call("POST", "/api/assessments", {
      token: cw,
      body: { caseID: c.caseID, kind: "vulnerability", answers, questionnaireVersion: 9 },
    });
    expect(noSuch.status).toBe(422);
    expect(noSuch.json.errors[0].path).toBe("questionnaireVersion");

    // the old one, submitted (approved at once), keeps version 1 and its score; a recompute gives the same
    const sub = await call("POST", `/api/assessments/${old.json.assessmentID}/submit`, { token: cw, body: { version: 1 } });
    const stored = await call("GET", `/api/assessments/${old.json.assessmentID}`, { token: cw });
    expect(stored.json).toMatchObject({ score: 23, level: "medium", questionnaireVersion: 1 });
    const re = await call("POST", `/api/assessments/${old.json.assessmentID}/recompute`, {
      token: cw,
      body: { version: sub.json.version },
    });
    expect(re.status, re.text).toBe(200);
    expect(re.json).toMatchObject({ score: 23, questionnaireVersion: 1 });
    // an approved assessment does not move to another version
    const move = await call("POST", `/api/assessments/${old.json.assessmentID}/recompute`, {
      token: cw,
      body: { version: re.json.version, questionnaireVersion: 2 },
    });
    expect(move.status).toBe(422);
    expect(move.json.code).toBe("assessment.locked");
    // a draft does, and is scored by the new weights
    const moved = await call("POST", `/api/assessments/${oldDraft.json.assessmentID}/recompute`, {
      token: cw,
      body: { version: oldDraft.json.version, questionnaireVersion: 2 },
    });
    expect(moved.json).toMatchObject({ score: 48, level: "high", questionnaireVersion: 2 });
    // an edit of a draft scores by the draft's own version
    const edit = await call("PATCH", `/api/assessments/${pinned.json.assessmentID}`, {
      token: cw,
      body: { version: pinned.json.version, changes: { answers: [{ questionID: "disability", answer: true }] } },
    });
    expect(edit.json).toMatchObject({ score: 15, questionnaireVersion: 1 });

    const explained = await call("GET", `/api/assessments/${fresh.json.assessmentID}/explain`, { token: cw });
    expect(explained.status, explained.text).toBe(200);
    expect(explained.json).toMatchObject({ questionnaireVersion: 2, score: 48, total: 48, storedScore: 48, band: { band: "high" } });
    const lines = Object.fromEntries(explained.json.lines.map((l: { questionID: string }) => [l.questionID, l]));
    expect(lines.disability).toMatchObject({ state: "answered", answer: true, points: 40 });
    expect(lines.shelter).toMatchObject({ state: "answered", points: 8, answerLabels: [{ en: "Temporary" }] });
    expect(lines.uasc).toMatchObject({ state: "unanswered", points: 0 });
    const oldExplained = await call("GET", `/api/assessments/${old.json.assessmentID}/explain`, { token: cw });
    expect(oldExplained.json).toMatchObject({ questionnaireVersion: 1, score: 23 });
    // office B's caseworker sees neither the assessment nor its explanation
    const other = await call("GET", `/api/assessments/${fresh.json.assessmentID}/explain`, { token: op.caseworkerB.token });
    expect([403, 404]).toContain(other.status);
  });
});

describe("answers are checked against the version", () => {
  it("skip conditions: a hidden question's answer is refused, a shown one counts; bad answers name their question", async () => {
    const op = await createTestOperation();
    const c = await caseOf(op);
    const cw = op.users.caseworker.token;
    await newVersion(op, "socio_economic", (d) => {
      d.sections[1]!.questions.push(
        {
          questionID: "creditors",
          type: "many_of",
          labels: lbl("Who is owed"),
          required: true,
          showIf: { match: "all", clauses: [{ questionID: "in_debt", op: "eq", value: true }] },
          options: [
            { value: "family", labels: lbl("Family"), points: 0 },
            { value: "lender", labels: lbl("Money lender"), points: 12 },
            { value: "landlord", labels: lbl("Landlord"), points: 5 },
          ],
        },
        { questionID: "debt_since", type: "date", labels: lbl("In debt since"), required: false },
      );
    });
    const post = (answers: unknown[]) =>
      call("POST", "/api/assessments", { token: cw, body: { caseID: c.caseID, kind: "socio_economic", answers } });

    // not in debt: the amount and the creditors are skipped; answering them is refused
    const skipped = await post([
      { questionID: "in_debt", answer: false },
      { questionID: "debt_amount", answer: 500 },
      { questionID: "creditors", answer: ["lender"] },
    ]);
    expect(skipped.status).toBe(422);
    expect(skipped.json.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "answers.debt_amount", code: "invalid.skipped" }),
        expect.objectContaining({ path: "answers.creditors", code: "invalid.skipped" }),
      ]),
    );
    // in debt: the creditors are shown and required
    const missing = await post([{ questionID: "in_debt", answer: true }]);
    expect(missing.status).toBe(422);
    expect(missing.json.errors).toEqual([expect.objectContaining({ path: "answers.creditors", code: "invalid.required" })]);
    const ok = await post([
      { questionID: "in_debt", answer: true },
      { questionID: "debt_amount", answer: 500 },
      { questionID: "creditors", answer: ["lender", "landlord"] },
      { questionID: "dependants", answer: 7 },
    ]);
    expect(ok.status, ok.text).toBe(201);
    // 10 (in debt) + 12 + 5 (creditors) + 15 (7 dependants × 3, at most 15)
    expect(ok.json).toMatchObject({ score: 42, band: "high", questionnaireVersion: 2 });

    const bad = await post([
      { questionID: "in_debt", answer: "yes" },
      { questionID: "income_source", answer: "constructor" },
      { questionID: "dependants", answer: 31 },
      { questionID: "debt_since", answer: "last spring" },
      { questionID: "favourite_colour", answer: "blue" },
      { questionID: "dependants", answer: 2 },
    ]);
    expect(bad.status).toBe(422);
    expect(bad.json.errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`).sort()).toEqual([
      "answers.debt_since invalid.answer",
      "answers.dependants invalid.answer",
      "answers.dependants invalid.duplicate",
      "answers.favourite_colour invalid.question",
      "answers.in_debt invalid.answer",
      "answers.income_source invalid.answer",
    ]);
    const list = await call("GET", `/api/assessments?caseID=${c.caseID}`, { token: cw });
    expect(list.json.items).toHaveLength(1);
  });
});

describe("the return and host questionnaires score their records too", () => {
  it("a return's vulnerability and a host's compliance follow the published version, and keep it", async () => {
    const op = await createTestOperation();
    const token = op.users.caseworker.token;
    const [p] = await people(op, [{ age: 28 }]);
    const ret = await call("POST", "/api/returns", {
      token,
      body: { officeID: op.officeA, individualIDs: [p!.individualID], countryOfReturn: "HND" },
    });
    expect(ret.status, ret.text).toBe(201);
    const before = await call("POST", `/api/returns/${ret.json.returnID}/vulnerability`, {
      token,
      body: { factors: ["pregnant"], version: ret.json.version },
    });
    expect(before.json.vulnerability).toMatchObject({ score: 10, level: "low", questionnaireVersion: 1 });

    await newVersion(op, "return_vulnerability", (d) => {
      question(d, "pregnant").yesPoints = 40;
      d.scoring.bands.find((b) => b.band === "high")!.min = 40;
      d.sections[0]!.questions.push({
        questionID: "debt_to_smugglers",
        type: "yes_no",
        labels: lbl("Owes smugglers"),
        required: false,
        yesPoints: 15,
        noPoints: 0,
      });
    });
    const after = await call("POST", `/api/returns/${ret.json.returnID}/vulnerability`, {
      token,
      body: { factors: ["pregnant", "debt_to_smugglers"], version: before.json.version },
    });
    expect(after.status, after.text).toBe(200);
    expect(after.json.vulnerability).toMatchObject({ score: 55, level: "high", questionnaireVersion: 2 });
    const unknown = await call("POST", `/api/returns/${ret.json.returnID}/vulnerability`, {
      token,
      body: { factors: ["pregnant", "lottery_win"], version: after.json.version },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.json.errors.map((e: { path: string }) => e.path)).toEqual(["factors.1"]);

    // hosts: with version 2, two items not met is no longer "partly compliant" (that now needs all but one)
    const host = await call("POST", "/api/hosts", {
      token,
      body: {
        officeID: op.officeA,
        kind: "family",
        name: "Familia Ruiz",
        capacity: 2,
        adm1: "MX07",
        adm2: "MX07089",
        contractStart: "2026-01-01",
        contractEnd: "2026-12-31",
        visitEveryDays: 30,
      },
    });
    expect(host.status, host.text).toBe(201);
    const visits = await call("POST", `/api/hosts/${host.json.hostID}/visits`, {
      token,
      body: { from: "2026-02-01", count: 2, kind: "compliance" },
    });
    const d = definitionOf(await current(op, "host_compliance"));
    const items = d.sections.flatMap((s) => s.questions).map((q) => q.questionID);
    const checklist = items.map((item, i) => ({ item, met: i > 1 }));
    const complete = (visit: { visitID: string }) =>
      call("POST", `/api/host-visits/${visit.visitID}/complete`, {
        token,
        body: { date: "2026-02-01", findings: "Checklist gone through", checklist, version: 1 },
      });
    const first = await complete(visits.json.items[0]);
    expect(first.json).toMatchObject({ result: "partially_compliant", questionnaireVersion: 1 });
    await newVersion(op, "host_compliance", (x) => {
      x.scoring.bands.find((b) => b.band === "partially_compliant")!.min = items.length - 1;
    });
    const second = await complete(visits.json.items[1]);
    expect(second.json).toMatchObject({ result: "non_compliant", questionnaireVersion: 2 });
  });
});
