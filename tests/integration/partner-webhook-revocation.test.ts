import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "@waypoint/core";
import { AuditEntity } from "@waypoint/core/audit/audit.entity";
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

/** A partner's receiving endpoint: a real HTTP server recording every body it gets. */
const received: string[] = [];
const server: Server = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    received.push(body);
    res.end("ok");
  });
});
let url: string;
let op: TestOperation;

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  op = await createTestOperation();
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const dispatch = () => as(system, () => Webhook.dispatch({ backoffBaseMs: 50 }));
const events = async (organisationID: string) =>
  (await OutboxEntity.query.byOrganisation({ organisationID }).go({ pages: "all" })).data;
const history = async (organisationID: string) =>
  (await AuditEntity.query.byRecord({ recordID: organisationID }).go({ pages: "all" })).data;

/** A referral staff send to the partner: it writes an event for the partner's webhook. */
async function referTo(organisationID: string, reason: string) {
  const res = await call("POST", "/api/referrals", {
    token: op.users.caseworker.token,
    body: {
      officeID: op.officeA,
      toOrganisationID: organisationID,
      serviceCategory: "legal",
      reason,
      consent: { given: true, date: "2026-11-20" },
    },
  });
  expect(res.status, JSON.stringify(res.json)).toBeLessThan(300);
  return res.json.referralID as string;
}

describe("a partner's webhook lives no longer than the key that registered it", () => {
  it("revoking the key that registered the webhook removes it: queued and later events are not delivered", async () => {
    const partner = await createPartnerKey(op.operationID, ["referrals:read"], "Leaky partner");
    const set = await call("PUT", "/v1/webhook", { token: partner.key, body: { url } });
    expect(set.status).toBe(200);
    const queued = await referTo(partner.organisationID, "Legal aid before revocation");
    expect((await events(partner.organisationID)).filter((e) => e.payload.includes(queued))).toHaveLength(1);

    const denied = await call(
      "POST",
      `/api/organisations/${partner.organisationID}/keys/${partner.keyID}/revoke`,
      {
        token: op.users.supervisor.token,
      },
    );
    expect(denied.status).toBe(403);
    const revoked = await call(
      "POST",
      `/api/organisations/${partner.organisationID}/keys/${partner.keyID}/revoke`,
      {
        token: op.users.admin.token,
      },
    );
    expect(revoked.status, JSON.stringify(revoked.json)).toBe(200);
    expect(revoked.json).toMatchObject({ revoked: true, webhookRemoved: true });
    expect((await call("GET", "/v1/webhook", { token: partner.key })).status).toBe(401);

    const stored = (await OrganisationEntity.get({ organisationID: partner.organisationID }).go()).data!;
    expect(stored.webhookUrl).toBeUndefined();
    expect(stored.webhookSecret).toBeUndefined();
    const later = await referTo(partner.organisationID, "Legal aid after revocation");
    await dispatch();
    expect(received.filter((b) => b.includes(queued) || b.includes(later))).toEqual([]);
    const ev = (await events(partner.organisationID)).find((e) => e.payload.includes(queued))!;
    expect(ev.state).toBe("failed");

    const audit = await history(partner.organisationID);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["apiKey.revoke", "webhook.remove"]));
    const removal = audit.find((a) => a.action === "webhook.remove")!;
    expect(removal.changes).toMatchObject({ webhookUrl: { before: url } });
    expect(removal.actorID).toBe(op.users.admin.userID);
  });

  it("revoking another key of the partner leaves the webhook its working key registered", async () => {
    const partner = await createPartnerKey(op.operationID, ["referrals:read"], "Two keys");
    const spare = await call("POST", `/api/organisations/${partner.organisationID}/keys`, {
      token: op.users.admin.token,
      body: { name: "spare", scopes: ["referrals:read"] },
    });
    expect(spare.status, JSON.stringify(spare.json)).toBe(200);
    expect((await call("PUT", "/v1/webhook", { token: partner.key, body: { url } })).status).toBe(200);
    const revoked = await call(
      "POST",
      `/api/organisations/${partner.organisationID}/keys/${spare.json.keyID}/revoke`,
      {
        token: op.users.admin.token,
      },
    );
    expect(revoked.json).toMatchObject({ revoked: true, webhookRemoved: false });
    const referralID = await referTo(partner.organisationID, "Still delivered");
    await dispatch();
    expect(received.filter((b) => b.includes(referralID))).toHaveLength(1);
  });

  it("a key is revoked only by an administrator of its own operation", async () => {
    const partner = await createPartnerKey(op.operationID, ["referrals:read"], "Other operation's partner");
    const other = await createTestOperation();
    const res = await call(
      "POST",
      `/api/organisations/${partner.organisationID}/keys/${partner.keyID}/revoke`,
      {
        token: other.users.admin.token,
      },
    );
    // another operation's organisation is not theirs to see: the same answer as one that does not exist
    expect(res.status).toBe(404);
    expect((await call("GET", "/v1/webhook", { token: partner.key })).status).toBe(200);
  });
});

describe("staff can remove a partner's webhook", () => {
  it("an administrator removes it (audited with the old URL); events no longer reach the partner", async () => {
    const partner = await createPartnerKey(op.operationID, ["referrals:read"], "Removed hook");
    expect((await call("PUT", "/v1/webhook", { token: partner.key, body: { url } })).status).toBe(200);
    const queued = await referTo(partner.organisationID, "Queued before removal");
    const denied = await call("DELETE", `/api/organisations/${partner.organisationID}/webhook`, {
      token: op.users.caseworker.token,
    });
    expect(denied.status).toBe(403);
    const removed = await call("DELETE", `/api/organisations/${partner.organisationID}/webhook`, {
      token: op.users.admin.token,
    });
    expect(removed.status).toBe(204);
    expect((await call("GET", "/v1/webhook", { token: partner.key })).json).toEqual({ url: null });
    await dispatch();
    expect(received.filter((b) => b.includes(queued))).toEqual([]);
    const removal = (await history(partner.organisationID)).find((a) => a.action === "webhook.remove")!;
    expect(removal).toMatchObject({
      actorID: op.users.admin.userID,
      changes: { webhookUrl: { before: url } },
    });
  });
});
