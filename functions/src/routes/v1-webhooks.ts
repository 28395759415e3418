import { createRoute, z } from "@hono/zod-openapi";
import { Actor } from "@waypoint/core/actor";
import { Webhook } from "@waypoint/core/webhook/index";
import { WebhookConfig } from "@waypoint/schema/partner";
import { Page } from "@waypoint/schema/common";
import { router } from "../openapi.ts";
import { json, problems, security } from "./v1-common.ts";

const Delivery = z.object({
  eventID: z.string(),
  type: z.string(),
  state: z.enum(["pending", "delivered", "failed"]),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  log: z.array(
    z.object({
      time: z.string(),
      status: z.number().int().optional(),
      error: z.string().optional(),
      ms: z.number(),
    }),
  ),
  timeCreated: z.string(),
});

/** A partner's webhook: its URL and secret, the deliveries to it, replays. */
export const v1Webhooks = router()
  .openapi(
    createRoute({
      method: "put",
      path: "/webhook",
      operationId: "setWebhook",
      tags: ["webhooks"],
      summary: "Register your webhook URL",
      description:
        'Events (`referral.created`, `referral.accepted`, …) are POSTed with `Waypoint-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`. The signing secret is returned only in this response; calling again rotates it.',
      security,
      request: {
        body: {
          required: true,
          ...json(WebhookConfig, { url: "https://partner.example.org/waypoint-events" }),
        },
      },
      responses: {
        200: {
          description: "The URL and the new signing secret",
          ...json(z.object({ url: z.string(), secret: z.string() })),
        },
        ...problems,
      },
    }),
    async (c) => {
      Actor.assertPartnerScope("referrals:read");
      return c.json(await Webhook.configure(c.req.valid("json") as { url: string }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/webhook",
      operationId: "getWebhook",
      tags: ["webhooks"],
      summary: "Your webhook URL",
      security,
      responses: {
        200: {
          description: "The registered URL (never the secret)",
          ...json(z.object({ url: z.string().nullable() })),
        },
        ...problems,
      },
    }),
    async (c) => {
      Actor.assertPartnerScope("referrals:read");
      return c.json(await Webhook.get(), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/webhook",
      operationId: "deleteWebhook",
      tags: ["webhooks"],
      summary: "Stop receiving events",
      security,
      responses: { 204: { description: "Removed" }, ...problems },
    }),
    async (c) => {
      Actor.assertPartnerScope("referrals:read");
      await Webhook.remove();
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/webhook/deliveries",
      operationId: "listWebhookDeliveries",
      tags: ["webhooks"],
      summary: "Delivery log",
      security,
      request: {
        query: z.object({
          cursor: z.string().max(2000).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
      responses: {
        200: { description: "Events and their delivery attempts, newest first", ...json(Page(Delivery)) },
        ...problems,
      },
    }),
    async (c) => {
      Actor.assertPartnerScope("referrals:read");
      return c.json(await Webhook.deliveries(c.req.valid("query")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/webhook/deliveries/{eventId}/replay",
      operationId: "replayWebhookDelivery",
      tags: ["webhooks"],
      summary: "Send an event again",
      security,
      request: {
        params: z.object({
          eventId: z
            .string()
            .max(40)
            .openapi({ param: { name: "eventId", in: "path" }, example: "obx_01JD0000000000000000000000" }),
        }),
      },
      responses: { 202: { description: "Queued for delivery", ...json(Delivery) }, ...problems },
    }),
    async (c) => {
      Actor.assertPartnerScope("referrals:read");
      return c.json(await Webhook.replay(c.req.valid("param").eventId), 202);
    },
  );
