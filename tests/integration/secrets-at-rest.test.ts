import { createCipheriv, hkdfSync, randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Auth, User, Webhook } from "@waypoint/core";
import { resetConfig } from "@waypoint/core/config";
import { SigningKeys } from "@waypoint/core/auth/keys";
import { SecondFactor } from "@waypoint/core/auth/totp";
import { SecondFactorEntity } from "@waypoint/core/auth/second-factor.entity";
import { transactWrite } from "@waypoint/core/common/db";
import { open, SealKeys, seal } from "@waypoint/core/common/seal";
import { OrganisationEntity } from "@waypoint/core/organisation/organisation.entity";
import { resealLegacySecrets } from "@waypoint/core/privacy/reseal-secrets";
import { as, call, createPartnerKey, createTestOperation, system, type TestOperation } from "../support/fixtures.ts";

/**
 * Secrets at rest (common/seal.ts) are sealed with the deployment's at-rest key ring (wrapped by the master key:
 * the local key file here, KMS on AWS), not with a key derived from the AuthSecret: rotating the signing secret
 * and waiting past its grace hour (the clock faked as in key-rotation.test.ts) leaves TOTP sign-in, recovery codes
 * and webhook signing working. Values sealed the old way are sealed again at use or by the job, and the old way's
 * failure after a rotation is shown on a value left as it was.
 */
const OLD = process.env.WAYPOINT_AUTH_SECRET!;
const NEW = "rotated-at-rest-secret-7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d";
const PASSWORD = "pw-test";

/** The AuthSecret rotated at `rotatedAt` (the previous one kept for the grace hour after it). */
function rotate(rotatedAt: number) {
  process.env.WAYPOINT_AUTH_SECRET = NEW;
  process.env.WAYPOINT_AUTH_SECRET_PREVIOUS = OLD;
  process.env.WAYPOINT_AUTH_SECRET_ROTATED_AT = new Date(rotatedAt).toISOString();
  resetConfig();
}
const pastGrace = () => rotate(Date.now() - SigningKeys.GRACE_SECONDS * 1000 - 60_000);
/** Back to the secret before the rotation. */
function unrotate() {
  process.env.WAYPOINT_AUTH_SECRET = OLD;
  delete process.env.WAYPOINT_AUTH_SECRET_PREVIOUS;
  delete process.env.WAYPOINT_AUTH_SECRET_ROTATED_AT;
  resetConfig();
}
afterEach(unrotate);

/** A value sealed as this code sealed until December 2026: AES-256-GCM under HKDF(AuthSecret, purpose). */
function sealV1(purpose: string, plaintext: string, secret = OLD): string {
  const key = Buffer.from(hkdfSync("sha256", secret, "waypoint", `waypoint/seal/${purpose}`, 32));
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key, iv);
  c.setAAD(Buffer.from(purpose));
  const ct = Buffer.concat([c.update(plaintext, "utf8"), c.final()]);
  return `sealed.v1.${iv.toString("base64url")}.${ct.toString("base64url")}.${c.getAuthTag().toString("base64url")}`;
}

let op: TestOperation;
let n = 0;
const hook = (() => {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.end("ok");
    });
  });
  return { received, server };
})();
let hookUrl: string;

beforeAll(async () => {
  op = await createTestOperation();
  await new Promise<void>((r) => hook.server.listen(0, "127.0.0.1", () => r()));
  hookUrl = `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}/at-rest`;
});
afterAll(() => new Promise<void>((r) => hook.server.close(() => r())));

/** A supervisor (second factor required) with an authenticator set up through the API; its secret and codes. */
async function enrolledSupervisor() {
  const email = `at-rest.${++n}.${op.operationID.slice(-6)}@seal.example.org`.toLowerCase();
  const u = await as(system, () =>
    User.create({
      email,
      name: `Sealed Supervisor ${n}`,
      password: PASSWORD,
      grants: [{ operationID: op.operationID, role: "supervisor", officeIDs: [op.officeA] }],
    }),
  );
  const first = await call("POST", "/auth/login", { body: { email, password: PASSWORD } });
  expect(first.json.secondFactor).toBe("enrol");
  const setup = await call("POST", "/auth/second-factor/enrolment", { body: { challenge: first.json.challenge } });
  const secret = setup.json.secret as string;
  const done = await call("POST", "/auth/second-factor/enrolment/confirm", {
    // the previous step's code (accepted: one step of drift), so the current and the next step stay for sign-ins
    body: { challenge: first.json.challenge, code: SecondFactor.codeFor(secret, Date.now() - 30_000) },
  });
  expect(done.status, done.text).toBe(200);
  return { userID: u.userID, email, secret, recovery: done.json.recoveryCodes as string[] };
}

