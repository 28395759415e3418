import { beforeAll, describe, expect, it } from "vitest";
import { AuditEntity } from "../../packages/core/src/audit/audit.entity.ts";
import { Individual, Operation } from "@waypoint/core";
import { as, call, createTestOperation, type TestOperation } from "../support/fixtures.ts";

/** Working with communities through the staff API: group activities, the enquiry queue, the service directory. */
let op: TestOperation;
let cw: string;
let admin: string;
let viewer: string;
let people: { individualID: string; registrationNumber: string }[];
const uid = () => Math.random().toString(36).slice(2, 8);
const NAMES = ["Amira", "Farida", "Nadia", "Leila", "Samira", "Zainab"];

async function person(given: string, family = `Test${uid()}`) {
  const { record } = await as(op.users.caseworker.actor, () =>
    Individual.create(
      { givenName: given, familyName: family, sex: "female", dateOfBirth: "1991-03-04", nationality: "AFG", officeID: op.officeA },
      { overrideDuplicates: { reason: "test fixture person" } },
    ),
  );
  return { individualID: record.individualID, registrationNumber: record.registrationNumber };
}

const auditOf = async (recordID: string) =>
  (await AuditEntity.query.byRecord({ recordID }).go({ pages: "all" })).data.map((a) => a.action);

beforeAll(async () => {
  op = await createTestOperation();
  cw = op.users.caseworker.token;
  admin = op.users.admin.token;
  viewer = op.users.viewer.token;
  people = [];
  for (const n of NAMES.slice(0, 4)) people.push(await person(n));
});

const session = (over: Record<string, unknown> = {}) => ({
  officeID: op.officeA,
  kind: "information_session",
  topic: "Local integration programme: who can apply",
  start: "2026-03-10T16:00:00.000Z",
  language: "spa",
  facilitatorIDs: [op.users.caseworker.userID],
  ...over,
});

