import { createRoute, z } from "@hono/zod-openapi";
import { Accounts } from "@waypoint/core/user/accounts";
import { Mail } from "@waypoint/core/mail/index";
import { Problem } from "@waypoint/schema/problem";
import {
  OutboxMail,
  StaffName,
  StaffUser,
  UserChanges,
  UserInvite,
  UserVersion,
} from "@waypoint/schema/users";
import { router } from "../openapi.ts";

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: Problem } },
});
const problems = {
  403: problem("Not allowed"),
  404: problem("Not found"),
  409: problem("Stale version"),
  422: problem("Invalid input or refused by a rule"),
};
const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const body = <T extends z.ZodTypeAny>(schema: T) => ({
  body: { content: { "application/json": { schema } }, required: true },
});
const UserParam = z.object({ userID: z.string().min(1) });
const Sent = z.object({ user: StaffUser, mailed: z.boolean() });

/** Staff accounts of the admin's operation (`user.manage`), and colleagues' names for everyone on its staff. */
export const userRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags: ["users"],
      summary: "The operation's staff accounts with role, offices and status (admins)",
      responses: { 200: json(z.object({ items: z.array(StaffUser) }), "Accounts by name"), ...problems },
    }),
    async (c) => c.json(await Accounts.list(), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags: ["users"],
      summary:
        "Invite a colleague (e-mail, name, role, offices): the account is created without a password and a one-time link is e-mailed",
      request: body(UserInvite),
      responses: { 201: json(Sent, "Invited"), ...problems },
    }),
    async (c) => c.json(await Accounts.invite(c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{userID}",
      tags: ["users"],
      summary: "One staff account of the operation (admins)",
      request: { params: UserParam },
      responses: { 200: json(StaffUser, "The account"), ...problems },
    }),
    async (c) => c.json(await Accounts.get(c.req.valid("param").userID), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/{userID}",
      tags: ["users"],
      summary:
        "Change a colleague's name, languages, or role and offices in the operation (a change of rights ends their sessions)",
      request: { params: UserParam, ...body(UserChanges) },
      responses: { 200: json(StaffUser, "Changed"), ...problems },
    }),
    async (c) => c.json(await Accounts.update(c.req.valid("param").userID, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{userID}/deactivate",
      tags: ["users"],
      summary: "Deactivate an account: it cannot sign in and its open sessions end on their next request",
      request: { params: UserParam, ...body(UserVersion) },
      responses: { 200: json(StaffUser, "Deactivated"), ...problems },
    }),
    async (c) =>
      c.json(
        await Accounts.deactivate(c.req.valid("param").userID, c.req.valid("json").expectedVersion),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{userID}/reactivate",
      tags: ["users"],
      summary: "Reactivate a deactivated account",
      request: { params: UserParam, ...body(UserVersion) },
      responses: { 200: json(StaffUser, "Reactivated"), ...problems },
    }),
    async (c) =>
      c.json(
        await Accounts.reactivate(c.req.valid("param").userID, c.req.valid("json").expectedVersion),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{userID}/link",
      tags: ["users"],
      summary:
        "Send a new one-time link: a password reset (or the invitation again if no password was set); the previous link stops working",
      request: { params: UserParam, ...body(UserVersion) },
      responses: { 200: json(Sent, "Sent"), ...problems },
    }),
    async (c) =>
      c.json(await Accounts.sendLink(c.req.valid("param").userID, c.req.valid("json").expectedVersion), 200),
  );

/** Colleagues' names and roles by ID, for anyone on the operation's staff (`user.read`). */
export const staffRoutes = router().openapi(
  createRoute({
    method: "get",
    path: "/",
    tags: ["users"],
    summary: "Names and roles of colleagues of the operation by user ID (ids=usr_…,usr_…; at most 200)",
    request: { query: z.object({ ids: z.string().max(10_000) }) },
    responses: { 200: json(z.object({ items: z.array(StaffName) }), "Names"), ...problems },
  }),
  async (c) => c.json(await Accounts.names(c.req.valid("query").ids.split(",")), 200),
);

/** The signed-in user's sessions. */
export const sessionRoutes = router().openapi(
  createRoute({
    method: "post",
    path: "/end-all",
    tags: ["users"],
    summary: "Sign out everywhere: every session of the signed-in user ends, this one included",
    responses: { 204: { description: "Ended" }, ...problems },
  }),
  async (c) => {
    await Accounts.signOutEverywhere();
    return c.body(null, 204);
  },
);

/** The local outbox: the e-mails a local instance would have sent (admins; absent on AWS). */
export const outboxRoutes = router().openapi(
  createRoute({
    method: "get",
    path: "/",
    tags: ["users"],
    summary: "Messages the local instance kept instead of e-mailing them (local runtime only)",
    responses: { 200: json(z.object({ items: z.array(OutboxMail) }), "Newest first"), ...problems },
  }),
  async (c) => c.json(await Mail.outbox(), 200),
);
