import { Readable } from "node:stream";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { Accounts, Audit, Mail, Session, Unique, config } from "@waypoint/core";
import { as, call, createTestOperation, type TestOperation } from "../support/fixtures.ts";

/** Staff accounts: invitation by one-time link, rights per operation, deactivation, sessions, sign-in limits. */
let t: TestOperation;
let n = 0;
/** A fresh address per test: sign-in limits per address must not leak from one test into another. */
const addr = () => ({ "x-forwarded-for": `203.0.113.${(n++ % 250) + 1}` });
const GOOD = "river-lantern-orchid-42";

beforeAll(async () => {
  t = await createTestOperation();
});

async function invite(body: Record<string, unknown>) {
  return call("POST", "/api/users", { token: t.users.admin.token, body });
}

/** The one-time link of the newest outbox message to `email`. */
async function linkFor(email: string): Promise<string> {
  const box = await call("GET", "/api/outbox", { token: t.users.admin.token });
  expect(box.status, box.text).toBe(200);
  const mail = box.json.items.find((m: { to: string }) => m.to === email);
  expect(mail, "a message to the invited address").toBeTruthy();
  return mail.link.replace("/invite/", "");
}

async function auditOf(userID: string) {
  return as(t.users.admin.actor, async () =>
    (await Audit.history({ recordID: userID })).items.map((e: { action: string }) => e.action),
  );
}

async function newCaseworker(tag: string) {
  const email = `cw.${tag}.${Date.now()}@test.example.org`;
  const res = await invite({ email, name: `Ana ${tag}`, role: "caseworker", officeIDs: [t.officeA] });
  expect(res.status, res.text).toBe(201);
  const token = await linkFor(email);
  const set = await call("POST", `/auth/links/${token}`, { body: { password: GOOD } });
  expect(set.status, set.text).toBe(204);
  const login = await call("POST", "/auth/login", {
    body: { email, password: GOOD },
    headers: addr(),
  });
  expect(login.status, login.text).toBe(200);
  return { email, userID: res.json.user.userID as string, token: login.json.token as string };
}

