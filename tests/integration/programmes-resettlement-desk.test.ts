import { describe, expect, it } from "vitest";
import { call, createTestOperation, type TestOperation } from "../support/fixtures.ts";
import { caseWith, people } from "../support/programmes.ts";

const base = { programme: "rst", country: "CAN", quotaYear: 2026, primaryCategory: "LPN" };

async function submission(op: TestOperation, country = "CAN") {
  const ppl = await people(op, [
    { age: 40, relationshipToHead: "head" },
    { age: 38, relationshipToHead: "spouse" },
  ]);
  const c = await caseWith(
    op,
    "resettlement",
    ppl.map((p) => p.individualID),
  );
  const r = await call("POST", "/api/resettlement", {
    token: op.users.caseworker.token,
    body: { ...base, country, caseID: c.caseID },
  });
  expect(r.status).toBe(201);
  return { s: r.json, c, ppl };
}

const patch = (token: string, id: string, version: number, changes: unknown) =>
  call("PATCH", "/api/resettlement", { token, body: { rows: [{ id, version, changes }] } });
const get = (token: string, id: string) => call("GET", `/api/resettlement/${id}`, { token });

describe("the submission as a form: sections and interview notes", () => {
  it("writes one section at a time, keeps the others, and refuses an unknown section by its field path", async () => {
    const op = await createTestOperation();
    const cw = op.users.caseworker.token;
    const { s } = await submission(op);
    const one = await patch(cw, s.submissionID, 1, { sections: { protectionNeeds: "Threatened by a gang" } });
    expect(one.json.results[0].status).toBe("saved");
    const two = await patch(cw, s.submissionID, 2, { sections: { flightHistory: "Left in March" } });
    expect(two.json.results[0].status).toBe("saved");
    expect((await get(cw, s.submissionID)).json.sections).toEqual({
      protectionNeeds: "Threatened by a gang",
      flightHistory: "Left in March",
    });
    const bad = await patch(cw, s.submissionID, 3, { sections: { favouriteColour: "blue" } });
    expect(bad.json.results[0].status).toBe("invalid");
    expect(bad.json.results[0].issues[0].path).toContain("sections");
    const stored = (await get(cw, s.submissionID)).json;
    expect(stored.version).toBe(3);
    expect(stored.sections).not.toHaveProperty("favouriteColour");
  }, 120_000);

  it("clears a section given as empty text; once reviewed, the sections are fixed", async () => {
    const op = await createTestOperation();
    const cw = op.users.caseworker.token;
    const { s } = await submission(op);
    await patch(cw, s.submissionID, 1, {
      sections: { medicalNeeds: "Diabetes", resettlementNeed: "No future here" },
    });
    await patch(cw, s.submissionID, 2, { sections: { medicalNeeds: "  " } });
    expect((await get(cw, s.submissionID)).json.sections).toEqual({ resettlementNeed: "No future here" });
    let v = 3;
    for (const to of ["interviewed", "drafted"]) {
      const r = await call("POST", `/api/resettlement/${s.submissionID}/transition`, {
        token: cw,
        body: { to, version: v },
      });
      v = r.json.version;
    }
    const rec = await call("POST", `/api/resettlement/${s.submissionID}/review`, {
      token: op.users.supervisor.token,
      body: { decision: "recommend", comment: "Complete", version: v },
    });
    expect(rec.json.status).toBe("recommended");
    const locked = await patch(cw, s.submissionID, rec.json.version, {
      sections: { medicalNeeds: "Asthma" },
    });
    expect(locked.json.results[0]).toMatchObject({ status: "invalid" });
    expect(locked.json.results[0].issues[0].path).toBe("rows.0.changes.sections");
    expect((await get(cw, s.submissionID)).json.sections).toEqual({ resettlementNeed: "No future here" });
  }, 120_000);

  it("records interview notes with a past date; a future date or a short note is refused on its field and nothing is stored", async () => {
    const op = await createTestOperation();
    const cw = op.users.caseworker.token;
    const { s } = await submission(op);
    const future = await call("POST", `/api/resettlement/${s.submissionID}/interview-notes`, {
      token: cw,
      body: { date: "2999-01-01", text: "Talked about the threats", version: 1 },
    });
    expect(future.status).toBe(422);
    expect(future.json.errors.map((e: { path: string }) => e.path)).toContain("date");
    const short = await call("POST", `/api/resettlement/${s.submissionID}/interview-notes`, {
      token: cw,
      body: { date: "2026-01-10", text: "x", version: 1 },
    });
    expect(short.json.errors.map((e: { path: string }) => e.path)).toContain("text");
    expect((await get(cw, s.submissionID)).json).toMatchObject({ version: 1 });
    expect((await get(cw, s.submissionID)).json.interviewNotes).toBeUndefined();

    const ok = await call("POST", `/api/resettlement/${s.submissionID}/interview-notes`, {
      token: cw,
      body: {
        date: "2026-01-10",
        language: "spa",
        text: "Both adults interviewed separately; consistent",
        version: 1,
      },
    });
    expect(ok.status).toBe(200);
    const stored = (await get(cw, s.submissionID)).json;
    expect(stored.interviewNotes).toHaveLength(1);
    expect(stored.interviewNotes[0]).toMatchObject({
      date: "2026-01-10",
      language: "spa",
      by: op.users.caseworker.userID,
    });
    // a viewer reads the submission but may not add to it
    const viewer = await call("POST", `/api/resettlement/${s.submissionID}/interview-notes`, {
      token: op.users.viewer.token,
      body: { date: "2026-01-11", text: "A note by a viewer", version: stored.version },
    });
    expect(viewer.status).toBe(403);
    expect((await get(cw, s.submissionID)).json.interviewNotes).toHaveLength(1);
  }, 120_000);

  it("the writer of an interview note is one of its shapers: a supervisor who wrote a note may not review it", async () => {
    const op = await createTestOperation();
    const cw = op.users.caseworker.token;
    const sup = op.users.supervisor.token;
    const { s } = await submission(op);
    const n = await call("POST", `/api/resettlement/${s.submissionID}/interview-notes`, {
      token: sup,
      body: { date: "2026-01-10", text: "Interviewed the head of family", version: 1 },
    });
    let v = n.json.version;
    for (const to of ["interviewed", "drafted"]) {
      const r = await call("POST", `/api/resettlement/${s.submissionID}/transition`, {
        token: cw,
        body: { to, version: v },
      });
      v = r.json.version;
    }
    const review = await call("POST", `/api/resettlement/${s.submissionID}/review`, {
      token: sup,
      body: { decision: "recommend", comment: "Fine", version: v },
    });
    expect(review.status).toBe(422);
    expect(review.json.code).toBe("submission.ownReview");
    expect((await get(cw, s.submissionID)).json.status).toBe("drafted");
  }, 120_000);

  it("the desk names the staff who acted on the submission and gives the case number", async () => {
    const op = await createTestOperation();
    const { s, c } = await submission(op);
    const d = await call("GET", `/api/resettlement/${s.submissionID}/desk`, {
      token: op.users.supervisor.token,
    });
    expect(d.status).toBe(200);
    expect(d.json.caseNumber).toBe(c.caseNumber);
    expect(d.json.staff[op.users.caseworker.userID]).toMatch(/^caseworker /);
    const other = await call("GET", `/api/resettlement/${s.submissionID}/desk`, {
      token: op.caseworkerB.token,
    });
    expect([403, 404]).toContain(other.status);
  }, 120_000);
});

