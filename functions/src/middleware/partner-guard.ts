import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { Actor } from "@waypoint/core/actor";
import { Audit } from "@waypoint/core/audit/index";
import { CallAudit } from "@waypoint/core/common/call-audit";
import { log } from "@waypoint/core/common/log";
import { RateLimit } from "@waypoint/core/ratelimit/index";
import { clientIp } from "./client-ip.ts";

/** Partner payloads are small records; anything bigger is refused before it is read. */
export const PARTNER_MAX_BODY = 256 * 1024;
export const partnerBodyLimit = bodyLimit({ maxSize: PARTNER_MAX_BODY });

/** Per API key (authenticated routes) or per client IP (the public form). */
export const rateLimit: MiddlewareHandler = async (c, next) => {
  const actor = Actor.maybe();
  if (actor?.type === "partner") {
    const limit = actor.rateLimitPerMinute ?? RateLimit.PartnerKey.limit;
    await RateLimit.hit(`key:${actor.keyID}`, { limit, windowSeconds: 60 });
  } else if (c.req.method !== "GET") {
    await RateLimit.hit(`ip:${clientIp(c)}`, RateLimit.PublicIp);
  }
  return next();
};

/**
 * Every partner call leaves an audit event: organisation and key (the actor), route template, outcome. Never
 * the body or query string (they hold personal data). A call that commits a change writes its event inside that
 * change's transaction (outcome "committed"); any other call, or one that fails after committing, is recorded
 * here with its HTTP status.
 */
export const auditCall: MiddlewareHandler = async (c, next) => {
  const actor = Actor.maybe();
  if (actor?.type !== "partner") return next();
  const event = (status: number | "committed") => ({
    recordID: actor.organisationID,
    recordType: "api_call",
    action: `${c.req.method} ${c.req.routePath}`,
    operationID: actor.operationID,
    changes: { status: { after: status }, keyID: { after: actor.keyID } },
  });
  const call = { committed: false, item: () => Audit.txItem(event("committed")) };
  let status = 500;
  try {
    await CallAudit.run(call, next);
    status = c.res.status;
  } catch (err) {
    status = (err as { status?: number }).status ?? 500;
    throw err;
  } finally {
    if (!call.committed || status >= 400)
      await Audit.record(event(status)).catch((err: Error) =>
        log.warn({ err: err.name }, "audit of partner call failed"),
      );
  }
};