describe("group activities", () => {
  it("a caseworker records a session, adds people by name and by a pasted list of registration numbers, and the session shows on each person's page", async () => {
    const made = await call("POST", "/api/activities", { token: cw, body: session() });
    expect(made.status).toBe(201);
    const id = made.json.activityID as string;
    const add = await call("POST", `/api/activities/${id}/attendees`, {
      token: cw,
      body: {
        version: 1,
        add: [people[0]!.individualID],
        addNumbers: [people[1]!.registrationNumber, people[2]!.registrationNumber, "NOPE-000"],
      },
    });
    expect(add.status).toBe(200);
    expect(add.json).toMatchObject({ added: 3, unknown: ["NOPE-000"] });
    const stored = await call("GET", `/api/activities/${id}`, { token: cw });
    expect(stored.json).toMatchObject({ attendeeCount: 3, version: 2 });
    // adding the same person again counts them once
    const again = await call("POST", `/api/activities/${id}/attendees`, {
      token: cw,
      body: { version: 2, add: [people[0]!.individualID] },
    });
    expect(again.json.activity.attendeeCount).toBe(3);
    const attended = await call("GET", `/api/activities?individualID=${people[1]!.individualID}`, { token: cw });
    expect(attended.json.items.map((a: { activityID: string }) => a.activityID)).toEqual([id]);
    const none = await call("GET", `/api/activities?individualID=${people[3]!.individualID}`, { token: cw });
    expect(none.json.items).toEqual([]);
    expect(await auditOf(id)).toEqual(expect.arrayContaining(["create", "attendance"]));
  });

  it("a stale attendance change is refused and writes nothing", async () => {
    const made = await call("POST", "/api/activities", { token: cw, body: session() });
    const id = made.json.activityID as string;
    await call("PATCH", `/api/activities/${id}`, { token: cw, body: { version: 1, changes: { topic: "Changed" } } });
    const stale = await call("POST", `/api/activities/${id}/attendees`, {
      token: cw,
      body: { version: 1, add: [people[0]!.individualID] },
    });
    expect(stale.status).toBe(409);
    const list = await call("GET", `/api/activities/${id}/attendees`, { token: cw });
    expect(list.json.items).toEqual([]);
  });

  it("attendance counted by sex and age group must be whole non-negative numbers, each group once", async () => {
    const negative = await call("POST", "/api/activities", {
      token: cw,
      body: session({ kind: "awareness_session", counts: [{ sex: "female", ageGroup: "18_24", count: -2 }] }),
    });
    expect(negative.status).toBe(422);
    expect(negative.json.errors[0].path).toBe("counts.0.count");
    const twice = await call("POST", "/api/activities", {
      token: cw,
      body: session({
        counts: [
          { sex: "male", ageGroup: "12_17", count: 3 },
          { sex: "male", ageGroup: "12_17", count: 4 },
        ],
      }),
    });
    expect(twice.status).toBe(422);
    expect(twice.json.errors[0].path).toBe("counts.1");
    const ok = await call("POST", "/api/activities", {
      token: cw,
      body: session({
        kind: "awareness_session",
        counts: [
          { sex: "female", ageGroup: "18_24", count: 12 },
          { sex: "male", ageGroup: "25_59", count: 0 },
        ],
      }),
    });
    expect(ok.status).toBe(201);
    expect((await call("GET", `/api/activities/${ok.json.activityID}`, { token: cw })).json.counts).toHaveLength(2);
  });

  it("findings by age, gender and diversity belong to participatory assessments", async () => {
    const finding = { ageGroup: "12_17", gender: "girls", diversity: "disability", finding: "No ramp at the school" };
    const wrong = await call("POST", "/api/activities", { token: cw, body: session({ findings: [finding] }) });
    expect(wrong.status).toBe(422);
    expect(wrong.json.errors[0].path).toBe("findings");
    const pa = await call("POST", "/api/activities", {
      token: cw,
      body: session({ kind: "participatory_assessment", topic: "Access to school", findings: [finding] }),
    });
    expect(pa.status).toBe(201);
    expect(pa.json.findings).toEqual([finding]);
  });

  it("staff trained on the SOPs make up each staff member's training record; staff are not added to sessions", async () => {
    const training = await call("POST", "/api/activities", {
      token: op.users.supervisor.token,
      body: session({ kind: "sop_training", topic: "Cash for protection SOP", facilitatorIDs: [op.users.supervisor.userID] }),
    });
    const id = training.json.activityID as string;
    const add = await call("POST", `/api/activities/${id}/attendees`, {
      token: op.users.supervisor.token,
      body: { version: 1, addStaff: [op.users.caseworker.userID, op.users.viewer.userID] },
    });
    expect(add.json.activity.staffCount).toBe(2);
    const record = await call("GET", `/api/activities?staffID=${op.users.caseworker.userID}`, { token: cw });
    expect(record.json.items.map((a: { activityID: string }) => a.activityID)).toContain(id);
    const infoSession = await call("POST", "/api/activities", { token: cw, body: session() });
    const refused = await call("POST", `/api/activities/${infoSession.json.activityID}/attendees`, {
      token: cw,
      body: { version: 1, addStaff: [op.users.viewer.userID] },
    });
    expect(refused.status).toBe(422);
    const strangers = await call("POST", "/api/activities", {
      token: cw,
      body: session({ facilitatorIDs: ["usr_01JAAAAAAAAAAAAAAAAAAAAAAA"] }),
    });
    expect(strangers.status).toBe(422);
    expect(strangers.json.errors[0].path).toBe("facilitatorIDs.0");
  });

  it("a viewer reads activities but may not record one; a caseworker of another office does not see office A's", async () => {
    expect((await call("POST", "/api/activities", { token: viewer, body: session() })).status).toBe(403);
    expect((await call("GET", "/api/activities", { token: viewer })).status).toBe(200);
    const made = await call("POST", "/api/activities", { token: cw, body: session() });
    const other = await call("GET", `/api/activities/${made.json.activityID}`, { token: op.caseworkerB.token });
    expect(other.status).toBe(403);
    const otherList = await call("GET", "/api/activities", { token: op.caseworkerB.token });
    expect(otherList.json.items.map((a: { activityID: string }) => a.activityID)).not.toContain(made.json.activityID);
  });
});

