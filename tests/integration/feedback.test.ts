import { beforeAll, describe, expect, it } from "vitest";
import { AuditEntity } from "../../packages/core/src/audit/audit.entity.ts";
import { ESCALATE_JOB } from "../../packages/core/src/feedback/index.ts";
import { Feedback, Individual, Job, Operation } from "@waypoint/core";
import { as, call, createTestOperation, system, type TestOperation } from "../support/fixtures.ts";
import { extraUser } from "../support/programmes.ts";

/** Feedback and complaints and protection monitoring through the staff API (issue 20, points 4 and 7). */
let op: TestOperation;
let focal: Awaited<ReturnType<typeof extraUser>>;
const uid = () => Math.random().toString(36).slice(2, 8);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

const auditOf = async (recordID: string) =>
  (await AuditEntity.query.byRecord({ recordID }).go({ pages: "all" })).data;

/** Every complaint of the operation, as the system sees them (the store, not a caller's view). */
const stored = () =>
  as({ ...system, operationID: op.operationID }, async () => (await Feedback.list({ limit: 500 })).items);

async function person(given: string) {
  const { record } = await as(op.users.caseworker.actor, () =>
    Individual.create(
      {
        givenName: given,
        familyName: `Tester${uid()}`,
        sex: "female",
        dateOfBirth: "1990-05-06",
        nationality: "HND",
        officeID: op.officeA,
      },
      { overrideDuplicates: { reason: "test fixture person" } },
    ),
  );
  return record;
}

const complaint = (over: Record<string, unknown> = {}) => ({
  officeID: op.officeA,
  channel: "hotline",
  category: "service_quality",
  receivedOn: daysAgo(1),
  summary: "The distribution started two hours late and nobody explained why.",
  ...over,
});

beforeAll(async () => {
  op = await createTestOperation();
  focal = await extraUser(op, "caseworker", [op.officeB]);
  const saved = await call("PUT", "/api/feedback-settings", {
    token: op.users.admin.token,
    body: { version: 0, focalPoints: [focal.userID], deadlineDays: { information_request: 3 } },
  });
  expect(saved.status).toBe(200);
  expect(saved.json.focalPoints).toEqual([focal.userID]);
});

