import { SignJWT } from "jose";
import { LoginRequest, type Me, type SignInConfig } from "@waypoint/schema/auth";
import { Role } from "@waypoint/schema/common";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { config } from "../config.ts";
import { ForbiddenError, InvalidError, UnauthorizedError } from "../common/errors.ts";
import { toFieldIssues } from "../common/fn.ts";
import { batchGetEach } from "../common/batch-get.ts";
import { actionsOf, scopesOf } from "../permissions.ts";
import { Operation } from "../operation/index.ts";
import { User } from "../user/index.ts";
import { SigningKeys } from "./keys.ts";
import { SecondFactor } from "./totp.ts";
import { SignInGuard, SignInLockedError } from "./guard.ts";
import { Session, SessionEndedError } from "./session.ts";

const Claims = z.object({
  sub: z.string(),
  email: z.string(),
  op: z.string(),
  role: Role,
  offices: z.array(z.string()),
  /** The user's session revision at issue (Session.check). */
  sv: z.number().int().min(0).default(0),
  /** When the user signed in (epoch s): refreshing never takes a session past MAX_SESSION_SECONDS from it. */
  at: z.number().int().optional(),
  iat: z.number().int(),
  exp: z.number().int(),
});

/** The lockout e-mail to the account's holder (in their language, else their first operation's). */
async function tellLocked(
  user: { userID: string; name: string; email: string; grants: unknown; language?: string },
  email: string,
): Promise<void> {
  const seconds = await SignInGuard.accountLock(email);
  const grant = (user.grants as { operationID: string }[])[0];
  if (seconds <= 0 || !grant) return;
  const [{ Mail }, { mailText }] = await Promise.all([import("../mail/index.ts"), import("../mail/templates.ts")]);
  const op = await Operation.get(grant.operationID).catch(() => undefined);
  const language = Mail.languageFor(user, op?.languages ?? []);
  await Mail.send({
    operationID: grant.operationID,
    to: user.email,
    ...mailText("lockout", language, { name: user.name, minutes: Math.max(1, Math.ceil(seconds / 60)) }),
    language,
  });
}

export namespace Auth {
  const secret = () => SigningKeys.current();

  /** What the sign-in page may show: demo accounts only on a local demo instance, never on AWS. */
  export function signInConfig(): SignInConfig {
    const c = config();
    return { demo: c.mode === "local" && c.demo ? c.demo : null };
  }
  const ISSUER = "waypoint";
  /** Access tokens are short-lived; the app refreshes them (POST /auth/refresh) while the session is open. */
  export const ACCESS_TTL_SECONDS = 30 * 60;
  /** No token lives longer than this, and no session is refreshed past it from sign-in. */
  export const MAX_SESSION_SECONDS = 12 * 3600;

  /** Signs a staff bearer token (HS256 via jose) for one operation and role. */
  export async function issue(
    user: User.Info,
    operationID?: string,
    ttlSeconds = ACCESS_TTL_SECONDS,
    signedInAt = Math.floor(Date.now() / 1000),
  ) {
    if (user.disabled) throw new ForbiddenError("user.disabled", "This account is disabled");
    const grant = operationID ? user.grants.find((g) => g.operationID === operationID) : user.grants[0];
    if (!grant) throw new ForbiddenError("operation.access", "No access to this operation");
    const exp = Math.min(
      Math.floor(Date.now() / 1000) + Math.min(ttlSeconds, MAX_SESSION_SECONDS),
      signedInAt + MAX_SESSION_SECONDS,
    );
    const token = await new SignJWT({
      email: user.email,
      op: grant.operationID,
      role: grant.role,
      offices: grant.officeIDs,
      sv: user.sessionEpoch ?? 0,
      at: signedInAt,
    })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(user.userID)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(secret());
    const me: Me = {
      userID: user.userID,
      email: user.email,
      name: user.name,
      operationID: grant.operationID,
      role: grant.role,
      officeIDs: grant.officeIDs,
      grants: user.grants,
      languages: user.languages,
      timeZone: await Operation.timeZone(grant.operationID),
      permissions: actionsOf(grant.role),
      scopes: scopesOf(grant.role),
    };
    return { token, expiresAt: new Date(exp * 1000).toISOString(), me };
  }

