import { createRoute } from "@hono/zod-openapi";
import { Auth } from "@waypoint/core/auth/index";
import { LoginRequest, SignInConfig } from "@waypoint/schema/auth";
import { SignInAnswer } from "@waypoint/schema/identity";
import { router } from "../openapi.ts";
import { clientIp } from "../middleware/client-ip.ts";
import { linkRoutes } from "./links.ts";

export const authRoutes = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/login",
      summary:
        "Staff sign-in with e-mail and password; returns a bearer token, or a second-factor challenge when the account has an authenticator or its role needs one",
      request: { body: { content: { "application/json": { schema: LoginRequest } }, required: true } },
      responses: {
        200: {
          description: "Signed in, or the second step (POST /auth/second-factor)",
          content: { "application/json": { schema: SignInAnswer } },
        },
      },
    }),
    // attempts are limited per account and per address (core/auth/guard.ts)
    async (c) => c.json(await Auth.login(c.req.valid("json"), { ip: clientIp(c) }), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/config",
      summary: "What the sign-in page may show (demo accounts on a local demo instance only); public",
      responses: {
        200: {
          description: "Sign-in page settings",
          content: { "application/json": { schema: SignInConfig } },
        },
      },
    }),
    (c) => {
      c.header("cache-control", "no-store");
      return c.json(Auth.signInConfig(), 200);
    },
  )
  // one-time links (invitation, password reset) and token refresh (routes/links.ts)
  .route("/", linkRoutes);
