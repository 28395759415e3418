import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { Sso } from "@waypoint/core/auth/oidc";
import { WaypointError } from "@waypoint/core/common/errors";
import { log } from "@waypoint/core/common/log";
import {
  SignInAnswer,
  SsoConfigInfo,
  SsoConfigInput,
  SsoProviders,
  SsoTicket,
} from "@waypoint/schema/identity";
import { router } from "../openapi.ts";
import { json, problems } from "./registry.shared.ts";

const COOKIE = "waypoint_sso";
const SsoAdminView = z.object({ config: SsoConfigInfo.nullable(), redirectURI: z.string() });
const CALLBACK = "/auth/sso/callback";

/** The address the browser used (behind a proxy: its forwarded host and scheme). */
function origin(c: Context): string {
  const u = new URL(c.req.url);
  const host = c.req.header("x-forwarded-host") ?? u.host;
  const proto = c.req.header("x-forwarded-proto") ?? u.protocol.replace(":", "");
  return `${proto}://${host}`;
}

/**
 * Single sign-on (under /auth): the sign-in page's providers, the redirect to the provider, its callback, and the
 * exchange of the one-time ticket for a session. The callback answers the browser with a redirect to the app:
 * `/#sso=<ticket>` on success, `/#sso-error=<reason>` on a refusal (the sign-in page says it in a sentence).
 */
export const ssoSignIn = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/sso",
      summary: "Operations whose staff may sign in with their identity provider (names only); public",
      responses: { 200: json(SsoProviders, "Providers") },
    }),
    async (c) => {
      c.header("cache-control", "no-store");
      return c.json({ providers: await Sso.providers() }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/sso/{operationID}/start",
      summary: "Sends the browser to the operation's identity provider (authorization code with PKCE, state, nonce)",
      request: { params: z.object({ operationID: z.string() }) },
      responses: { 302: { description: "To the identity provider" }, ...problems },
    }),
    async (c) => {
      const base = origin(c);
      const { url, state } = await Sso.start(c.req.valid("param").operationID, `${base}${CALLBACK}`);
      // binds the sign-in to this browser: the callback must come back with the same state
      setCookie(c, COOKIE, state, {
        httpOnly: true,
        sameSite: "Lax",
        secure: base.startsWith("https:"),
        path: "/auth/sso",
        maxAge: 600,
      });
      c.header("cache-control", "no-store");
      return c.redirect(url, 302);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/sso/callback",
      summary: "The identity provider's redirect back; answers with a redirect to the app (a one-time ticket)",
      request: {
        query: z.object({
          code: z.string().optional(),
          state: z.string().optional(),
          error: z.string().optional(),
        }),
      },
      responses: { 302: { description: "To the app" } },
    }),
    async (c) => {
      const base = origin(c);
      const bound = getCookie(c, COOKIE);
      deleteCookie(c, COOKIE, { path: "/auth/sso" });
      c.header("cache-control", "no-store");
      try {
        const { ticket } = await Sso.finish(c.req.url, bound);
        return c.redirect(`${base}/#sso=${encodeURIComponent(ticket)}`, 302);
      } catch (err) {
        const reason =
          err instanceof WaypointError && "code" in err && typeof err.code === "string"
            ? err.code.replace(/^sso\./, "")
            : "failed";
        if (!(err instanceof WaypointError)) log.error({ err: (err as Error).message }, "sso callback failed");
        return c.redirect(`${base}/#sso-error=${encodeURIComponent(reason)}`, 302);
      }
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/sso/ticket",
      summary: "Exchanges the callback's one-time ticket for a session (or a second-factor challenge)",
      request: { body: { content: { "application/json": { schema: SsoTicket } }, required: true } },
      responses: { 200: json(SignInAnswer, "Signed in, or the second step"), ...problems },
    }),
    async (c) => c.json(await Sso.redeem(c.req.valid("json").ticket), 200),
  );

/** The operation's single sign-on configuration (under /api; administrators). */
export const ssoAdminRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/sso-config",
      summary:
        "The operation's single sign-on configuration (null when not set up; never the client secret), with the redirect URI to register",
      responses: { 200: json(SsoAdminView, "Configuration"), ...problems },
    }),
    async (c) => c.json({ config: await Sso.get(), redirectURI: `${origin(c)}${CALLBACK}` }, 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/sso-config",
      summary: "Sets the operation's single sign-on (issuer, client, group → role and offices rules). Audited",
      request: { body: { content: { "application/json": { schema: SsoConfigInput } }, required: true } },
      responses: {
        200: json(SsoAdminView, "Saved"),
        ...problems,
        409: { description: "Stale version", content: { "application/problem+json": { schema: z.any() } } },
      },
    }),
    async (c) =>
      c.json({ config: await Sso.configure(c.req.valid("json")), redirectURI: `${origin(c)}${CALLBACK}` }, 200),
  );
