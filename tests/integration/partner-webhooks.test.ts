import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Referral, Webhook } from "@waypoint/core";
import { OrganisationEntity } from "@waypoint/core/organisation/organisation.entity";
import { OutboxEntity } from "@waypoint/core/webhook/webhook.entity";
import {
  as,
  call,
  createPartnerKey,
  createTestOperation,
  system,
  type TestOperation,
} from "../support/fixtures.ts";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A partner's receiving endpoint: a real HTTP server that answers with the next status in `plan` (then 200). */
function receiver() {
  const received: Received[] = [];
  const plan: number[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.statusCode = plan.shift() ?? 200;
      res.end("ok");
    });
  });
  return {
    received,
    plan,
    server,
    async start() {
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
    },
  };
}

let ops: TestOperation;
let a: Awaited<ReturnType<typeof createPartnerKey>>;
let b: Awaited<ReturnType<typeof createPartnerKey>>;
const hook = receiver();
let secret: string;

const dispatch = (opts: Webhook.DispatchOptions = {}) =>
  as(system, () => Webhook.dispatch({ backoffBaseMs: 50, ...opts }));
const events = async (organisationID: string) =>
  (await OutboxEntity.query.byOrganisation({ organisationID }).go({ pages: "all" })).data;

beforeAll(async () => {
  ops = await createTestOperation();
  a = await createPartnerKey(
    ops.operationID,
    ["referrals:write", "referrals:read", "referrals:respond"],
    "Sender",
  );
  b = await createPartnerKey(ops.operationID, ["referrals:read", "referrals:respond"], "Other");
  const url = await hook.start();
  const res = await call("PUT", "/v1/webhook", { token: a.key, body: { url } });
  expect(res.status).toBe(200);
  secret = res.json.secret;
});
afterAll(() => new Promise<void>((r) => hook.server.close(() => r())));

