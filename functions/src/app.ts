import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { Health, NotFoundError } from "@waypoint/core";
import { api } from "./api.ts";
import { requestLog } from "./middleware/log.ts";
import { partner } from "./partner.ts";
import { toProblem } from "./problem.ts";
import { authRoutes } from "./routes/auth.ts";

/** The one Hono app: Lambda wraps it on AWS (lambda.ts), @hono/node-server serves it locally. */
export const app = new Hono()
  .use("*", requestId())
  .use("*", requestLog)
  .use("*", bodyLimit({ maxSize: 20 * 1024 * 1024 }))
  .get("/health", async (c) => {
    const h = await Health.check();
    return c.json({ status: h.ok ? "ok" : "unavailable", table: h.ok }, h.ok ? 200 : 503);
  })
  .route("/auth", authRoutes)
  .route("/api", api)
  .route("/v1", partner);

app.onError(toProblem);
app.notFound((c) => toProblem(new NotFoundError("route", new URL(c.req.url).pathname), c));

export type AppType = typeof app;
