import { jwtVerify, SignJWT } from "jose";
import { LoginRequest, type Me, type SignInConfig } from "@waypoint/schema/auth";
import { Role } from "@waypoint/schema/common";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { config } from "../config.ts";
import { ForbiddenError, UnauthorizedError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { actionsOf, scopesOf } from "../permissions.ts";
import { Operation } from "../operation/index.ts";
import { User } from "../user/index.ts";
import { SecondFactor } from "./totp.ts";

const Claims = z.object({
  sub: z.string(),
  email: z.string(),
  op: z.string(),
  role: Role,
  offices: z.array(z.string()),
});

export namespace Auth {
  const secret = () => new TextEncoder().encode(config().authSecret);

  /** What the sign-in page may show: demo accounts only on a local demo instance, never on AWS. */
  export function signInConfig(): SignInConfig {
    const c = config();
    return { demo: c.mode === "local" && c.demo ? c.demo : null };
  }
  const ISSUER = "waypoint";

  /** Signs a staff bearer token (HS256 via jose) for one operation and role. */
  export async function issue(user: User.Info, operationID?: string, ttlSeconds = 8 * 3600) {
    if (user.disabled) throw new ForbiddenError("user.disabled", "This account is disabled");
    const grant = operationID ? user.grants.find((g) => g.operationID === operationID) : user.grants[0];
    if (!grant) throw new ForbiddenError("operation.access", "No access to this operation");
    const exp = Math.floor(Date.now() / 1000) + ttlSeconds;
    const token = await new SignJWT({
      email: user.email,
      op: grant.operationID,
      role: grant.role,
      offices: grant.officeIDs,
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

  export const login = fn(LoginRequest, async (input) => {
    const user = await User.byEmailWithSecret(input.email);
    // Same error and similar time whether the e-mail exists or not.
    const ok = await User.verifyPassword(
      input.password,
      user?.passwordHash ?? "scrypt$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    );
    if (!user || !ok) throw new UnauthorizedError("Wrong e-mail or password");
    const info = await User.get(user.userID);
    // Second factor (auth/totp.ts): an account with an authenticator, or whose role needs one, gets a short-lived
    // challenge instead of a session; the code (POST /auth/second-factor) turns it into one.
    const pending = await SecondFactor.gate(info, input.operationID);
    if (pending) return pending;
    return issue(info, input.operationID);
  });

  export async function verify(token: string): Promise<Actor.User> {
    try {
      const { payload } = await jwtVerify(token, secret(), { issuer: ISSUER, algorithms: ["HS256"] });
      const c = Claims.parse(payload);
      return {
        type: "user",
        userID: c.sub,
        email: c.email,
        operationID: c.op,
        role: c.role,
        officeIDs: c.offices,
      };
    } catch {
      throw new UnauthorizedError("Invalid or expired token");
    }
  }
}
