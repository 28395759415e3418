import type { Context, MiddlewareHandler } from "hono";
import { Actor } from "@waypoint/core/actor";
import { Idempotency } from "@waypoint/core/idempotency/index";
import { InvalidError } from "@waypoint/core/common/errors";
import { clientIp } from "./client-ip.ts";

/**
 * Whose key space a request's `Idempotency-Key` lives in: a key belongs to one caller. Staff keys are per user
 * (colleagues behind one office address never share them), partner keys per API key (an organisation's keys do
 * not answer for each other), the public form's per IP address (it has no other caller to name).
 */
function keyScope(c: Context): string {
  const actor = Actor.maybe();
  if (actor?.type === "user") return `user:${actor.userID}`;
  if (actor?.type === "partner") return `key:${actor.organisationID}/${actor.keyID}`;
  return `ip:${clientIp(c)}`;
}

/**
 * `Idempotency-Key` on POSTs: the key is claimed before the handler runs; a successful (2xx) response (status and
 * body) is stored and replayed verbatim for the same caller, key and body, and a different body is a 422. Any
 * other answer releases the key, so a refusal (403, 404, 409, 422) or a failure a retry may fix (5xx, 429) is
 * never replayed: the request runs again, with the caller's rights at that time. `authorise` runs before the key is
 * looked at, so a replay is never an answer the caller may not have (a user without the rights gets 403).
 */
export function idempotent(authorise?: () => void | Promise<void>): MiddlewareHandler {
  return async (c, next) => {
    const key = c.req.header("idempotency-key");
    if (c.req.method !== "POST" || key === undefined) return next();
    if (!Idempotency.validKey(key))
      throw InvalidError.field(
        "Idempotency-Key",
        "invalid.idempotency_key",
        "must be 1-255 printable ASCII characters",
      );
    await authorise?.();
    const scope = keyScope(c);
    const raw = await c.req.text();
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      // not JSON: hash the text as it is; the handler will answer 400
    }
    const hash = Idempotency.hashRequest(c.req.method, c.req.path, body);
    const begun = await Idempotency.begin(scope, key, hash);
    if (begun.kind === "replay") {
      const r = begun.response;
      return c.body(r.body, r.status as 200, {
        "content-type": r.contentType,
        "idempotent-replayed": "true",
      });
    }
    try {
      await next();
    } catch (err) {
      await Idempotency.release(scope, key);
      throw err;
    }
    const status = c.res.status;
    if (status < 200 || status >= 300) {
      await Idempotency.release(scope, key);
      return;
    }
    await Idempotency.complete(scope, key, {
      status,
      contentType: c.res.headers.get("content-type") ?? "application/json",
      body: await c.res.clone().text(),
    });
  };
}

/**
 * For routes whose every caller is authorised by the route itself before it is reached (the partner API: a
 * key's scopes never change and a revoked key is refused before this runs), and the public form.
 */
export const idempotency: MiddlewareHandler = idempotent();