/** Password, then `code`: the status of the code step (200 = a session). */
async function signIn(email: string, code: string) {
  const first = await call("POST", "/auth/login", { body: { email, password: PASSWORD } });
  expect(first.status, first.text).toBe(200);
  expect(first.json.secondFactor).toBe("verify");
  return call("POST", "/auth/second-factor", { body: { challenge: first.json.challenge, code } });
}
/** The code of this 30-second step (0) or the next (1): a code is accepted once per step, one step of drift. */
const codeAt = (secret: string, steps: number) => SecondFactor.codeFor(secret, Date.now() + steps * 30_000);
const storedFactor = async (userID: string) =>
  (await SecondFactorEntity.get({ userID }).go({ consistent: true })).data!;

/** Delivers a test event to the organisation's webhook; the request the receiver got. */
async function deliver(organisationID: string, marker: string) {
  const org = (await OrganisationEntity.get({ organisationID }).go({ consistent: true })).data!;
  const tx = await transactWrite(Webhook.eventItems(org, "referral.accepted", { marker }));
  expect(tx.ok).toBe(true);
  for (let i = 0; i < 10; i++) {
    const got = hook.received.find((r) => r.body.includes(marker));
    if (got) return got;
    await as(system, () => Webhook.dispatch({ backoffBaseMs: 50 }));
  }
  throw new Error("the event was not delivered");
}

