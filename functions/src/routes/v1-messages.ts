import { createRoute, z } from "@hono/zod-openapi";
import { Messages } from "@waypoint/core/message/index";
import type { Context } from "hono";
import { router } from "../openapi.ts";
import { problems } from "./v1-common.ts";

const Form = z.record(z.string(), z.string()).openapi({
  description: "The provider's form-encoded parameters (Twilio: MessageSid, MessageStatus, From, To, Body…)",
});
const form = { content: { "application/x-www-form-urlencoded": { schema: Form } } };
const Signature = z.object({
  "x-twilio-signature": z
    .string()
    .max(200)
    .optional()
    .openapi({
      description: "Base64 HMAC-SHA1 of the URL and the sorted parameters, keyed with the Auth Token",
    }),
});
const twiml = `<?xml version="1.0" encoding="UTF-8"?><Response></Response>`;

async function params(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(
    Object.entries(body).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as const] : [])),
  );
}

/** The message provider's signed callbacks (no API key: the signature is checked instead). */
export const v1Messages = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/public/messages/status",
      operationId: "messageStatusCallback",
      security: [],
      tags: ["public"],
      summary: "Delivery status of a message (the provider's status callback, signed)",
      request: { headers: Signature, body: { required: true, ...form } },
      responses: { 204: { description: "Recorded" }, ...problems },
    }),
    async (c) => {
      await Messages.statusCallback(c.req.url, await params(c), c.req.header("x-twilio-signature"));
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/public/messages/inbound",
      operationId: "messageInbound",
      security: [],
      tags: ["public"],
      summary:
        "A person's reply (the provider's inbound-message webhook, signed): linked to the person; STOP, ALTO, ARRET or قف stops messages to that number",
      request: { headers: Signature, body: { required: true, ...form } },
      responses: {
        200: { description: "Received (empty TwiML)", content: { "text/xml": { schema: z.string() } } },
        ...problems,
      },
    }),
    async (c) => {
      await Messages.inboundCallback(c.req.url, await params(c), c.req.header("x-twilio-signature"));
      return c.body(twiml, 200, { "content-type": "text/xml; charset=utf-8" });
    },
  );
