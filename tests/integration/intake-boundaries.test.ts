import { beforeAll, describe, expect, it } from "vitest";
import { AuditEntity } from "@waypoint/core/audit/audit.entity";
import { UniqueEntity } from "@waypoint/core/common/unique";
import { IntakeReviewEntity, LeadEntity } from "@waypoint/core/intake/intake.entity";
import { call, createPartnerKey, createTestOperation, type TestOperation } from "../support/fixtures.ts";

let op: TestOperation;
let fieldTeamA: Awaited<ReturnType<typeof createPartnerKey>>;
let fieldTeamB: Awaited<ReturnType<typeof createPartnerKey>>;
let admin: string;
let n = 0;
const uid = () => `uuid:${Date.now().toString(36)}-${(n++).toString(36)}`;

const post = (key: string, formID: string, body: unknown) =>
  call("POST", `/v1/intake/kobo/${formID}`, { body, headers: { "x-waypoint-key": key } });

async function stored(formID: string) {
  const leads = (await LeadEntity.query.byOperation({ operationID: op.operationID }).go({ pages: "all" }))
    .data;
  const reviews = (
    await IntakeReviewEntity.query.byOperation({ operationID: op.operationID }).go({ pages: "all" })
  ).data;
  return {
    leads: leads.filter((l) => l.formID === formID),
    reviews: reviews.filter((r) => r.formID === formID),
  };
}

const mapping = (organisationID?: string) => ({
  name: "Community outreach",
  fields: { name: { field: "givenName" }, surname: { field: "familyName" }, village: { field: "location" } },
  ...(organisationID ? { organisationID } : {}),
});

beforeAll(async () => {
  op = await createTestOperation();
  fieldTeamA = await createPartnerKey(op.operationID, ["intake:kobo"], "Field team A");
  fieldTeamB = await createPartnerKey(op.operationID, ["intake:kobo"], "Field team B");
  admin = op.users.admin.token;
});

describe("intake boundaries: Kobo forms belong to one organisation", () => {
  it("another organisation's key cannot post to a form mapped for a partner, nor pre-claim its instance IDs", async () => {
    const put = await call("PUT", "/api/kobo-forms/outreachA", {
      token: admin,
      body: mapping(fieldTeamA.organisationID),
    });
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    const instance = uid();
    const squat = await post(fieldTeamB.key, "outreachA", {
      "meta/instanceID": instance,
      name: "Fake",
      surname: "Entry",
    });
    expect(squat.status).toBe(403);
    expect(squat.json.id).toBeUndefined();
    expect((await stored("outreachA")).leads).toEqual([]);
    const real = await post(fieldTeamA.key, "outreachA", {
      "meta/instanceID": instance,
      name: "Rosa",
      surname: "Mejía",
    });
    expect(real.status).toBe(201);
    expect(real.json.outcome).toBe("created");
    const { leads } = await stored("outreachA");
    expect(leads.map((l) => [l.givenName, l.organisationID])).toEqual([["Rosa", fieldTeamA.organisationID]]);
  });

  it("an unmapped form is held by the first organisation that posts it; another cannot learn its submissions' IDs", async () => {
    const instance = uid();
    const first = await post(fieldTeamA.key, "draftForm", { "meta/instanceID": instance, q1: "x" });
    expect(first.status).toBe(201);
    expect(first.json.outcome).toBe("queued");
    const probe = await post(fieldTeamB.key, "draftForm", { "meta/instanceID": instance, q1: "x" });
    expect(probe.status).toBe(403);
    expect(probe.text).not.toContain(first.json.id);
    const other = await post(fieldTeamB.key, "draftForm", { "meta/instanceID": uid(), q1: "y" });
    expect(other.status).toBe(403);
    expect((await stored("draftForm")).reviews.map((r) => r.organisationID)).toEqual([
      fieldTeamA.organisationID,
    ]);
    const again = await post(fieldTeamA.key, "draftForm", { "meta/instanceID": instance, q1: "x" });
    expect(again.json).toEqual({ outcome: "duplicate", id: first.json.id });
  });

  it("a submission claimed before claims were per organisation is still a duplicate for its own organisation only", async () => {
    const instance = uid();
    const leadID = `led_${Date.now().toString().padStart(26, "0")}`.slice(0, 30);
    const now = new Date().toISOString();
    await LeadEntity.create({
      leadID,
      operationID: op.operationID,
      source: "kobo",
      organisationID: fieldTeamA.organisationID,
      formID: "legacyForm",
      instanceID: instance,
      givenName: "Inés",
      status: "new",
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    }).go();
    await UniqueEntity.create({
      namespace: "kobo",
      value: `${op.operationID}#legacyForm#${instance}`,
      ownerID: leadID,
    }).go();
    const retry = await post(fieldTeamA.key, "legacyForm", { "meta/instanceID": instance, q: "x" });
    expect(retry.json).toEqual({ outcome: "duplicate", id: leadID });
  });

  it("raw submissions kept for review are read only by those who manage intake", async () => {
    await post(fieldTeamA.key, "rawForm", {
      "meta/instanceID": uid(),
      phone: "+50499887766",
      story: "sensitive",
    });
    for (const role of ["caseworker", "supervisor", "viewer"] as const) {
      const res = await call("GET", "/api/intake/reviews", { token: op.users[role].token });
      expect(res.status, role).toBe(403);
    }
    const res = await call("GET", "/api/intake/reviews?limit=500", { token: admin });
    expect(res.status).toBe(200);
    const item = res.json.items.find((r: { formID: string }) => r.formID === "rawForm");
    expect(item.payload.story).toBe("sensitive");
  });
});

