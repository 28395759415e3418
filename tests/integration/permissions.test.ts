import { beforeAll, describe, expect, it } from "vitest";
import {
  Activity,
  Assessment,
  Case,
  CaseDocument,
  Enquiry,
  Household,
  Incident,
  Individual,
  Organisation,
  Referral,
  RestrictedRoles,
  scopeFor,
  type Action,
} from "@waypoint/core";
import { Roles, type Role } from "@waypoint/schema";
import { as, call, createTestOperation, system, type TestOperation } from "../support/fixtures.ts";

/**
 * The permission matrix, generated from PermissionTable: every staff endpoint below × every role. A role the
 * table grants the action must succeed; a role without it gets 403; and a caseworker of office B is refused on
 * office A's records. Adding an endpoint is one line in `endpoints`.
 */
type Res = Awaited<ReturnType<typeof call>>;
interface Endpoint {
  name: string;
  action: Action;
  method: string;
  /** Builds the request against a fresh office-A record (created by the system, so nobody "owns" it). */
  request: (f: Fixture) => Promise<{ path: string; body?: unknown }>;
  /** Record-bound endpoints take scope into account; lists and creates only the action. */
  recordBound?: boolean;
  /** Restricted records: beyond the table, only RestrictedRoles (or assigned staff) see them; others get 404. */
  restricted?: boolean;
  ok?: (r: Res) => boolean;
}
interface Fixture {
  op: TestOperation;
  partnerID: string;
}

const day = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
let slot = 0;
const nextSlot = () => {
  const m = (slot++ % 32) * 15;
  return {
    start: `${day}T${String(8 + Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}:00.000Z`,
    room: `R${slot}`,
  };
};
const sys = <R>(op: TestOperation, fn: () => Promise<R>) =>
  as({ ...system, operationID: op.operationID }, fn);
const newCase = (f: Fixture, type: "avr" | "protection" = "avr") =>
  sys(f.op, () => Case.create({ officeID: f.op.officeA, type }));
const newReferral = (f: Fixture) =>
  sys(f.op, () =>
    Referral.create({
      officeID: f.op.officeA,
      serviceCategory: "legal",
      reason: "advice",
      consent: { given: false },
    }),
  );
let n = 0;
const letters = () =>
  Array.from({ length: 9 }, () => "bcdfghjklmnpqrstvwxz"[Math.floor(Math.random() * 20)]).join("");
// Distinct random names and birth dates, so duplicate detection never links two fixture people.
const person = (f: Fixture) => ({
  givenName: `${letters()}a`,
  familyName: `${letters()}o`,
  dateOfBirth: `19${50 + (n++ % 50)}-0${1 + (n % 9)}-1${n % 10}`,
  sex: "female",
  nationality: "HND",
  officeID: f.op.officeA,
});
const newIndividual = (f: Fixture) =>
  sys(
    f.op,
    async () =>
      (await Individual.create(person(f) as never, { overrideDuplicates: { reason: "matrix fixture" } }))
        .record,
  );
const newAppointment = async (f: Fixture) => {
  const { start, room } = nextSlot();
  const end = new Date(Date.parse(start) + 15 * 60_000).toISOString();
  const { Appointment } = await import("@waypoint/core");
  return sys(f.op, () => Appointment.create({ officeID: f.op.officeA, kind: "interview", room, start, end }));
};
const newAssessment = (f: Fixture, submitted = false) =>
  sys(f.op, async () => {
    const c = await newCase(f);
    const a = await Assessment.create({ caseID: c.caseID, kind: "avr_vulnerability" });
    return submitted ? Assessment.submit(a.assessmentID, a.version) : a;
  });
const newDocument = (f: Fixture) =>
  sys(f.op, async () => {
    const c = await newCase(f);
    return CaseDocument.upload({
      caseID: c.caseID,
      kind: "other",
      title: "Matrix",
      fileName: "m.txt",
      contentType: "text/plain",
      content: new Uint8Array(Buffer.from("matrix")),
    });
  });
