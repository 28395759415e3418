import { describe, expect, it } from "vitest";
import { Individual, Quota, Resettlement } from "@waypoint/core";
import { as, call, createTestOperation } from "../support/fixtures.ts";
import { caseWith, extraUser, people } from "../support/programmes.ts";

const base = {
  programme: "rst",
  country: "CAN",
  quotaYear: 2026,
  primaryCategory: "LPN",
  secondaryCategory: "SVT",
};

async function toDrafted(token: string, id: string) {
  let v = 1;
  for (const to of ["interviewed", "drafted"]) {
    const r = await call("POST", `/api/resettlement/${id}/transition`, { token, body: { to, version: v } });
    expect(r.status).toBe(200);
    v = r.json.version;
  }
  return v;
}

describe("resettlement submissions", () => {
  it("walks identified → departed with a review by someone other than the drafter", async () => {
    const op = await createTestOperation();
    const [head, spouse] = await people(op, [
      { age: 40, relationshipToHead: "head" },
      { age: 38, relationshipToHead: "spouse" },
    ]);
    const c = await caseWith(op, "resettlement", [head!.individualID, spouse!.individualID]);
    const cw = op.users.caseworker.token;
    const created = await call("POST", "/api/resettlement", {
      token: cw,
      body: { ...base, caseID: c.caseID, priority: "urgent" },
    });
    expect(created.status).toBe(201);
    const s = created.json;
    expect(s).toMatchObject({
      status: "identified",
      individualCount: 2,
      priority: "urgent",
      secondaryCategory: "SVT",
    });
    let v = await toDrafted(cw, s.submissionID);

    // the drafter (a caseworker here) cannot recommend their own draft, even when they have review rights
    const drafterReviewer = await extraUser(op, "supervisor");
    const own = await call("POST", `/api/resettlement/${s.submissionID}/transition`, {
      token: drafterReviewer.token,
      body: { to: "interviewed", version: v },
    });
    expect(own.status).toBe(422); // not a valid move from drafted
    const self = await call("POST", `/api/resettlement/${s.submissionID}/review`, {
      token: cw,
      body: { decision: "recommend", comment: "looks fine", version: v },
    });
    expect(self.status).toBe(403); // caseworkers hold no programme.review
    const sup = op.users.supervisor.token;
    const ret = await call("POST", `/api/resettlement/${s.submissionID}/review`, {
      token: sup,
      body: { decision: "return", comment: "Add the threat assessment", version: v },
    });
    expect(ret.json).toMatchObject({ status: "returned", reviewComment: "Add the threat assessment" });
    // the supervisor redrafts; now they are the drafter and may not recommend it themselves
    const redraft = await call("POST", `/api/resettlement/${s.submissionID}/transition`, {
      token: sup,
      body: { to: "drafted", version: ret.json.version },
    });
    const mine = await call("POST", `/api/resettlement/${s.submissionID}/review`, {
      token: sup,
      body: { decision: "recommend", comment: "ok now", version: redraft.json.version },
    });
    expect(mine.status).toBe(422);
    expect(mine.json.code).toBe("submission.ownReview");
    const rec = await call("POST", `/api/resettlement/${s.submissionID}/review`, {
      token: drafterReviewer.token,
      body: { decision: "recommend", comment: "Complete", version: redraft.json.version },
    });
    expect(rec.json.status).toBe("recommended");
    v = rec.json.version;
    const step = async (to: string, extra: object = {}) => {
      const r = await call("POST", `/api/resettlement/${s.submissionID}/transition`, {
        token: cw,
        body: { to, version: v, ...extra },
      });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      v = r.json.version;
      return r.json;
    };
    const sub = await step("submitted");
    expect(sub.snapshot.memberIDs.sort()).toEqual([head!.individualID, spouse!.individualID].sort());
    const deferred = await step("deferred", { reason: "Country paused intake" });
    expect(deferred.status).toBe("deferred");
    await step("accepted", { reason: "Accepted at selection mission" });
    const noDate = await call("POST", `/api/resettlement/${s.submissionID}/transition`, {
      token: cw,
      body: { to: "departure_arranged", version: v },
    });
    expect(noDate.status).toBe(422);
    await step("departure_arranged", { departureDate: "2026-12-01" });
    expect((await step("departed")).status).toBe("departed");
    const bad = await call("POST", `/api/resettlement/${s.submissionID}/transition`, {
      token: cw,
      body: { to: "submitted", version: v },
    });
    expect(bad.json.code).toBe("submission.transition");
  });

  it("refuses a rejection or deferral without a reason", async () => {
    const op = await createTestOperation();
    const [p] = await people(op, [{ age: 30, relationshipToHead: "head" }]);
    const c = await caseWith(op, "resettlement", [p!.individualID]);
    const s = await as(op.users.caseworker.actor, () =>
      Resettlement.create({ ...base, caseID: c.caseID } as never),
    );
    const r = await call("POST", `/api/resettlement/${s.submissionID}/transition`, {
      token: op.users.caseworker.token,
      body: { to: "withdrawn", version: 1 },
    });
    expect(r.status).toBe(422);
    expect(r.json.errors?.[0]?.path ?? r.json.issues?.[0]?.path).toBe("reason");
  });

  it("flags biodata changed after submission and blocks the next step until a reviewer resolves it", async () => {
    const op = await createTestOperation();
    const [p] = await people(op, [{ age: 33, relationshipToHead: "head" }]);
    const c = await caseWith(op, "resettlement", [p!.individualID]);
    const cw = op.users.caseworker.token;
    const s = (await call("POST", "/api/resettlement", { token: cw, body: { ...base, caseID: c.caseID } }))
      .json;
    const v0 = await toDrafted(cw, s.submissionID);
    const rec = await call("POST", `/api/resettlement/${s.submissionID}/review`, {
      token: op.users.supervisor.token,
      body: { decision: "recommend", comment: "Complete file", version: v0 },
    });
    expect(rec.status, JSON.stringify(rec.json)).toBe(200);
    const sub = await call("POST", `/api/resettlement/${s.submissionID}/transition`, {
      token: cw,
      body: { to: "submitted", version: rec.json.version },
    });
    expect(sub.status, JSON.stringify(sub.json)).toBe(200);
    // someone changes the date of birth after the file went to the country
    await as(op.users.caseworker.actor, async () => {
      const cur = await Individual.get(p!.individualID);
      await Individual.patch(p!.individualID, cur.version, { dateOfBirth: "1990-01-01" });
    });
    const acc = await call("POST", `/api/resettlement/${s.submissionID}/transition`, {
      token: cw,
      body: { to: "accepted", version: sub.json.version, reason: "Accepted by the country" },
    });
    expect(acc.status).toBe(422);
    expect(acc.json.code).toBe("submission.flagged");
    const flagged = (await call("GET", `/api/resettlement/${s.submissionID}`, { token: cw })).json;
    expect(flagged.openFlags).toBe(1);
    expect(flagged.flags[0]).toMatchObject({
      kind: "biodata_changed",
      status: "open",
      individualID: p!.individualID,
    });
    expect(flagged.flags[0].detail).toContain("dateOfBirth");
    expect(flagged.flags[0].detail).not.toContain("1990");
    const again = await call("POST", `/api/resettlement/${s.submissionID}/transition`, {
      token: cw,
      body: { to: "accepted", version: flagged.version, reason: "Accepted by the country" },
    });
    expect(again.json.code).toBe("submission.flagsOpen");
    const cwResolve = await call(
      "POST",
      `/api/resettlement/${s.submissionID}/flags/${flagged.flags[0].flagID}/resolve`,
      {
        token: cw,
        body: { outcome: "cleared", note: "Typo corrected from passport", version: flagged.version },
      },
    );
    expect(cwResolve.status).toBe(403);
    const resolved = await call(
      "POST",
      `/api/resettlement/${s.submissionID}/flags/${flagged.flags[0].flagID}/resolve`,
      {
        token: op.users.supervisor.token,
        body: { outcome: "corrected", note: "Typo corrected from passport", version: flagged.version },
      },
    );
    expect(resolved.json.openFlags).toBe(0);
    const ok = await call("POST", `/api/resettlement/${s.submissionID}/transition`, {
      token: cw,
      body: { to: "accepted", version: resolved.json.version, reason: "Accepted by the country" },
    });
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
  });

  it("flags family composition changes and duplicate candidates", async () => {
    const op = await createTestOperation();
    const [p, newborn] = await people(op, [
      { age: 29, relationshipToHead: "head" },
      { age: 25, relationshipToHead: "spouse" },
    ]);
    const c = await caseWith(op, "resettlement", [p!.individualID]);
    const cw = op.users.caseworker;
    // a second registration of the same person (same passport) outside the submission
    const twin = await as(op.users.supervisor.actor, async () => {
      const cur = await Individual.get(p!.individualID);
      await Individual.patch(p!.individualID, cur.version, {
        documents: [{ type: "passport", number: "HN998877", country: "HND" }],
      } as never);
      return Individual.create(
        {
          officeID: op.officeA,
          givenName: cur.givenName,
          familyName: cur.familyName,
          sex: cur.sex,
          dateOfBirth: cur.dateOfBirth,
          nationality: "HND",
          documents: [{ type: "passport", number: "HN998877", country: "HND" }],
        } as never,
        { overrideDuplicates: { reason: "test: second registration" } },
      ).catch((e) => {
        throw new Error(JSON.stringify(e.issues));
      });
    });
    const s = await as(cw.actor, () => Resettlement.create({ ...base, caseID: c.caseID } as never));
    const screened = await as(cw.actor, () => Resettlement.screenNow(s.submissionID));
    expect(screened.flags.map((f) => f.kind)).toContain("duplicate_candidate");
    expect(screened.flags.find((f) => f.kind === "duplicate_candidate")!.detail).toContain(
      twin.record.individualID,
    );
    // screening twice raises nothing new
    const again = await as(cw.actor, () => Resettlement.screenNow(s.submissionID));
    expect(again.flags.length).toBe(screened.flags.length);
    // family composition: snapshot members vs case members
    const { Case } = await import("@waypoint/core");
    const sup = op.users.supervisor.actor;
    let cur = again;
    for (const f of cur.flags)
      cur = await as(sup, () =>
        Resettlement.resolveFlag({
          submissionID: s.submissionID,
          flagID: f.flagID,
          outcome: "cleared",
          note: "Known double registration, merged",
          version: cur.version,
        }),
      );
    for (const to of ["interviewed", "drafted"])
      cur = await as(cw.actor, () =>
        Resettlement.transition({ submissionID: s.submissionID, to: to as never, version: cur.version }),
      );
    cur = await as(sup, () =>
      Resettlement.review({
        submissionID: s.submissionID,
        decision: "recommend",
        comment: "fine",
        version: cur.version,
      }),
    );
    cur = await as(cw.actor, () =>
      Resettlement.transition({ submissionID: s.submissionID, to: "submitted", version: cur.version }),
    );
    const cc = await as(cw.actor, () => Case.get(c.caseID));
    await as(cw.actor, () =>
      Case.patch({
        caseID: c.caseID,
        version: cc.version,
        changes: { individualIDs: [p!.individualID, newborn!.individualID] },
      }),
    );
    await expect(
      as(cw.actor, () =>
        Resettlement.transition({
          submissionID: s.submissionID,
          to: "accepted",
          reason: "Accepted by the country",
          version: cur.version,
        }),
      ),
    ).rejects.toMatchObject({ code: "submission.flagged" });
    const after = await as(cw.actor, () => Resettlement.get(s.submissionID));
    expect(after.flags.filter((f) => f.status === "open").map((f) => f.kind)).toEqual([
      "family_composition_changed",
    ]);
  });

  it("computes quota progress per country and programme against targets", async () => {
    const op = await createTestOperation();
    const ppl = await people(op, [
      { age: 30, relationshipToHead: "head" },
      { age: 31, relationshipToHead: "head" },
      { age: 20, relationshipToHead: "spouse" },
    ]);
    const admin = op.users.admin.actor;
    const cw = op.users.caseworker.actor;
    await as(admin, () =>
      Quota.set({ year: 2026, country: "CAN", programme: "rst", quotaIndividuals: 100, targetCases: 10 }),
    );
    await expect(
      as(op.users.supervisor.actor, () =>
        Quota.set({ year: 2026, country: "CAN", programme: "rst", quotaIndividuals: 5 }),
      ),
    ).rejects.toMatchObject({ status: 403 });
    const c1 = await caseWith(op, "resettlement", [ppl[0]!.individualID, ppl[2]!.individualID]);
    const c2 = await caseWith(op, "resettlement", [ppl[1]!.individualID]);
    const s1 = await as(cw, () => Resettlement.create({ ...base, caseID: c1.caseID } as never));
    await as(cw, () => Resettlement.create({ ...base, caseID: c2.caseID } as never));
    let cur = s1;
    for (const to of ["interviewed", "drafted"])
      cur = await as(cw, () =>
        Resettlement.transition({ submissionID: s1.submissionID, to: to as never, version: cur.version }),
      );
    cur = await as(op.users.supervisor.actor, () =>
      Resettlement.review({
        submissionID: s1.submissionID,
        decision: "recommend",
        comment: "fine",
        version: cur.version,
      }),
    );
    cur = await as(cw, () =>
      Resettlement.transition({ submissionID: s1.submissionID, to: "submitted", version: cur.version }),
    );
    cur = await as(cw, () =>
      Resettlement.transition({
        submissionID: s1.submissionID,
        to: "accepted",
        reason: "yes",
        version: cur.version,
      }),
    );
    const res = await call("GET", "/api/quotas/progress?year=2026", { token: op.users.viewer.token });
    expect(res.status).toBe(200);
    expect(res.json.items).toEqual([
      expect.objectContaining({
        country: "CAN",
        programme: "rst",
        quotaIndividuals: 100,
        targetCases: 10,
        pipeline: { cases: 1, individuals: 1 },
        submitted: { cases: 1, individuals: 2 },
        accepted: { cases: 1, individuals: 2 },
        departed: { cases: 0, individuals: 0 },
        quotaUsed: 0,
      }),
    ]);
  });

  it("books the selection-mission interview through appointments", async () => {
    const op = await createTestOperation();
    const [p] = await people(op, [{ age: 45, relationshipToHead: "head" }]);
    const c = await caseWith(op, "resettlement", [p!.individualID]);
    const s = await as(op.users.caseworker.actor, () =>
      Resettlement.create({ ...base, caseID: c.caseID } as never),
    );
    const body = { room: "Mission room 1", start: "2026-12-03T15:00:00Z", end: "2026-12-03T16:00:00Z" };
    const a = await call("POST", `/api/resettlement/${s.submissionID}/interview`, {
      token: op.users.caseworker.token,
      body,
    });
    expect(a.status, JSON.stringify(a.json)).toBe(200);
    expect(a.json).toMatchObject({
      kind: "selection_mission",
      caseID: c.caseID,
      participants: [p!.individualID],
    });
    const clash = await call("POST", `/api/resettlement/${s.submissionID}/interview`, {
      token: op.users.caseworker.token,
      body,
    });
    expect(clash.status).toBe(409);
  });
});