describe("public expression of interest", () => {
  it("refuses a consent version other than the current one, with the field path, and stores nothing", async () => {
    const { Operation } = await import("@waypoint/core");
    const opCode = (await Operation.get(op.operationID)).code;
    const consent = await call("GET", "/v1/public/interest/consent?lang=es");
    const body = {
      operation: opCode,
      givenName: "Marta",
      familyName: "Quispe",
      phone: "+525598761234",
      language: "es",
      consent: true,
    };
    const headers = { "x-forwarded-for": `10.77.${n % 250}.${Math.floor(Math.random() * 250)}` };
    const old = await call("POST", "/v1/public/interest", {
      body: { ...body, consentVersion: "2025-01" },
      headers,
    });
    expect(old.status).toBe(422);
    expect(old.json.errors[0].path).toBe("consentVersion");
    const leads = async () =>
      (await LeadEntity.query.byOperation({ operationID: op.operationID }).go({ pages: "all" })).data.filter(
        (l) => l.phone === "+525598761234",
      );
    expect(await leads()).toEqual([]);
    const ok = await call("POST", "/v1/public/interest", {
      body: { ...body, consentVersion: consent.json.version },
      headers,
    });
    expect(ok.status).toBe(202);
    expect(await leads()).toHaveLength(1);
  });
});