const incident = (f: Fixture) => ({
  officeID: f.op.officeA,
  kind: "extortion",
  dateOfIncident: "2026-09-01",
  description: "Matrix incident",
});
const session = (f: Fixture) => ({
  officeID: f.op.officeA,
  kind: "information_session",
  topic: "Matrix session",
  start: "2026-05-01T15:00:00.000Z",
  language: "spa",
});
const newIncident = (f: Fixture) => sys(f.op, () => Incident.create(incident(f) as never));
const bulkSaved = (r: Res) => r.status === 200 && ["saved", "created"].includes(r.json.results[0].status);
const bulkForbidden = (r: Res) =>
  r.status === 200 && ["forbidden", "not_found"].includes(r.json.results[0].status);

export const endpoints: Endpoint[] = [
  {
    name: "GET /api/users",
    action: "user.manage",
    method: "GET",
    request: async () => ({ path: "/api/users" }),
  },
  {
    name: "GET /api/staff",
    action: "user.read",
    method: "GET",
    request: async (f) => ({ path: `/api/staff?ids=${f.op.users.admin.userID}` }),
  },
  {
    name: "GET /api/cases",
    action: "case.read",
    method: "GET",
    request: async () => ({ path: "/api/cases" }),
  },
  {
    name: "GET /api/cases/{id}",
    action: "case.read",
    method: "GET",
    recordBound: true,
    request: async (f) => ({ path: `/api/cases/${(await newCase(f)).caseID}` }),
  },
  {
    name: "POST /api/cases",
    action: "case.create",
    method: "POST",
    request: async (f) => ({ path: "/api/cases", body: { officeID: f.op.officeA, type: "avr" } }),
  },
  {
    name: "PATCH /api/cases",
    action: "case.update",
    method: "PATCH",
    recordBound: true,
    ok: bulkSaved,
    request: async (f) => ({
      path: "/api/cases",
      body: { rows: [{ id: (await newCase(f)).caseID, version: 1, changes: { riskLevel: "high" } }] },
    }),
  },
  {
    name: "POST /api/cases/{id}/transition",
    action: "case.transition",
    method: "POST",
    recordBound: true,
    request: async (f) => ({
      path: `/api/cases/${(await newCase(f)).caseID}/transition`,
      body: { to: "assessment", version: 1 },
    }),
  },
  {
    name: "POST /api/cases/{id}/closure-request",
    action: "case.transition",
    method: "POST",
    recordBound: true,
    request: async (f) => ({
      path: `/api/cases/${(await newCase(f)).caseID}/closure-request`,
      body: { reason: "done", version: 1 },
    }),
  },
  {
    name: "POST /api/cases/{id}/closure-approval",
    action: "case.approve",
    method: "POST",
    recordBound: true,
    request: async (f) => {
      const c = await newCase(f, "protection");
      await sys(f.op, () => Case.requestClosure({ caseID: c.caseID, reason: "done", version: 1 }));
      return { path: `/api/cases/${c.caseID}/closure-approval`, body: { approve: true, version: 2 } };
    },
  },
  {
    name: "GET /api/referrals",
    action: "referral.read",
    method: "GET",
    request: async () => ({ path: "/api/referrals" }),
  },
  {
    name: "GET /api/referrals/{id}",
    action: "referral.read",
    method: "GET",
    recordBound: true,
    request: async (f) => ({ path: `/api/referrals/${(await newReferral(f)).referralID}` }),
  },
  {
    name: "POST /api/referrals",
    action: "referral.create",
    method: "POST",
    request: async (f) => ({
      path: "/api/referrals",
      body: {
        officeID: f.op.officeA,
        toOrganisationID: f.partnerID,
        serviceCategory: "health",
        reason: "r",
        consent: { given: true },
      },
    }),
  },
  {
    name: "PATCH /api/referrals",
    action: "referral.update",
    method: "PATCH",
    recordBound: true,
    ok: bulkSaved,
    request: async (f) => ({
      path: "/api/referrals",
      body: { rows: [{ id: (await newReferral(f)).referralID, version: 1, changes: { urgency: "urgent" } }] },
    }),
  },
  {
    name: "POST /api/referrals/{id}/accept",
    action: "referral.update",
    method: "POST",
    recordBound: true,
    request: async (f) => ({
      path: `/api/referrals/${(await newReferral(f)).referralID}/accept`,
      body: { version: 1 },
    }),
  },
  {
    name: "POST /api/referrals/{id}/withdraw",
    action: "referral.update",
    method: "POST",
    recordBound: true,
    request: async (f) => ({
      path: `/api/referrals/${(await newReferral(f)).referralID}/withdraw`,
      body: { version: 1 },
    }),
  },
  {
    name: "GET /api/appointments",
    action: "appointment.read",
    method: "GET",
    request: async () => ({ path: "/api/appointments" }),
  },
  {
    name: "GET /api/appointments/{id}",
    action: "appointment.read",
    method: "GET",
    recordBound: true,
    request: async (f) => ({ path: `/api/appointments/${(await newAppointment(f)).appointmentID}` }),
  },
  {
    name: "POST /api/appointments",
    action: "appointment.create",
    method: "POST",
    request: async (f) => {
      const { start, room } = nextSlot();
      return {
        path: "/api/appointments",
        body: {
          officeID: f.op.officeA,
          kind: "briefing",
          room,
          start,
          end: new Date(Date.parse(start) + 15 * 60_000).toISOString(),
        },
      };
    },
  },
  {
    name: "PATCH /api/appointments",
    action: "appointment.update",
    method: "PATCH",
    recordBound: true,
    ok: bulkSaved,
    request: async (f) => ({
      path: "/api/appointments",
      body: {
        rows: [
          { id: (await newAppointment(f)).appointmentID, version: 1, changes: { notes: "bring documents" } },
        ],
      },
    }),
  },
  {
    name: "GET /api/audit?recordId=",
    // whoever may read a record may read its history
    action: "case.read",
    method: "GET",
    recordBound: true,
    request: async (f) => ({ path: `/api/audit?recordId=${(await newCase(f)).caseID}` }),
  },
  {
    name: "GET /api/individuals",
    action: "individual.read",
    method: "GET",
    request: async (f) => ({ path: `/api/individuals?officeID=${f.op.officeA}` }),
  },
  {
    name: "GET /api/individuals/{id}",
    action: "individual.read",
    method: "GET",
    recordBound: true,
    request: async (f) => ({ path: `/api/individuals/${(await newIndividual(f)).individualID}` }),
  },
  {
    name: "POST /api/individuals",
    action: "individual.create",
    method: "POST",
    request: async (f) => ({ path: "/api/individuals", body: person(f) }),
  },
  {
    name: "GET /api/households",
    action: "household.read",
    method: "GET",
    request: async (f) => ({ path: `/api/households?officeID=${f.op.officeA}` }),
  },
  {
    name: "POST /api/households",
    action: "household.create",
    method: "POST",
    request: async (f) => ({ path: "/api/households", body: { officeID: f.op.officeA } }),
  },
  {
    name: "GET /api/assessments",
    action: "assessment.read",
    method: "GET",
    request: async () => ({ path: "/api/assessments" }),
  },
  {
    name: "GET /api/assessments/{id}",
    action: "assessment.read",
    method: "GET",
    recordBound: true,
    request: async (f) => ({ path: `/api/assessments/${(await newAssessment(f)).assessmentID}` }),
  },
  {
    name: "POST /api/assessments",
    action: "assessment.create",
    method: "POST",
    request: async (f) => ({
      path: "/api/assessments",
      body: { caseID: (await newCase(f)).caseID, kind: "vulnerability" },
    }),
  },
  {
    name: "PATCH /api/assessments",
    action: "assessment.update",
    method: "PATCH",
    recordBound: true,
    ok: bulkSaved,
    request: async (f) => ({
      path: "/api/assessments",
      body: { rows: [{ id: (await newAssessment(f)).assessmentID, version: 1, changes: { summary: "s" } }] },
    }),
  },
  {
    name: "POST /api/assessments/{id}/submit",
    action: "assessment.update",
    method: "POST",
    recordBound: true,
    request: async (f) => ({
      path: `/api/assessments/${(await newAssessment(f)).assessmentID}/submit`,
      body: { version: 1 },
    }),
  },
  {
    name: "POST /api/assessments/{id}/review",
    action: "assessment.review",
    method: "POST",
    recordBound: true,
    request: async (f) => ({
      path: `/api/assessments/${(await newAssessment(f, true)).assessmentID}/review`,
      body: { decision: "approve", version: 2 },
    }),
  },
  {
    name: "GET /api/cases/{id}/notes",
    action: "note.read",
    method: "GET",
    recordBound: true,
    request: async (f) => ({ path: `/api/cases/${(await newCase(f)).caseID}/notes` }),
  },
  {
    name: "POST /api/cases/{id}/notes",
    action: "note.create",
    method: "POST",
    recordBound: true,
    request: async (f) => ({ path: `/api/cases/${(await newCase(f)).caseID}/notes`, body: { body: "n" } }),
  },
  {
    name: "GET /api/cases/{id}/documents",
    action: "document.read",
    method: "GET",
    recordBound: true,
    request: async (f) => ({ path: `/api/cases/${(await newCase(f)).caseID}/documents` }),
  },
  {
    name: "POST /api/cases/{id}/documents",
    action: "document.create",
    method: "POST",
    recordBound: true,
    request: async (f) => ({
      path: `/api/cases/${(await newCase(f)).caseID}/documents`,
      body: {
        kind: "other",
        title: "t",
        fileName: "t.txt",
        contentType: "text/plain",
        contentBase64: "aGk=",
      },
    }),
  },
  {
    name: "GET /api/cases/{id}/documents/{docId}/content",
    action: "document.read",
    method: "GET",
    recordBound: true,
    request: async (f) => {
      const d = await newDocument(f);
      return { path: `/api/cases/${d.caseID}/documents/${d.documentID}/content` };
    },
  },
  {
    name: "GET /api/incidents",
    action: "incident.read",
    method: "GET",
    request: async () => ({ path: "/api/incidents" }),
  },
  {
    name: "GET /api/incidents/{id}",
    action: "incident.read",
    method: "GET",
    recordBound: true,
    restricted: true,
    request: async (f) => ({ path: `/api/incidents/${(await newIncident(f)).incidentID}` }),
  },
  {
    name: "POST /api/incidents",
    action: "incident.create",
    method: "POST",
    request: async (f) => ({ path: "/api/incidents", body: incident(f) }),
  },
  {
    name: "PATCH /api/incidents",
    action: "incident.update",
    method: "PATCH",
    recordBound: true,
    restricted: true,
    ok: bulkSaved,
    request: async (f) => ({
      path: "/api/incidents",
      body: { rows: [{ id: (await newIncident(f)).incidentID, version: 1, changes: { adm1: "MX07" } }] },
    }),
  },
  // The other modules' lists: each is guarded by its own action in the same table.
  ...(
    [
      ["/api/relocations", "relocation.read"],
      ["/api/relocation-trips", "relocation.read"],
      ["/api/resettlement", "programme.read"],
      ["/api/hosts", "programme.read"],
      ["/api/returns", "programme.read"],
      ["/api/payees", "payee.read"],
      ["/api/payments", "payment.read"],
      ["/api/payment-batches", "batch.read"],
      ["/api/fsp-profiles", "batch.read"],
      ["/api/dashboard", "report.read"],
    ] as const
  ).map(([path, action]): Endpoint => ({
    name: `GET ${path}`,
    action,
    method: "GET",
    request: async () => ({ path }),
  })),
  {
    name: "GET /api/work/caseload",
    action: "case.read",
    method: "GET",
    // own-scope readers (none today) would be refused: a caseload is a team view
    request: async () => ({ path: "/api/work/caseload" }),
  },
  {
    name: "GET /api/work/interviews",
    action: "appointment.interpret",
    method: "GET",
    request: async () => ({ path: "/api/work/interviews" }),
  },
  {
    name: "GET /api/audit?recordId= (individual)",
    action: "individual.read",
    method: "GET",
    recordBound: true,
    request: async (f) => ({ path: `/api/audit?recordId=${(await newIndividual(f)).individualID}` }),
  },
  // working with communities (issue 20: sessions, enquiries, service directory)
  { name: "GET /api/activities", action: "activity.read", method: "GET", request: async () => ({ path: "/api/activities" }) },
  {
    name: "POST /api/activities",
    action: "activity.record",
    method: "POST",
    request: async (f) => ({ path: "/api/activities", body: session(f) }),
  },
  {
    name: "GET /api/activities/{id}",
    action: "activity.read",
    method: "GET",
    recordBound: true,
    request: async (f) => ({
      path: `/api/activities/${(await sys(f.op, () => Activity.create(session(f) as never))).activityID}`,
    }),
  },
  { name: "GET /api/enquiries", action: "enquiry.read", method: "GET", request: async () => ({ path: "/api/enquiries" }) },
  {
    name: "POST /api/enquiries",
    action: "enquiry.record",
    method: "POST",
    request: async (f) => ({
      path: "/api/enquiries",
      body: { officeID: f.op.officeA, channel: "phone", topic: "registration", callerName: "Matrix caller" },
    }),
  },
  {
    name: "PUT /api/enquiries/faq",
    action: "faq.manage",
    method: "PUT",
    request: async (f) => ({
      path: "/api/enquiries/faq",
      body: { version: (await sys(f.op, () => Enquiry.faq())).version, entries: [] },
    }),
  },
  { name: "GET /api/services", action: "service.read", method: "GET", request: async () => ({ path: "/api/services" }) },
  {
    name: "POST /api/services",
    action: "service.manage",
    method: "POST",
    request: async () => ({
      path: "/api/services",
      body: { name: "Matrix service", category: "legal", providerName: "Matrix provider" },
    }),
  },
];