  /**
   * Sign-in with e-mail and password. `ip` is the caller's address: attempts are limited per account and per
   * address (SignInGuard); while either is locked the right password is refused too (429 with Retry-After).
   */
  export async function login(raw: z.input<typeof LoginRequest>, meta: { ip?: string } = {}) {
    const parsed = LoginRequest.safeParse(raw);
    if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error));
    const input = parsed.data;
    const ip = meta.ip;
    // Two reads, whatever the outcome: the account by e-mail, then one consistent batch read of the account's
    // and the address's failure counters and the account's authenticator. Each DynamoDB call costs CPU on both
    // ends, and twenty sign-ins at once are bound by CPU (tests/bench/session.bench.ts), so the counters are not
    // read twice, the account not read again by ID, and the authenticator not read after the password on its own.
    const user = await User.byEmailWithSecret(input.email);
    const [guardRows, factors] = await batchGetEach(
      [SignInGuard.readRequest(input.email, ip), ...(user ? [SecondFactor.readRequest(user.userID)] : [])],
      { consistent: true },
    );
    const guard = SignInGuard.snapshot(input.email, ip, guardRows!);
    // locked: refused before the password is checked, so the right password does not get through either
    SignInGuard.assertOpenIn(guard);
    // Same error and similar time whether the e-mail exists or not.
    const ok = await User.verifyPassword(input.password, user?.passwordHash);
    if (!user || !ok) {
      const locked = await SignInGuard.failed(input.email, ip);
      // the account itself was just locked: its holder is told, in their language
      if (locked > 0 && user) await tellLocked(user, input.email);
      if (locked > 0) throw new SignInLockedError(locked);
      throw new UnauthorizedError("Wrong e-mail or password");
    }
    // clears the account's failures (no write when it has none on record)
    await SignInGuard.succeeded(input.email, guard);
    // a hash of an older algorithm or weaker parameters (scrypt): replaced now that the password is known
    await User.rehashPassword(user, input.password);
    const info = User.fromItem(user);
    // Second factor (auth/totp.ts): an account with an authenticator, or whose role needs one, gets a short-lived
    // challenge instead of a session; the code (POST /auth/second-factor) turns it into one.
    // A temporary password (the CLI's first admin) is replaced before anything else (auth/steps.ts newPassword).
    const grant = input.operationID
      ? info.grants.find((g) => g.operationID === input.operationID)
      : info.grants[0];
    if (info.mustChangePassword && grant && !info.disabled)
      return SecondFactor.challenge(info.userID, grant.operationID, "password");
    const pending = await SecondFactor.gate(info, input.operationID, {
      known: { factor: factors?.[0] as SecondFactor.Stored | undefined },
    });
    if (pending) return pending;
    return issue(info, input.operationID);
  }

  /**
   * The signed claims of a staff token, without the session check: signature, issuer, algorithm, and an
   * expiry that must be present and within MAX_SESSION_SECONDS of issue (a token without `exp` is refused).
   */
  export async function decode(token: string) {
    try {
      const payload = await SigningKeys.verify(token, {
        issuer: ISSUER,
        algorithms: ["HS256"],
        requiredClaims: ["exp", "iat", "sub"],
      });
      const c = Claims.parse(payload);
      if (c.exp - c.iat > MAX_SESSION_SECONDS) throw new Error("lifetime");
      return c;
    } catch {
      throw new SessionEndedError("session.expired", "Your session has expired. Please sign in again.");
    }
  }

  /** A staff token's actor, if its session is still open (Session.check: deactivation, revocation). */
  export async function verify(token: string): Promise<Actor.User> {
    const c = await decode(token);
    await Session.check(c.sub, c.sv);
    return {
      type: "user",
      userID: c.sub,
      email: c.email,
      operationID: c.op,
      role: c.role,
      officeIDs: c.offices,
    };
  }

  /**
   * A fresh access token for an open session (same operation), read from the stored user: the app calls it
   * before its token expires. Never past MAX_SESSION_SECONDS from sign-in; a closed session stays closed.
   */
  export async function refresh(token: string) {
    const c = await decode(token);
    await Session.check(c.sub, c.sv);
    const signedInAt = c.at ?? c.iat;
    if (Date.now() / 1000 > signedInAt + MAX_SESSION_SECONDS - 60)
      throw new SessionEndedError("session.expired", "Your session has expired. Please sign in again.");
    const user = await User.get(c.sub);
    if ((user.sessionEpoch ?? 0) !== c.sv)
      throw new SessionEndedError("session.revoked", "Your session was ended. Please sign in again.");
    return issue(user, c.op, ACCESS_TTL_SECONDS, signedInAt);
  }
}