describe("integrity flags as the submission page shows them", () => {
  it("a biodata flag names the changed fields; its resolution's reason is in the history, which shows no staff IDs", async () => {
    const op = await createTestOperation();
    const cw = op.users.caseworker.token;
    const sup = op.users.supervisor.token;
    const { s, ppl } = await submission(op);
    let v = 1;
    for (const to of ["interviewed", "drafted"]) {
      v = (
        await call("POST", `/api/resettlement/${s.submissionID}/transition`, {
          token: cw,
          body: { to, version: v },
        })
      ).json.version;
    }
    v = (
      await call("POST", `/api/resettlement/${s.submissionID}/review`, {
        token: sup,
        body: { decision: "recommend", comment: "Complete", version: v },
      })
    ).json.version;
    v = (
      await call("POST", `/api/resettlement/${s.submissionID}/transition`, {
        token: cw,
        body: { to: "submitted", version: v },
      })
    ).json.version;
    const p = (await call("GET", `/api/individuals/${ppl[1]!.individualID}`, { token: cw })).json;
    await call("PATCH", "/api/individuals", {
      token: cw,
      body: {
        rows: [{ id: p.individualID, version: p.version, changes: { givenName: "Renamed", sex: "female" } }],
      },
    });
    const refused = await call("POST", `/api/resettlement/${s.submissionID}/transition`, {
      token: cw,
      body: { to: "accepted", version: v, reason: "Accepted by the country" },
    });
    expect(refused.json.code).toBe("submission.flagged");
    const flagged = (await get(cw, s.submissionID)).json;
    expect(flagged.flags[0]).toMatchObject({ kind: "biodata_changed", fields: ["givenName", "sex"] });
    const resolved = await call(
      "POST",
      `/api/resettlement/${s.submissionID}/flags/${flagged.flags[0].flagID}/resolve`,
      {
        token: sup,
        body: {
          outcome: "cleared",
          note: "Name and sex corrected from the passport",
          version: flagged.version,
        },
      },
    );
    expect(resolved.status).toBe(200);
    const history = (await call("GET", `/api/audit?recordId=${s.submissionID}`, { token: sup })).json
      .items as {
      action: string;
      reason?: string;
      changes?: Record<string, unknown>;
    }[];
    expect(history.find((h) => h.action === "flag.cleared")).toMatchObject({
      reason: "Name and sex corrected from the passport",
      changes: { openFlags: { before: 1, after: 0 } },
    });
    expect(JSON.stringify(history.map((h) => h.changes ?? {}))).not.toMatch(/usr_[0-9A-Z]{26}/);
  }, 120_000);
});

