import { beforeAll, describe, expect, it } from "vitest";
import { Auth, Organisation } from "@waypoint/core";
import { as, call, createTestOperation, system, type TestOperation } from "../support/fixtures.ts";

/** Idempotency keys belong to a caller, and a replay still checks who asks. */
let t: TestOperation;
let payeeID: string;
const body = () => ({
  rows: [{ values: { payeeID, purpose: "supplier_invoice", amount: 99900, currency: "MXN" } }],
});
const payments = async () =>
  (await call("GET", `/api/payments?payeeID=${payeeID}`, { token: t.users.finance.token })).json.items.length;

/** A token for the same user with another role (their rights changed). */
const tokenAs = async (u: TestOperation["users"]["caseworker"], role: "finance" | "caseworker") =>
  (
    await Auth.issue({
      userID: u.userID,
      email: u.email,
      name: "changing roles",
      grants: [{ operationID: t.operationID, role, officeIDs: role === "finance" ? [] : [t.officeA] }],
    } as never)
  ).token;

beforeAll(async () => {
  t = await createTestOperation();
  const payee = await call("POST", "/api/payees", {
    token: t.users.finance.token,
    body: {
      kind: "supplier",
      name: "Proveedor",
      channel: { type: "bank", accountNumber: "012180001234567897" },
    },
  });
  expect(payee.status, JSON.stringify(payee.json)).toBe(201);
  payeeID = payee.json.payeeID;
});

describe("idempotency keys", () => {
  it("a colleague without payment rights who sends a finance officer's key gets 403, not the stored answer", async () => {
    const headers = { "idempotency-key": `colleague-${Date.now()}` };
    const first = await call("POST", "/api/payments", {
      token: t.users.finance.token,
      body: body(),
      headers,
    });
    expect(first.status).toBe(200);
    expect(first.json.summary).toEqual({ created: 1 });
    const before = await payments();
    const replayed = await call("POST", "/api/payments", {
      token: t.users.caseworker.token,
      body: body(),
      headers,
    });
    expect(replayed.status).toBe(403);
    expect(replayed.headers.get("idempotent-replayed")).toBeNull();
    expect(replayed.text).not.toContain(first.json.results[0].id);
    // the finance officer's own retry is still the original answer, and nothing new was stored
    const again = await call("POST", "/api/payments", {
      token: t.users.finance.token,
      body: body(),
      headers,
    });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.json.results[0].id).toBe(first.json.results[0].id);
    expect(await payments()).toBe(before);
  });

  it("a refusal is not stored: once the caller has the rights, the same key and body run; losing them refuses the replay", async () => {
    const u = t.users.caseworker;
    const headers = { "idempotency-key": `rights-${Date.now()}` };
    const before = await payments();
    const refused = await call("POST", "/api/payments", {
      token: await tokenAs(u, "caseworker"),
      body: body(),
      headers,
    });
    expect(refused.status).toBe(403);
    const granted = await call("POST", "/api/payments", {
      token: await tokenAs(u, "finance"),
      body: body(),
      headers,
    });
    expect(granted.status, JSON.stringify(granted.json)).toBe(200);
    expect(granted.headers.get("idempotent-replayed")).toBeNull();
    expect(granted.json.summary).toEqual({ created: 1 });
    expect(await payments()).toBe(before + 1);
    // the same user after the rights were taken away: 403 before any stored answer
    const revoked = await call("POST", "/api/payments", {
      token: await tokenAs(u, "caseworker"),
      body: body(),
      headers,
    });
    expect(revoked.status).toBe(403);
    expect(revoked.headers.get("idempotent-replayed")).toBeNull();
    const replay = await call("POST", "/api/payments", {
      token: await tokenAs(u, "finance"),
      body: body(),
      headers,
    });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.json.results[0].id).toBe(granted.json.results[0].id);
    expect(await payments()).toBe(before + 1);
  });

  it("two staff users behind one address do not share keys", async () => {
    const headers = { "idempotency-key": `shared-nat-${Date.now()}`, "x-forwarded-for": "203.0.113.7" };
    const finance = await call("POST", "/api/payments", {
      token: t.users.finance.token,
      body: body(),
      headers,
    });
    expect(finance.status).toBe(200);
    const other = await call("POST", "/api/payments", {
      token: await tokenAs(t.users.supervisor, "finance"),
      body: body(),
      headers,
    });
    expect(other.status).toBe(200);
    expect(other.headers.get("idempotent-replayed")).toBeNull();
    expect(other.json.results[0].id).not.toBe(finance.json.results[0].id);
  });

  it("a partner's keys are per API key: another key of the same organisation does not get its answer", async () => {
    const { key1, key2 } = await as(system, async () => {
      const org = await Organisation.create({ operationID: t.operationID, name: "Two keys" });
      const scopes = ["referrals:write", "referrals:read"] as const;
      const k1 = await Organisation.createKey({
        organisationID: org.organisationID,
        name: "one",
        scopes: [...scopes],
      });
      const k2 = await Organisation.createKey({
        organisationID: org.organisationID,
        name: "two",
        scopes: [...scopes],
      });
      return { key1: k1.key, key2: k2.key };
    });
    const referral = {
      person: { givenName: "Lina", familyName: `Nasser${Date.now()}`, sex: "female", estimatedAge: 30 },
      consent: { dataSharing: true, date: "2026-11-20" },
      serviceCategory: "legal",
      urgency: "urgent",
      narrative: "Needs legal counselling.",
    };
    const headers = { "idempotency-key": `per-key-${Date.now()}` };
    const first = await call("POST", "/v1/referrals", { token: key1, body: referral, headers });
    expect(first.status).toBe(201);
    const same = await call("POST", "/v1/referrals", { token: key1, body: referral, headers });
    expect(same.headers.get("idempotent-replayed")).toBe("true");
    const other = await call("POST", "/v1/referrals", { token: key2, body: referral, headers });
    expect(other.status).toBe(201);
    expect(other.headers.get("idempotent-replayed")).toBeNull();
    expect(other.json.id).not.toBe(first.json.id);
  });
});