describe("enquiries", () => {
  it("logs a call for a registered person and one by name; an overdue follow-up comes first, marked; closing takes it off the queue", async () => {
    const linked = await call("POST", "/api/enquiries", {
      token: cw,
      body: {
        officeID: op.officeA,
        channel: "phone",
        topic: "registration",
        individualID: people[0]!.individualID,
        answer: "معلومات در مورد ثبت نام",
        followUpDue: "2026-01-02",
        status: "follow_up",
      },
    });
    expect(linked.status).toBe(201);
    const byName = await call("POST", "/api/enquiries", {
      token: cw,
      body: { officeID: op.officeA, channel: "walk_in", topic: "documentation", callerName: "Walk-in visitor" },
    });
    expect(byName.status).toBe(201);
    const nobody = await call("POST", "/api/enquiries", {
      token: cw,
      body: { officeID: op.officeA, channel: "sms", topic: "other" },
    });
    expect(nobody.status).toBe(422);
    expect(nobody.json.errors[0].path).toBe("callerName");
    const queue = await call("GET", "/api/enquiries", { token: cw });
    const first = queue.json.items[0];
    expect(first).toMatchObject({ kind: "enquiry", id: linked.json.enquiryID, overdue: true });
    expect(first.record.answer).toBe("معلومات در مورد ثبت نام");
    const mine = await call("GET", `/api/enquiries?individualID=${people[0]!.individualID}`, { token: cw });
    expect(mine.json.items.map((r: { id: string }) => r.id)).toEqual([linked.json.enquiryID]);
    const closed = await call("PATCH", `/api/enquiries/${linked.json.enquiryID}`, {
      token: cw,
      body: { version: 1, changes: { status: "closed" } },
    });
    expect(closed.status).toBe(200);
    const stale = await call("PATCH", `/api/enquiries/${linked.json.enquiryID}`, {
      token: cw,
      body: { version: 1, changes: { answer: "overwritten" } },
    });
    expect(stale.status).toBe(409);
    const after = await call("GET", "/api/enquiries", { token: cw });
    expect(after.json.items.map((r: { id: string }) => r.id)).not.toContain(linked.json.enquiryID);
    expect(await auditOf(linked.json.enquiryID)).toEqual(["create", "update"]);
  });

  it("the FAQ is the administrator's to edit at its version, and every enquiry taker reads it", async () => {
    const entries = [
      { language: "en", topic: "registration", question: "Where do I register?", answer: "At the office, 9–13h." },
      { language: "es", topic: "registration", question: "¿Dónde me registro?", answer: "En la oficina, de 9 a 13 h." },
    ];
    expect((await call("PUT", "/api/enquiries/faq", { token: cw, body: { version: 0, entries } })).status).toBe(403);
    const first = await call("PUT", "/api/enquiries/faq", { token: admin, body: { version: 0, entries } });
    expect(first.json.version).toBe(1);
    const stale = await call("PUT", "/api/enquiries/faq", { token: admin, body: { version: 0, entries: [] } });
    expect(stale.status).toBe(409);
    const read = await call("GET", "/api/enquiries/faq", { token: cw });
    expect(read.json).toEqual({ entries, version: 1 });
  });

  it("the interest form's leads are in the same queue and become registered people through the duplicate check", async () => {
    const code = (await as({ type: "system", reason: "test" }, () => Operation.get(op.operationID))).code;
    const consent = await call("GET", "/v1/public/interest/consent?lang=es");
    const family = `Lead${uid()}`;
    const sent = await call("POST", "/v1/public/interest", {
      body: {
        operation: code,
        givenName: "Rosa",
        familyName: family,
        phone: "+525511112222",
        language: "es",
        consent: true,
        consentVersion: consent.json.version,
      },
      headers: { "x-forwarded-for": `10.91.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` },
    });
    expect(sent.status).toBe(202);
    const queue = await call("GET", "/api/enquiries", { token: cw });
    const lead = queue.json.items.find((r: { kind: string; name: string }) => r.kind === "lead" && r.name === `Rosa ${family}`);
    expect(lead).toMatchObject({ channel: "interest_form", status: "new" });
    const registered = await call("POST", `/api/enquiries/leads/${lead.id}/register`, {
      token: cw,
      body: {
        version: lead.version,
        person: { givenName: "Rosa", familyName: family, sex: "female", dateOfBirth: "1988-05-06", nationality: "HND", officeID: op.officeA, phone: "+525511112222" },
      },
    });
    expect(registered.status).toBe(200);
    const individual = await call("GET", `/api/individuals/${registered.json.individualID}`, { token: cw });
    expect(individual.json).toMatchObject({ givenName: "Rosa", familyName: family });
    const leads = await call("GET", "/api/intake/leads", { token: admin });
    expect(leads.json.items.find((l: { leadID: string }) => l.leadID === lead.id)).toMatchObject({
      status: "registered",
      individualID: registered.json.individualID,
    });
    const gone = await call("GET", "/api/enquiries", { token: cw });
    expect(gone.json.items.map((r: { id: string }) => r.id)).not.toContain(lead.id);

    // the same person through the form again: the registry's duplicate check refuses a second registration
    const again = await call("POST", "/v1/public/interest", {
      body: { operation: code, givenName: "Rosa", familyName: family, phone: "+525511112222", language: "es", consent: true, consentVersion: consent.json.version },
      headers: { "x-forwarded-for": `10.92.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` },
    });
    expect(again.status).toBe(202);
    const q2 = await call("GET", "/api/enquiries", { token: cw });
    const lead2 = q2.json.items.find((r: { kind: string; name: string }) => r.kind === "lead" && r.name === `Rosa ${family}`);
    const dup = await call("POST", `/api/enquiries/leads/${lead2.id}/register`, {
      token: cw,
      body: {
        version: lead2.version,
        person: { givenName: "Rosa", familyName: family, sex: "female", dateOfBirth: "1988-05-06", nationality: "HND", officeID: op.officeA, phone: "+525511112222" },
      },
    });
    expect(dup.status).toBe(409);
    expect(dup.json.current.candidates[0].individualID).toBe(registered.json.individualID);
    // …and the caseworker links the lead to the person found instead
    const linked = await call("POST", `/api/enquiries/leads/${lead2.id}/register`, {
      token: cw,
      body: { version: lead2.version, individualID: registered.json.individualID },
    });
    expect(linked.json).toMatchObject({ status: "registered", individualID: registered.json.individualID });
  });

  it("a viewer reads the queue but may not log an enquiry", async () => {
    const body = { officeID: op.officeA, channel: "phone", topic: "health", callerName: "Caller" };
    expect((await call("POST", "/api/enquiries", { token: viewer, body })).status).toBe(403);
    expect((await call("GET", "/api/enquiries", { token: viewer })).status).toBe(200);
  });
});

