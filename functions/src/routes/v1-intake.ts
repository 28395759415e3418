import { createRoute, z } from "@hono/zod-openapi";
import { Actor } from "@waypoint/core/actor";
import { Intake } from "@waypoint/core/intake/index";
import { Webhook } from "@waypoint/core/webhook/index";
import { InterestLanguage, InterestRequest, WebhookConfig } from "@waypoint/schema/partner";
import { Page } from "@waypoint/schema/common";
import { router } from "../openapi.ts";
import { json, problems, security } from "./v1-common.ts";

const KoboSubmission = z.record(z.string(), z.unknown()).openapi({
  description:
    "A KoboToolbox REST Service submission: flat JSON, group questions keyed by path, repeats as arrays.",
  example: {
    "meta/instanceID": "uuid:7e7b954f-83e6-406f-9335-368ae153f1aa",
    fullName: "Amina Haddad",
    sex: "Female",
    "household/size": "4",
    _submission_time: "2026-11-20T14:33:11",
  },
});
const IntakeResult = z.object({ id: z.string(), outcome: z.enum(["created", "queued", "duplicate"]) });
const Receipt = z.object({ status: z.literal("received"), message: z.string() });
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

export const v1Intake = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/intake/kobo/{formId}",
      operationId: "receiveKoboSubmission",
      tags: ["intake"],
      summary: "Receive a KoboToolbox submission",
      description:
        "Point a KoboToolbox REST Service here (JSON). Authenticate with `Authorization: Bearer <key>`, HTTP basic (any user name, the key as password) or the custom header `X-Waypoint-Key`. Idempotent on `meta/instanceID`; a submission the form's mapping cannot place is queued for staff review, never refused. Scope `intake:kobo`.",
      security: [{ bearer: [] }, { basic: [] }, { waypointKey: [] }],
      request: {
        params: z.object({
          formId: z
            .string()
            .min(1)
            .max(100)
            .openapi({ param: { name: "formId", in: "path" }, example: "aPYSXuXP6o9YS8zU39TkyL" }),
        }),
        body: { required: true, ...json(KoboSubmission) },
      },
      responses: {
        201: {
          description: "Ingested (a lead was created, or the submission was queued for review)",
          ...json(IntakeResult),
        },
        200: { description: "Already received (same `meta/instanceID`)", ...json(IntakeResult) },
        ...problems,
      },
    }),
    async (c) => {
      const r = await Intake.ingestKobo(c.req.param("formId") ?? "", await c.req.json());
      return c.json(r, r.outcome === "duplicate" ? 200 : 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/public/interest/consent",
      operationId: "getInterestConsent",
      security: [],
      tags: ["public"],
      summary: "Consent text for the expression-of-interest form",
      request: { query: z.object({ lang: InterestLanguage.default("en") }) },
      responses: {
        200: {
          description: "The text to show, and its version to send back",
          ...json(z.object({ language: InterestLanguage, version: z.string(), text: z.string() })),
        },
        ...problems,
      },
    }),
    async (c) => c.json(Intake.consent(c.req.valid("query").lang), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/public/interest",
      operationId: "expressInterest",
      security: [],
      tags: ["public"],
      summary: "Express interest in a programme (no account)",
      description:
        "Creates a lead for identification. The answer is the same whether or not the person is known to the operation. Rate-limited per IP address.",
      request: {
        body: {
          required: true,
          ...json(InterestRequest, {
            operation: "MEX",
            programme: "local_integration",
            givenName: "Jean",
            familyName: "Pierre",
            phone: "+525512345678",
            language: "hat",
            consent: true,
            consentVersion: "2026-11",
          }),
        },
      },
      responses: { 202: { description: "Received", ...json(Receipt) }, ...problems },
    }),
    async (c) =>
      c.json(await Intake.submitInterest(c.req.valid("json") as z.input<typeof InterestRequest>), 202),
  )
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
