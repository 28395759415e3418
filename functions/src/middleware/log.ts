import type { MiddlewareHandler } from "hono";
import { log } from "@waypoint/core/common/log";

/** One line per request: method, route path (no query string: it can hold names), status, duration, IDs. */
export const requestLog: MiddlewareHandler = async (c, next) => {
  const start = performance.now();
  await next();
  log.info(
    {
      requestId: c.get("requestId" as never),
      method: c.req.method,
      path: c.req.routePath ?? new URL(c.req.url).pathname,
      status: c.res.status,
      ms: Math.round(performance.now() - start),
      actor: c.get("actorID" as never),
    },
    "request",
  );
};
