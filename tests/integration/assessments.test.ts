import { describe, expect, it } from "vitest";
import { Assessment } from "@waypoint/core";
import { as, call, createTestOperation, type TestOperation } from "../support/fixtures.ts";
import { caseWith, extraUser, people } from "../support/programmes.ts";

async function childCase(op: TestOperation) {
  const [parent, child] = await people(op, [
    { age: 34, relationshipToHead: "head" },
    { age: 11, relationshipToHead: "child" },
  ]);
  const c = await caseWith(op, "bip", [parent!.individualID, child!.individualID]);
  return { c, parent: parent!, child: child! };
}

/** A BID written and submitted by the office-A caseworker, plus two more possible panel members. */
async function submittedBid(op: TestOperation) {
  const { c, child } = await childCase(op);
  const cw = op.users.caseworker;
  const created = await call("POST", "/api/assessments", {
    token: cw.token,
    body: {
      caseID: c.caseID,
      kind: "bid",
      individualID: child.individualID,
      summary: "Placement with the aunt is in the child's best interests",
    },
  });
  expect(created.status).toBe(201);
  const sub = await call("POST", `/api/assessments/${created.json.assessmentID}/submit`, {
    token: cw.token,
    body: { version: created.json.version },
  });
  expect(sub.json.status).toBe("submitted");
  const panelist = await extraUser(op, "caseworker");
  return { c, child, bid: sub.json, panelist };
}

const review = (id: string, token: string, version: number, decision = "approve", comment?: string) =>
  call("POST", `/api/assessments/${id}/review`, { token, body: { decision, version, comment } });

describe("vulnerability scoring", () => {
  it("scores answers by the documented questionnaire, not by what the client sends", async () => {
    const op = await createTestOperation();
    const { c, parent } = await childCase(op);
    const res = await call("POST", "/api/assessments", {
      token: op.users.caseworker.token,
      body: {
        caseID: c.caseID,
        kind: "vulnerability",
        individualID: parent.individualID,
        answers: [
          { questionID: "single_caregiver", answer: true, score: 99 },
          { questionID: "shelter", answer: "temporary" },
          { questionID: "food", answer: "severe" },
          { questionID: "active_threat", answer: false },
        ],
      },
    });
    expect(res.status).toBe(201);
    // 10 + 8 + 15 + 0
    expect(res.json.score).toBe(33);
    expect(res.json.level).toBe("medium");
    expect(res.json.answers.map((a: { score: number }) => a.score)).toEqual([10, 8, 15, 0]);
  });

  it("refuses unknown questions and answers with their field paths, storing nothing", async () => {
    const op = await createTestOperation();
    const { c } = await childCase(op);
    const token = op.users.caseworker.token;
    const bad = await call("POST", "/api/assessments", {
      token,
      body: {
        caseID: c.caseID,
        kind: "vulnerability",
        answers: [
          { questionID: "shelter", answer: "castle" },
          { questionID: "favourite_colour", answer: "blue" },
        ],
      },
    });
    expect(bad.status).toBe(422);
    // paths name the question (issue 19: answers are checked against the questionnaire version)
    expect(bad.json.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      "answers.favourite_colour",
      "answers.shelter",
    ]);
    const list = await call("GET", `/api/assessments?caseID=${c.caseID}`, { token });
    expect(list.json.items).toEqual([]);
  });

  it("rescoring on edit of a draft; a critical score from several protection risks", async () => {
    const op = await createTestOperation();
    const { c } = await childCase(op);
    const cw = op.users.caseworker.actor;
    const a = await as(cw, () => Assessment.create({ caseID: c.caseID, kind: "vulnerability" }));
    expect(a).toMatchObject({ score: 0, level: "low" });
    const edited = await as(cw, () =>
      Assessment.patch({
        assessmentID: a.assessmentID,
        version: 1,
        changes: {
          answers: [
            { questionID: "uasc", answer: true },
            { questionID: "sgbv_risk", answer: true },
            { questionID: "active_threat", answer: true },
          ],
        },
      }),
    );
    expect(edited).toMatchObject({ score: 65, level: "critical", version: 2 });
  });
});

