import { describe, expect, it } from "vitest";
import { Assessment, BestInterests, Resettlement } from "@waypoint/core";
import { as, call, createTestOperation } from "../support/fixtures.ts";
import { caseWith, extraUser, people } from "../support/programmes.ts";

async function recommended(
  op: Awaited<ReturnType<typeof createTestOperation>>,
  caseID: string,
  programme: string,
) {
  const cw = op.users.caseworker.actor;
  let s = await as(cw, () =>
    Resettlement.create({
      caseID,
      programme,
      country: "USA",
      quotaYear: 2026,
      primaryCategory: "CHR",
      transitCountry: "CRI",
    } as never),
  );
  for (const to of ["interviewed", "drafted"] as const)
    s = await as(cw, () => Resettlement.transition({ submissionID: s.submissionID, to, version: s.version }));
  return as(op.users.supervisor.actor, () =>
    Resettlement.review({
      submissionID: s.submissionID,
      decision: "recommend",
      comment: "Ready to go",
      version: s.version,
    }),
  );
}

describe("Best Interests Procedure", () => {
  it("a PTA case with a child cannot be submitted until the child's BID is approved by a panel of two", async () => {
    const op = await createTestOperation();
    const [mother, father, child] = await people(op, [
      { age: 35, relationshipToHead: "head" },
      { age: 37, relationshipToHead: "spouse" },
      { age: 9, relationshipToHead: "child" },
    ]);
    const c = await caseWith(op, "pta", [mother!.individualID, father!.individualID, child!.individualID]);
    const s = await recommended(op, c.caseID, "pta");
    const cw = op.users.caseworker;
    const refused = await call("POST", `/api/resettlement/${s.submissionID}/transition`, {
      token: cw.token,
      body: { to: "submitted", version: s.version },
    });
    expect(refused.status).toBe(422);
    expect(refused.json.code).toBe("submission.bidRequired");
    expect(refused.json.detail).toContain(child!.individualID);

    // a BID is for a child: not for an adult
    const adult = await call("POST", "/api/assessments", {
      token: cw.token,
      body: { caseID: c.caseID, kind: "bid", individualID: mother!.individualID },
    });
    expect(adult.status).toBe(422);
    // several BIA/BID per case
    const bia = await call("POST", "/api/assessments", {
      token: cw.token,
      body: { caseID: c.caseID, kind: "bia", individualID: child!.individualID, summary: "Initial BIA" },
    });
    expect(bia.status).toBe(201);
    const bid = (
      await call("POST", "/api/assessments", {
        token: cw.token,
        body: { caseID: c.caseID, kind: "bid", individualID: child!.individualID, summary: "Panel file" },
      })
    ).json;
    const listed = await call("GET", `/api/assessments?caseID=${c.caseID}`, { token: cw.token });
    expect(listed.json.items.map((a: { kind: string }) => a.kind).sort()).toEqual(["bia", "bid"]);
    const sub = await call("POST", `/api/assessments/${bid.assessmentID}/submit`, {
      token: cw.token,
      body: { version: bid.version },
    });
    expect(sub.status, JSON.stringify([bid, sub.json])).toBe(200);
    expect(sub.json.status).toBe("submitted");

    // the supervision queue shows it to reviewers, never to the author
    const panel2 = await extraUser(op, "supervisor");
    const q = await call("GET", "/api/bip/queue", { token: op.users.supervisor.token });
    expect(q.json.items.map((a: { assessmentID: string }) => a.assessmentID)).toContain(bid.assessmentID);
    const mine = await as(cw.actor, () => BestInterests.queue());
    expect(mine.map((a) => a.assessmentID)).not.toContain(bid.assessmentID);

    const own = await call("POST", `/api/assessments/${bid.assessmentID}/review`, {
      token: cw.token,
      body: { decision: "approve", version: sub.json.version },
    });
    expect(own.json.code).toBe("assessment.ownReview");
    const first = await call("POST", `/api/assessments/${bid.assessmentID}/review`, {
      token: op.users.supervisor.token,
      body: { decision: "approve", version: sub.json.version },
    });
    expect(first.json.status).toBe("submitted"); // one panel member is not a panel
    await expect(
      as(cw.actor, () =>
        Resettlement.transition({ submissionID: s.submissionID, to: "submitted", version: s.version }),
      ),
    ).rejects.toMatchObject({ code: "submission.bidRequired" });
    const second = await call("POST", `/api/assessments/${bid.assessmentID}/review`, {
      token: panel2.token,
      body: { decision: "approve", version: first.json.version },
    });
    expect(second.json.status).toBe("approved");
    const after = await call("GET", "/api/bip/queue", { token: op.users.supervisor.token });
    expect(after.json.items.map((a: { assessmentID: string }) => a.assessmentID)).not.toContain(
      bid.assessmentID,
    );
    const ok = await call("POST", `/api/resettlement/${s.submissionID}/transition`, {
      token: cw.token,
      body: { to: "submitted", version: s.version },
    });
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
  });

  it("needs a BID for a child resettled without both parents, not for a child travelling with both", async () => {
    const op = await createTestOperation();
    const [head, spouse, child, nephew] = await people(op, [
      { age: 40, relationshipToHead: "head" },
      { age: 39, relationshipToHead: "spouse" },
      { age: 12, relationshipToHead: "child" },
      { age: 14, relationshipToHead: "sibling", specificNeeds: ["UASC-SC"] },
    ]);
    const both = await caseWith(op, "resettlement", [
      head!.individualID,
      spouse!.individualID,
      child!.individualID,
    ]);
    const s1 = await recommended(op, both.caseID, "rst");
    const ok = await as(op.users.caseworker.actor, () =>
      Resettlement.transition({ submissionID: s1.submissionID, to: "submitted", version: s1.version }),
    );
    expect(ok.status).toBe("submitted");
    const single = await caseWith(op, "resettlement", [
      head!.individualID,
      child!.individualID,
      nephew!.individualID,
    ]);
    const s2 = await recommended(op, single.caseID, "rst");
    const err = await as(op.users.caseworker.actor, () =>
      Resettlement.transition({ submissionID: s2.submissionID, to: "submitted", version: s2.version }),
    ).catch((e) => e);
    expect(err.code).toBe("submission.bidRequired");
    expect(err.message).toContain(child!.individualID);
    expect(err.message).toContain(nephew!.individualID);
    // a rejected BID does not count
    const a = await as(op.users.caseworker.actor, () =>
      Assessment.create({ caseID: single.caseID, kind: "bid", individualID: child!.individualID }),
    );
    const sub = await as(op.users.caseworker.actor, () => Assessment.submit(a.assessmentID, a.version));
    const rej = await as(op.users.supervisor.actor, () =>
      Assessment.review({
        assessmentID: a.assessmentID,
        decision: "reject",
        comment: "Custody of the other parent unclear",
        version: sub.version,
      }),
    );
    expect(rej.status).toBe("rejected");
    const err2 = await as(op.users.caseworker.actor, () =>
      Resettlement.transition({ submissionID: s2.submissionID, to: "submitted", version: s2.version }),
    ).catch((e) => e);
    expect(err2.code).toBe("submission.bidRequired");
  });
});