describe("staff accounts", () => {
  it("an admin invites a caseworker; the link sets a password once; the account signs in; all audited", async () => {
    const email = `nuevo.${Date.now()}@test.example.org`;
    const res = await invite({ email, name: "Nuevo Colega", role: "caseworker", officeIDs: [t.officeA] });
    expect(res.status, res.text).toBe(201);
    expect(res.json.user).toMatchObject({
      email,
      role: "caseworker",
      officeIDs: [t.officeA],
      status: "invited",
    });
    expect(res.json.mailed).toBe(true);
    const userID = res.json.user.userID;

    // listed with role, offices and status
    const list = await call("GET", "/api/users", { token: t.users.admin.token });
    expect(list.json.items.find((u: { userID: string }) => u.userID === userID)).toMatchObject({
      status: "invited",
      role: "caseworker",
    });

    const token = await linkFor(email);
    const info = await call("GET", `/auth/links/${token}`);
    expect(info.status, info.text).toBe(200);
    expect(info.json).toMatchObject({ purpose: "invite", email, name: "Nuevo Colega" });
    // no sign-in before a password is set
    const early = await call("POST", "/auth/login", { body: { email, password: GOOD }, headers: addr() });
    expect(early.status).toBe(401);

    const set = await call("POST", `/auth/links/${token}`, { body: { password: GOOD } });
    expect(set.status, set.text).toBe(204);
    const again = await call("POST", `/auth/links/${token}`, { body: { password: `${GOOD}-2` } });
    expect(again.status).toBe(422);
    expect(again.json.code).toBe("link.invalid");

    const login = await call("POST", "/auth/login", { body: { email, password: GOOD }, headers: addr() });
    expect(login.status, login.text).toBe(200);
    expect(login.json.me).toMatchObject({ userID, role: "caseworker", officeIDs: [t.officeA] });
    const stored = await call("GET", `/api/users/${userID}`, { token: t.users.admin.token });
    expect(stored.json.status).toBe("active");
    expect(stored.json.linkExpiresAt).toBeUndefined();
    expect(await auditOf(userID)).toEqual(expect.arrayContaining(["invite", "invite.accept"]));
  });

  it("an invitation for the e-mail of a colleague already in the operation is a field error and stores nothing", async () => {
    const before = await call("GET", "/api/users", { token: t.users.admin.token });
    const res = await invite({
      email: t.users.caseworker.email.toUpperCase(),
      name: "Someone Else",
      role: "viewer",
      officeIDs: [],
    });
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([expect.objectContaining({ path: "email", code: "user.already_member" })]);
    const after = await call("GET", "/api/users", { token: t.users.admin.token });
    expect(after.json.items.length).toBe(before.json.items.length);
    expect(await as(t.users.admin.actor, () => Unique.owner("user.email", t.users.caseworker.email))).toBe(
      t.users.caseworker.userID,
    );
  });

  it("an office of another operation is a field error; only admins manage accounts", async () => {
    const other = await createTestOperation();
    const res = await invite({
      email: `x.${Date.now()}@test.example.org`,
      name: "X",
      role: "caseworker",
      officeIDs: [other.officeA],
    });
    expect(res.status).toBe(422);
    expect(res.json.errors[0]).toMatchObject({ path: "officeIDs.0", code: "office.unknown" });
    const refused = await call("POST", "/api/users", {
      token: t.users.supervisor.token,
      body: { email: `y.${Date.now()}@test.example.org`, name: "Y", role: "caseworker" },
    });
    expect(refused.status).toBe(403);
    // another operation's admin does not see this operation's accounts
    const peek = await call("GET", `/api/users/${t.users.caseworker.userID}`, {
      token: other.users.admin.token,
    });
    expect(peek.status).toBe(404);
  });

  it("a breached or short password is refused on the password field and the link still works", async () => {
    const email = `pw.${Date.now()}@test.example.org`;
    await invite({ email, name: "Pat Word", role: "viewer", officeIDs: [] });
    const token = await linkFor(email);
    const breached = await call("POST", `/auth/links/${token}`, { body: { password: "qwerty123456" } });
    expect(breached.status).toBe(422);
    expect(breached.json.errors).toEqual([
      expect.objectContaining({ path: "password", code: "password.breached" }),
    ]);
    const padded = await call("POST", `/auth/links/${token}`, { body: { password: "password123456!" } });
    expect(padded.json.errors[0].code).toBe("password.breached");
    const short = await call("POST", `/auth/links/${token}`, { body: { password: "k7#pQ" } });
    expect(short.json.errors[0]).toMatchObject({ path: "password", code: "password.too_short" });
    // nothing was stored: still invited, the link still opens
    const info = await call("GET", `/auth/links/${token}`);
    expect(info.status).toBe(200);
    const set = await call("POST", `/auth/links/${token}`, { body: { password: GOOD } });
    expect(set.status).toBe(204);
  });

  it("a reset sends a new link, the old one stops working, the new password works and the old does not", async () => {
    const cw = await newCaseworker("reset");
    const cur = await call("GET", `/api/users/${cw.userID}`, { token: t.users.admin.token });
    const reset = await call("POST", `/api/users/${cw.userID}/link`, {
      token: t.users.admin.token,
      body: { expectedVersion: cur.json.version },
    });
    expect(reset.status, reset.text).toBe(200);
    const token = await linkFor(cw.email);
    expect((await call("GET", `/auth/links/${token}`)).json.purpose).toBe("reset");
    const set = await call("POST", `/auth/links/${token}`, { body: { password: "another-long-phrase-77" } });
    expect(set.status, set.text).toBe(204);
    const old = await call("POST", "/auth/login", {
      body: { email: cw.email, password: GOOD },
      headers: addr(),
    });
    expect(old.status).toBe(401);
    const fresh = await call("POST", "/auth/login", {
      body: { email: cw.email, password: "another-long-phrase-77" },
      headers: addr(),
    });
    expect(fresh.status).toBe(200);
    // the new password ended the sessions opened with the old one
    expect((await call("GET", "/api/me", { token: cw.token })).status).toBe(401);
    expect(await auditOf(cw.userID)).toEqual(expect.arrayContaining(["password.reset", "password.set"]));
  });
});

