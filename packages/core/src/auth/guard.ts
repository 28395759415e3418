import { createHash } from "node:crypto";
import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";
import { RateLimitedError } from "../common/errors.ts";
import { batchGetEach } from "../common/batch-get.ts";

/** Failed sign-ins of one account or one address, and until when it is locked. */
export const SignInGuardEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "signinguard", version: "1", service: "waypoint" },
        attributes: {
          /** `acct#<sha-256 of the e-mail>` or `addr#<address>`: no e-mail address in the key. */
          subject: { type: "string", required: true },
          failures: { type: "number" },
          /** Epoch ms of the last failure: failures older than the window are forgotten. */
          lastFailure: { type: "number" },
          /** Epoch ms until which sign-in is refused, right password or not. */
          lockedUntil: { type: "number" },
          /** TTL (epoch seconds). */
          expiresAt: { type: "number" },
        },
        indexes: {
          // the failure count of one account or address
          primary: {
            pk: { field: "pk", composite: ["subject"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

/** Sign-in refused while an account or address is locked; `Retry-After` says when to try again. */
export class SignInLockedError extends RateLimitedError {
  readonly code = "auth.locked";
  constructor(retryAfterSeconds: number) {
    super(retryAfterSeconds);
    const minutes = Math.ceil(retryAfterSeconds / 60);
    this.message =
      retryAfterSeconds < 90
        ? `Too many failed sign-ins: wait ${retryAfterSeconds} seconds before trying again`
        : `Too many failed sign-ins: wait ${minutes} minutes before trying again`;
  }
}

/**
 * Limits on password guessing. An account is locked after `ACCOUNT.free` failures in a row (within `WINDOW_MS`),
 * first for `ACCOUNT.baseMs`, doubling with every further failure up to `ACCOUNT.maxMs`; an address likewise after
 * `ADDRESS.free` failures on any accounts. While locked, sign-in is refused before the password is checked, so
 * the right password does not get through either. A successful sign-in clears the account's failures (not the
 * address's). The counters live in the table (one item each, atomic ADD), so every Lambda instance sees them.
 * In-process calls without an address (`unknown`) are limited per account only.
 */
export namespace SignInGuard {
  export const ACCOUNT = { free: 5, baseMs: 30_000, maxMs: 15 * 60_000 };
  export const ADDRESS = { free: 20, baseMs: 60_000, maxMs: 60 * 60_000 };
  export const WINDOW_MS = 60 * 60_000;

  const accountKey = (email: string) =>
    `acct#${createHash("sha256").update(email.trim().toLowerCase()).digest("hex")}`;
  const addressKey = (ip: string) => `addr#${ip}`;
  const subjects = (email: string, ip?: string) =>
    [
      { key: accountKey(email), rule: ACCOUNT },
      ...(ip && ip !== "unknown" ? [{ key: addressKey(ip), rule: ADDRESS }] : []),
    ] as const;

  type Row = { subject: string; failures?: number; lastFailure?: number; lockedUntil?: number };
  /** The account's and the address's counters as one sign-in read them (absent: no failures on record). */
  export interface Snapshot {
    account?: Row;
    address?: Row;
  }

  /**
   * The keys of a sign-in's counters, for a batch read (common/batch-get.ts `batchGetEach`) that fetches them
   * with the other items the sign-in needs in one round trip (Auth.login); `snapshot` sorts the answer.
   */
  export function readRequest(email: string, ip?: string) {
    return { entity: SignInGuardEntity, keys: subjects(email, ip).map((x) => ({ subject: x.key })) };
  }

  export function snapshot(email: string, ip: string | undefined, rows: readonly unknown[]): Snapshot {
    const found = rows as Row[];
    const [acct, addr] = subjects(email, ip);
    return {
      account: found.find((r) => r.subject === acct.key),
      address: addr ? found.find((r) => r.subject === addr.key) : undefined,
    };
  }

  /** Throws SignInLockedError when the account or the address of `snap` is locked at `now`. */
  export function assertOpenIn(snap: Snapshot, now = Date.now()): void {
    const until = Math.max(0, snap.account?.lockedUntil ?? 0, snap.address?.lockedUntil ?? 0);
    if (until > now) throw new SignInLockedError(Math.ceil((until - now) / 1000));
  }

  /** Throws SignInLockedError when the account or the address is locked now (reads both, consistently). */
  export async function assertOpen(email: string, ip?: string, now = Date.now()): Promise<void> {
    const [rows] = await batchGetEach([readRequest(email, ip)], { consistent: true });
    assertOpenIn(snapshot(email, ip, rows!), now);
  }

  function lockFor(rule: typeof ACCOUNT, failures: number): number {
    if (failures < rule.free) return 0;
    return Math.min(rule.maxMs, rule.baseMs * 2 ** (failures - rule.free));
  }

  /** Counts a failed attempt; returns the seconds the account or address is now locked for (0 if not). */
  export async function failed(email: string, ip?: string, now = Date.now()): Promise<number> {
    let longest = 0;
    for (const { key, rule } of subjects(email, ip)) {
      const cur = (await SignInGuardEntity.get({ subject: key }).go({ consistent: true })).data;
      // failures long ago are forgotten
      const fresh = cur?.lastFailure !== undefined && now - cur.lastFailure < WINDOW_MS;
      if (!fresh && cur?.failures) await SignInGuardEntity.update({ subject: key }).set({ failures: 0 }).go();
      const res = await SignInGuardEntity.update({ subject: key })
        .add({ failures: 1 })
        .set({ lastFailure: now, expiresAt: Math.ceil((now + WINDOW_MS + rule.maxMs) / 1000) })
        .go({ response: "all_new" });
      const failures = (res.data as { failures?: number }).failures ?? 1;
      const ms = lockFor(rule, failures);
      if (ms > 0) {
        await SignInGuardEntity.update({ subject: key })
          .set({ lockedUntil: now + ms })
          .go();
        longest = Math.max(longest, ms);
      }
    }
    return Math.ceil(longest / 1000);
  }

  /** Seconds the account itself (not the address) is locked for now: 0 if open. */
  export async function accountLock(email: string, now = Date.now()): Promise<number> {
    const row = (await SignInGuardEntity.get({ subject: accountKey(email) }).go({ consistent: true })).data;
    const until = row?.lockedUntil ?? 0;
    return until > now ? Math.ceil((until - now) / 1000) : 0;
  }

  /**
   * A right password on an open account: its failures start again from zero. Given the sign-in's `snap` (read
   * before the password was checked), an account with no counter on record is not written at all: nothing to
   * clear (most sign-ins). A failure counted by a concurrent attempt after that read then stays counted, as it
   * would had it come just after this sign-in.
   */
  export async function succeeded(email: string, snap?: Snapshot): Promise<void> {
    if (snap && !snap.account) return;
    await SignInGuardEntity.delete({ subject: accountKey(email) }).go();
  }
}
