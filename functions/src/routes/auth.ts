import { createRoute } from "@hono/zod-openapi";
import { Auth } from "@waypoint/core/auth/index";
import { LoginRequest, LoginResponse, SignInConfig } from "@waypoint/schema/auth";
import { router } from "../openapi.ts";

export const authRoutes = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/login",
      summary: "Staff sign-in with e-mail and password; returns a bearer token",
      request: { body: { content: { "application/json": { schema: LoginRequest } }, required: true } },
      responses: {
        200: { description: "Signed in", content: { "application/json": { schema: LoginResponse } } },
      },
    }),
    async (c) => c.json(await Auth.login(c.req.valid("json")), 200),
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
  );
