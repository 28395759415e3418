import { createRoute, z } from "@hono/zod-openapi";
import { SignInSteps } from "@waypoint/core/auth/steps";
import { SecondFactor } from "@waypoint/core/auth/totp";
import { LoginResponse } from "@waypoint/schema/auth";
import { SignInAnswer } from "@waypoint/schema/identity";
import {
  ChallengeCode,
  ChallengeOnly,
  ChallengePassword,
  EnrolledSignIn,
  Enrolment,
  EnrolmentCode,
  RecoveryCodes,
  SecondFactorStatus,
} from "@waypoint/schema/identity";
import { Problem } from "@waypoint/schema/problem";
import { router } from "../openapi.ts";
import { json, problems } from "./registry.shared.ts";

const body = <S extends z.ZodTypeAny>(schema: S) => ({
  body: { content: { "application/json": { schema } }, required: true },
});
const tooMany = {
  429: {
    content: { "application/problem+json": { schema: Problem } },
    description: "Too many wrong codes: wait (Retry-After)",
  },
};

/** The second step of a sign-in (under /auth): the challenge from POST /auth/login and a code. */
export const secondFactorSignIn = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/second-factor",
      summary:
        "Second step of sign-in: the challenge and a code from the authenticator app (or a recovery code) → a session",
      request: body(ChallengeCode),
      responses: { 200: json(LoginResponse, "Signed in"), ...problems, ...tooMany },
    }),
    async (c) => c.json(await SignInSteps.code(c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/second-factor/enrolment",
      summary:
        "Enrolment at sign-in (roles that need a second factor): a new authenticator secret and its otpauth URI, shown once",
      request: body(ChallengeOnly),
      responses: { 200: json(Enrolment, "The secret to add to the app"), ...problems },
    }),
    async (c) => {
      c.header("cache-control", "no-store");
      return c.json(await SignInSteps.enrol(c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/second-factor/enrolment/confirm",
      summary: "The app's first code confirms the enrolment: a session and ten recovery codes (shown once)",
      request: body(ChallengeCode),
      responses: { 200: json(EnrolledSignIn, "Signed in, with recovery codes"), ...problems, ...tooMany },
    }),
    async (c) => {
      c.header("cache-control", "no-store");
      return c.json(await SignInSteps.confirm(c.req.valid("json")), 200);
    },
  );

/** An account created with a temporary password chooses its own at its first sign-in (under /auth). */
export const newPasswordSignIn = router().openapi(
  createRoute({
    method: "post",
    path: "/new-password",
    summary:
      "First sign-in with a temporary password: the challenge from POST /auth/login and the new password → a session, or the second-factor step",
    request: body(ChallengePassword),
    responses: { 200: json(SignInAnswer, "Signed in, or the second factor's challenge"), ...problems },
  }),
  async (c) => {
    c.header("cache-control", "no-store");
    return c.json((await SignInSteps.newPassword(c.req.valid("json"))) as never, 200);
  },
);

/** The signed-in user's own authenticator, and an administrator's reset (under /api). */
export const secondFactorRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/me/second-factor",
      summary: "Whether the signed-in user has an authenticator, whether their role needs one, recovery codes left",
      responses: { 200: json(SecondFactorStatus, "Status"), ...problems },
    }),
    async (c) => c.json(await SecondFactor.status(), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/me/second-factor",
      summary: "Starts setting up an authenticator for the signed-in user: the secret and otpauth URI, shown once",
      responses: { 200: json(Enrolment, "The secret to add to the app"), ...problems },
    }),
    async (c) => {
      c.header("cache-control", "no-store");
      return c.json(await SecondFactor.startOwn(), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/me/second-factor/confirm",
      summary: "The app's first code confirms the authenticator: ten recovery codes (shown once)",
      request: body(EnrolmentCode),
      responses: { 200: json(RecoveryCodes, "Recovery codes"), ...problems, ...tooMany },
    }),
    async (c) => {
      c.header("cache-control", "no-store");
      return c.json({ recoveryCodes: await SecondFactor.confirmOwn(c.req.valid("json").code) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/me/second-factor/disable",
      summary:
        "The signed-in user turns their authenticator off with a current code (not for roles that need one). Audited",
      request: body(EnrolmentCode),
      responses: { 204: { description: "Turned off" }, ...problems, ...tooMany },
    }),
    async (c) => {
      await SecondFactor.disableOwn(c.req.valid("json").code);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/second-factors/{userID}",
      summary: "Whether a colleague of the administrator's operation has an authenticator set up (the account screen)",
      request: { params: z.object({ userID: z.string() }) },
      responses: { 200: json(z.object({ enrolled: z.boolean() }), "Status"), ...problems },
    }),
    async (c) => c.json({ enrolled: await SecondFactor.enrolled(c.req.valid("param").userID) }, 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/second-factors/{userID}",
      summary:
        "An administrator removes a user's authenticator (lost phone); the user's open sessions end and they set up a new one at their next sign-in. Audited",
      request: { params: z.object({ userID: z.string() }) },
      responses: { 204: { description: "Removed" }, ...problems },
    }),
    async (c) => {
      await SecondFactor.reset(c.req.valid("param").userID);
      return c.body(null, 204);
    },
  );
