import { describe, expect, it } from "vitest";
import { Audit, PermissionTable, RestrictedRoles, resetConfig, User } from "@waypoint/core";
import { SecondFactor } from "@waypoint/core/auth/totp";
import { SecondFactorEntity } from "@waypoint/core/auth/second-factor.entity";
import type { Role } from "@waypoint/schema";
import { as, call, createTestOperation, system, type TestOperation } from "../support/fixtures.ts";

const PASSWORD = "pw-test";
let n = 0;

/** A fresh user of `role` in office A of the test operation (each test its own, so time steps never collide). */
async function person(op: TestOperation, role: Role) {
  const email = `${role}.${++n}.${op.operationID.slice(-6)}@sf.example.org`.toLowerCase();
  const u = await as(system, () =>
    User.create({
      email,
      name: `${role} ${n}`,
      password: PASSWORD,
      grants: [{ operationID: op.operationID, role, officeIDs: [op.officeA] }],
    }),
  );
  return { userID: u.userID, email };
}

const login = (email: string) => call("POST", "/auth/login", { body: { email, password: PASSWORD } });
const stored = async (userID: string) =>
  (await SecondFactorEntity.get({ userID }).go({ consistent: true })).data;

/** Signs in as a required user and goes through enrolment; returns the secret and what confirming gave. */
async function enrol(email: string) {
  const first = await login(email);
  expect(first.status).toBe(200);
  expect(first.json).toMatchObject({ secondFactor: "enrol" });
  expect(first.json.token).toBeUndefined();
  const setup = await call("POST", "/auth/second-factor/enrolment", { body: { challenge: first.json.challenge } });
  expect(setup.status).toBe(200);
  const secret = setup.json.secret as string;
  const code = SecondFactor.codeFor(secret);
  const done = await call("POST", "/auth/second-factor/enrolment/confirm", {
    body: { challenge: first.json.challenge, code },
  });
  return { secret, setup: setup.json, done, code };
}

const next = (secret: string, steps = 1) => SecondFactor.codeFor(secret, Date.now() + steps * 30_000);

