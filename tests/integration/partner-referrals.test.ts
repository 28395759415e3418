import { beforeAll, describe, expect, it } from "vitest";
import { AuditEntity } from "@waypoint/core/audit/audit.entity";
import { ReferralEntity } from "@waypoint/core/referral/referral.entity";
import { Referral } from "@waypoint/core";
import { as, call, createPartnerKey, createTestOperation, type TestOperation } from "../support/fixtures.ts";

const body = (over: Record<string, unknown> = {}) => ({
  person: {
    givenName: "Amina",
    familyName: `Haddad${Math.random().toString(36).slice(2, 8)}`,
    sex: "female",
    estimatedAge: 34,
    nationality: "SYR",
    phone: "+525512345678",
    languages: ["ara"],
    specificNeeds: [],
  },
  consent: { dataSharing: true, date: "2026-11-20" },
  serviceCategory: "legal",
  urgency: "urgent",
  narrative: "Needs legal counselling before the hearing.",
  ...over,
});

let ops: TestOperation;
let a: Awaited<ReturnType<typeof createPartnerKey>>;
let b: Awaited<ReturnType<typeof createPartnerKey>>;

beforeAll(async () => {
  ops = await createTestOperation();
  a = await createPartnerKey(
    ops.operationID,
    ["referrals:write", "referrals:read", "referrals:respond"],
    "Partner A",
  );
  b = await createPartnerKey(
    ops.operationID,
    ["referrals:write", "referrals:read", "referrals:respond"],
    "Partner B",
  );
});

