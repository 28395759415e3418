import { availableParallelism } from "node:os";
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { config } from "../config.ts";
import { UnavailableError } from "../common/errors.ts";

/**
 * Password hashing: scrypt (node:crypto) with a random 16-byte salt and parameters kept in the stored value, so
 * they can be raised later without breaking existing hashes.
 *
 * Parameters: OWASP Password Storage Cheat Sheet (scrypt, when Argon2id is not available; Node 20 has no native
 * Argon2). Its minimum is N=2^17, r=8, p=1 (128 MiB), and it lists configurations it rates equally strong:
 * N=2^16 p=2, N=2^15 p=3, N=2^14 p=5, N=2^13 p=10 (r=8). We use **N=2^14, r=8, p=5**: on the same CPU it costs
 * less time than N=2^17 p=1 (about 190 ms against 430 ms on one core of the CI machine) and needs 16 MiB per hash
 * instead of 128 MiB, which matters on a 1 GB Lambda hashing several sign-ins at once. Stored as
 * `scrypt$ln=14,r=8,p=5$<salt b64>$<hash b64>`. Hashes of the first format, `scrypt$<salt>$<hash>`, are
 * N=2^14, r=8, p=1 (Node's defaults, below the guidance): they still verify, and are replaced by a hash at the
 * current parameters the next time the password is set.
 *
 * Bounded work queue: at most `availableParallelism()` hashes run at once (one per core) and the others wait in
 * order of arrival, at most `MAX_WAITING`; past that, sign-in answers 503 with Retry-After instead of piling up
 * memory and time. First come, first served beats libuv's four threads sharing two cores: with sharing, 20
 * simultaneous sign-ins all finish near the end; in order, the i-th finishes after i/cores hashes.
 *
 * Tests only: `WAYPOINT_PASSWORD_COST=test` (honoured in local mode only, never on AWS) hashes new passwords with
 * N=2^10, p=1, so the hundreds of fixture accounts the integration tests create do not cost minutes of CPU.
 */
export namespace PasswordHash {
  export interface Params {
    ln: number;
    r: number;
    p: number;
  }
  /** OWASP's equally strong N=2^14, r=8, p=5. */
  export const GUIDANCE: Params = { ln: 14, r: 8, p: 5 };
  const LEGACY: Params = { ln: 14, r: 8, p: 1 };
  const TEST: Params = { ln: 10, r: 8, p: 1 };
  export const MAX_WAITING = 200;

  export function current(): Params {
    return config().mode === "local" && process.env.WAYPOINT_PASSWORD_COST === "test" ? TEST : GUIDANCE;
  }

  const slots = Math.max(1, availableParallelism());
  let running = 0;
  const waiting: (() => void)[] = [];

  async function scrypt(password: string, salt: Buffer, len: number, p: Params): Promise<Buffer> {
    if (running >= slots) {
      if (waiting.length >= MAX_WAITING)
        throw new UnavailableError("Too many sign-ins at once: try again in a few seconds");
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else running++;
    try {
      const opts: ScryptOptions = { N: 2 ** p.ln, r: p.r, p: p.p, maxmem: 256 * 2 ** p.ln * p.r + 4 * 2 ** 20 };
      return await new Promise<Buffer>((resolve, reject) =>
        scryptCb(password, salt, len, opts, (err, key) => (err ? reject(err) : resolve(key))),
      );
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  }

  function parse(stored: string | undefined): { params: Params; salt: Buffer; hash: Buffer } | undefined {
    const parts = (stored ?? "").split("$");
    if (parts[0] !== "scrypt") return undefined;
    if (parts.length === 3 && parts[1] && parts[2])
      return { params: LEGACY, salt: Buffer.from(parts[1], "base64"), hash: Buffer.from(parts[2], "base64") };
    if (parts.length !== 4 || !parts[2] || !parts[3]) return undefined;
    const m = /^ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})$/.exec(parts[1] ?? "");
    if (!m) return undefined;
    const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
    if (params.ln < 10 || params.ln > 20 || params.r < 1 || params.p < 1) return undefined;
    return { params, salt: Buffer.from(parts[2], "base64"), hash: Buffer.from(parts[3], "base64") };
  }

  export async function hash(password: string): Promise<string> {
    const params = current();
    const salt = randomBytes(16);
    const key = await scrypt(password, salt, 32, params);
    return `scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${salt.toString("base64")}$${key.toString("base64")}`;
  }

  /** A stored value at the current parameters for an unknown account: the same work whether it exists or not. */
  let dummy: string | undefined;
  let dummyFor: string | undefined;
  function decoy(): string {
    const p = current();
    const tag = `${p.ln},${p.r},${p.p}`;
    if (dummyFor !== tag) {
      dummy = `scrypt$ln=${p.ln},r=${p.r},p=${p.p}$${randomBytes(16).toString("base64")}$${randomBytes(32).toString("base64")}`;
      dummyFor = tag;
    }
    return dummy!;
  }

  /** Whether `password` matches `stored`; an absent or unreadable `stored` costs a hash too, and is false. */
  export async function verify(password: string, stored: string | undefined): Promise<boolean> {
    const s = parse(stored);
    const target = s ?? parse(decoy())!;
    const actual = await scrypt(password, target.salt, target.hash.length, target.params);
    return !!s && timingSafeEqual(actual, target.hash);
  }

  /** Whether a stored hash is below the current parameters (replace it when the password is next set). */
  export function outdated(stored: string | undefined): boolean {
    const s = parse(stored);
    const c = current();
    return !s || 2 ** s.params.ln * s.params.r * s.params.p < 2 ** c.ln * c.r * c.p;
  }
}
