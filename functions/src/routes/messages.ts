import { createRoute, z } from "@hono/zod-openapi";
import { Messages } from "@waypoint/core/message/index";
import {
  DayRemindersRequest,
  MessageInfo,
  MessageKind,
  MessageSendRequest,
  MessageTemplateInfo,
  MessageTemplateInput,
} from "@waypoint/schema/messages";
import { router } from "../openapi.ts";
import { json, problems } from "./registry.shared.ts";

const tags = ["Messages"];
const security = [{ bearer: [] }];

/** SMS and WhatsApp messages to people: send one, a day's reminders, the outbox, a person's messages, templates. */
export const messageRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/messages",
      tags,
      security,
      summary:
        "The operation's messages, newest first: what was sent (or, on a local instance, what would be sent) and the replies, with their delivery state",
      responses: {
        200: json(
          z.object({ items: z.array(MessageInfo), provider: z.enum(["twilio", "outbox"]) }),
          "The outbox",
        ),
        ...problems,
      },
    }),
    async (c) => c.json(await Messages.outbox(), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/messages",
      tags,
      security,
      summary:
        "Send a person a message about one event from the operation's template in their language (needs their consent to messages; one message per event, person and channel whatever is retried)",
      request: { body: { ...json(MessageSendRequest), required: true } },
      responses: {
        200: json(MessageInfo.extend({ duplicate: z.boolean() }), "Queued and handed to the provider"),
        ...problems,
      },
    }),
    async (c) => c.json(await Messages.send(c.req.valid("json") as MessageSendRequest), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/messages/reminders",
      tags,
      security,
      summary: "Queue the reminders of an office's appointments on one day (a restartable job)",
      request: { body: { ...json(DayRemindersRequest), required: true } },
      responses: { 202: json(z.object({ requested: z.boolean() }), "Requested"), ...problems },
    }),
    async (c) =>
      c.json(
        await Messages.requestDayReminders(c.req.valid("json") as z.input<typeof DayRemindersRequest>),
        202,
      ),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/messages/person/{individualId}",
      tags,
      security,
      summary:
        "A person's messages and replies with their delivery state, whether they opted out, and their consent",
      request: { params: z.object({ individualId: z.string().max(40) }) },
      responses: {
        200: json(
          z.object({
            items: z.array(MessageInfo),
            optOuts: z.array(z.object({ channel: z.string(), time: z.string() })),
            consent: z.boolean(),
            hasPhone: z.boolean(),
          }),
          "The person's messages",
        ),
        ...problems,
      },
    }),
    async (c) => c.json(await Messages.forPerson(c.req.valid("param").individualId), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/messages/templates",
      tags,
      security,
      summary: "The operation's message templates (its own or the built-in texts) in en/es/fr/ar",
      responses: { 200: json(z.object({ items: z.array(MessageTemplateInfo) }), "Templates"), ...problems },
    }),
    async (c) => c.json(await Messages.templates(), 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/messages/templates/{kind}",
      tags,
      security,
      summary: "Write the operation's template for one kind of message (conditional on the version edited)",
      request: {
        params: z.object({ kind: MessageKind }),
        body: { ...json(MessageTemplateInput), required: true },
      },
      responses: { 200: json(MessageTemplateInfo, "Saved"), ...problems },
    }),
    async (c) =>
      c.json(
        await Messages.putTemplate(c.req.valid("param").kind, c.req.valid("json") as MessageTemplateInput),
        200,
      ),
  );