describe("service directory", () => {
  it("supervisors and admins edit it; everyone searches it by words, category, area and language", async () => {
    const svc = {
      name: "Clínica Esperanza",
      category: "health",
      providerName: "Médicos del Mundo",
      areas: ["MX07"],
      languages: ["spa", "hat"],
      eligibility: "Personas refugiadas y solicitantes",
      contactPhone: "+529621234567",
    };
    expect((await call("POST", "/api/services", { token: cw, body: svc })).status).toBe(403);
    const made = await call("POST", "/api/services", { token: op.users.supervisor.token, body: svc });
    expect(made.status).toBe(201);
    await call("POST", "/api/services", {
      token: admin,
      body: { name: "Asesoría legal gratuita", category: "legal", providerName: "Asylum Access", languages: ["spa"] },
    });
    const find = async (qs: string) =>
      (await call("GET", `/api/services?${qs}`, { token: cw })).json.items.map((s: { name: string }) => s.name);
    expect(await find("q=esperanza")).toEqual(["Clínica Esperanza"]);
    expect(await find("q=medicos")).toEqual(["Clínica Esperanza"]);
    expect(await find("category=legal")).toEqual(["Asesoría legal gratuita"]);
    expect(await find("area=MX19")).toEqual(["Asesoría legal gratuita"]);
    expect((await find("area=MX07")).sort()).toEqual(["Asesoría legal gratuita", "Clínica Esperanza"]);
    expect(await find("language=hat")).toEqual(["Clínica Esperanza"]);
    const edited = await call("PATCH", `/api/services/${made.json.serviceID}`, {
      token: admin,
      body: { version: 1, changes: { active: false } },
    });
    expect(edited.status).toBe(200);
    expect(await find("q=esperanza")).toEqual([]);
    expect(await auditOf(made.json.serviceID)).toEqual(["create", "update"]);
  });

  it("a case's referral form is offered the services that reach its people's area, by category", async () => {
    const { record: hh } = await as(op.users.caseworker.actor, async () => {
      const { Household } = await import("@waypoint/core");
      return { record: await Household.create({ officeID: op.officeA, adm1: "MX05" } as never) };
    });
    const hhID = (hh as { householdID: string }).householdID;
    const kase = await call("POST", "/api/cases", {
      token: cw,
      body: { officeID: op.officeA, type: "protection", householdID: hhID },
    });
    expect(kase.status).toBe(201);
    const sup = op.users.supervisor.token;
    await call("POST", "/api/services", {
      token: sup,
      body: { name: "Psicología Coahuila", category: "psychosocial", providerName: "Cáritas", areas: ["MX05"] },
    });
    await call("POST", "/api/services", {
      token: sup,
      body: { name: "Psicología Chiapas", category: "psychosocial", providerName: "Cáritas", areas: ["MX07"] },
    });
    const fit = await call("GET", `/api/services?caseID=${kase.json.caseID}&category=psychosocial`, { token: cw });
    expect(fit.json.items.map((s: { name: string }) => s.name)).toEqual(["Psicología Coahuila"]);
    expect(fit.json.areas).toEqual(["MX05"]);
  });
});