describe("secrets at rest outlive a signing-secret rotation", () => {
  it("TOTP sign-in and recovery codes still work an hour after the AuthSecret was rotated", async () => {
    const sup = await enrolledSupervisor();
    const f = await storedFactor(sup.userID);
    expect(f.secret).toMatch(/^sealed\.v2\.\d{4}\./);

    pastGrace();
    expect(SigningKeys.accepted()).toEqual([NEW]); // the old secret opens nothing any more
    const res = await signIn(sup.email, codeAt(sup.secret, 0));
    expect(res.status, res.text).toBe(200);
    expect((await call("GET", "/api/me", { token: res.json.token })).json.userID).toBe(sup.userID);
    // a recovery code made before the rotation
    const rec = await signIn(sup.email, sup.recovery[0]!);
    expect(rec.status, rec.text).toBe(200);
    // a wrong code is still refused
    const wrong = await signIn(sup.email, String((Number(codeAt(sup.secret, 1)) + 1) % 1_000_000).padStart(6, "0"));
    expect(wrong.status).toBe(422);
  });

  it("a secret sealed the old way is unreadable after the grace hour unless sealed again first (at use, or by the job)", async () => {
    const used = await enrolledSupervisor(); // sealed the old way, then used before the rotation
    const walked = await enrolledSupervisor(); // sealed the old way, then sealed again by the job
    const left = await enrolledSupervisor(); // sealed the old way after the job ran, and left so
    for (const s of [used, walked])
      await SecondFactorEntity.patch({ userID: s.userID }).set({ secret: sealV1("totp-secret", s.secret) }).go();

    // used before the rotation: opens with the current AuthSecret, and is sealed again with the at-rest key
    const before = await signIn(used.email, codeAt(used.secret, 0));
    expect(before.status, before.text).toBe(200);
    expect((await storedFactor(used.userID)).secret).toMatch(/^sealed\.v2\./);

    // the job seals again what is still sealed the old way
    expect((await storedFactor(walked.userID)).secret).toMatch(/^sealed\.v1\./);
    const report = await as(system, () => resealLegacySecrets());
    expect(report.secondFactors).toBeGreaterThanOrEqual(1);
    expect(report.failed).toBe(0);
    expect((await storedFactor(walked.userID)).secret).toMatch(/^sealed\.v2\./);
    const leftValue = sealV1("totp-secret", left.secret);
    await SecondFactorEntity.patch({ userID: left.userID }).set({ secret: leftValue }).go();

    pastGrace();
    const usedAfter = await signIn(used.email, codeAt(used.secret, 1));
    expect(usedAfter.status, usedAfter.text).toBe(200);
    const walkedAfter = await signIn(walked.email, codeAt(walked.secret, 0));
    expect(walkedAfter.status, walkedAfter.text).toBe(200);
    // the one left sealed the old way no longer opens: the data loss this change prevents
    await expect(open("totp-secret", leftValue)).rejects.toThrow();
    const lost = await call("POST", "/auth/login", { body: { email: left.email, password: PASSWORD } });
    const code = await call("POST", "/auth/second-factor", {
      body: { challenge: lost.json.challenge, code: codeAt(left.secret, 0) },
    });
    expect(code.status).not.toBe(200);
    expect(code.json.token).toBeUndefined();
    // …and says so as a problem the person can act on, not a bare 500
    expect(code.status, code.text).toBe(422);
    expect(code.headers.get("content-type")).toContain("application/problem+json");
    expect(code.json.code).toBe("second_factor.unreadable");
    expect(code.json.detail).toMatch(/administrator to reset your second factor/);
    expect(code.json.detail).toMatch(/recovery code/);
    // not counted as a wrong code
    expect((await storedFactor(left.userID)).failures).toBe(0);
    // a recovery code (HMAC under the at-rest ring) still signs them in
    const rescue = await signIn(left.email, left.recovery[0]!);
    expect(rescue.status, rescue.text).toBe(200);
    // an administrator of the operation resets it (as the web app's reset does): the next sign-in enrols anew
    // (a token signed now: the fixture's was signed with the AuthSecret rotated away)
    const adminToken = await as(system, async () => (await Auth.issue(await User.get(op.users.admin.userID))).token);
    expect(adminToken).toBeTruthy();
    const reset = await call("DELETE", `/api/second-factors/${left.userID}`, { token: adminToken });
    expect(reset.status, reset.text).toBeLessThan(300);
    const again = await call("POST", "/auth/login", { body: { email: left.email, password: PASSWORD } });
    expect(again.json.secondFactor).toBe("enrol");
  });

  it("webhook deliveries are still signed with the partner's secret after the grace hour, old-way secrets sealed again at use", async () => {
    const partner = await createPartnerKey(op.operationID, ["referrals:read"], "At-rest partner");
    const set = await call("PUT", "/v1/webhook", { token: partner.key, body: { url: hookUrl } });
    expect(set.status, set.text).toBe(200);
    const secret = set.json.secret as string;
    const stored = (await OrganisationEntity.get({ organisationID: partner.organisationID }).go()).data!;
    expect(stored.webhookSecret).toMatch(/^sealed\.v2\.\d{4}\./);

    pastGrace();
    const got = await deliver(partner.organisationID, `after-rotation-${Date.now()}`);
    expect(Webhook.verify(secret, got.body, String(got.headers["waypoint-signature"]))).toBe(true);

    // a partner whose secret was sealed the old way: its next delivery (before a rotation) seals it again
    const old = await createPartnerKey(op.operationID, ["referrals:read"], "Old-way partner");
    expect((await call("PUT", "/v1/webhook", { token: old.key, body: { url: hookUrl } })).status).toBe(200);
    const oldSecret = `whsec_${randomBytes(32).toString("base64url")}`;
    await OrganisationEntity.patch({ organisationID: old.organisationID })
      .set({ webhookSecret: sealV1("webhook-secret", oldSecret) })
      .go();
    unrotate();
    const first = await deliver(old.organisationID, `old-way-${Date.now()}`);
    expect(Webhook.verify(oldSecret, first.body, String(first.headers["waypoint-signature"]))).toBe(true);
    expect((await OrganisationEntity.get({ organisationID: old.organisationID }).go({ consistent: true })).data!.webhookSecret).toMatch(
      /^sealed\.v2\./,
    );
    pastGrace();
    const later = await deliver(old.organisationID, `old-way-later-${Date.now()}`);
    expect(Webhook.verify(oldSecret, later.body, String(later.headers["waypoint-signature"]))).toBe(true);
  });

  it("a new at-rest key seals from then on; values sealed with the older key still open", async () => {
    const before = await seal("webhook-secret", "sealed-before-the-new-key");
    const oldID = before.split(".")[2]!;
    const newID = await SealKeys.rotate();
    expect(Number(newID)).toBeGreaterThan(Number(oldID));
    const after = await seal("webhook-secret", "sealed-after-the-new-key");
    expect(after.startsWith(`sealed.v2.${newID}.`)).toBe(true);
    SealKeys.forget(); // as another process: reads the ring from the table
    expect(await open("webhook-secret", before)).toEqual({ plaintext: "sealed-before-the-new-key", stale: false });
    expect((await open("webhook-secret", after)).plaintext).toBe("sealed-after-the-new-key");
    // bound to its purpose: a webhook secret does not open as an authenticator secret
    await expect(open("totp-secret", after)).rejects.toThrow();
    // an authenticator enrolled now works with the new key
    const sup = await enrolledSupervisor();
    expect((await storedFactor(sup.userID)).secret.startsWith(`sealed.v2.${newID}.`)).toBe(true);
    expect((await signIn(sup.email, codeAt(sup.secret, 0))).status).toBe(200);
  });
});
