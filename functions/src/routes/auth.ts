import { createRoute } from "@hono/zod-openapi";
import { Auth } from "@waypoint/core/auth/index";
import { LoginRequest, LoginResponse } from "@waypoint/schema/auth";
import { router } from "../openapi.ts";

export const authRoutes = router().openapi(
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
);
