import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { Organisation } from "@waypoint/core";
import { ReferralEntity } from "@waypoint/core/referral/referral.entity";
import { LeadEntity } from "@waypoint/core/intake/intake.entity";
import { InterestRequest, PartnerReferralRequest } from "@waypoint/schema";
import { as, call, createTestOperation, system, type TestOperation } from "../support/fixtures.ts";

let ops: TestOperation;
let key: string;
let organisationID: string;
const statuses = new Map<number, number>();
const seen = (s: number) => statuses.set(s, (statuses.get(s) ?? 0) + 1);

const valid = {
  person: { givenName: "Ana", familyName: "Lopez", sex: "female", estimatedAge: 30 },
  consent: { dataSharing: true, date: "2026-11-20" },
  serviceCategory: "legal",
  narrative: "Needs advice",
};

/** Breaks one field of a valid body: wrong type, removed, or an unknown field added. */
const mutated = fc
  .tuple(
    fc.constantFrom(
      "person",
      "person.givenName",
      "person.sex",
      "person.estimatedAge",
      "person.dateOfBirth",
      "person.phone",
      "person.languages",
      "person.specificNeeds",
      "consent",
      "consent.dataSharing",
      "consent.date",
      "serviceCategory",
      "urgency",
      "narrative",
      "extra",
    ),
    fc.oneof(
      fc.constant(undefined),
      fc.anything(),
      fc.string({ maxLength: 5000 }),
      fc.integer(),
      fc.double(),
    ),
  )
  .map(([path, value]) => {
    const body = structuredClone(valid) as Record<string, unknown>;
    const parts = path.split(".");
    let target = body;
    for (const p of parts.slice(0, -1)) target = target[p] as Record<string, unknown>;
    target[parts.at(-1)!] = value;
    return body;
  });

beforeAll(async () => {
  ops = await createTestOperation();
  const k = await as(system, async () => {
    const org = await Organisation.create({ operationID: ops.operationID, name: "Fuzzer" });
    return Organisation.createKey({
      organisationID: org.organisationID,
      name: "fuzz",
      scopes: ["referrals:write", "referrals:read", "referrals:respond", "intake:kobo"],
      rateLimitPerMinute: 100_000,
    });
  });
  key = k.key;
  organisationID = k.organisationID;
});

const stored = async () =>
  (await ReferralEntity.query.bySender({ fromOrganisationID: organisationID }).go({ pages: "all" })).data
    .length;

/**
 * Runs per property: 40 % of the full set in `npm test` (each run draws new cases: fast-check's seed changes every
 * time, so coverage grows run after run); `FUZZ_SCALE=1` for the full set, more for a long soak.
 */
const scale = Number(process.env.FUZZ_SCALE ?? "0.4");
const runs = (full: number) => Math.max(50, Math.round(full * scale));

describe("malformed partner requests (fast-check)", () => {
  it("referral bodies: never a 5xx, and a referral is stored only when the body is valid", async () => {
    let created = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 3, arbitrary: mutated }, { weight: 1, arbitrary: fc.anything() }),
        async (body) => {
          const text = JSON.stringify(body) ?? "";
          const res = await call("POST", "/v1/referrals", { token: key, body: text });
          seen(res.status);
          expect(res.status).toBeLessThan(500);
          // judge what went over the wire (JSON drops undefined members)
          const ok = text !== "" && PartnerReferralRequest.safeParse(JSON.parse(text)).success;
          expect(res.status === 201).toBe(ok);
          if (ok) created++;
          else expect(res.headers.get("content-type")).toContain("application/problem+json");
        },
      ),
      { numRuns: runs(1500) },
    );
    expect(await stored()).toBe(created);
  }, 300_000);

  it("raw bodies, query strings and idempotency keys: never a 5xx", async () => {
    const before = await stored();
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 2000 }), fc.string({ maxLength: 300 }), async (raw, idem) => {
        const headers: Record<string, string> = {};
        if (/^[\x20-\x7e]*$/.test(idem)) headers["idempotency-key"] = idem;
        const res = await call("POST", "/v1/referrals", { token: key, body: raw, headers });
        seen(res.status);
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: runs(500) },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            status: fc.string(),
            updatedSince: fc.string(),
            cursor: fc.string(),
            limit: fc.string(),
            box: fc.string(),
          },
          { requiredKeys: [] },
        ),
        fc.string({ maxLength: 60 }),
        async (q, id) => {
          const qs = new URLSearchParams(q as Record<string, string>).toString();
          const list = await call("GET", `/v1/referrals?${qs}`, { token: key });
          seen(list.status);
          expect(list.status).toBeLessThan(500);
          const one = await call("GET", `/v1/referrals/${encodeURIComponent(id) || "x"}`, { token: key });
          seen(one.status);
          expect(one.status).toBeLessThan(500);
        },
      ),
      { numRuns: runs(400) },
    );
    expect(await stored()).toBe(before);
  }, 300_000);

  it("Kobo submissions of any shape are answered 2xx or 4xx, never 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (payload) => {
        const res = await call("POST", "/v1/intake/kobo/fuzz-form", {
          body: JSON.stringify(payload),
          headers: { "x-waypoint-key": key },
        });
        seen(res.status);
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: runs(400) },
    );
  }, 300_000);

  it("public interest: malformed forms store no lead", async () => {
    const leads = async () =>
      (await LeadEntity.query.byOperation({ operationID: ops.operationID }).go({ pages: "all" })).data.length;
    const before = await leads();
    let i = 0;
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (body) => {
        const text = JSON.stringify(body ?? null);
        const res = await call("POST", "/v1/public/interest", {
          body: text,
          headers: { "x-forwarded-for": `10.77.${Math.floor(i / 250) % 250}.${i++ % 250}` },
        });
        seen(res.status);
        expect(res.status).toBeLessThan(500);
        expect(res.status === 202).toBe(InterestRequest.safeParse(JSON.parse(text)).success);
      }),
      { numRuns: runs(500) },
    );
    expect(await leads()).toBe(before);
    console.info("status counts", Object.fromEntries(statuses));
  }, 300_000);
});