describe("feedback and complaints", () => {
  it("a complaint in a sensitive category is a 404 to anyone but the focal points, in lists and by ID; their reads are audited", async () => {
    const res = await call("POST", "/api/feedback", {
      token: op.users.supervisor.token,
      body: complaint({
        category: "sexual_exploitation_abuse",
        summary: "A driver asked for sex in exchange for a seat",
      }),
    });
    expect(res.status).toBe(201);
    // the supervisor who took the call is not a focal point: only the number comes back
    expect(res.json).toMatchObject({ sensitive: true, visible: false });
    expect(res.json.feedbackID).toBeUndefined();
    expect(res.text).not.toContain("driver");
    const id = (await stored()).find((f) => f.number === res.json.number)!.feedbackID;

    for (const token of [
      op.users.supervisor.token,
      op.users.admin.token,
      op.users.caseworker.token,
      op.caseworkerB.token,
      op.users.viewer.token,
    ]) {
      const one = await call("GET", `/api/feedback/${id}`, { token });
      expect(one.status).toBe(404);
      expect(one.text).not.toContain("driver");
      const list = await call("GET", "/api/feedback?limit=500", { token });
      expect((list.json?.items ?? []).map((f: { feedbackID: string }) => f.feedbackID)).not.toContain(id);
      const edit = await call("PATCH", `/api/feedback/${id}`, {
        token,
        body: { version: 1, changes: { summary: "overwritten" } },
      });
      expect(edit.status).toBe(404);
    }
    // (the fixture's own reads as the system are audited too; no person read it)
    expect(
      (await auditOf(id)).filter((a) => a.action === "read" && !a.actorID.startsWith("system:")),
    ).toHaveLength(0);

    // the focal point (a caseworker of another office) sees it, by ID and in the list, and each read is audited
    const one = await call("GET", `/api/feedback/${id}`, { token: focal.token });
    expect(one.status).toBe(200);
    expect(one.json.summary).toContain("driver");
    const list = await call("GET", "/api/feedback?limit=500", { token: focal.token });
    expect(list.json.items.map((f: { feedbackID: string }) => f.feedbackID)).toContain(id);
    const reads = (await auditOf(id)).filter((a) => a.action === "read" && !a.actorID.startsWith("system:"));
    expect(reads.map((a) => a.actorID)).toEqual([focal.userID, focal.userID]);
    expect(reads.every((a) => a.restricted)).toBe(true);
    // and only a focal point may be given it
    const assign = await call("PATCH", `/api/feedback/${id}`, {
      token: focal.token,
      body: { version: 1, changes: { assignedTo: op.users.caseworker.userID } },
    });
    expect(assign.status).toBe(422);
  });

  it("runs from intake to closure: assignment, the answer given to the person, closure with a reason", async () => {
    const res = await call("POST", "/api/feedback", { token: op.users.caseworker.token, body: complaint() });
    expect(res.status).toBe(201);
    expect(res.json.visible).toBe(true);
    const id = res.json.feedbackID;
    expect(res.json.record).toMatchObject({ status: "open", sensitive: false, dueOn: expect.any(String) });
    const assigned = await call("PATCH", `/api/feedback/${id}`, {
      token: op.users.supervisor.token,
      body: { version: 1, changes: { assignedTo: op.users.caseworker.userID } },
    });
    expect(assigned.status).toBe(200);
    const answered = await call("POST", `/api/feedback/${id}/response`, {
      token: op.users.caseworker.token,
      body: { version: 2, response: "We apologised and moved the distribution to 9:00." },
    });
    expect(answered.status).toBe(200);
    const stale = await call("POST", `/api/feedback/${id}/close`, {
      token: op.users.caseworker.token,
      body: { version: 2, reason: "resolved" },
    });
    expect(stale.status).toBe(409);
    const closed = await call("POST", `/api/feedback/${id}/close`, {
      token: op.users.caseworker.token,
      body: { version: 3, reason: "resolved", note: "Person satisfied" },
    });
    expect(closed.status).toBe(200);
    const now = (await stored()).find((f) => f.feedbackID === id)!;
    expect(now).toMatchObject({
      status: "closed",
      closureReason: "resolved",
      assignedTo: op.users.caseworker.userID,
      response: "We apologised and moved the distribution to 9:00.",
      version: 4,
    });
    expect((await auditOf(id)).map((a) => a.action).sort()).toEqual(["close", "create", "respond", "update"]);
    // the viewer's role does not handle complaints
    expect((await call("GET", `/api/feedback/${id}`, { token: op.users.viewer.token })).status).toBe(403);
  });

  it("applies a correction of the person's record only after a second person approves it", async () => {
    const p = await person("Mariya");
    const res = await call("POST", "/api/feedback", {
      token: op.users.caseworker.token,
      body: complaint({
        category: "data_correction",
        individualID: p.individualID,
        summary: "My name is misspelled",
      }),
    });
    const id = res.json.feedbackID;
    const asked = await call("POST", `/api/feedback/${id}/change-requests`, {
      token: op.users.caseworker.token,
      body: { version: 1, field: "givenName", to: "Maria" },
    });
    expect(asked.status).toBe(200);
    const req = asked.json.changeRequests[0];
    expect(req).toMatchObject({ field: "givenName", from: "Mariya", to: "Maria", status: "pending" });
    const unchanged = await as(op.users.supervisor.actor, () => Individual.get(p.individualID));
    expect(unchanged.givenName).toBe("Mariya");

    // the one who asked may not approve their own request
    const own = await call("POST", `/api/feedback/${id}/change-requests/${req.requestID}/decision`, {
      token: op.users.caseworker.token,
      body: { version: 2, decision: "approve", individualVersion: unchanged.version },
    });
    expect(own.status).toBe(422);
    expect(own.json.code).toBe("dataChange.ownRequest");
    expect((await as(op.users.supervisor.actor, () => Individual.get(p.individualID))).givenName).toBe(
      "Mariya",
    );

    const ok = await call("POST", `/api/feedback/${id}/change-requests/${req.requestID}/decision`, {
      token: op.users.supervisor.token,
      body: { version: 2, decision: "approve", individualVersion: unchanged.version },
    });
    expect(ok.status).toBe(200);
    const after = await as(op.users.supervisor.actor, () => Individual.get(p.individualID));
    expect(after.givenName).toBe("Maria");
    expect(after.version).toBe(unchanged.version + 1);
    const f = (await stored()).find((x) => x.feedbackID === id)!;
    expect(f.changeRequests[0]).toMatchObject({ status: "applied", decidedBy: op.users.supervisor.userID });
    expect(f.version).toBe(3);
    expect((await auditOf(id)).map((a) => a.action)).toContain("dataChange.approve");
    const personAudit = await auditOf(p.individualID);
    expect(personAudit.find((a) => a.action === "update")?.changes).toMatchObject({
      givenName: { before: "Mariya", after: "Maria" },
    });
  });

  it("refuses an approval when the person's record changed after the approver looked (conflict), and changes nothing", async () => {
    const p = await person("Yusra");
    const res = await call("POST", "/api/feedback", {
      token: op.users.caseworker.token,
      body: complaint({ category: "data_correction", individualID: p.individualID }),
    });
    const id = res.json.feedbackID;
    const asked = await call("POST", `/api/feedback/${id}/change-requests`, {
      token: op.users.caseworker.token,
      body: { version: 1, field: "dateOfBirth", to: "1990-06-05" },
    });
    const req = asked.json.changeRequests[0];
    const seen = await as(op.users.supervisor.actor, () => Individual.get(p.individualID));
    // an insider changes the record in between
    await as(op.users.caseworker.actor, () =>
      Individual.patch(p.individualID, seen.version, { phone: "+50499887766" }),
    );
    const res2 = await call("POST", `/api/feedback/${id}/change-requests/${req.requestID}/decision`, {
      token: op.users.supervisor.token,
      body: { version: 2, decision: "approve", individualVersion: seen.version },
    });
    expect(res2.status).toBe(409);
    const now = await as(op.users.supervisor.actor, () => Individual.get(p.individualID));
    expect(now.dateOfBirth).toBe("1990-05-06");
    const f = (await stored()).find((x) => x.feedbackID === id)!;
    expect(f.changeRequests[0]!.status).toBe("pending");
    expect(f.version).toBe(2);
    // looked at again, the approval goes through
    const again = await call("POST", `/api/feedback/${id}/change-requests/${req.requestID}/decision`, {
      token: op.users.supervisor.token,
      body: { version: 2, decision: "approve", individualVersion: now.version },
    });
    expect(again.status).toBe(200);
    expect((await as(op.users.supervisor.actor, () => Individual.get(p.individualID))).dateOfBirth).toBe(
      "1990-06-05",
    );
  });

  it("escalates an open complaint past its category's deadline through the scheduled job, and shows it in the queue", async () => {
    // the operation's deadline for information requests is 3 days (settings above)
    const late = await call("POST", "/api/feedback", {
      token: op.users.caseworker.token,
      body: complaint({ category: "information_request", receivedOn: daysAgo(5) }),
    });
    expect(late.json.record.dueOn).toBe(daysAgo(2));
    expect(late.json.record.overdue).toBe(true);
    const recent = await call("POST", "/api/feedback", {
      token: op.users.caseworker.token,
      body: complaint({ category: "information_request", receivedOn: daysAgo(1) }),
    });
    const closedLate = await call("POST", "/api/feedback", {
      token: op.users.caseworker.token,
      body: complaint({ category: "information_request", receivedOn: daysAgo(6) }),
    });
    await call("POST", `/api/feedback/${closedLate.json.feedbackID}/close`, {
      token: op.users.caseworker.token,
      body: { version: 1, reason: "answered" },
    });
    const ran = await as(system, () => Job.run({ kinds: [ESCALATE_JOB], limit: 500 }));
    expect(ran).toMatchObject({ retrying: 0, failed: 0 });

    const all = await stored();
    expect(all.find((f) => f.feedbackID === late.json.feedbackID)).toMatchObject({ status: "escalated" });
    expect(all.find((f) => f.feedbackID === recent.json.feedbackID)).toMatchObject({ status: "open" });
    expect(all.find((f) => f.feedbackID === closedLate.json.feedbackID)).toMatchObject({ status: "closed" });
    const queue = await call("GET", "/api/feedback?status=escalated", { token: op.users.supervisor.token });
    expect(queue.json.items.map((f: { feedbackID: string }) => f.feedbackID)).toEqual([late.json.feedbackID]);
    const audit = await auditOf(late.json.feedbackID);
    expect(audit.find((a) => a.action === "escalate")?.actorID).toContain("system:");
    // running the job again changes nothing
    await as(system, () => Feedback.escalate(late.json.feedbackID));
    expect((await auditOf(late.json.feedbackID)).filter((a) => a.action === "escalate")).toHaveLength(1);
  });

  it("a complaint from the public form lands in an office's queue: the office of the area given, else the operation's intake office, else its first office", async () => {
    const o = await createTestOperation();
    const code = (await as(system, () => Operation.list())).find(
      (x) => x.operationID === o.operationID,
    )!.code;
    const chiapas = await as({ ...system, operationID: o.operationID }, () =>
      Operation.createOffice({
        operationID: o.operationID,
        code: "CHS",
        name: "Comitán",
        adm1: "MX07",
        adm2: "MX07019",
      }),
    );
    const send = async (message: string, area?: string) => {
      const res = await call("POST", "/v1/public/feedback", {
        body: { operation: code, category: "service_quality", message, ...(area ? { area } : {}) },
        headers: { "x-forwarded-for": `198.51.100.${Math.floor(Math.random() * 200)}` },
      });
      expect(res.status).toBe(202);
      const all = await as(
        { ...system, operationID: o.operationID },
        async () => (await Feedback.list({ limit: 500 })).items,
      );
      return all.find((x) => x.summary === message)!;
    };
    // the area's district, then its region
    expect((await send("The queue at the office was very long", "MX07019")).officeID).toBe(chiapas.officeID);
    expect((await send("Nobody answered the hotline", "MX07089")).officeID).toBe(chiapas.officeID);
    // no area (or one no office covers): the first office, until the operation names its intake office
    expect((await send("The bus left without us")).officeID).toBe(chiapas.officeID);
    const cur = await call("GET", "/api/feedback-settings", { token: o.users.admin.token });
    const saved = await call("PUT", "/api/feedback-settings", {
      token: o.users.admin.token,
      body: { version: cur.json.version, focalPoints: [], intakeOfficeID: o.officeB },
    });
    expect(saved.status).toBe(200);
    expect(saved.json.intakeOfficeID).toBe(o.officeB);
    const f = await send("The information session was cancelled", "MX19039");
    expect(f.officeID).toBe(o.officeB);
    // so it is in office B's queue
    const queue = await call("GET", `/api/feedback?officeID=${o.officeB}`, { token: o.caseworkerB.token });
    expect(queue.status).toBe(200);
    expect(queue.json.items.map((x: { feedbackID: string }) => x.feedbackID)).toContain(f.feedbackID);
  });

  it("takes feedback from the public form without an account and repeats nothing of it", async () => {
    const code = (await as(system, () => Operation.list())).find(
      (o) => o.operationID === op.operationID,
    )!.code;
    const res = await call("POST", "/v1/public/feedback", {
      body: {
        operation: code,
        category: "fraud",
        message: "Someone asks for money to register people",
        phone: "+50488776655",
      },
      headers: { "x-forwarded-for": `203.0.113.${Math.floor(Math.random() * 200)}` },
    });
    expect(res.status).toBe(202);
    expect(res.text).not.toContain("money");
    expect(res.text).not.toContain("50488776655");
    const unknown = await call("POST", "/v1/public/feedback", {
      body: { operation: "ZZZZ9", message: "hello" },
    });
    expect(unknown.status).toBe(202);
    expect(unknown.json).toEqual(res.json);
    const f = (await stored()).find((x) => x.summary === "Someone asks for money to register people")!;
    expect(f).toMatchObject({
      channel: "public_form",
      sensitive: true,
      contactPhone: "+50488776655",
      createdBy: "public",
    });
    // a sensitive one from the public: the focal point sees it, the admin does not
    expect((await call("GET", `/api/feedback/${f.feedbackID}`, { token: focal.token })).status).toBe(200);
    expect((await call("GET", `/api/feedback/${f.feedbackID}`, { token: op.users.admin.token })).status).toBe(
      404,
    );
  });
});

