import { createRoute, z } from "@hono/zod-openapi";
import { Auth } from "@waypoint/core/auth/index";
import { Accounts } from "@waypoint/core/user/accounts";
import { LoginResponse } from "@waypoint/schema/auth";
import { Problem } from "@waypoint/schema/problem";
import { LinkInfo, SetPassword } from "@waypoint/schema/users";
import { UnauthorizedError } from "@waypoint/core/common/errors";
import { router } from "../openapi.ts";

const problem = { content: { "application/problem+json": { schema: Problem } } };
const TokenParam = z.object({ token: z.string().min(10).max(300) });

/**
 * Signed-out account steps under /auth: a one-time link's holder sets a password (invitation or reset), and an
 * open session gets a fresh short-lived token.
 */
export const linkRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/links/{token}",
      summary: "What a one-time link opens (invitation or password reset), if it still works",
      request: { params: TokenParam },
      responses: {
        200: { description: "The link works", content: { "application/json": { schema: LinkInfo } } },
        422: { description: "Used, replaced or expired", ...problem },
      },
    }),
    async (c) => {
      c.header("cache-control", "no-store");
      return c.json(await Accounts.linkInfo(c.req.valid("param").token), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/links/{token}",
      summary: "Set the password with a one-time link (password rules apply); the link then stops working",
      request: {
        params: TokenParam,
        body: { content: { "application/json": { schema: SetPassword } }, required: true },
      },
      responses: {
        204: { description: "Password set: sign in with it" },
        422: { description: "Password refused (field `password`), or the link no longer works", ...problem },
      },
    }),
    async (c) => {
      await Accounts.acceptLink(c.req.valid("param").token, c.req.valid("json"));
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/refresh",
      summary: "A fresh short-lived token for an open session (Authorization: Bearer <current token>)",
      responses: {
        200: { description: "Refreshed", content: { "application/json": { schema: LoginResponse } } },
        401: { description: "The session has ended", ...problem },
      },
    }),
    async (c) => {
      const m = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
      if (!m) throw new UnauthorizedError("Send Authorization: Bearer <token>");
      return c.json(await Auth.refresh(m[1]!), 200);
    },
  );
