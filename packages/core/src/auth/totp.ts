import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { SignJWT } from "jose";
import { Secret, TOTP } from "otpauth";
import type { Role } from "@waypoint/schema/common";
import type { Enrolment, SecondFactorChallenge, SecondFactorStatus } from "@waypoint/schema/identity";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { config } from "../config.ts";
import { nowIso, transactWrite } from "../common/db.ts";
import {
  ConflictError,
  InvalidError,
  NotFoundError,
  RateLimitedError,
  RuleError,
  UnauthorizedError,
} from "../common/errors.ts";
import { log } from "../common/log.ts";
import { open, seal, SealKeys } from "../common/seal.ts";
import { RestrictedRoles, scopeFor } from "../permissions.ts";
import { User } from "../user/index.ts";
import { UserEntity } from "../user/user.entity.ts";
import { Session } from "./session.ts";
import { SigningKeys } from "./keys.ts";
import { SecondFactorEntity } from "./second-factor.entity.ts";

/**
 * The second factor: TOTP (RFC 6238, 6 digits, 30 s, SHA-1 as every authenticator app expects) via `otpauth`.
 *
 * - Required for the roles that can read restricted records (`RestrictedRoles`) or approve payments
 *   (`batch.approve`); any other user may enrol, and then is always asked.
 * - Sign-in is password → challenge (a 5-minute signed token that is not a session: another issuer and audience
 *   than sessions, so `Auth.verify` refuses it) → code → session. A required user without an authenticator is
 *   taken through enrolment with the same challenge.
 * - A code is accepted once: the time step it was accepted for is kept, and a code of that step or an earlier one
 *   is refused (the write is conditional, so two requests racing with one code cannot both pass).
 * - Ten recovery codes, shown once, stored as HMACs, each removed when used.
 * - Wrong codes: after 5 in a row, codes are refused for 1 minute, doubling with each further wrong code (at
 *   most an hour); the count is kept on the account, so it holds across addresses and Lambda instances.
 * - Local demo: the seeded demo accounts of a local demo instance (`config().demo`, never set on AWS) are not
 *   required to enrol, so the demo and its tests sign in with a password; once enrolled they are asked too.
 */
export namespace SecondFactor {
  export const PERIOD = 30;
  export const RECOVERY_CODES = 10;
  export const MAX_FAILURES = 5;
  const CHALLENGE_TTL = 300;
  const CHALLENGE_ISSUER = "waypoint/second-factor";
  const SEAL = "totp-secret";
  /** The problem code when the stored authenticator secret cannot be opened (the web app says it in its words). */
  export const UNREADABLE = "second_factor.unreadable";

  /** Roles that read restricted records or approve payments: they cannot get a session without a second factor. */
  export function requiredFor(role: Role): boolean {
    return RestrictedRoles.includes(role) || scopeFor(role, "batch.approve") !== undefined;
  }

  /** A local demo instance's seeded accounts (shown as such on its sign-in page): not made to enrol. */
  export function demoExempt(email: string): boolean {
    const c = config();
    return c.mode === "local" && !!c.demo?.accounts.includes(email.trim().toLowerCase());
  }

  const key = () => SigningKeys.current();

  function totpOf(secret: string, account = "") {
    return new TOTP({
      issuer: "Waypoint",
      label: account,
      algorithm: "SHA1",
      digits: 6,
      period: PERIOD,
      secret: Secret.fromBase32(secret),
    });
  }

