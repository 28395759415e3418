import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { IntakeReviewEntity, LeadEntity } from "@waypoint/core/intake/intake.entity";
import { UniqueEntity } from "@waypoint/core/common/unique";
import { call, createPartnerKey, createTestOperation, type TestOperation } from "../support/fixtures.ts";

const oracle = (f: string) =>
  JSON.parse(readFileSync(new URL(`../../../shared/oracles/kobo/${f}`, import.meta.url), "utf8"));

/** The headers a KoboToolbox REST Service sends (oracle), with our credentials added the ways Kobo can. */
const koboHeaders: Record<string, string> = Object.fromEntries(
  Object.entries(oracle("rodekruis-kobo-connect_kobo_headers.json") as Record<string, string>).filter(
    // Content-Type (application/json, as Kobo sends it) is set by `call`; Host and Content-Length by the client
    ([k]) => !["Content-Length", "Host", "Accept-Encoding", "Content-Type"].includes(k),
  ),
);

let ops: TestOperation;
let kobo: Awaited<ReturnType<typeof createPartnerKey>>;
let admin: string;

async function leadsAndReviews(formID: string) {
  const leads = (
    await LeadEntity.query.byOperation({ operationID: ops.operationID }).go({ pages: "all" })
  ).data.filter((l) => l.formID === formID);
  const reviews = (
    await IntakeReviewEntity.query.byOperation({ operationID: ops.operationID }).go({ pages: "all" })
  ).data.filter((r) => r.formID === formID);
  return { leads, reviews };
}

beforeAll(async () => {
  ops = await createTestOperation();
  kobo = await createPartnerKey(ops.operationID, ["intake:kobo"], "Field team");
  admin = ops.users.admin.token;
});