describe("second factor (TOTP)", () => {
  it("is required exactly for the roles that read restricted records or approve payments", () => {
    const expected = (Object.keys(PermissionTable) as Role[]).filter(
      (r) => RestrictedRoles.includes(r) || PermissionTable[r]["batch.approve"] !== undefined,
    );
    expect(expected.sort()).toEqual(["finance_approver", "supervisor"]);
    for (const role of Object.keys(PermissionTable) as Role[])
      expect(SecondFactor.requiredFor(role), role).toBe(expected.includes(role));
  });

  it("takes a supervisor without an authenticator through enrolment before any session", async () => {
    const op = await createTestOperation();
    const sup = await person(op, "supervisor");
    const first = await login(sup.email);
    expect(first.json).toMatchObject({ secondFactor: "enrol" });
    // the challenge is not a session
    const me = await call("GET", "/api/me", { token: first.json.challenge });
    expect(me.status).toBe(401);
    // a session needs the authenticator: the code step refuses an account that has none
    const skip = await call("POST", "/auth/second-factor", { body: { challenge: first.json.challenge, code: "123456" } });
    expect(skip.status).toBe(422);
    expect(skip.json.token).toBeUndefined();

    const { secret, setup, done } = await enrol(sup.email);
    expect(setup.uri).toMatch(/^otpauth:\/\/totp\/Waypoint:.*secret=/);
    expect(setup.uri).toContain(secret);
    expect(done.status).toBe(200);
    expect(done.json.token).toBeTruthy();
    expect(done.json.recoveryCodes).toHaveLength(10);
    expect(new Set(done.json.recoveryCodes).size).toBe(10);
    const now = await call("GET", "/api/me", { token: done.json.token });
    expect(now.json).toMatchObject({ role: "supervisor", userID: sup.userID });

    // stored: active, the secret sealed, recovery codes as hashes only
    const f = await stored(sup.userID);
    expect(f?.state).toBe("active");
    expect(f?.secret).toMatch(/^sealed\.v2\.\d{4}\./);
    expect(f?.secret).not.toContain(secret);
    expect(f?.recovery).toHaveLength(10);
    for (const h of f?.recovery ?? []) expect(h).toMatch(/^rc2\.\d{4}\.[A-Za-z0-9_-]{43}$/);
    for (const code of done.json.recoveryCodes as string[])
      expect(JSON.stringify(f)).not.toContain(code.replace("-", ""));
    const history = await as(op.users.admin.actor, () => Audit.history({ recordID: sup.userID }));
    expect(history.items.map((e: { action: string }) => e.action)).toContain("secondFactor.enrolled");

    // the secret is never shown again: a new enrolment is refused, the status says enrolled
    const status = await call("GET", "/api/me/second-factor", { token: done.json.token });
    expect(status.json).toEqual({
      enrolled: true,
      required: true,
      enrolledAt: expect.any(String),
      recoveryCodesLeft: 10,
    });
    const again = await call("POST", "/api/me/second-factor", { token: done.json.token });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.json)).not.toContain(secret);
  });

  it("signs in with password then code; a wrong code and a replayed code are refused and issue nothing", async () => {
    const op = await createTestOperation();
    const sup = await person(op, "supervisor");
    const { secret, code: enrolCode } = await enrol(sup.email);

    const step1 = await login(sup.email);
    expect(step1.json).toMatchObject({ secondFactor: "verify" });
    const challenge = step1.json.challenge as string;

    const wrong = await call("POST", "/auth/second-factor", {
      body: { challenge, code: String((Number(next(secret)) + 1) % 1_000_000).padStart(6, "0") },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.headers.get("content-type")).toContain("application/problem+json");
    expect(wrong.json.errors.map((e: { path: string }) => e.path)).toEqual(["code"]);
    expect(wrong.json.token).toBeUndefined();

    // the code that confirmed the enrolment was spent with it
    const replayEnrol = await call("POST", "/auth/second-factor", { body: { challenge, code: enrolCode } });
    expect(replayEnrol.status).toBe(422);
    expect(replayEnrol.json.token).toBeUndefined();

    const code = next(secret);
    const ok = await call("POST", "/auth/second-factor", { body: { challenge, code } });
    expect(ok.status).toBe(200);
    expect((await call("GET", "/api/me", { token: ok.json.token })).json.role).toBe("supervisor");
    const spent = (await stored(sup.userID))!;
    expect(spent.lastStep).toBe(Math.floor(Date.now() / 30_000) + 1);
    expect(spent.failures).toBe(0);

    // the same code again, even with a fresh password step: refused
    const step1b = await login(sup.email);
    const replay = await call("POST", "/auth/second-factor", { body: { challenge: step1b.json.challenge, code } });
    expect(replay.status).toBe(422);
    expect(replay.json.errors[0].message).toMatch(/already used/);
    expect(replay.json.token).toBeUndefined();
    // two requests racing with one fresh code: one session at most
    const fresh = next(secret, 1) === code ? undefined : next(secret, 1);
    if (fresh) {
      const [a, b] = await Promise.all([
        call("POST", "/auth/second-factor", { body: { challenge, code: fresh } }),
        call("POST", "/auth/second-factor", { body: { challenge, code: fresh } }),
      ]);
      expect([a.status, b.status].filter((s) => s === 200).length).toBeLessThanOrEqual(1);
    }
  });

  it("accepts each recovery code once", async () => {
    const op = await createTestOperation();
    const appr = await person(op, "finance_approver");
    const { done } = await enrol(appr.email);
    const recovery = done.json.recoveryCodes[3] as string;

    const s1 = await login(appr.email);
    const used = await call("POST", "/auth/second-factor", {
      body: { challenge: s1.json.challenge, code: recovery.toLowerCase() },
    });
    expect(used.status).toBe(200);
    expect((await call("GET", "/api/me", { token: used.json.token })).json.role).toBe("finance_approver");
    expect((await stored(appr.userID))?.recovery).toHaveLength(9);

    const s2 = await login(appr.email);
    const again = await call("POST", "/auth/second-factor", { body: { challenge: s2.json.challenge, code: recovery } });
    expect(again.status).toBe(422);
    expect(again.json.token).toBeUndefined();
    expect((await stored(appr.userID))?.recovery).toHaveLength(9);
    const history = await as(op.users.admin.actor, () => Audit.history({ recordID: appr.userID }));
    expect(history.items.map((e: { action: string }) => e.action)).toContain("secondFactor.recoveryCodeUsed");
  });

  it("locks the second factor after five wrong codes: even the right code waits", async () => {
    const op = await createTestOperation();
    const sup = await person(op, "supervisor");
    const { secret } = await enrol(sup.email);
    const { json } = await login(sup.email);
    const bad = String((Number(next(secret)) + 7) % 1_000_000).padStart(6, "0");
    for (let i = 0; i < SecondFactor.MAX_FAILURES; i++) {
      const r = await call("POST", "/auth/second-factor", { body: { challenge: json.challenge, code: bad } });
      expect(r.status).toBe(422);
    }
    const right = await call("POST", "/auth/second-factor", { body: { challenge: json.challenge, code: next(secret) } });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(right.json.token).toBeUndefined();
    expect((await stored(sup.userID))?.failures).toBe(SecondFactor.MAX_FAILURES);
  });

  it("lets a caseworker sign in with a password, and asks for the code once they enrol of their own accord", async () => {
    const op = await createTestOperation();
    const cw = await person(op, "caseworker");
    const plain = await login(cw.email);
    expect(plain.json.token).toBeTruthy();
    const token = plain.json.token as string;
    expect((await call("GET", "/api/me/second-factor", { token })).json).toMatchObject({
      enrolled: false,
      required: false,
    });
    const setup = await call("POST", "/api/me/second-factor", { token });
    expect(setup.status).toBe(200);
    const wrong = await call("POST", "/api/me/second-factor/confirm", { token, body: { code: "000000" } });
    expect(wrong.status).toBe(422);
    expect((await stored(cw.userID))?.state).toBe("pending");
    // a pending enrolment does not change sign-in yet
    expect((await login(cw.email)).json.token).toBeTruthy();
    const ok = await call("POST", "/api/me/second-factor/confirm", {
      token,
      body: { code: SecondFactor.codeFor(setup.json.secret) },
    });
    expect(ok.status).toBe(200);
    expect(ok.json.recoveryCodes).toHaveLength(10);
    const after = await login(cw.email);
    expect(after.json).toMatchObject({ secondFactor: "verify" });
    expect(after.json.token).toBeUndefined();
  });

  it("lets a caseworker turn their own second factor off only with a current code; a required role cannot", async () => {
    const op = await createTestOperation();
    const cw = await person(op, "caseworker");
    const token = (await login(cw.email)).json.token as string;
    const setup = await call("POST", "/api/me/second-factor", { token });
    const confirmAt = Date.now();
    const ok = await call("POST", "/api/me/second-factor/confirm", {
      token,
      body: { code: SecondFactor.codeFor(setup.json.secret, confirmAt) },
    });
    expect(ok.status, ok.text).toBe(200);

    // a wrong code, or the code just used to confirm (a replay), leaves it on
    const wrong = await call("POST", "/api/me/second-factor/disable", { token, body: { code: "000000" } });
    expect(wrong.status).toBe(422);
    expect(wrong.json.errors[0].path).toBe("code");
    const replay = await call("POST", "/api/me/second-factor/disable", {
      token,
      body: { code: SecondFactor.codeFor(setup.json.secret, confirmAt) },
    });
    expect(replay.status).toBe(422);
    expect((await stored(cw.userID))?.state).toBe("active");

    // the next step's code turns it off (audited); sign-in is then the password alone again
    const off = await call("POST", "/api/me/second-factor/disable", {
      token,
      body: { code: SecondFactor.codeFor(setup.json.secret, Date.now() + 30_000) },
    });
    expect(off.status, off.text).toBe(204);
    expect(await stored(cw.userID)).toBeNull();
    const history = await as(op.users.admin.actor, () => Audit.history({ recordID: cw.userID }));
    expect(history.items.map((e: { action: string }) => e.action)).toContain("secondFactor.disabled");
    expect((await login(cw.email)).json.token).toBeTruthy();

    // a supervisor (restricted records) cannot turn theirs off, even with a right code
    const sup = await person(op, "supervisor");
    const { secret, done } = await enrol(sup.email);
    const refused = await call("POST", "/api/me/second-factor/disable", {
      token: done.json.token,
      body: { code: SecondFactor.codeFor(secret, Date.now() + 30_000) },
    });
    expect(refused.status).toBe(422);
    expect(refused.json.code).toBe("second_factor.required");
    expect((await stored(sup.userID))?.state).toBe("active");
  });

  it("lets an admin of the user's operation reset a lost authenticator (audited, the user's sessions end), nobody else", async () => {
    const op = await createTestOperation();
    const other = await createTestOperation();
    const sup = await person(op, "supervisor");
    const { done } = await enrol(sup.email);
    const session = done.json.token as string;
    expect((await call("GET", "/api/me", { token: session })).status).toBe(200);
    const path = `/api/second-factors/${sup.userID}`;
    // the account screen asks whether there is one to reset: admins of the user's operation only
    expect((await call("GET", path, { token: op.users.admin.token })).json).toEqual({ enrolled: true });
    expect((await call("GET", path, { token: op.users.caseworker.token })).status).toBe(403);
    expect((await call("GET", path, { token: other.users.admin.token })).status).toBe(404);
    expect((await call("DELETE", path, { token: op.users.caseworker.token })).status).toBe(403);
    expect((await call("DELETE", path, { token: op.users.supervisor.token })).status).toBe(403);
    expect((await call("DELETE", path, { token: other.users.admin.token })).status).toBe(404);
    expect((await stored(sup.userID))?.state).toBe("active");

    const reset = await call("DELETE", path, { token: op.users.admin.token });
    expect(reset.status).toBe(204);
    expect(await stored(sup.userID)).toBeNull();
    const history = await as(op.users.admin.actor, () => Audit.history({ recordID: sup.userID }));
    const event = history.items.find((e: { action: string }) => e.action === "secondFactor.reset");
    expect(event).toMatchObject({ actorID: op.users.admin.userID });
    expect((await call("GET", path, { token: op.users.admin.token })).json).toEqual({ enrolled: false });
    // the session opened with the lost authenticator ends on its next request
    const after = await call("GET", "/api/me", { token: session });
    expect(after.status).toBe(401);
    expect(after.json.code).toBe("session.revoked");
    // next sign-in: a new enrolment, never a session on the password alone
    const again = await login(sup.email);
    expect(again.json).toMatchObject({ secondFactor: "enrol" });
  });

  it("exempts a local demo instance's seeded accounts only (shown on its sign-in page), never others", async () => {
    const op = await createTestOperation();
    const demoSup = await person(op, "supervisor");
    const otherSup = await person(op, "supervisor");
    const saved = process.env.WAYPOINT_DEMO;
    process.env.WAYPOINT_DEMO = JSON.stringify({ accounts: [demoSup.email], password: PASSWORD });
    resetConfig();
    try {
      const demo = await login(demoSup.email);
      expect(demo.json.token).toBeTruthy();
      expect((await login(otherSup.email)).json).toMatchObject({ secondFactor: "enrol" });
    } finally {
      if (saved === undefined) delete process.env.WAYPOINT_DEMO;
      else process.env.WAYPOINT_DEMO = saved;
      resetConfig();
    }
    // without the local demo configuration the same account must enrol
    expect((await login(demoSup.email)).json).toMatchObject({ secondFactor: "enrol" });
  });
});