  /**
   * Recovery codes are stored as `rc2.<key id>.<HMAC-SHA256>`, keyed by the at-rest key ring (common/seal.ts
   * SealKeys.macKey), so rotating the AuthSecret leaves them usable.
   */
  const RECOVERY_V2 = "rc2.";
  async function recoveryHash(userID: string, code: string, keyID?: string): Promise<string> {
    const k = await SealKeys.macKey("recovery-codes", keyID);
    const mac = createHmac("sha256", k.key).update(`${userID}:${normaliseRecovery(code)}`).digest("base64url");
    return `${RECOVERY_V2}${k.keyID}.${mac}`;
  }
  /**
   * Codes made before (a bare HMAC under a key derived from the AuthSecret): checked with the secrets accepted now
   * (the current one, the previous one during a rotation's grace). They cannot be moved to the ring (only their
   * HMAC is stored), so they stop working at the first AuthSecret rotation after this change: the user's other
   * codes and authenticator still work, and new codes are made at the next enrolment.
   */
  function legacyRecoveryHash(userID: string, code: string, secret: string): string {
    return createHmac("sha256", Buffer.from(hkdfSync("sha256", secret, "waypoint", "waypoint/recovery-codes", 32)))
      .update(`${userID}:${normaliseRecovery(code)}`)
      .digest("base64url");
  }
  /** What each stored recovery hash would be for `code`: with its own ring key, or with an accepted AuthSecret. */
  async function recoveryCandidates(userID: string, code: string, stored: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    const keyIDs = new Set(stored.filter((h) => h.startsWith(RECOVERY_V2)).map((h) => h.split(".")[1]!));
    for (const keyID of keyIDs) out.add(await recoveryHash(userID, code, keyID).catch(() => ""));
    if (stored.some((h) => !h.startsWith(RECOVERY_V2)))
      for (const secret of SigningKeys.accepted()) out.add(legacyRecoveryHash(userID, code, secret));
    out.delete("");
    return out;
  }
  const normaliseRecovery = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, "");
  const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
  /** 10 characters from 31 (about 50 bits), shown as XXXXX-XXXXX. */
  function newRecoveryCode(): string {
    const bytes = randomBytes(10);
    const s = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join("");
    return `${s.slice(0, 5)}-${s.slice(5)}`;
  }

  async function load(userID: string) {
    return (await SecondFactorEntity.get({ userID }).go({ consistent: true })).data ?? undefined;
  }
  /** A user's authenticator item, as `load` reads it. */
  export type Stored = NonNullable<Awaited<ReturnType<typeof load>>>;
  /**
   * An authenticator already read (consistently) by the caller in the sign-in's one batch read (`readRequest`):
   * `{ factor: undefined }` says there is none, so it is not read again.
   */
  export interface Known {
    factor: Stored | undefined;
  }
  /** The key of a user's authenticator, for a batch read with other items (common/batch-get.ts batchGetEach). */
  export function readRequest(userID: string) {
    return { entity: SecondFactorEntity, keys: [{ userID }] };
  }

  /**
   * The authenticator's secret in clear. One sealed the old way (under the AuthSecret, common/seal.ts) is sealed
   * again with the at-rest key now, while it still opens: conditional on the stored value, so a new enrolment
   * meanwhile is never overwritten; a failed write is tried again next time.
   */
  async function secretOf(f: { userID: string; secret: string }): Promise<string> {
    let opened: { plaintext: string; stale: boolean };
    try {
      opened = await open(SEAL, f.secret);
    } catch (err) {
      // sealed the old way under an AuthSecret rotated away, or damaged: no code can be checked against it any more
      // (the master key or the table out of reach is another failure: 503, try again later)
      const v1 = f.secret.startsWith("sealed.v1.");
      if (!v1 && !/unable to authenticate|Unknown at-rest key/i.test((err as Error).message ?? "")) throw err;
      log.warn(
        { userID: f.userID, err: (err as Error).name, sealed: v1 ? "v1" : "v2" },
        "authenticator secret cannot be opened",
      );
      throw new RuleError(
        UNREADABLE,
        "Your authenticator can no longer be checked: ask an administrator to reset your second factor (then set up the app again at your next sign-in), or sign in with a recovery code if you still have one",
      );
    }
    const { plaintext, stale } = opened;
    if (stale) await resealSecret(f.userID, f.secret, plaintext);
    return plaintext;
  }

  /** Seals a stored secret again with the at-rest key (privacy/reseal-secrets.ts too). Whether it wrote. */
  export async function resealSecret(userID: string, stored: string, plaintext?: string): Promise<boolean> {
    try {
      const clear = plaintext ?? (await open(SEAL, stored)).plaintext;
      await SecondFactorEntity.patch({ userID })
        .set({ secret: await seal(SEAL, clear) })
        .where(({ secret }, { eq }) => eq(secret, stored))
        .go({ response: "none" });
      return true;
    } catch (err) {
      log.warn({ userID, err: (err as Error).name }, "authenticator secret not sealed again");
      return false;
    }
  }

  // --- the challenge between password and code ---

  export async function challenge(
    userID: string,
    operationID: string,
    step: "verify" | "enrol" | "password",
  ): Promise<SecondFactorChallenge> {
    const exp = Math.floor(Date.now() / 1000) + CHALLENGE_TTL;
    const token = await new SignJWT({ op: operationID, step })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(userID)
      .setIssuer(CHALLENGE_ISSUER)
      .setAudience(CHALLENGE_ISSUER)
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(key());
    return { challenge: token, expiresAt: new Date(exp * 1000).toISOString(), secondFactor: step };
  }

  export async function readChallenge(token: string): Promise<{
    userID: string;
    operationID: string;
    step: "verify" | "enrol" | "password";
  }> {
    try {
      const payload = await SigningKeys.verify(token, {
        issuer: CHALLENGE_ISSUER,
        audience: CHALLENGE_ISSUER,
        algorithms: ["HS256"],
      });
      const step = payload.step === "enrol" || payload.step === "password" ? payload.step : "verify";
      if (typeof payload.sub !== "string" || typeof payload.op !== "string") throw new Error("claims");
      return { userID: payload.sub, operationID: payload.op, step };
    } catch {
      throw new UnauthorizedError("The sign-in has expired: sign in again with your password");
    }
  }

  /**
   * The step after a correct password (or an SSO sign-in without MFA asserted): a challenge when the account has
   * an authenticator or its role needs one, nothing when a session may be issued at once.
   */
  export async function gate(
    user: User.Info,
    operationID?: string,
    opts: { mfaAsserted?: boolean; known?: Known } = {},
  ): Promise<SecondFactorChallenge | undefined> {
    const grant = operationID ? user.grants.find((g) => g.operationID === operationID) : user.grants[0];
    if (!grant || user.disabled) return undefined; // Auth.issue refuses these with its own sentence
    if (opts.mfaAsserted) return undefined;
    const factor = opts.known ? opts.known.factor : await load(user.userID);
    if (factor?.state === "active") return challenge(user.userID, grant.operationID, "verify");
    if (requiredFor(grant.role) && !demoExempt(user.email))
      return challenge(user.userID, grant.operationID, "enrol");
    return undefined;
  }

  // --- codes ---

  /** The time step a six-digit code belongs to (this one, the one before or after), or undefined. */
  function stepOf(secret: string, code: string, now: number): number | undefined {
    const delta = totpOf(secret).validate({ token: code, timestamp: now, window: 1 });
    if (delta === null) return undefined;
    return TOTP.counter({ period: PERIOD, timestamp: now }) + delta;
  }

  async function failed(
    userID: string,
    f: { failures: number },
    message: string,
    now: number,
  ): Promise<never> {
    const failures = f.failures + 1;
    const lock =
      failures >= MAX_FAILURES
        ? now + Math.min(3600_000, 60_000 * 2 ** (failures - MAX_FAILURES))
        : undefined;
    await SecondFactorEntity.patch({ userID })
      .add({ failures: 1 })
      .set({ ...(lock ? { lockedUntil: lock } : {}), timeUpdated: nowIso() })
      .go()
      .catch(() => undefined);
    log.info({ userID, failures }, "second factor refused");
    throw InvalidError.field("code", "invalid.second_factor", message);
  }

  /**
   * Checks a code (or recovery code) of an active authenticator and spends it: TOTP codes once per time step,
   * recovery codes once for ever. Wrong codes count towards the lock.
   */
  export async function spend(
    userID: string,
    code: string,
    now = Date.now(),
    known?: Known,
  ): Promise<"totp" | "recovery"> {
    const f = known ? known.factor : await load(userID);
    if (!f || f.state !== "active")
      throw InvalidError.field("code", "invalid.second_factor", "No authenticator is set up for this account");
    if (f.lockedUntil && f.lockedUntil > now)
      throw new RateLimitedError(Math.ceil((f.lockedUntil - now) / 1000));
    const trimmed = code.trim().replace(/\s/g, "");
    if (/^\d{6}$/.test(trimmed)) {
      const step = stepOf(await secretOf(f), trimmed, now);
      if (step === undefined) return failed(userID, f, "This code is not right: check the app's current code", now);
      if (step <= f.lastStep)
        return failed(userID, f, "This code was already used: wait for the next code in the app", now);
      try {
        await SecondFactorEntity.patch({ userID })
          .set({ lastStep: step, failures: 0, timeUpdated: nowIso() })
          .remove(["lockedUntil"])
          .add({ version: 1 })
          .where(({ lastStep, version }, { lt, eq }) => `${lt(lastStep, step)} AND ${eq(version, f.version)}`)
          .go();
      } catch {
        // another request spent this step (or a later one) first
        return failed(userID, f, "This code was already used: wait for the next code in the app", now);
      }
      return "totp";
    }
    const left = f.recovery ?? [];
    const hashes = [...(await recoveryCandidates(userID, trimmed, left))];
    const i = left.findIndex((h) =>
      hashes.some((hash) => h.length === hash.length && timingSafeEqual(Buffer.from(h), Buffer.from(hash))),
    );
    if (i < 0) return failed(userID, f, "This code is not right: check the app's current code", now);
    const tx = await transactWrite([
      {
        update: SecondFactorEntity.patch({ userID })
          .set({ recovery: left.filter((_, j) => j !== i), failures: 0, timeUpdated: nowIso() })
          .add({ version: 1 })
          .where(({ version }, { eq }) => eq(version, f.version))
          .params(),
      },
    ]);
    if (!tx.ok) return failed(userID, f, "This recovery code was already used", now);
    return "recovery";
  }

  // --- enrolment ---

  /** Starts (or starts again) an enrolment: a new secret, pending until a first code confirms it. */
  export async function startEnrolment(user: { userID: string; email: string }): Promise<Enrolment> {
    const cur = await load(user.userID);
    if (cur?.state === "active")
      throw new ConflictError(
        "A second factor is already set up for this account; an administrator can reset it",
        undefined,
        "conflict.second_factor",
      );
    const secret = new Secret({ size: 20 }).base32;
    const now = nowIso();
    await SecondFactorEntity.put({
      userID: user.userID,
      secret: await seal(SEAL, secret),
      state: "pending",
      lastStep: 0,
      failures: 0,
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    }).go();
    return { secret, uri: totpOf(secret, user.email).toString(), issuer: "Waypoint", account: user.email };
  }

  /**
   * Confirms a pending enrolment with a first code: the authenticator becomes active, that code's step is spent,
   * ten recovery codes are made (returned this once). Audited against `operationID`.
   */
  export async function confirmEnrolment(
    userID: string,
    code: string,
    operationID: string,
    now = Date.now(),
  ): Promise<string[]> {
    const f = await load(userID);
    if (!f || f.state !== "pending")
      throw InvalidError.field("code", "invalid.second_factor", "Start setting up the authenticator first");
    if (f.lockedUntil && f.lockedUntil > now)
      throw new RateLimitedError(Math.ceil((f.lockedUntil - now) / 1000));
    const step = /^\d{6}$/.test(code.trim()) ? stepOf(await secretOf(f), code.trim(), now) : undefined;
    if (step === undefined) return failed(userID, f, "This code is not right: check the app's current code", now);
    const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
    const time = nowIso();
    const tx = await transactWrite([
      {
        update: SecondFactorEntity.patch({ userID })
          .set({
            state: "active",
            lastStep: step,
            failures: 0,
            recovery: await Promise.all(codes.map((c) => recoveryHash(userID, c))),
            enrolledAt: time,
            timeUpdated: time,
          })
          .remove(["lockedUntil"])
          .add({ version: 1 })
          .where(({ version, state }, { eq }) => `${eq(version, f.version)} AND ${eq(state, "pending")}`)
          .params(),
      },
      Audit.txItem({
        recordID: userID,
        recordType: "user",
        action: "secondFactor.enrolled",
        operationID,
      }),
    ]);
    if (!tx.ok)
      throw new ConflictError("The enrolment changed meanwhile: start again", undefined, "conflict.second_factor");
    return codes;
  }

  /** The signed-in user's own authenticator: whether it is set up and required, and recovery codes left. */
  export async function status(): Promise<SecondFactorStatus> {
    const me = Actor.user();
    const f = await load(me.userID);
    const active = f?.state === "active";
    return {
      enrolled: active,
      required: requiredFor(me.role),
      ...(active && f?.enrolledAt ? { enrolledAt: f.enrolledAt } : {}),
      recoveryCodesLeft: active ? (f?.recovery?.length ?? 0) : 0,
    };
  }

  /** A user of the admin's own operation (another operation's users are not theirs to see: 404). */
  async function managedUser(userID: string): Promise<string> {
    const operationID = Actor.operationID();
    Actor.assert("user.manage", { operationID });
    const user = await User.get(userID).catch(() => undefined);
    if (!user || !user.grants.some((g) => g.operationID === operationID)) throw new NotFoundError("user", userID);
    return operationID;
  }

  /**
   * An administrator removes a user's authenticator (a lost phone, a stolen one): the user sets up a new one at
   * their next sign-in (or may sign in with the password alone if their role does not need one). Every open
   * session of the user ends in the same write (their session revision is raised, auth/session.ts), so a
   * session opened with the lost phone stops on its next request. Audited.
   */
  export async function reset(userID: string): Promise<void> {
    const operationID = await managedUser(userID);
    const cur = await load(userID);
    if (!cur) throw new NotFoundError("second factor", userID);
    const tx = await transactWrite([
      {
        delete: SecondFactorEntity.delete({ userID })
          .where(({ version }, { eq }) => eq(version, cur.version))
          .params(),
      },
      { update: UserEntity.patch({ userID }).add({ sessionEpoch: 1 }).params() },
      Audit.txItem({
        recordID: userID,
        recordType: "user",
        action: "secondFactor.reset",
        operationID,
      }),
    ]);
    if (!tx.ok) throw new ConflictError("The second factor changed meanwhile: try again");
    Session.forget(userID);
  }

  /** Whether a user of the admin's operation has an active authenticator (the staff account screen). */
  export async function enrolled(userID: string): Promise<boolean> {
    const a = Actor.use();
    if (a.type !== "system") await managedUser(userID);
    return (await load(userID))?.state === "active";
  }

  /** The signed-in user's own enrolment, started from their session (voluntary, or again after a reset). */
  export async function startOwn(): Promise<Enrolment> {
    const me = Actor.user();
    return startEnrolment(me);
  }

  export async function confirmOwn(code: string): Promise<string[]> {
    const me = Actor.user();
    return confirmEnrolment(me.userID, code, me.operationID);
  }

  /**
   * The signed-in user turns their own authenticator off, with a current code from it (or a recovery code; a
   * replayed or wrong code is refused as at sign-in). A role that needs a second factor cannot turn it off.
   * Conditional on the authenticator's version, audited.
   */
  export async function disableOwn(code: string): Promise<void> {
    const me = Actor.user();
    if (requiredFor(me.role))
      throw new RuleError(
        "second_factor.required",
        "Your role needs a second factor: it cannot be turned off (an administrator can reset it if the phone is lost)",
      );
    await spend(me.userID, code);
    const cur = await load(me.userID);
    if (!cur || cur.state !== "active")
      throw InvalidError.field("code", "invalid.second_factor", "No authenticator is set up for this account");
    const tx = await transactWrite([
      {
        delete: SecondFactorEntity.delete({ userID: me.userID })
          .where(({ version }, { eq }) => eq(version, cur.version))
          .params(),
      },
      Audit.txItem({
        recordID: me.userID,
        recordType: "user",
        action: "secondFactor.disabled",
        operationID: me.operationID,
      }),
    ]);
    if (!tx.ok) throw new ConflictError("The second factor changed meanwhile: try again", undefined, "conflict.second_factor");
  }

  /** Test and tooling helper: the code an authenticator with `secret` shows at `timestamp`. */
  export function codeFor(secret: string, timestamp = Date.now()): string {
    return totpOf(secret).generate({ timestamp });
  }
}