describe("BID panel", () => {
  it("the author cannot review; one reviewer is not enough; two distinct reviewers approve it", async () => {
    const op = await createTestOperation();
    const { bid, child, c, panelist } = await submittedBid(op);
    const id = bid.assessmentID;
    const own = await review(id, op.users.caseworker.token, bid.version);
    expect(own.status).toBe(422);
    expect(own.json.code).toBe("assessment.ownReview");

    const first = await review(id, op.users.supervisor.token, bid.version);
    expect(first.status).toBe(200);
    expect(first.json.status).toBe("submitted");
    expect(await as(op.users.caseworker.actor, () => Assessment.hasApproved(child.individualID, "bid"))).toBe(
      false,
    );
    // the same reviewer again does not make a panel
    const again = await review(id, op.users.supervisor.token, first.json.version);
    expect(again.status).toBe(422);
    expect(again.json.code).toBe("assessment.alreadyReviewed");
    expect(
      (await call("GET", `/api/assessments/${id}`, { token: op.users.supervisor.token })).json.status,
    ).toBe("submitted");

    const second = await review(id, panelist.token, first.json.version);
    expect(second.status).toBe(200);
    expect(second.json.status).toBe("approved");
    expect(second.json.reviews.map((r: { reviewerID: string }) => r.reviewerID)).toEqual([
      op.users.supervisor.userID,
      panelist.userID,
    ]);
    const cw = op.users.caseworker.actor;
    expect(await as(cw, () => Assessment.hasApproved(child.individualID, "bid"))).toBe(true);
    expect(await as(cw, () => Assessment.hasApproved(c.caseID, "bid"))).toBe(true);
    expect(await as(cw, () => Assessment.hasApproved(c.caseID, "bia"))).toBe(false);

    // reviews are in the audit trail, with who decided
    const audit = await call("GET", `/api/audit?recordId=${id}`, { token: op.users.supervisor.token });
    expect(audit.status).toBe(200);
    const actions = audit.json.items.map(
      (e: { action: string; actorID: string }) => `${e.action}:${e.actorID}`,
    );
    expect(actions).toEqual([
      `create:${op.users.caseworker.userID}`,
      `submit:${op.users.caseworker.userID}`,
      `review.approve:${op.users.supervisor.userID}`,
      `review.approve:${panelist.userID}`,
    ]);
  });

  it("the same reviewer sending five reviews at once is counted once", async () => {
    const op = await createTestOperation();
    const { bid } = await submittedBid(op);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => review(bid.assessmentID, op.users.supervisor.token, bid.version)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(
      results.filter((r) => r.status !== 200).every((r) => r.json.code === "assessment.alreadyReviewed"),
    ).toBe(true);
    const stored = await call("GET", `/api/assessments/${bid.assessmentID}`, {
      token: op.users.supervisor.token,
    });
    expect(stored.json.reviews).toHaveLength(1);
    expect(stored.json.status).toBe("submitted");
  });

  it("two panel members reviewing at the same time both count and approve it", async () => {
    const op = await createTestOperation();
    const { bid, panelist } = await submittedBid(op);
    const [a, b] = await Promise.all([
      review(bid.assessmentID, op.users.supervisor.token, bid.version),
      review(bid.assessmentID, panelist.token, bid.version),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const stored = await call("GET", `/api/assessments/${bid.assessmentID}`, {
      token: op.users.supervisor.token,
    });
    expect(stored.json.status).toBe("approved");
    expect(new Set(stored.json.reviews.map((r: { reviewerID: string }) => r.reviewerID)).size).toBe(2);
  });

  it("one rejection rejects it, and it never counts", async () => {
    const op = await createTestOperation();
    const { bid, panelist, child } = await submittedBid(op);
    const first = await review(bid.assessmentID, op.users.supervisor.token, bid.version);
    const noReason = await review(bid.assessmentID, panelist.token, first.json.version, "reject");
    expect(noReason.status).toBe(422);
    expect(noReason.json.errors[0].path).toBe("comment");
    const rej = await review(
      bid.assessmentID,
      panelist.token,
      first.json.version,
      "reject",
      "Aunt not assessed",
    );
    expect(rej.json.status).toBe("rejected");
    const late = await review(bid.assessmentID, (await extraUser(op, "supervisor")).token, rej.json.version);
    expect(late.json.code).toBe("assessment.notSubmitted");
    expect(await as(op.users.caseworker.actor, () => Assessment.hasApproved(child.individualID, "bid"))).toBe(
      false,
    );
  });

  it("a returned BID is revised and resubmitted; approvals of the earlier round no longer count", async () => {
    const op = await createTestOperation();
    const { bid, panelist } = await submittedBid(op);
    const cw = op.users.caseworker;
    const sup = op.users.supervisor;
    const ok1 = await review(bid.assessmentID, sup.token, bid.version);
    const ret = await review(
      bid.assessmentID,
      panelist.token,
      ok1.json.version,
      "return",
      "Add the aunt's view",
    );
    expect(ret.json.status).toBe("draft");
    // while returned the author edits; a reviewer holding the old version is told it changed
    const patched = await call("PATCH", "/api/assessments", {
      token: cw.token,
      body: { rows: [{ id: bid.assessmentID, version: ret.json.version, changes: { summary: "Revised" } }] },
    });
    expect(patched.json.results[0].status).toBe("saved");
    const resub = await call("POST", `/api/assessments/${bid.assessmentID}/submit`, {
      token: cw.token,
      body: { version: patched.json.results[0].version },
    });
    expect(resub.json).toMatchObject({ status: "submitted", round: 2 });
    const stale = await review(bid.assessmentID, sup.token, ok1.json.version);
    expect(stale.status).toBe(409);
    // round 2: the supervisor's round-1 approval is history; one new approval is still not a panel
    const ok2 = await review(bid.assessmentID, sup.token, resub.json.version);
    expect(ok2.json.status).toBe("submitted");
    const ok3 = await review(bid.assessmentID, panelist.token, ok2.json.version);
    expect(ok3.json.status).toBe("approved");
    expect(
      ok3.json.reviews.map((r: { round: number; decision: string }) => `${r.round}:${r.decision}`),
    ).toEqual(["1:approve", "1:return", "2:approve", "2:approve"]);
  });

  it("a BIA needs one reviewer other than the author", async () => {
    const op = await createTestOperation();
    const { c, child } = await childCase(op);
    const sup = op.users.supervisor.actor;
    // written by the supervisor: the supervisor cannot approve it, a caseworker of the office can
    const a = await as(sup, () =>
      Assessment.create({ caseID: c.caseID, kind: "bia", individualID: child.individualID }),
    );
    const s = await as(sup, () => Assessment.submit(a.assessmentID, a.version));
    const own = await as(sup, () =>
      Assessment.review({ assessmentID: a.assessmentID, decision: "approve", version: s.version }),
    ).catch((e) => e);
    expect(own.code).toBe("assessment.ownReview");
    const ok = await as(op.users.caseworker.actor, () =>
      Assessment.review({ assessmentID: a.assessmentID, decision: "approve", version: s.version }),
    );
    expect(ok.status).toBe("approved");
  });
});

describe("assessments grid", () => {
  it("lists an office's assessments with filters and saves a bulk edit row by row", async () => {
    const op = await createTestOperation();
    const { c, child } = await childCase(op);
    const cw = op.users.caseworker;
    const made = await call("POST", "/api/assessments", {
      token: cw.token,
      body: {
        rows: [
          { ref: "v", values: { caseID: c.caseID, kind: "vulnerability" } },
          { ref: "s", values: { caseID: c.caseID, kind: "socio_economic" } },
          { ref: "b", values: { caseID: c.caseID, kind: "bia", individualID: child.individualID } },
          { ref: "x", values: { caseID: c.caseID, kind: "bid" } },
        ],
      },
    });
    expect(made.json.results.map((r: { status: string }) => r.status)).toEqual([
      "created",
      "created",
      "created",
      "invalid",
    ]);
    expect(made.json.results[3].issues[0].path).toBe("rows.3.values.individualID");
    const all = await call("GET", `/api/assessments?officeID=${op.officeA}`, { token: cw.token });
    expect(all.json.items).toHaveLength(3);
    const bias = await call("GET", `/api/assessments?kind=bia`, { token: cw.token });
    expect(bias.json.items.map((a: { kind: string }) => a.kind)).toEqual(["bia"]);
    // office B sees none of them
    const other = await call("GET", `/api/assessments?caseID=${c.caseID}`, { token: op.caseworkerB.token });
    expect(other.status).toBe(403);
    const [v, s] = made.json.results;
    const res = await call("PATCH", "/api/assessments", {
      token: cw.token,
      body: {
        rows: [
          { id: v.id, version: 1, changes: { answers: [{ questionID: "disability", answer: true }] } },
          { id: s.id, version: 7, changes: { summary: "stale" } },
          { id: s.id, version: 1, changes: { answers: [{ questionID: "q1", answer: "x", score: 500 }] } },
        ],
      },
    });
    expect(res.json.results.map((r: { status: string }) => r.status)).toEqual([
      "saved",
      "conflict",
      "invalid",
    ]);
    expect(res.json.results[2].issues[0].path).toMatch(/^rows\.2\.changes\.answers\.0\.score/);
    const stored = await call("GET", `/api/assessments/${s.id}`, { token: cw.token });
    expect(stored.json).toMatchObject({ version: 1 });
    expect(stored.json.summary).toBeUndefined();
    expect((await call("GET", `/api/assessments/${v.id}`, { token: cw.token })).json).toMatchObject({
      score: 15,
      level: "low",
    });
  });
});
