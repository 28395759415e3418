import { createHash } from "node:crypto";
import { Actor } from "../actor.ts";
import { nowIso } from "../common/db.ts";
import { ConflictError, InvalidError } from "../common/errors.ts";
import { IdempotencyEntity } from "./idempotency.entity.ts";

/** Sorted-key JSON, so `{a,b}` and `{b,a}` are the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** A ConflictError a client should retry after a pause (the first request with this key is still running). */
export class InProgressError extends ConflictError {
  readonly retryAfterSeconds = 1;
  constructor() {
    super(
      "A request with this Idempotency-Key is still being processed",
      undefined,
      "idempotency.in_progress",
    );
  }
}

/**
 * Idempotency keys (DESIGN §6): the same key and body return the original response, the same key with another
 * body is refused, and concurrent duplicates wait for the first. The key is claimed with a conditional put
 * before any work starts, so of twenty simultaneous requests exactly one runs.
 */
export namespace Idempotency {
  export const TTL_SECONDS = 24 * 3600 + 3600;
  /** How long a claim protects unfinished work before another request may take it over. */
  const LOCK_MS = 30_000;

  export interface Stored {
    status: number;
    contentType: string;
    body: string;
  }
  export type Begin = { kind: "new" } | { kind: "replay"; response: Stored };

  export function hashRequest(method: string, path: string, body: unknown): string {
    return createHash("sha256")
      .update(`${method} ${path}\n${canonicalJson(body)}`)
      .digest("hex");
  }

  export function validKey(key: string): boolean {
    return /^[\x21-\x7e]{1,255}$/.test(key);
  }

  async function claim(scope: string, key: string, requestHash: string): Promise<boolean> {
    const now = Date.now();
    const operationID = Actor.maybe()?.operationID;
    try {
      await IdempotencyEntity.put({
        ...(operationID ? { operationID } : {}),
        scope,
        key,
        requestHash,
        state: "pending",
        lockedUntil: now + LOCK_MS,
        expiresAt: Math.floor(now / 1000) + TTL_SECONDS,
        timeCreated: nowIso(),
      })
        .where(
          (a, { notExists, lt, eq }) =>
            // free, expired but not yet swept by TTL, or an abandoned claim for the same request
            `${notExists(a.key)} OR ${lt(a.expiresAt, Math.floor(now / 1000))} OR (${eq(a.state, "pending")} AND ${lt(a.lockedUntil, now)} AND ${eq(a.requestHash, requestHash)})`,
        )
        .go({ response: "none" });
      return true;
    } catch (err) {
      if ((err as { cause?: { name?: string } }).cause?.name === "ConditionalCheckFailedException")
        return false;
      throw err;
    }
  }

  const mismatch = () =>
    InvalidError.field(
      "Idempotency-Key",
      "idempotency.mismatch",
      "This Idempotency-Key was already used with a different request",
    );

  /**
   * Claims `key` for this request, or returns the stored response of the request that claimed it. A different
   * request under the same key is an InvalidError (422); when the first request is still running after
   * `waitMs`, an InProgressError (409, Retry-After).
   */
  export async function begin(
    scope: string,
    key: string,
    requestHash: string,
    waitMs = 10_000,
  ): Promise<Begin> {
    const deadline = Date.now() + waitMs;
    let pause = 20;
    for (;;) {
      if (await claim(scope, key, requestHash)) return { kind: "new" };
      const cur = (await IdempotencyEntity.get({ scope, key }).go({ consistent: true })).data;
      if (cur) {
        if (cur.requestHash !== requestHash) throw mismatch();
        if (cur.state === "done")
          return {
            kind: "replay",
            response: {
              status: cur.status ?? 200,
              contentType: cur.contentType ?? "application/json",
              body: cur.body ?? "",
            },
          };
        if (cur.lockedUntil < Date.now()) continue;
      }
      if (Date.now() >= deadline) throw new InProgressError();
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 250);
    }
  }

  /** Stores the response so replays get it verbatim. */
  export async function complete(scope: string, key: string, response: Stored): Promise<void> {
    await IdempotencyEntity.patch({ scope, key })
      .set({ state: "done", status: response.status, contentType: response.contentType, body: response.body })
      .go({ response: "none" });
  }

  /** Gives the key back (the request failed in a way a retry may fix: 5xx, rate limit). */
  export async function release(scope: string, key: string): Promise<void> {
    await IdempotencyEntity.delete({ scope, key })
      .where((a, { eq }) => eq(a.state, "pending"))
      .go({ response: "none" })
      .catch(() => undefined);
  }
}
