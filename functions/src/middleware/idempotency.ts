import type { MiddlewareHandler } from "hono";
import { Actor } from "@waypoint/core/actor";
import { Idempotency } from "@waypoint/core/idempotency/index";
import { InvalidError } from "@waypoint/core/common/errors";
import { clientIp } from "./client-ip.ts";

/**
 * `Idempotency-Key` on every POST under /v1: the key is claimed before the handler runs; the response (status
 * and body) is stored and replayed verbatim for the same key and body, and a different body is a 422. Keys are
 * scoped per organisation (per IP address on the public form). Failures a retry may fix (5xx, 429) release it.
 */
export const idempotency: MiddlewareHandler = async (c, next) => {
  const key = c.req.header("idempotency-key");
  if (c.req.method !== "POST" || key === undefined) return next();
  if (!Idempotency.validKey(key))
    throw InvalidError.field(
      "Idempotency-Key",
      "invalid.idempotency_key",
      "must be 1-255 printable ASCII characters",
    );
  const actor = Actor.maybe();
  const scope = actor?.type === "partner" ? actor.organisationID : `ip:${clientIp(c)}`;
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
    return c.body(r.body, r.status as 200, { "content-type": r.contentType, "idempotent-replayed": "true" });
  }
  try {
    await next();
  } catch (err) {
    await Idempotency.release(scope, key);
    throw err;
  }
  const status = c.res.status;
  if (status >= 500 || status === 429 || status === 401) {
    await Idempotency.release(scope, key);
    return;
  }
  await Idempotency.complete(scope, key, {
    status,
    contentType: c.res.headers.get("content-type") ?? "application/json",
    body: await c.res.clone().text(),
  });
};