describe("protection monitoring", () => {
  it("counts incidents by kind, area, sex, age group, month and perpetrator; the cluster export has the HXL row and withholds small counts", async () => {
    const month = daysAgo(40).slice(0, 7);
    const incident = (over: Record<string, unknown>) =>
      call("POST", "/api/incidents", {
        token: op.users.supervisor.token,
        body: {
          officeID: op.officeA,
          kind: "sgbv",
          dateOfIncident: `${month}-10`,
          description: "Narrative that the monitoring never reads",
          perpetratorType: "armed_group",
          survivorSex: "female",
          survivorAgeGroup: "18-59",
          ...over,
        },
      });
    const trafficking = { kind: "trafficking", perpetratorType: "smuggler_trafficker", survivorSex: "male" };
    for (let i = 0; i < 6; i++) expect((await incident({})).status).toBe(201);
    for (let i = 0; i < 5; i++) await incident({ survivorAgeGroup: "12-17" });
    for (let i = 0; i < 5; i++) await incident({ survivorSex: "male" });
    for (let i = 0; i < 2; i++) await incident({ ...trafficking, survivorAgeGroup: "12-17" });
    for (let i = 0; i < 5; i++) await incident(trafficking);
    // sex and age group taken from the person linked when the form leaves them out
    const p = await person("Hana");
    const linked = await incident({
      survivorSex: undefined,
      survivorAgeGroup: undefined,
      individualIDs: [p.individualID],
    });
    expect(linked.json).toMatchObject({ survivorSex: "female", survivorAgeGroup: "18-59" });

    const dash = await call("GET", "/api/protection-monitoring", { token: op.users.supervisor.token });
    expect(dash.status).toBe(200);
    expect(dash.json.total).toBe(24);
    expect(dash.json.byKind).toEqual([
      { key: "sgbv", count: 17 },
      { key: "trafficking", count: 7 },
    ]);
    expect(dash.json.byPerpetrator).toContainEqual({ key: "smuggler_trafficker", count: 7 });
    expect(dash.json.byMonth).toEqual([{ key: month, count: 24 }]);
    // small counts are withheld on the dashboard as in the exports: two boys of 12-17 are not shown as 2
    expect(dash.json.suppressBelow).toBe(5);
    expect(dash.json.bySexAndAge).toContainEqual({ key: "male|12-17", count: null });
    const shownCounts = Object.values(dash.json)
      .filter(Array.isArray)
      .flatMap((list) => (list as { count: number | null }[]).map((c) => c.count));
    expect(shownCounts.filter((c) => c !== null && c > 0 && c < 5)).toEqual([]);
    expect(dash.text).not.toContain("Narrative");
    // caseworkers do not oversee incidents
    expect(
      (await call("GET", "/api/protection-monitoring", { token: op.users.caseworker.token })).status,
    ).toBe(403);

    const csv = await call("GET", "/api/reports/protection-incidents?format=csv&hxl=true", {
      token: op.users.admin.token,
    });
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split("\r\n");
    expect(lines[0]).toContain(
      "Month of incident,Area code,Area,Kind of incident,Perpetrator type,Female 0-4",
    );
    expect(lines[1]!.split(",").slice(0, 6)).toEqual([
      "#date+occurred",
      "#adm1+code",
      "#adm1+name",
      "#event+type",
      "#group+perpetrator+type",
      "#affected+ind+f+infants",
    ]);
    const sgbv = lines.find((l) => l.startsWith(`${month},,,SGBV,Armed group`))!.split(",");
    const traffickingLine = lines
      .find((l) => l.startsWith(`${month},,,Trafficking,Smuggler or trafficker`))!
      .split(",");
    const col = (h: string) => lines[0]!.split(",").indexOf(h);
    expect(sgbv[col("Female 18-59")]).toBe("7");
    expect(sgbv[col("Total")]).toBe("17");
    // two boys: withheld (and, so that no subtraction gives them away, cells of their line and column too)
    expect(traffickingLine[col("Male 12-17")]).toBe("");
    expect(traffickingLine[col("Male 18-59")]).toBe("");
    expect(traffickingLine[col("Total")]).toBe("7");
    for (const l of lines.slice(2))
      for (const v of l.split(",").slice(5)) expect(v === "" || v === "0" || Number(v) >= 5).toBe(true);
    expect(Number(csv.headers.get("x-suppressed-cells"))).toBeGreaterThan(0);
    expect(csv.text).not.toContain("Narrative");
    // an HXL export never goes below the default threshold
    const low = await call("GET", "/api/reports/protection-incidents?format=csv&hxl=true&suppressBelow=0", {
      token: op.users.admin.token,
    });
    expect(low.status).toBe(422);
    // XLSX too
    const xlsx = await call("GET", "/api/reports/protection-incidents?format=xlsx&hxl=true", {
      token: op.users.admin.token,
    });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get("content-type")).toContain("spreadsheetml");
  });
});
