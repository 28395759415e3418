import { describe, expect, it } from "vitest";
import { Job } from "@waypoint/core";
import { JobEntity } from "@waypoint/core/job/job.entity";
import { as, call, createTestOperation, system, type TestOperation } from "../support/fixtures.ts";
import { caseWith, people } from "../support/programmes.ts";

/** The job an individual's biodata change leaves (core/resettlement/jobs.ts). */
const RESCREEN = "resettlement.rescreen";

async function jobsFor(individualID: string) {
  const rows = (await JobEntity.query.due({ lane: "jobs", state: "pending" }).go({ pages: "all" })).data;
  return rows.filter((j) => j.kind === RESCREEN && j.ref === individualID);
}

/** Runs the rescreen jobs as the stack's runner would, until none of these people is left (other files share the queue). */
async function runJobs(...individualIDs: string[]) {
  for (let i = 0; i < 5; i++) {
    await as(system, () => Job.run({ kinds: [RESCREEN], limit: 1000 }));
    const left = (await Promise.all(individualIDs.map(jobsFor))).flat();
    if (left.length === 0) return;
  }
  throw new Error("rescreen jobs left pending");
}

const base = { programme: "rst", country: "CAN", quotaYear: 2026, primaryCategory: "LPN" };

/** A two-person submission of a new case, moved as far as `to` (submitted: with the country, snapshot taken). */
async function submission(op: TestOperation, to: "identified" | "submitted") {
  const cw = op.users.caseworker.token;
  const ppl = await people(op, [
    { age: 41, relationshipToHead: "head" },
    { age: 37, relationshipToHead: "spouse" },
  ]);
  const c = await caseWith(
    op,
    "resettlement",
    ppl.map((p) => p.individualID),
  );
  const s = (await call("POST", "/api/resettlement", { token: cw, body: { ...base, caseID: c.caseID } }))
    .json;
  let v = s.version as number;
  if (to === "submitted") {
    const step = async (path: string, token: string, body: object) => {
      const r = await call("POST", `/api/resettlement/${s.submissionID}/${path}`, {
        token,
        body: { ...body, version: v },
      });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      v = r.json.version;
    };
    await step("transition", cw, { to: "interviewed" });
    await step("transition", cw, { to: "drafted" });
    await step("review", op.users.supervisor.token, { decision: "recommend", comment: "Complete" });
    await step("transition", cw, { to: "submitted" });
  }
  return { submissionID: s.submissionID as string, ppl };
}

async function rename(op: TestOperation, individualID: string, changes: Record<string, unknown>) {
  const cw = op.users.caseworker.token;
  const p = (await call("GET", `/api/individuals/${individualID}`, { token: cw })).json;
  const r = await call("PATCH", "/api/individuals", {
    token: cw,
    body: { rows: [{ id: individualID, version: p.version, changes }] },
  });
  expect(r.json.results[0].status, JSON.stringify(r.json)).toBe("saved");
}

type Listed = {
  submissionID: string;
  openFlags: number;
  flags: { kind: string; fields?: string[]; individualID?: string }[];
};

describe("a biodata change flags the submission the country holds, without waiting for its next step", () => {
  it("a person on a submitted case on a selection mission gets a new name and date of birth: the flag shows in the submission list the mission page reads and in the reviewer's queue", async () => {
    const op = await createTestOperation();
    const cw = op.users.caseworker.token;
    const held = await submission(op, "submitted");
    const preparing = await submission(op, "identified");
    const mission = await call("POST", "/api/selection-missions", {
      token: cw,
      body: {
        country: "CAN",
        location: "Tecún Umán field office",
        startDate: "2026-03-10",
        endDate: "2026-03-14",
        submissionIDs: [held.submissionID, preparing.submissionID],
      },
    });
    expect(mission.status, JSON.stringify(mission.json)).toBe(200);

    const spouse = held.ppl[1]!.individualID;
    const other = preparing.ppl[0]!.individualID;
    await rename(op, spouse, { givenName: "Renombrada", dateOfBirth: "1988-07-01" });
    // a change in a submission still in preparation: the country has nothing yet, its snapshot is taken later
    await rename(op, other, { familyName: "Cambiado" });
    await runJobs(spouse, other);

    // the list the mission page reads (its cases are the submissions to its country)
    const listed = (await call("GET", "/api/resettlement?country=CAN&limit=500", { token: cw })).json
      .items as Listed[];
    const onMission = (id: string) => listed.find((s) => s.submissionID === id)!;
    expect(onMission(held.submissionID).openFlags).toBe(1);
    expect(onMission(held.submissionID).flags).toEqual([
      expect.objectContaining({
        kind: "biodata_changed",
        individualID: spouse,
        fields: ["givenName", "dateOfBirth"],
      }),
    ]);
    expect(onMission(preparing.submissionID)).toMatchObject({ openFlags: 0, flags: [] });

    // the reviewing officer's queue lists it
    const queue = (await call("GET", "/api/work/queue", { token: op.users.supervisor.token })).json;
    const flagged = (queue.flagged as { submissionID: string; openFlags: { kind: string }[] }[]).find(
      (f) => f.submissionID === held.submissionID,
    );
    expect(flagged?.openFlags.map((f) => f.kind)).toEqual(["biodata_changed"]);

    // the flag is kept by what it saw: the same value saved again leaves no job, screening again raises nothing
    await rename(op, spouse, { dateOfBirth: "1988-07-01" });
    expect(await jobsFor(spouse)).toEqual([]); // the same value: nothing changed, no job
    const again = await call("POST", `/api/resettlement/${held.submissionID}/screen`, {
      token: cw,
      body: {},
    });
    expect(again.json.flags).toHaveLength(1);
    // a further change is a new fact: a new flag
    await rename(op, spouse, { sex: "female" });
    await runJobs(spouse);
    const after = (await call("GET", `/api/resettlement/${held.submissionID}`, { token: cw })).json as Listed;
    expect(after.openFlags).toBe(2);
    expect(after.flags[1]).toMatchObject({ kind: "biodata_changed", individualID: spouse });
  }, 180_000);

  it("a change that is not biodata (a phone number) leaves no job and no flag", async () => {
    const op = await createTestOperation();
    const held = await submission(op, "submitted");
    await rename(op, held.ppl[0]!.individualID, { phone: "+50255501234" });
    expect(await jobsFor(held.ppl[0]!.individualID)).toEqual([]);
    await runJobs(held.ppl[0]!.individualID);
    const s = (
      await call("GET", `/api/resettlement/${held.submissionID}`, { token: op.users.caseworker.token })
    ).json as Listed;
    expect(s.openFlags).toBe(0);
  }, 180_000);
});
