import { describe, expect, it } from "vitest";
import { call, createTestOperation } from "../support/fixtures.ts";
import { caseWith, extraUser, people } from "../support/programmes.ts";

describe("BIA and BID screens per child", () => {
  it("lists a child's BID with its rounds and panel by name, the case number and the child's submission", async () => {
    const op = await createTestOperation();
    const cw = op.users.caseworker;
    const [mother, child] = await people(op, [
      { age: 30, relationshipToHead: "head" },
      { age: 8, relationshipToHead: "child" },
    ]);
    const c = await caseWith(op, "pta", [mother!.individualID, child!.individualID]);
    const s = await call("POST", "/api/resettlement", {
      token: cw.token,
      body: {
        caseID: c.caseID,
        programme: "pta",
        country: "USA",
        quotaYear: 2026,
        primaryCategory: "CHR",
        transitCountry: "CRI",
      },
    });
    const bid = (
      await call("POST", "/api/assessments", {
        token: cw.token,
        body: { caseID: c.caseID, kind: "bid", individualID: child!.individualID, summary: "Panel file" },
      })
    ).json;
    let v = (
      await call("POST", `/api/assessments/${bid.assessmentID}/submit`, {
        token: cw.token,
        body: { version: 1 },
      })
    ).json.version;
    // round 1: returned by the supervisor; round 2: approved by the supervisor and a second panel member
    v = (
      await call("POST", `/api/assessments/${bid.assessmentID}/review`, {
        token: op.users.supervisor.token,
        body: { decision: "return", comment: "Hear the child's views", version: v },
      })
    ).json.version;
    v = (
      await call("POST", `/api/assessments/${bid.assessmentID}/submit`, {
        token: cw.token,
        body: { version: v },
      })
    ).json.version;
    const panel = await extraUser(op, "supervisor");
    v = (
      await call("POST", `/api/assessments/${bid.assessmentID}/review`, {
        token: op.users.supervisor.token,
        body: { decision: "approve", comment: "Agree", version: v },
      })
    ).json.version;
    const mid = (await call("GET", `/api/bip/assessments/${bid.assessmentID}`, { token: cw.token })).json;
    expect(mid).toMatchObject({ status: "submitted", round: 2, approvals: 1, needed: 2 });
    await call("POST", `/api/assessments/${bid.assessmentID}/review`, {
      token: panel.token,
      body: { decision: "approve", version: v },
    });

    const file = await call("GET", `/api/bip/assessments/${bid.assessmentID}`, { token: cw.token });
    expect(file.status).toBe(200);
    expect(file.json).toMatchObject({
      kind: "bid",
      status: "approved",
      round: 2,
      approvals: 2,
      needed: 2,
      caseNumber: c.caseNumber,
      childName: `${child!.givenName} ${child!.familyName}`,
      authorName: expect.stringMatching(/^caseworker /),
      submissions: [
        { submissionID: s.json.submissionID, programme: "pta", country: "USA", status: "identified" },
      ],
    });
    expect(
      file.json.rounds.map((r: { round: number; reviews: { reviewerName: string; decision: string }[] }) => [
        r.round,
        r.reviews.map((x) => `${x.reviewerName}: ${x.decision}`),
      ]),
    ).toEqual([
      [1, [expect.stringMatching(/^supervisor .*: return$/)]],
      [2, [expect.stringMatching(/^supervisor .*: approve$/), "supervisor extra: approve"]],
    ]);

    const list = await call("GET", "/api/bip/assessments", { token: op.users.supervisor.token });
    expect(list.json.items.map((a: { assessmentID: string }) => a.assessmentID)).toEqual([bid.assessmentID]);
  }, 120_000);

  it("follows the case: another office's caseworker neither lists nor opens it; a vulnerability assessment is no BIP file", async () => {
    const op = await createTestOperation();
    const cw = op.users.caseworker;
    const [child] = await people(op, [{ age: 12, relationshipToHead: "head" }]);
    const c = await caseWith(op, "bip", [child!.individualID]);
    const bia = (
      await call("POST", "/api/assessments", {
        token: cw.token,
        body: { caseID: c.caseID, kind: "bia", individualID: child!.individualID },
      })
    ).json;
    const vuln = await call("POST", "/api/assessments", {
      token: cw.token,
      body: { caseID: c.caseID, kind: "vulnerability", individualID: child!.individualID, answers: [] },
    });
    expect((await call("GET", "/api/bip/assessments", { token: op.caseworkerB.token })).json.items).toEqual(
      [],
    );
    const other = await call("GET", `/api/bip/assessments/${bia.assessmentID}`, {
      token: op.caseworkerB.token,
    });
    expect([403, 404]).toContain(other.status);
    if (vuln.status === 201) {
      const notBip = await call("GET", `/api/bip/assessments/${vuln.json.assessmentID}`, { token: cw.token });
      expect(notBip.status).toBe(404);
    }
    const mine = await call("GET", `/api/bip/assessments?caseID=${c.caseID}`, { token: cw.token });
    expect(mine.json.items.map((a: { kind: string }) => a.kind)).toEqual(["bia"]);
  }, 120_000);
});