describe("partner webhooks", () => {
  it("registering returns the signing secret once; reading never shows it", async () => {
    expect(secret).toMatch(/^whsec_/);
    const got = await call("GET", "/v1/webhook", { token: a.key });
    expect(got.json).toEqual({ url: expect.stringContaining("/hooks") });
    expect(got.text).not.toContain("whsec_");
    // Stored sealed (AES-GCM under the at-rest key, common/seal.ts), never as issued.
    const stored = (await OrganisationEntity.get({ organisationID: a.organisationID }).go()).data!;
    expect(stored.webhookSecret).toMatch(/^sealed\.v2\.\d{4}\./);
    expect(stored.webhookSecret).not.toContain(secret.slice(6));
    const bad = await call("PUT", "/v1/webhook", { token: b.key, body: { url: "not a url" } });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0].path).toBe("url");
  });

  it("a status change reaches the partner signed with HMAC-SHA256 over timestamp.body", async () => {
    const sent = await call("POST", "/v1/referrals", {
      token: a.key,
      body: {
        person: { givenName: "Lina", familyName: "Nasser", sex: "female", estimatedAge: 29 },
        consent: { dataSharing: true, date: "2026-11-20" },
        serviceCategory: "shelter",
        narrative: "Needs a safe shelter tonight.",
      },
    });
    expect(sent.status).toBe(201);
    // the partner made this change itself: no event for it
    expect((await events(a.organisationID)).filter((e) => e.payload.includes(sent.json.id))).toHaveLength(0);
    const stored = await Referral.load(sent.json.id);
    await as(ops.users.caseworker.actor, () =>
      Referral.respond({ referralID: sent.json.id, outcome: "accept", version: stored!.version }),
    );
    // the outbox event was committed with the status change
    const pending = (await events(a.organisationID)).filter((e) => e.payload.includes(sent.json.id));
    expect(pending).toHaveLength(1);
    expect(pending[0]!.state).toBe("pending");

    const before = hook.received.length;
    const result = await dispatch();
    expect(result.delivered).toBeGreaterThanOrEqual(1);
    const got = hook.received.slice(before).find((r) => r.body.includes(sent.json.id))!;
    expect(got).toBeDefined();
    const payload = JSON.parse(got.body);
    expect(payload).toMatchObject({
      type: "referral.accepted",
      data: { referralID: sent.json.id, status: "accepted", box: "sent" },
    });
    expect(got.body).not.toContain("Nasser"); // events carry no personal data
    expect(got.headers["waypoint-event-id"]).toBe(payload.id);
    const sig = String(got.headers["waypoint-signature"]);
    expect(sig).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(Webhook.verify(secret, got.body, sig)).toBe(true);
    expect(Webhook.verify(secret, got.body.replace("accepted", "declined"), sig)).toBe(false);
    expect(Webhook.verify("whsec_wrong", got.body, sig)).toBe(false);
    const again = await dispatch();
    expect(hook.received.filter((r) => r.body.includes(sent.json.id))).toHaveLength(1);
    expect(again.delivered).toBe(0);
  });

  it("failed deliveries are retried with back-off, logged, and can be replayed", async () => {
    const staff = await as(ops.users.caseworker.actor, () =>
      Referral.create({
        officeID: ops.officeA,
        toOrganisationID: a.organisationID,
        serviceCategory: "legal",
        reason: "Legal aid",
        consent: { given: true, date: "2026-11-20" },
        person: { givenName: "Ali", familyName: "Karim" },
      }),
    );
    hook.plan.push(500, 503);
    const t0 = Date.now();
    const first = await dispatch({ backoffBaseMs: 400 });
    expect(first.retrying).toBe(1);
    let ev = (await events(a.organisationID)).find((e) => e.payload.includes(staff.referralID))!;
    expect(ev.type).toBe("referral.created");
    expect(ev.state).toBe("pending");
    expect(ev.nextAttemptAt).toBeGreaterThan(t0 + 300);
    expect(await dispatch({ backoffBaseMs: 400 })).toMatchObject({ delivered: 0, retrying: 0 }); // not due yet
    await new Promise((r) => setTimeout(r, ev.nextAttemptAt - Date.now() + 20));
    expect((await dispatch({ backoffBaseMs: 400 })).retrying).toBe(1);
    ev = (await OutboxEntity.get({ eventID: ev.eventID }).go()).data!;
    expect(ev.attempts).toBe(2);
    await new Promise((r) => setTimeout(r, ev.nextAttemptAt - Date.now() + 20));
    expect((await dispatch({ backoffBaseMs: 400 })).delivered).toBe(1);
    const log = await call("GET", "/v1/webhook/deliveries", { token: a.key });
    const entry = log.json.items.find((i: { eventID: string }) => i.eventID === ev.eventID);
    expect(entry.state).toBe("delivered");
    expect(entry.log.map((l: { status: number }) => l.status)).toEqual([500, 503, 200]);

    const n = hook.received.filter((r) => r.body.includes(staff.referralID)).length;
    expect((await call("POST", `/v1/webhook/deliveries/${ev.eventID}/replay`, { token: b.key })).status).toBe(
      404,
    );
    const replay = await call("POST", `/v1/webhook/deliveries/${ev.eventID}/replay`, { token: a.key });
    expect(replay.status).toBe(202);
    await dispatch();
    const copies = hook.received.filter((r) => r.body.includes(staff.referralID));
    expect(copies).toHaveLength(n + 1);
    expect(copies.at(-1)!.headers["waypoint-event-id"]).toBe(ev.eventID);
    ev = (await OutboxEntity.get({ eventID: ev.eventID }).go()).data!;
    expect(ev.state).toBe("delivered");
  });

  it("gives up after the last attempt and marks the event failed", async () => {
    const staff = await as(ops.users.caseworker.actor, () =>
      Referral.create({
        officeID: ops.officeA,
        toOrganisationID: a.organisationID,
        serviceCategory: "food",
        reason: "Food parcel",
        consent: { given: true, date: "2026-11-20" },
      }),
    );
    hook.plan.push(500, 500);
    await dispatch({ maxAttempts: 2 });
    await new Promise((r) => setTimeout(r, 80));
    const res = await dispatch({ maxAttempts: 2 });
    expect(res.failed).toBe(1);
    const ev = (await events(a.organisationID)).find((e) => e.payload.includes(staff.referralID))!;
    expect(ev.state).toBe("failed");
    expect(ev.attempts).toBe(2);
  });

  it("an organisation without a webhook gets no outbox events, and an admin can set one", async () => {
    await as(ops.users.caseworker.actor, () =>
      Referral.create({
        officeID: ops.officeA,
        toOrganisationID: b.organisationID,
        serviceCategory: "food",
        reason: "Food parcel",
        consent: { given: true, date: "2026-11-20" },
      }),
    );
    expect(await events(b.organisationID)).toHaveLength(0);
    const set = await call("PUT", `/api/organisations/${b.organisationID}/webhook`, {
      token: ops.users.admin.token,
      body: { url: "https://partner.example.org/hooks" },
    });
    expect(set.status).toBe(200);
    expect(set.json.secret).toMatch(/^whsec_/);
    const denied = await call("PUT", `/api/organisations/${b.organisationID}/webhook`, {
      token: ops.users.caseworker.token,
      body: { url: "https://partner.example.org/hooks" },
    });
    expect(denied.status).toBe(403);
  });
});

