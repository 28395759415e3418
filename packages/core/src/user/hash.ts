import { availableParallelism } from "node:os";
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { config } from "../config.ts";
import { UnavailableError } from "../common/errors.ts";

/**
 * Password hashing: **Argon2id** (`@node-rs/argon2`, a prebuilt native module per platform) at the parameters of
 * OWASP's Password Storage Cheat Sheet: "Use Argon2id with a minimum configuration of 19 MiB of memory, an
 * iteration count of 2, and 1 degree of parallelism" (m=19456 KiB, t=2, p=1; Argon2id is the cheat sheet's first
 * choice, scrypt only "where Argon2id is not available"). Stored in the PHC string format
 * `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>` (16-byte random salt, 32-byte hash), so the parameters travel
 * with each hash and can be raised later.
 *
 * Older hashes still verify: scrypt `scrypt$ln=14,r=8,p=5$<salt>$<hash>` (what this file wrote until December
 * 2026; ~300 ms per verify on this project's 2-core machines against ~30 ms for Argon2id at guidance) and the first
 * format `scrypt$<salt>$<hash>` (N=2^14, r=8, p=1). `outdated()` says a stored hash is of another algorithm or
 * weaker than the current parameters: a successful sign-in then stores a new hash of the password it just checked
 * (Auth.login → User.rehashPassword), so accounts move to Argon2id as their holders sign in.
 *
 * Bounded work queue: at most `availableParallelism()` hashes run at once (one per core; each Argon2id hash at
 * p=1 uses one thread and 19 MiB) and the others wait in order of arrival, at most `MAX_WAITING`; past that,
 * sign-in answers 503 with Retry-After instead of piling up memory and time. First come, first served beats
 * libuv's four threads sharing two cores: with sharing, a burst of sign-ins all finish near the end; in order,
 * the i-th finishes after i/cores hashes (20 at once on 2 cores: the last after 10 hashes, about 300 ms).
 *
 * Tests only: `WAYPOINT_PASSWORD_COST=test` (honoured in local mode only, never on AWS) hashes new passwords with
 * Argon2id m=1024 KiB, t=1, so the hundreds of fixture accounts the integration tests create cost little CPU.
 */
export namespace PasswordHash {
  export interface Params {
    /** Memory, KiB. */
    m: number;
    /** Passes. */
    t: number;
    /** Lanes. */
    p: number;
  }
  /** OWASP's Argon2id minimum: m=19456 KiB (19 MiB), t=2, p=1. */
  export const GUIDANCE: Params = { m: 19456, t: 2, p: 1 };
  const TEST: Params = { m: 1024, t: 1, p: 1 };
  export const MAX_WAITING = 200;

  export function current(): Params {
    return config().mode === "local" && process.env.WAYPOINT_PASSWORD_COST === "test" ? TEST : GUIDANCE;
  }

  /** For reports: the algorithm and parameters new hashes get. */
  export function describe(): string {
    const c = current();
    return `Argon2id m=${c.m} KiB t=${c.t} p=${c.p}`;
  }

  type Argon2 = typeof import("@node-rs/argon2");
  let lib: Promise<Argon2> | undefined;
  /**
   * Loaded on the first hash (sign-in paths only). The name is not a literal so that bundlers leave the native
   * module alone: the API Lambda gets it installed for its architecture (infra/api.ts `nodejs.install`), the
   * other functions never hash a password.
   */
  function argon2(): Promise<Argon2> {
    const name = "@node-rs/argon2";
    lib ??= import(/* @vite-ignore */ name) as Promise<Argon2>;
    return lib;
  }
  /** `Algorithm.Argon2id` of @node-rs/argon2 (an ambient const enum, which isolated modules cannot read). */
  const ARGON2ID = 2;

  const slots = Math.max(1, availableParallelism());
  let running = 0;
  const waiting: (() => void)[] = [];