describe("partner referrals", () => {
  it("shows staff who referred, by the partner's organisation name, in the referral's history", async () => {
    const res = await call("POST", "/v1/referrals", { token: a.key, body: body() });
    expect(res.status).toBe(201);
    const history = await call("GET", `/api/audit?recordId=${res.json.id}`, { token: ops.users.admin.token });
    expect(history.status).toBe(200);
    const creation = history.json.items.find((e: { action: string }) => e.action === "create");
    expect(creation.actorID).toMatch(/^org_.+\//);
    expect(creation.actorName).toBe("Partner A");
  });

  it("a partner refers a person and gets a pending referral back", async () => {
    const res = await call("POST", "/v1/referrals", { token: a.key, body: body() });
    expect(res.status).toBe(201);
    expect(res.json.id).toMatch(/^ref_/);
    expect(res.json.status).toBe("pending");
    expect(res.json.direction).toBe("sent");
    const stored = (await ReferralEntity.get({ referralID: res.json.id }).go()).data;
    expect(stored?.fromOrganisationID).toBe(a.organisationID);
    expect(stored?.direction).toBe("incoming");
  });

  it("a referral without the person's consent is refused with the field path and nothing is stored", async () => {
    const ref = `noconsent-${Date.now()}`;
    const res = await call("POST", "/v1/referrals", {
      token: a.key,
      body: body({ consent: { dataSharing: false, date: "2026-11-20" }, externalReference: ref }),
    });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.json.errors.map((e: { path: string }) => e.path)).toContain("consent.dataSharing");
    const missing = await call("POST", "/v1/referrals", {
      token: a.key,
      body: { ...body(), consent: undefined },
    });
    expect(missing.status).toBe(422);
    expect(missing.json.errors[0].path).toBe("consent");
    const mine = await call("GET", "/v1/referrals?box=sent&limit=200", { token: a.key });
    expect(mine.json.items.some((r: { externalReference?: string }) => r.externalReference === ref)).toBe(
      false,
    );
  });

  it("the same Idempotency-Key and body return the original response, another body is a 422", async () => {
    const key = `idem-${Date.now()}`;
    const payload = body();
    const first = await call("POST", "/v1/referrals", {
      token: a.key,
      body: payload,
      headers: { "idempotency-key": key },
    });
    const again = await call("POST", "/v1/referrals", {
      token: a.key,
      body: payload,
      headers: { "idempotency-key": key },
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json.id).toBe(first.json.id);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const other = await call("POST", "/v1/referrals", {
      token: a.key,
      body: { ...payload, narrative: "something else" },
      headers: { "idempotency-key": key },
    });
    expect(other.status).toBe(422);
    expect(other.json.code).toBe("invalid");
    expect(other.json.errors[0].code).toBe("idempotency.mismatch");
    // keys are per organisation: partner B may use the same key for its own request
    const theirs = await call("POST", "/v1/referrals", {
      token: b.key,
      body: payload,
      headers: { "idempotency-key": key },
    });
    expect(theirs.status).toBe(201);
    expect(theirs.json.id).not.toBe(first.json.id);
  });

  it("twenty simultaneous retries of one request create one referral", async () => {
    const key = `burst-${Date.now()}`;
    const payload = body({ externalReference: key });
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        call("POST", "/v1/referrals", { token: a.key, body: payload, headers: { "idempotency-key": key } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(results.map((r) => r.json.id)).size).toBe(1);
    const sent = await call("GET", "/v1/referrals?box=sent&limit=200", { token: a.key });
    expect(
      sent.json.items.filter((r: { externalReference?: string }) => r.externalReference === key),
    ).toHaveLength(1);
  });

  it("partner B cannot see partner A's referral: 404, never 403", async () => {
    const created = await call("POST", "/v1/referrals", { token: a.key, body: body() });
    const own = await call("GET", `/v1/referrals/${created.json.id}`, { token: a.key });
    expect(own.status).toBe(200);
    const other = await call("GET", `/v1/referrals/${created.json.id}`, { token: b.key });
    expect(other.status).toBe(404);
    const accept = await call("POST", `/v1/referrals/${created.json.id}/accept`, { token: b.key, body: {} });
    expect(accept.status).toBe(404);
    const list = await call("GET", "/v1/referrals?box=sent&limit=200", { token: b.key });
    expect(list.json.items.some((r: { id: string }) => r.id === created.json.id)).toBe(false);
    const unknown = await call("GET", "/v1/referrals/ref_01JD0000000000000000000000", { token: a.key });
    expect(unknown.status).toBe(404);
  });

  it("a partner accepts and completes a referral addressed to it, seeing only the agreed fields", async () => {
    const staff = await as(ops.users.caseworker.actor, () =>
      Referral.create({
        officeID: ops.officeA,
        toOrganisationID: b.organisationID,
        serviceCategory: "health",
        reason: "Medical follow-up",
        consent: { given: true, date: "2026-11-20" },
        person: {
          givenName: "Omar",
          familyName: "Saleh",
          sex: "male",
          phone: "+525511112222",
          nationality: "SYR",
          specificNeeds: ["SM"],
        },
      }),
    );
    const seen = await call("GET", `/v1/referrals/${staff.referralID}`, { token: b.key });
    expect(seen.status).toBe(200);
    expect(seen.json.direction).toBe("received");
    expect(seen.json.person.givenName).toBe("Omar");
    expect(seen.json.person.nationality).toBeUndefined(); // not in the default agreement
    expect(seen.json.person.specificNeeds).toBeUndefined();
    const inbox = await call("GET", "/v1/referrals?box=received&status=pending", { token: b.key });
    expect(inbox.json.items.map((r: { id: string }) => r.id)).toContain(staff.referralID);
    expect((await call("GET", `/v1/referrals/${staff.referralID}`, { token: a.key })).status).toBe(404);

    const accepted = await call("POST", `/v1/referrals/${staff.referralID}/accept`, {
      token: b.key,
      body: {},
    });
    expect(accepted.status).toBe(200);
    expect(accepted.json.status).toBe("accepted");
    const noNote = await call("POST", `/v1/referrals/${staff.referralID}/complete`, {
      token: b.key,
      body: {},
    });
    expect(noNote.status).toBe(422);
    expect(noNote.json.errors[0].path).toBe("serviceNote");
    const done = await call("POST", `/v1/referrals/${staff.referralID}/complete`, {
      token: b.key,
      body: { serviceNote: "Seen by the clinic" },
    });
    expect(done.json.status).toBe("completed");
    expect(done.json.serviceNote).toBe("Seen by the clinic");
    const since = await call(
      "GET",
      `/v1/referrals?box=received&updatedSince=${encodeURIComponent(staff.timeCreated)}`,
      { token: b.key },
    );
    expect(since.json.items.find((r: { id: string }) => r.id === staff.referralID)?.status).toBe("completed");
  });

  it("a key without the respond scope cannot answer, and cursors cannot be forged", async () => {
    const readOnly = await createPartnerKey(ops.operationID, ["referrals:read"], "Read only");
    const res = await call("POST", "/v1/referrals/ref_01JD0000000000000000000000/decline", {
      token: readOnly.key,
      body: { reason: "x" },
    });
    expect(res.status).toBe(403);
    const forged = await call("GET", "/v1/referrals?cursor=abc.def", { token: a.key });
    expect(forged.status).toBe(422);
    expect(forged.json.errors[0].path).toBe("cursor");
  });

  it("every partner call is audited with route and outcome, without bodies", async () => {
    await call("GET", "/v1/referrals/ref_01JD0000000000000000000000", { token: a.key });
    const events = (await AuditEntity.query.byRecord({ recordID: a.organisationID }).go({ pages: "all" }))
      .data;
    const call404 = events.find(
      (e) =>
        e.action === "GET /v1/referrals/:id" &&
        (e.changes as { status: { after: number } }).status.after === 404,
    );
    expect(call404).toBeDefined();
    expect(call404?.actorID).toBe(`${a.organisationID}/${a.keyID}`);
    expect(JSON.stringify(events)).not.toContain("Haddad");
  });

  it("a call that commits a referral records its audit event in the same transaction, once", async () => {
    const calls = async () =>
      (await AuditEntity.query.byRecord({ recordID: b.organisationID }).go({ pages: "all" })).data.filter(
        (e) => e.recordType === "api_call",
      );
    const before = await calls();
    const res = await call("POST", "/v1/referrals", { token: b.key, body: body() });
    expect(res.status).toBe(201);
    const bad = await call("POST", "/v1/referrals", {
      token: b.key,
      body: { ...body(), consent: undefined },
    });
    expect(bad.status).toBe(422);
    const added = (await calls()).filter((e) => !before.some((x) => x.auditID === e.auditID));
    const statuses = added
      .map((e) => (e.changes as { status: { after: unknown } }).status.after)
      .sort((x, y) => String(x).localeCompare(String(y)));
    // One event per call: the created referral's inside its transaction ("committed"), the refused one with 422.
    expect(statuses).toEqual([422, "committed"]);
    const committed = added.find(
      (e) => (e.changes as { status: { after: unknown } }).status.after === "committed",
    )!;
    expect(committed.action).toBe("POST /v1/referrals");
    expect(committed.actorID).toBe(`${b.organisationID}/${b.keyID}`);
    expect(
      (await AuditEntity.query.byRecord({ recordID: res.json.id }).go()).data.map((e) => e.action),
    ).toEqual(["create"]);
  });

  it("rate limits per key answer 429 with Retry-After; oversized bodies 413", async () => {
    const limited = await as({ type: "system", reason: "test" }, async () => {
      const { Organisation } = await import("@waypoint/core");
      const org = await Organisation.create({ operationID: ops.operationID, name: "Limited" });
      return Organisation.createKey({
        organisationID: org.organisationID,
        name: "k",
        scopes: ["referrals:read"],
        rateLimitPerMinute: 3,
      });
    });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await call("GET", "/v1/referrals", { token: limited.key })).status);
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    const last = await call("GET", "/v1/referrals", { token: limited.key });
    expect(last.status).toBe(429);
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
    const huge = await call("POST", "/v1/referrals", {
      token: a.key,
      body: body({ narrative: "x".repeat(300 * 1024) }),
    });
    expect(huge.status).toBe(413);
  });
});