describe("intake administration is an administrator's", () => {
  it("only those who manage intake move a lead, and only along the allowed transitions", async () => {
    await call("PUT", "/api/kobo-forms/leadsForm", {
      token: admin,
      body: mapping(fieldTeamA.organisationID),
    });
    const created = await post(fieldTeamA.key, "leadsForm", {
      "meta/instanceID": uid(),
      name: "Luis",
      surname: "Paz",
    });
    const leadID = created.json.id as string;
    const path = `/api/intake/leads/${leadID}/status`;
    for (const role of ["caseworker", "supervisor"] as const) {
      const res = await call("POST", path, {
        token: op.users[role].token,
        body: { version: 1, status: "closed" },
      });
      expect(res.status, role).toBe(403);
    }
    const contacted = await call("POST", path, { token: admin, body: { version: 1, status: "contacted" } });
    expect(contacted.status).toBe(200);
    const back = await call("POST", path, { token: admin, body: { version: 2, status: "new" } });
    expect(back.status).toBe(422);
    expect(back.json.code).toBe("lead.transition");
    const registered = await call("POST", path, { token: admin, body: { version: 2, status: "registered" } });
    expect(registered.json.status).toBe("registered");
    const reopen = await call("POST", path, { token: admin, body: { version: 3, status: "closed" } });
    expect(reopen.status).toBe(422);
    const lead = (await LeadEntity.get({ leadID }).go()).data!;
    expect(lead).toMatchObject({ status: "registered", version: 3 });
  });

  it("a change to a Kobo mapping is audited with what it was before and after", async () => {
    const first = await call("PUT", "/api/kobo-forms/auditedForm", { token: admin, body: mapping() });
    expect(first.status).toBe(200);
    const changed = await call("PUT", "/api/kobo-forms/auditedForm", {
      token: admin,
      body: {
        ...mapping(fieldTeamA.organisationID),
        fields: { nombre: { field: "givenName" } },
        programme: "resettlement",
        version: first.json.version,
      },
    });
    expect(changed.status, JSON.stringify(changed.json)).toBe(200);
    const events = (
      await AuditEntity.query.byRecord({ recordID: "kobo:auditedForm" }).go({ pages: "all" })
    ).data.filter((e) => e.operationID === op.operationID);
    const update = events.find((e) => e.action === "update")!;
    expect(update.changes).toMatchObject({
      fields: { before: mapping().fields, after: { nombre: { field: "givenName" } } },
      programme: { after: "resettlement" },
      organisationID: { after: fieldTeamA.organisationID },
    });
  });

  it("resolving a review creates the lead it decides, or discards with a reason; the raw submission is deleted", async () => {
    const sub = { "meta/instanceID": uid(), nombre_completo: "Ana Reyes", aldea: "La Esperanza" };
    const queued = await post(fieldTeamA.key, "unmappedForm", sub);
    expect(queued.json.outcome).toBe("queued");
    const reviewID = queued.json.id as string;
    const url = `/api/intake/reviews/${reviewID}/resolve`;
    const noDecision = await call("POST", url, { token: admin, body: { version: 1, note: "done" } });
    expect(noDecision.status).toBe(422);
    const resolved = await call("POST", url, {
      token: admin,
      body: {
        decision: "lead",
        version: 1,
        lead: { givenName: "Ana", familyName: "Reyes", location: "La Esperanza" },
        note: "Name split by hand",
      },
    });
    expect(resolved.status, JSON.stringify(resolved.json)).toBe(200);
    expect(resolved.json).toMatchObject({ status: "resolved", decision: "lead" });
    expect(resolved.json.payload).toBeUndefined();
    const lead = (await LeadEntity.get({ leadID: resolved.json.leadID }).go()).data!;
    expect(lead).toMatchObject({
      givenName: "Ana",
      familyName: "Reyes",
      source: "kobo",
      status: "new",
      organisationID: fieldTeamA.organisationID,
      formID: "unmappedForm",
      instanceID: sub["meta/instanceID"],
    });
    const review = (await IntakeReviewEntity.get({ reviewID }).go()).data!;
    expect(review.payload).toBeUndefined();
    expect(review.leadID).toBe(lead.leadID);
    const listed = await call("GET", "/api/intake/reviews?status=resolved&limit=500", { token: admin });
    const item = listed.json.items.find((r: { reviewID: string }) => r.reviewID === reviewID);
    expect(item.payload).toBeUndefined();
    expect(JSON.stringify(listed.json)).not.toContain("nombre_completo");

    const other = await post(fieldTeamA.key, "unmappedForm", { "meta/instanceID": uid(), junk: "test" });
    const bare = await call("POST", `/api/intake/reviews/${other.json.id}/resolve`, {
      token: admin,
      body: { decision: "discard", version: 1 },
    });
    expect(bare.status).toBe(422);
    expect(bare.json.errors[0].path).toBe("note");
    const discarded = await call("POST", `/api/intake/reviews/${other.json.id}/resolve`, {
      token: admin,
      body: { decision: "discard", version: 1, note: "Test submission from the field team" },
    });
    expect(discarded.json).toMatchObject({ status: "resolved", decision: "discard" });
    expect((await IntakeReviewEntity.get({ reviewID: other.json.id }).go()).data!.payload).toBeUndefined();
    const leads = await stored("unmappedForm");
    expect(leads.leads).toHaveLength(1);
  });
});