  /** Runs `work` when a slot is free (in order of arrival), or refuses when too many wait. */
  async function queued<T>(work: () => Promise<T>): Promise<T> {
    if (running >= slots) {
      if (waiting.length >= MAX_WAITING)
        throw new UnavailableError("Too many sign-ins at once: try again in a few seconds");
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else running++;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  }

  // --- Argon2id ---

  const ARGON_RE = /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,2}),p=(\d{1,2})\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{16,}$/;

  function argonParams(stored: string): Params | undefined {
    const m = ARGON_RE.exec(stored);
    if (!m) return undefined;
    const params = { m: Number(m[1]), t: Number(m[2]), p: Number(m[3]) };
    // refuse values no hash of ours has (a tampered item must not cost gigabytes)
    if (params.m < 8 * params.p || params.m > 262144 || params.t < 1 || params.p < 1 || params.p > 8) return undefined;
    return params;
  }

  // --- scrypt (hashes stored before December 2026) ---

  interface ScryptParams {
    ln: number;
    r: number;
    p: number;
  }
  const SCRYPT_LEGACY: ScryptParams = { ln: 14, r: 8, p: 1 };

  function scryptParse(stored: string): { params: ScryptParams; salt: Buffer; hash: Buffer } | undefined {
    const parts = stored.split("$");
    if (parts[0] !== "scrypt") return undefined;
    if (parts.length === 3 && parts[1] && parts[2])
      return { params: SCRYPT_LEGACY, salt: Buffer.from(parts[1], "base64"), hash: Buffer.from(parts[2], "base64") };
    if (parts.length !== 4 || !parts[2] || !parts[3]) return undefined;
    const m = /^ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})$/.exec(parts[1] ?? "");
    if (!m) return undefined;
    const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
    if (params.ln < 10 || params.ln > 20 || params.r < 1 || params.p < 1) return undefined;
    return { params, salt: Buffer.from(parts[2], "base64"), hash: Buffer.from(parts[3], "base64") };
  }

  function scrypt(password: string, salt: Buffer, len: number, p: ScryptParams): Promise<Buffer> {
    const opts: ScryptOptions = { N: 2 ** p.ln, r: p.r, p: p.p, maxmem: 256 * 2 ** p.ln * p.r + 4 * 2 ** 20 };
    return new Promise<Buffer>((resolve, reject) =>
      scryptCb(password, salt, len, opts, (err, key) => (err ? reject(err) : resolve(key))),
    );
  }

  // --- the API ---

  export async function hash(password: string): Promise<string> {
    const p = current();
    const a = await argon2();
    return queued(() =>
      a.hash(password, {
        algorithm: ARGON2ID as never,
        memoryCost: p.m,
        timeCost: p.t,
        parallelism: p.p,
        outputLen: 32,
        salt: randomBytes(16),
      }),
    );
  }

  /** A stored value at the current parameters for an unknown account: the same work whether it exists or not. */
  let decoy: { for: string; value: Promise<string> } | undefined;
  function decoyHash(): Promise<string> {
    const tag = JSON.stringify(current());
    if (decoy?.for !== tag) decoy = { for: tag, value: hash(randomBytes(24).toString("base64url")) };
    return decoy.value;
  }

  /** Whether `password` matches `stored`; an absent or unreadable `stored` costs a hash too, and is false. */
  export async function verify(password: string, stored: string | undefined): Promise<boolean> {
    const s = stored ?? "";
    if (argonParams(s)) {
      const a = await argon2();
      return queued(() => a.verify(s, password)).catch((err: unknown) => {
        if (err instanceof UnavailableError) throw err;
        return false; // a malformed value: no match
      });
    }
    const old = scryptParse(s);
    if (old) {
      const actual = await queued(() => scrypt(password, old.salt, old.hash.length, old.params));
      return actual.length === old.hash.length && timingSafeEqual(actual, old.hash);
    }
    // nothing to check against (an invited account, an unknown e-mail, garbage): the work of a real check
    const d = await decoyHash();
    const a = await argon2();
    await queued(() => a.verify(d, password));
    return false;
  }

  /**
   * Whether a stored hash should be replaced by one at the current parameters: another algorithm (scrypt), or
   * Argon2id weaker than current (less memory or fewer passes). Unreadable values are outdated too.
   */
  export function outdated(stored: string | undefined): boolean {
    const s = argonParams(stored ?? "");
    const c = current();
    return !s || s.m < c.m || s.t < c.t;
  }
}