describe("sessions", () => {
  it("a deactivated user's open session is refused on its very next request, with a sentence", async () => {
    const cw = await newCaseworker("off");
    expect((await call("GET", "/api/me", { token: cw.token })).status).toBe(200);
    const cur = await call("GET", `/api/users/${cw.userID}`, { token: t.users.admin.token });
    const off = await call("POST", `/api/users/${cw.userID}/deactivate`, {
      token: t.users.admin.token,
      body: { expectedVersion: cur.json.version },
    });
    expect(off.status, off.text).toBe(200);
    expect(off.json.status).toBe("disabled");
    const next = await call("GET", "/api/me", { token: cw.token });
    expect(next.status).toBe(401);
    expect(next.json.code).toBe("session.disabled");
    expect(next.json.detail).toMatch(/deactivated.*signed out/);
    // and cannot sign in again, nor refresh
    const login = await call("POST", "/auth/login", {
      body: { email: cw.email, password: GOOD },
      headers: addr(),
    });
    expect(login.status).toBe(403);
    expect((await call("POST", "/auth/refresh", { token: cw.token })).status).toBe(401);
    // reactivated: signs in again (the old token stays dead)
    const on = await call("POST", `/api/users/${cw.userID}/reactivate`, {
      token: t.users.admin.token,
      body: { expectedVersion: off.json.version },
    });
    expect(on.json.status).toBe("active");
    expect((await call("GET", "/api/me", { token: cw.token })).status).toBe(401);
    const back = await call("POST", "/auth/login", {
      body: { email: cw.email, password: GOOD },
      headers: addr(),
    });
    expect(back.status).toBe(200);
    expect(await auditOf(cw.userID)).toEqual(expect.arrayContaining(["deactivate", "reactivate"]));
  });

  it("a role change ends the user's sessions; a name change does not", async () => {
    const cw = await newCaseworker("role");
    const cur = await call("GET", `/api/users/${cw.userID}`, { token: t.users.admin.token });
    const renamed = await call("PATCH", `/api/users/${cw.userID}`, {
      token: t.users.admin.token,
      body: { expectedVersion: cur.json.version, name: "Ana María" },
    });
    expect(renamed.status, renamed.text).toBe(200);
    expect((await call("GET", "/api/me", { token: cw.token })).status).toBe(200);
    const changed = await call("PATCH", `/api/users/${cw.userID}`, {
      token: t.users.admin.token,
      body: { expectedVersion: renamed.json.version, role: "viewer", officeIDs: [t.officeB] },
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json).toMatchObject({ role: "viewer", officeIDs: [t.officeB] });
    const next = await call("GET", "/api/me", { token: cw.token });
    expect(next.status).toBe(401);
    expect(next.json.code).toBe("session.revoked");
    // a stale version is a conflict
    const stale = await call("PATCH", `/api/users/${cw.userID}`, {
      token: t.users.admin.token,
      body: { expectedVersion: renamed.json.version, role: "caseworker" },
    });
    expect(stale.status).toBe(409);
    const login = await call("POST", "/auth/login", {
      body: { email: cw.email, password: GOOD },
      headers: addr(),
    });
    expect(login.json.me).toMatchObject({ role: "viewer", officeIDs: [t.officeB] });
    expect(await auditOf(cw.userID)).toEqual(expect.arrayContaining(["update", "update.rights"]));
  });

  it("sign out everywhere ends every session of the user", async () => {
    const cw = await newCaseworker("all");
    const second = await call("POST", "/auth/login", {
      body: { email: cw.email, password: GOOD },
      headers: addr(),
    });
    const end = await call("POST", "/api/sessions/end-all", { token: cw.token });
    expect(end.status, end.text).toBe(204);
    expect((await call("GET", "/api/me", { token: cw.token })).status).toBe(401);
    expect((await call("GET", "/api/me", { token: second.json.token })).status).toBe(401);
  });

  it("a signed token without an expiry, or living longer than a session, is refused", async () => {
    const secret = new TextEncoder().encode(config().authSecret);
    const claims = {
      email: t.users.admin.email,
      op: t.operationID,
      role: "admin",
      offices: [],
      sv: 0,
    };
    const noExp = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(t.users.admin.userID)
      .setIssuer("waypoint")
      .setIssuedAt()
      .sign(secret);
    const res = await call("GET", "/api/me", { token: noExp });
    expect(res.status).toBe(401);
    expect(res.json.code).toBe("session.expired");
    const forever = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(t.users.admin.userID)
      .setIssuer("waypoint")
      .setIssuedAt()
      .setExpirationTime("30d")
      .sign(secret);
    expect((await call("GET", "/api/me", { token: forever })).status).toBe(401);
  });

  it("sign-in tokens expire within the hour and refresh while the session is open", async () => {
    const cw = await newCaseworker("refresh");
    const [, payload] = cw.token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(3600);
    const r = await call("POST", "/auth/refresh", { token: cw.token });
    expect(r.status, r.text).toBe(200);
    expect((await call("GET", "/api/me", { token: r.json.token })).status).toBe(200);
  });
});

describe("sign-in limits", () => {
  it("30 wrong passwords in a row lock the account: the right one is then refused with Retry-After", async () => {
    const email = t.users.viewer.email;
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await call("POST", "/auth/login", {
        body: { email, password: `wrong-${i}` },
        headers: { "x-forwarded-for": `198.51.100.${(i % 200) + 1}` },
      });
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    const right = await call("POST", "/auth/login", {
      body: { email, password: "pw-test" },
      headers: addr(),
    });
    expect(right.status).toBe(429);
    expect(right.json.code).toBe("auth.locked");
    expect(right.json.detail).toMatch(/Too many failed sign-ins: wait \d+ (seconds|minutes)/);
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(right.json.token).toBeUndefined();
  });

  it("a right password clears the account's failures: four wrong, the right one, four wrong again do not lock it", async () => {
    // the sign-in reads the counters once, before the password, and clears them only when some are on record
    const { email } = await newCaseworker("clears");
    const attempt = (password: string, i: number) =>
      call("POST", "/auth/login", {
        body: { email, password },
        headers: { "x-forwarded-for": `198.51.101.${i + 1}` },
      });
    const wrong = async (from: number) => {
      const statuses: number[] = [];
      for (let i = from; i < from + 4; i++) statuses.push((await attempt(`wrong-${i}`, i)).status);
      return statuses;
    };
    expect(await wrong(0)).toEqual([401, 401, 401, 401]);
    const right = await attempt(GOOD, 10);
    expect(right.status, right.text).toBe(200);
    // without the reset these would be failures five to eight: the fifth locks the account (429)
    expect(await wrong(20)).toEqual([401, 401, 401, 401]);
    const again = await attempt(GOOD, 30);
    expect(again.status, again.text).toBe(200);
    // and the count still runs: a fifth wrong password in a row now locks it
    expect((await wrong(40)).concat((await attempt("wrong-last", 50)).status)).toEqual([401, 401, 401, 401, 429]);
  });

  it("failures from one address on many accounts lock that address only", async () => {
    const here = { "x-forwarded-for": "192.0.2.77" };
    for (let i = 0; i < 20; i++) {
      const r = await call("POST", "/auth/login", {
        body: { email: `nobody${i}.${Date.now()}@test.example.org`, password: "guess-guess" },
        headers: here,
      });
      expect([401, 429]).toContain(r.status);
    }
    const fromHere = await call("POST", "/auth/login", {
      body: { email: t.users.interpreter.email, password: "pw-test" },
      headers: here,
    });
    expect(fromHere.status).toBe(429);
    expect(Number(fromHere.headers.get("retry-after"))).toBeGreaterThan(0);
    const elsewhere = await call("POST", "/auth/login", {
      body: { email: t.users.interpreter.email, password: "pw-test" },
      headers: { "x-forwarded-for": "192.0.2.78" },
    });
    expect(elsewhere.status, elsewhere.text).toBe(200);
  });
});

describe("colleagues by name", () => {
  it("any staff role reads names and roles of its operation's staff, nothing of others", async () => {
    const other = await createTestOperation();
    const ids = [t.users.supervisor.userID, t.users.admin.userID, other.users.admin.userID, "constructor"];
    const res = await call("GET", `/api/staff?ids=${ids.join(",")}`, { token: t.users.interpreter.token });
    expect(res.status, res.text).toBe(200);
    const byID = Object.fromEntries(res.json.items.map((s: { userID: string }) => [s.userID, s]));
    expect(byID[t.users.supervisor.userID]).toEqual({
      userID: t.users.supervisor.userID,
      name: expect.stringContaining("supervisor"),
      role: "supervisor",
    });
    expect(byID[other.users.admin.userID]).toBeUndefined();
    expect(res.json.items.length).toBe(2);
  });
});

describe("headers and mail", () => {
  it("API answers carry nosniff, a deny-all CSP with frame-ancestors 'none' and a referrer policy", async () => {
    for (const res of [
      await call("GET", "/api/me", { token: t.users.admin.token }),
      await call("GET", "/api/me"),
      await call("GET", "/health"),
    ]) {
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      // HSTS only on a deployed stage (HTTPS)
      expect(res.headers.get("strict-transport-security")).toBeNull();
    }
  });

  it("the SES adapter sends SES v2 SendEmail's documented request", async () => {
    let sent: { method: string; path: string; body: string } | undefined;
    const client = new SESv2Client({
      region: "eu-west-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      requestHandler: {
        handle: async (req: { method: string; path: string; body: string }) => {
          sent = { method: req.method, path: req.path, body: req.body };
          return {
            response: {
              statusCode: 200,
              headers: { "content-type": "application/json" },
              body: Readable.from([Buffer.from('{"MessageId":"m-1"}')]),
            },
          };
        },
      } as never,
    });
    process.env.WAYPOINT_MAIL_FROM = "no-reply@waypoint.example.org";
    process.env.WAYPOINT_APP_URL = "https://app.example.org";
    try {
      await Mail.sendWithSes(
        {
          operationID: t.operationID,
          to: "ana@example.org",
          subject: "You are invited to Waypoint",
          text: "Open /invite/usr_1.abc to choose your password",
          link: "/invite/usr_1.abc",
        },
        client as never,
      );
    } finally {
      delete process.env.WAYPOINT_MAIL_FROM;
      delete process.env.WAYPOINT_APP_URL;
    }
    // POST /v2/email/outbound-emails with FromEmailAddress, Destination.ToAddresses, Content.Simple
    expect(sent?.method).toBe("POST");
    expect(sent?.path).toBe("/v2/email/outbound-emails");
    expect(JSON.parse(sent!.body)).toEqual({
      FromEmailAddress: "no-reply@waypoint.example.org",
      Destination: { ToAddresses: ["ana@example.org"] },
      Content: {
        Simple: {
          Subject: { Data: "You are invited to Waypoint", Charset: "UTF-8" },
          Body: {
            Text: {
              Data: "Open https://app.example.org/invite/usr_1.abc to choose your password",
              Charset: "UTF-8",
            },
          },
        },
      },
    });
  });

  it("a revocation is seen at once by the process that made it, even with the user's check cached", async () => {
    const cw = await newCaseworker("cache");
    // warm the cache, then deactivate through core directly (the same process forgets its entry)
    expect((await call("GET", "/api/me", { token: cw.token })).status).toBe(200);
    await as(t.users.admin.actor, async () => {
      const cur = await Accounts.get(cw.userID);
      await Accounts.deactivate(cw.userID, cur.version);
    });
    expect((await call("GET", "/api/me", { token: cw.token })).status).toBe(401);
    Session.clear();
  });
});