describe("selection missions", () => {
  it("plans a mission with its delegation and cases; bad dates or a case to another country are refused on their field and nothing is stored", async () => {
    const op = await createTestOperation();
    const cw = op.users.caseworker.token;
    const { s } = await submission(op, "CAN");
    const { s: usa } = await submission(op, "USA");
    const mission = {
      country: "CAN",
      location: "Tapachula office",
      startDate: "2026-03-10",
      endDate: "2026-03-14",
      delegation: [{ name: "Claire Tremblay", role: "IRCC officer" }],
      submissionIDs: [s.submissionID],
    };
    const backwards = await call("POST", "/api/selection-missions", {
      token: cw,
      body: { ...mission, endDate: "2026-03-01" },
    });
    expect(backwards.status).toBe(422);
    expect(backwards.json.errors[0].path).toBe("endDate");
    const wrong = await call("POST", "/api/selection-missions", {
      token: cw,
      body: { ...mission, submissionIDs: [s.submissionID, usa.submissionID] },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.json.errors[0].path).toBe("submissionIDs.1");
    const noName = await call("POST", "/api/selection-missions", {
      token: cw,
      body: { ...mission, delegation: [{ name: "" }] },
    });
    expect(noName.json.errors[0].path).toBe("delegation.0.name");
    expect((await call("GET", "/api/selection-missions", { token: cw })).json.items).toEqual([]);

    const made = await call("POST", "/api/selection-missions", { token: cw, body: mission });
    expect(made.status).toBe(200);
    expect(made.json).toMatchObject({ officeID: op.officeA, programme: "rst", version: 1 });
    const listed = (await call("GET", "/api/selection-missions", { token: op.users.supervisor.token })).json
      .items;
    expect(listed.map((m: { missionID: string }) => m.missionID)).toEqual([made.json.missionID]);
    // the desk of the submission shows the mission it is on
    const desk = await call("GET", `/api/resettlement/${s.submissionID}/desk`, { token: cw });
    expect(desk.json.missions).toEqual([
      {
        missionID: made.json.missionID,
        location: "Tapachula office",
        startDate: "2026-03-10",
        endDate: "2026-03-14",
      },
    ]);
    // the mission's history records its creation
    const history = await call("GET", `/api/audit?recordId=${made.json.missionID}`, {
      token: op.users.supervisor.token,
    });
    expect(history.json.items.map((h: { action: string }) => h.action)).toContain("create");
  }, 120_000);

  it("a viewer may not plan one and another office's caseworker does not see it", async () => {
    const op = await createTestOperation();
    const { s } = await submission(op, "CAN");
    const body = {
      country: "CAN",
      location: "Tapachula",
      startDate: "2026-03-10",
      endDate: "2026-03-14",
      submissionIDs: [s.submissionID],
    };
    const viewer = await call("POST", "/api/selection-missions", { token: op.users.viewer.token, body });
    expect(viewer.status).toBe(403);
    const made = await call("POST", "/api/selection-missions", { token: op.users.caseworker.token, body });
    const b = await call("GET", `/api/selection-missions/${made.json.missionID}`, {
      token: op.caseworkerB.token,
    });
    expect(b.status).toBe(403);
    expect(
      (await call("GET", "/api/selection-missions", { token: op.caseworkerB.token })).json.items,
    ).toEqual([]);
    // caseworker B cannot put a submission of office A they cannot read on their own mission
    const stolen = await call("POST", "/api/selection-missions", {
      token: op.caseworkerB.token,
      body: { ...body, officeID: op.officeB },
    });
    expect(stolen.status).toBe(422);
    expect(stolen.json.errors[0].path).toBe("submissionIDs.0");
  }, 120_000);

  it("books interviews within the mission's dates for its cases; the schedule lists them with the people by name", async () => {
    const op = await createTestOperation();
    const cw = op.users.caseworker.token;
    const { s, ppl } = await submission(op, "CAN");
    const { s: other } = await submission(op, "CAN");
    const m = (
      await call("POST", "/api/selection-missions", {
        token: cw,
        body: {
          country: "CAN",
          location: "Tapachula",
          startDate: "2026-03-10",
          endDate: "2026-03-14",
          submissionIDs: [s.submissionID],
        },
      })
    ).json;
    const outside = await call("POST", `/api/selection-missions/${m.missionID}/interviews`, {
      token: cw,
      body: {
        submissionID: s.submissionID,
        room: "Sala 1",
        start: "2026-03-20T15:00:00Z",
        end: "2026-03-20T16:00:00Z",
      },
    });
    expect(outside.status).toBe(422);
    expect(outside.json.errors[0].path).toBe("start");
    const notOn = await call("POST", `/api/selection-missions/${m.missionID}/interviews`, {
      token: cw,
      body: {
        submissionID: other.submissionID,
        room: "Sala 1",
        start: "2026-03-11T15:00:00Z",
        end: "2026-03-11T16:00:00Z",
      },
    });
    expect(notOn.json.errors[0].path).toBe("submissionID");
    expect(
      (await call("GET", `/api/selection-missions/${m.missionID}/schedule`, { token: cw })).json.items,
    ).toEqual([]);

    const booked = await call("POST", `/api/selection-missions/${m.missionID}/interviews`, {
      token: cw,
      body: {
        submissionID: s.submissionID,
        room: "Sala 1",
        start: "2026-03-11T15:00:00Z",
        end: "2026-03-11T16:00:00Z",
      },
    });
    expect(booked.status).toBe(200);
    expect(booked.json.kind).toBe("selection_mission");
    const schedule = (await call("GET", `/api/selection-missions/${m.missionID}/schedule`, { token: cw }))
      .json.items;
    expect(schedule).toHaveLength(1);
    expect(schedule[0]).toMatchObject({
      submissionID: s.submissionID,
      room: "Sala 1",
      start: "2026-03-11T15:00:00Z",
    });
    // everyone of the case, by name (the order is not part of the contract)
    expect(schedule[0].people.map((p: { name: string }) => p.name).sort()).toEqual(
      ppl.map((p) => `${p.givenName} ${p.familyName}`).sort(),
    );
  }, 120_000);

  it("changes dates and cases at the version read; a change that would end before it starts is refused", async () => {
    const op = await createTestOperation();
    const cw = op.users.caseworker.token;
    const { s } = await submission(op, "CAN");
    const m = (
      await call("POST", "/api/selection-missions", {
        token: cw,
        body: { country: "CAN", location: "Tapachula", startDate: "2026-03-10", endDate: "2026-03-14" },
      })
    ).json;
    const bad = await call("PATCH", `/api/selection-missions/${m.missionID}`, {
      token: cw,
      body: { version: 1, changes: { startDate: "2026-03-20" } },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0].path).toBe("changes.endDate");
    const ok = await call("PATCH", `/api/selection-missions/${m.missionID}`, {
      token: cw,
      body: { version: 1, changes: { endDate: "2026-03-16", submissionIDs: [s.submissionID] } },
    });
    expect(ok.json).toMatchObject({ version: 2, endDate: "2026-03-16", submissionIDs: [s.submissionID] });
    const stale = await call("PATCH", `/api/selection-missions/${m.missionID}`, {
      token: cw,
      body: { version: 1, changes: { location: "Elsewhere" } },
    });
    expect(stale.status).toBe(409);
    expect((await call("GET", `/api/selection-missions/${m.missionID}`, { token: cw })).json.location).toBe(
      "Tapachula",
    );
  }, 120_000);
});