describe("KoboToolbox intake", () => {
  it("an admin maps a form; staff who are not admins cannot", async () => {
    const mapping = {
      name: "Household visit",
      fields: {
        "household_visit/household_location": { field: "location" },
        "household_visit/houshold_member_repeat/household_member_name": { field: "members" },
      },
    };
    const put = await call("PUT", "/api/kobo-forms/rgv1", { token: admin, body: mapping });
    expect(put.status).toBe(200);
    expect(put.json.version).toBe(1);
    const got = await call("GET", "/api/kobo-forms/rgv1", { token: admin });
    expect(got.json.fields["household_visit/household_location"].field).toBe("location");
    const cw = await call("PUT", "/api/kobo-forms/rgv1", {
      token: ops.users.caseworker.token,
      body: mapping,
    });
    expect(cw.status).toBe(403);
    const bad = await call("PUT", "/api/kobo-forms/rgv1", {
      token: admin,
      body: { name: "x", fields: { a: { field: "shoeSize" } } },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0].path).toBe("fields.a.field");
  });

  it("every oracle submission is ingested exactly once when Kobo posts it three times (basic auth, custom header, bearer)", async () => {
    await call("PUT", "/api/kobo-forms/rgv1", {
      token: admin,
      body: {
        name: "Household visit",
        version: 1,
        fields: {
          "household_visit/household_location": { field: "location" },
          "household_visit/houshold_member_repeat/household_member_name": { field: "fullName" },
          "household_visit/houshold_member_repeat/household_member_name ": { field: "notes" },
        },
      },
    });
    await call("PUT", "/api/kobo-forms/aPYSXuXP6o9YS8zU39TkyL", {
      token: admin,
      body: {
        name: "121 registration",
        phoneCountry: "NL",
        fields: {
          fullName: { field: "fullName" },
          sex: { field: "sex", values: { Female: "female", Male: "male" } },
          birthYear: { field: "birthYear" },
          phoneNumber: { field: "phone" },
        },
      },
    });
    const auths: Record<string, string>[] = [
      { authorization: `Basic ${Buffer.from(`kobo:${kobo.key}`).toString("base64")}` },
      { "x-waypoint-key": kobo.key },
      { authorization: `Bearer ${kobo.key}` },
    ];
    const cases = [
      ...oracle("formpack_grouped_repeatable_v1.json").submissions.map((s: unknown) => ["rgv1", s] as const),
      ...oracle("formpack_hxl_grouped_repeatable_v1.json").submissions.map(
        (s: unknown) => ["hxlrgv1", s] as const,
      ),
      ["aPYSXuXP6o9YS8zU39TkyL", oracle("rodekruis-kobo-connect_kobo_data.json")] as const,
      ["aeiaPbvwnbj4KZJUj899kr", oracle("rodekruis-kobo-connect_kobo_data_espo.json")] as const,
    ];
    for (const [formID, sub] of cases) {
      const outcomes = [];
      for (const auth of auths) {
        const res = await call("POST", `/v1/intake/kobo/${formID}`, {
          body: sub,
          headers: { ...koboHeaders, ...auth },
        });
        expect(res.status).toBeLessThan(300);
        outcomes.push(res.json);
      }
      expect(outcomes[0].outcome).not.toBe("duplicate");
      expect(outcomes.slice(1).map((o) => o.outcome)).toEqual(["duplicate", "duplicate"]);
      expect(new Set(outcomes.map((o) => o.id)).size).toBe(1);
    }
    // rgv1: mapped to leads; the first member named in the repeat is the contact person
    const rg = await leadsAndReviews("rgv1");
    expect(rg.leads).toHaveLength(6);
    expect(rg.reviews).toHaveLength(0);
    const boston = rg.leads.find((l) => l.location === "boston");
    expect(boston?.givenName).toBe("amadou");
    // the same instance IDs under another (unmapped) form are other submissions: queued, not lost
    const hxl = await leadsAndReviews("hxlrgv1");
    expect(hxl.leads).toHaveLength(0);
    expect(hxl.reviews).toHaveLength(6);
    expect(hxl.reviews[0]!.issues[0].code).toBe("kobo.no_mapping");
    // 121: birth year 1600 cannot be mapped → review with the reason, payload kept whole
    const r121 = await leadsAndReviews("aPYSXuXP6o9YS8zU39TkyL");
    expect(r121.leads).toHaveLength(0);
    expect(r121.reviews).toHaveLength(1);
    expect(r121.reviews[0]!.issues.map((i: { code: string }) => i.code)).toEqual(["kobo.invalid_birth_year"]);
    expect(JSON.parse(r121.reviews[0]!.payload!)["meta/instanceID"]).toBe(
      "uuid:7e7b954f-83e6-406f-9335-368ae153f1aa",
    );
    const espo = await leadsAndReviews("aeiaPbvwnbj4KZJUj899kr");
    expect(espo.reviews).toHaveLength(1);
    // those who manage intake see the review queue (raw submissions); staff see the leads
    const queue = await call("GET", "/api/intake/reviews?limit=100", { token: admin });
    expect(queue.status).toBe(200);
    expect(queue.json.items.length).toBe(8);
    const leads = await call("GET", "/api/intake/leads", { token: ops.users.caseworker.token });
    expect(leads.json.items.filter((l: { source: string }) => l.source === "kobo")).toHaveLength(6);
  });

  it("a fixed mapping turns a plausible 121 submission into a lead with an E.164 phone and the Kobo time in UTC", async () => {
    const sub = {
      ...oracle("rodekruis-kobo-connect_kobo_data.json"),
      "meta/instanceID": `uuid:fixed-${Date.now()}`,
      // another submission (a submission with the oracle's `_id` is an edit of the one queued above)
      _id: Date.now(),
      birthYear: "1990",
    };
    const res = await call("POST", "/v1/intake/kobo/aPYSXuXP6o9YS8zU39TkyL", {
      body: sub,
      headers: { "x-waypoint-key": kobo.key },
    });
    expect(res.status).toBe(201);
    expect(res.json.outcome).toBe("created");
    const lead = (await LeadEntity.get({ leadID: res.json.id }).go()).data!;
    expect(lead.phone).toBe("+31612345678");
    expect(lead.sex).toBe("female");
    expect(lead.birthYear).toBe(1990);
    expect(lead.submittedAt).toBe("2024-10-22T11:25:13.000Z"); // Kobo sends "2024-10-22T11:25:13", UTC without a zone
    const owner = (
      await UniqueEntity.get({
        namespace: "kobo",
        value: `${ops.operationID}#${kobo.organisationID}#aPYSXuXP6o9YS8zU39TkyL#${sub["meta/instanceID"]}`,
      }).go()
    ).data;
    expect(owner?.ownerID).toBe(res.json.id);
  });

  it("staff resolve a review item and move a lead along, conditional on version", async () => {
    const queue = await call("GET", "/api/intake/reviews", { token: admin });
    const item = queue.json.items[0];
    const resolved = await call("POST", `/api/intake/reviews/${item.reviewID}/resolve`, {
      token: admin,
      body: { decision: "discard", version: item.version, note: "Entered by hand" },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.json.status).toBe("resolved");
    const stale = await call("POST", `/api/intake/reviews/${item.reviewID}/resolve`, {
      token: admin,
      body: { decision: "discard", version: item.version, note: "Again" },
    });
    expect(stale.status).toBe(409);
    const open = await call("GET", "/api/intake/reviews", { token: admin });
    expect(open.json.items.map((r: { reviewID: string }) => r.reviewID)).not.toContain(item.reviewID);
    const done = await call("GET", "/api/intake/reviews?status=resolved", { token: admin });
    expect(done.json.items.map((r: { reviewID: string }) => r.reviewID)).toContain(item.reviewID);
    const leads = await call("GET", "/api/intake/leads", { token: ops.users.caseworker.token });
    const lead = leads.json.items[0];
    const moved = await call("POST", `/api/intake/leads/${lead.leadID}/status`, {
      token: admin,
      body: { version: lead.version, status: "contacted" },
    });
    expect(moved.status).toBe(200);
    expect(moved.json.status).toBe("contacted");
    expect(moved.json.version).toBe(lead.version + 1);
    const cw = await call("POST", `/api/intake/reviews/${item.reviewID}/resolve`, {
      token: ops.users.caseworker.token,
      body: { decision: "discard", version: 2, note: "Not mine to decide" },
    });
    expect(cw.status).toBe(403);
  });

  it("refuses wrong credentials and keys without the intake scope", async () => {
    const sub = oracle("rodekruis-kobo-connect_kobo_data_espo.json");
    const none = await call("POST", "/v1/intake/kobo/x", { body: sub });
    expect(none.status).toBe(401);
    const wrong = await call("POST", "/v1/intake/kobo/x", {
      body: sub,
      headers: { authorization: `Basic ${Buffer.from("kobo:nope").toString("base64")}` },
    });
    expect(wrong.status).toBe(401);
    const other = await createPartnerKey(ops.operationID, ["referrals:read"]);
    const scoped = await call("POST", "/v1/intake/kobo/x", {
      body: sub,
      headers: { "x-waypoint-key": other.key },
    });
    expect(scoped.status).toBe(403);
    // the custom header is only for intake; other routes want a bearer key
    const elsewhere = await call("GET", "/v1/referrals", { headers: { "x-waypoint-key": other.key } });
    expect(elsewhere.status).toBe(401);
  });
});

describe("public expression of interest", () => {
  let code: string;
  beforeAll(async () => {
    const { Operation } = await import("@waypoint/core");
    code = (await Operation.get(ops.operationID)).code;
  });

  it("serves the consent text in each form language", async () => {
    for (const lang of ["en", "es", "fr", "ar", "hat"]) {
      const res = await call("GET", `/v1/public/interest/consent?lang=${lang}`);
      expect(res.status).toBe(200);
      expect(res.json.language).toBe(lang);
      expect(res.json.text.length).toBeGreaterThan(100);
    }
    expect((await call("GET", "/v1/public/interest/consent?lang=de")).status).toBe(422);
  });

  it("creates a lead and answers the same whether or not the operation exists or the person is known", async () => {
    const ip = {
      "x-forwarded-for": `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
    };
    const person = {
      operation: code,
      givenName: "Jean",
      familyName: "Pierre",
      phone: "+525512340000",
      language: "hat",
      consent: true,
      consentVersion: "2026-11",
    };
    const first = await call("POST", "/v1/public/interest", { body: person, headers: ip });
    const second = await call("POST", "/v1/public/interest", { body: person, headers: ip });
    const nowhere = await call("POST", "/v1/public/interest", {
      body: { ...person, operation: "ZZZZ" },
      headers: ip,
    });
    expect(first.status).toBe(202);
    expect(second.text).toBe(first.text);
    expect(nowhere.text).toBe(first.text);
    const leads = (
      await LeadEntity.query.byOperation({ operationID: ops.operationID }).go({ pages: "all" })
    ).data.filter((l) => l.source === "public");
    expect(leads.filter((l) => l.phone === "+525512340000")).toHaveLength(2);
    expect(leads[0]!.consent).toMatchObject({ given: true, version: "2026-11", language: "hat" });
    const noConsent = await call("POST", "/v1/public/interest", {
      body: { ...person, consent: false },
      headers: ip,
    });
    expect(noConsent.status).toBe(422);
    expect(noConsent.json.errors[0].path).toBe("consent");
  });

  it("is rate-limited per IP address with Retry-After", async () => {
    const ip = {
      "x-forwarded-for": `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
    };
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push(
        (
          await call("POST", "/v1/public/interest", {
            body: {
              operation: "ZZZZ",
              givenName: "A",
              familyName: "B",
              email: "a@b.org",
              language: "en",
              consent: true,
              consentVersion: "2026-11",
            },
            headers: ip,
          })
        ).status,
      );
    expect(statuses.slice(0, 10).every((s) => s === 202)).toBe(true);
    const last = await call("POST", "/v1/public/interest", { body: {}, headers: ip });
    expect(last.status).toBe(429);
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
    const otherIp = await call("GET", "/v1/public/interest/consent?lang=en", { headers: ip });
    expect(otherIp.status).toBe(200);
  });
});
