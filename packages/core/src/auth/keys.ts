import { jwtVerify, type JWTPayload, type JWTVerifyOptions } from "jose";
import { config } from "../config.ts";

/**
 * The keys that sign and check staff tokens (sessions, second-factor challenges). Tokens are signed with the
 * current secret only. After a rotation (a new `AuthSecret`, the old value kept as `AuthSecretPrevious` with the
 * time of the rotation) tokens signed with the previous secret are still accepted for `GRACE_SECONDS`, so nobody
 * signed in is thrown out at the deploy: an open app refreshes its token within that time and gets one signed
 * with the new secret. After the grace period the previous secret opens nothing.
 */
export namespace SigningKeys {
  /** Longer than an access token lives (Auth.ACCESS_TTL_SECONDS, 30 min): every token of before is replaced. */
  export const GRACE_SECONDS = 60 * 60;

  const enc = new TextEncoder();

  export function current(): Uint8Array {
    return enc.encode(config().authSecret);
  }

  /** The previous secret while its grace period runs (a rotation in the future counts from now). */
  export function previousSecret(now = Date.now()): string | undefined {
    const p = config().previousAuthSecret;
    if (!p || p.value === config().authSecret) return undefined;
    return now < p.rotatedAt + GRACE_SECONDS * 1000 ? p.value : undefined;
  }

  /** Secrets a token may be checked with now: the current one, then the previous one during its grace. */
  export function accepted(now = Date.now()): string[] {
    const prev = previousSecret(now);
    return prev ? [config().authSecret, prev] : [config().authSecret];
  }

  /** jwtVerify with the current key, then (grace) the previous one; the error of the current key otherwise. */
  export async function verify(token: string, options: JWTVerifyOptions): Promise<JWTPayload> {
    const [first, ...rest] = accepted();
    try {
      return (await jwtVerify(token, enc.encode(first), options)).payload;
    } catch (err) {
      for (const s of rest) {
        try {
          return (await jwtVerify(token, enc.encode(s), options)).payload;
        } catch {
          // not this one either
        }
      }
      throw err;
    }
  }
}