let f: Fixture;
beforeAll(async () => {
  const op = await createTestOperation();
  const org = await as(system, () =>
    Organisation.create({ operationID: op.operationID, name: "Matrix partner" }),
  );
  f = { op, partnerID: org.organisationID };
});

const succeeded = (e: Endpoint, r: Res) => (e.ok ? e.ok(r) : r.status >= 200 && r.status < 300);
const refused = (e: Endpoint, r: Res) =>
  e.ok === bulkSaved ? bulkForbidden(r) : r.status === 403 || (e.recordBound === true && r.status === 404);

describe.each(endpoints)("$name", (e) => {
  it.each([...Roles])("as %s: allowed by the table ⇒ succeeds, otherwise 403", async (role: Role) => {
    const scope = scopeFor(role, e.action);
    // `own` scope reaches only records assigned to or created by the user: a system-created record is not theirs.
    const allowed =
      scope !== undefined &&
      !(scope === "own" && e.recordBound) &&
      !(e.restricted && e.recordBound && !RestrictedRoles.includes(role));
    const req = await e.request(f);
    const res = await call(e.method, req.path, { token: f.op.users[role].token, body: req.body });
    if (allowed) expect(succeeded(e, res), `${res.status} ${res.text.slice(0, 300)}`).toBe(true);
    else expect(refused(e, res), `${res.status} ${res.text.slice(0, 300)}`).toBe(true);
  });

  it("a caseworker of office B is refused on office A's records", async () => {
    const req = await e.request(f);
    const res = await call(e.method, req.path, { token: f.op.caseworkerB.token, body: req.body });
    // lists may refuse an office outside the actor's scope (403) or answer without its records
    if (e.recordBound || e.method === "POST")
      expect(refused(e, res), `${res.status} ${res.text.slice(0, 300)}`).toBe(true);
    else if (res.status !== 403) {
      expect(res.status).toBe(200);
      // lists: nothing from office A leaks into office B's view
      const items = (res.json.items ?? []) as { officeID?: string }[];
      expect(items.every((i) => i.officeID !== f.op.officeA)).toBe(true);
    }
  });
});
