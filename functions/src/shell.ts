import { type Handler, Hono } from "hono";
import { LinearRouter } from "hono/router/linear-router";
import { SmartRouter } from "hono/router/smart-router";
import { TrieRouter } from "hono/router/trie-router";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { Health } from "@waypoint/core/health";
import { NotFoundError } from "@waypoint/core/common/errors";
import { staffApi } from "./api.ts";
import type { Mounts } from "./domains.ts";
import { requestLog } from "./middleware/log.ts";
import { partnerApi } from "./partner.ts";
import { toProblem } from "./problem.ts";
import { apiHeaders, securityHeaders } from "./middleware/security-headers.ts";
import { config } from "@waypoint/core/config";

/** 200 when the table answers, 503 otherwise. */
const health: Handler = async (c) => {
  const h = await Health.check();
  return c.json({ status: h.ok ? "ok" : "unavailable", table: h.ok }, h.ok ? 200 : 503);
};

/**
 * The app around the feature routes: request IDs, the request log, the body limit, /health, staff and partner
 * guards, problem+json errors. `createApp(mounts)` with every domain's routes is the full app (app.ts); the Lambda
 * entry builds one per domain with only that domain's routes (lambda.ts, domains.ts). Middleware and error
 * handling are the same object code in both, so a route behaves the same wherever it is served
 * (tests/integration/domains.test.ts compares the route each app picks for every path).
 */
export function createApp(mounts: Mounts, opts: { docs?: boolean; quickRouter?: boolean } = {}) {
  // Hono's default router compiles every route into one regular expression on the first request (~10–20 ms for a
  // domain's routes on a cold Lambda). The quick router (Hono's `hono/quick` preset) registers routes as they are
  // and matches them in order: made for apps that serve few requests per start; a domain has at most ~100 routes.
  const app = new Hono(
    opts.quickRouter ? { router: new SmartRouter({ routers: [new LinearRouter(), new TrieRouter()] }) } : {},
  )
    .use("*", requestId())
    // nosniff, no framing, a deny-all CSP for JSON, HSTS on a deployed stage (middleware/security-headers.ts)
    .use("*", securityHeaders(apiHeaders(), { hsts: () => config().mode === "aws" }))
    .use("*", requestLog)
    .use("*", bodyLimit({ maxSize: 20 * 1024 * 1024 }))
    .get("/health", health);
  if (mounts.auth) app.route("/auth", mounts.auth);
  if (mounts.staff?.length || opts.docs) app.route("/api", staffApi(mounts.staff ?? [], opts));
  if (mounts.partner?.length || opts.docs) app.route("/v1", partnerApi(mounts.partner ?? [], opts));
  app.onError(toProblem);
  app.notFound((c) => toProblem(new NotFoundError("route", new URL(c.req.url).pathname), c));
  return app;
}