describe("webhook targets must be public (no requests into our own network)", () => {
  it("refuses private, link-local, metadata and internal-only URLs with the field path, and accepts a public one", async () => {
    const org = await createPartnerKey(ops.operationID, ["referrals:read"], "Probe");
    for (const url of [
      "http://169.254.169.254/latest/meta-data/",
      "http://10.0.0.5/hooks",
      "https://172.20.1.1/hooks",
      "https://192.168.1.10/hooks",
      "https://100.64.0.7/hooks",
      "https://[fd00::1]/hooks",
      "https://[fe80::1]/hooks",
      "https://[::ffff:10.1.2.3]/hooks",
      "https://0.0.0.0/hooks",
      "https://metadata/hooks",
      "https://vault.internal/hooks",
      "https://[not-an-address/hooks",
      "https://exa mple.org/hooks",
    ]) {
      const res = await call("PUT", "/v1/webhook", { token: org.key, body: { url } });
      expect(res.status, url).toBe(422);
      expect(res.json.errors[0].path).toBe("url");
      expect(res.json.errors[0].message).toMatch(/public|URL/);
    }
    const ok = await call("PUT", "/v1/webhook", {
      token: org.key,
      body: { url: "https://hooks.partner.example.org/in" },
    });
    expect(ok.status).toBe(200);
  });

  it("classifies addresses: public ones pass, private, reserved and embedded private IPv4 do not", async () => {
    const { blockedReason } = await import("@waypoint/core/webhook/address");
    for (const ip of ["8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "1.1.1.1"])
      expect(blockedReason(ip), ip).toBeUndefined();
    for (const ip of [
      "172.31.255.255",
      "127.0.0.1",
      "::1",
      "::",
      "64:ff9b::a00:1",
      "ff02::1",
      "224.0.0.1",
      "2001:db8::1",
    ])
      expect(blockedReason(ip), ip).toBeDefined();
    expect(blockedReason("127.0.0.1", true)).toBeUndefined();
    expect(blockedReason("10.0.0.1", true)).toBeDefined();
  });

  it("refuses at delivery time a name that resolves to a non-public address, before connecting", async () => {
    const { postGuarded } = await import("@waypoint/core/webhook/address");
    const before = hook.received.length;
    const port = (hook.server.address() as AddressInfo).port;
    // "localhost" resolves to the loopback address: refused when loopback is not allowed (as on AWS).
    await expect(
      postGuarded(`http://localhost:${port}/hooks`, {}, "{}", { timeoutMs: 2000, allowLoopback: false }),
    ).rejects.toMatchObject({ name: "BlockedAddressError" });
    await expect(
      postGuarded("http://169.254.169.254/latest", {}, "{}", { timeoutMs: 2000, allowLoopback: true }),
    ).rejects.toMatchObject({ name: "BlockedAddressError" });
    expect(hook.received.length).toBe(before);
  });
});
