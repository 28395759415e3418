import { createRoute, z } from "@hono/zod-openapi";
import { Intake } from "@waypoint/core/intake/index";
import { Organisation } from "@waypoint/core/organisation/index";
import { Webhook } from "@waypoint/core/webhook/index";
import { PartnerScope } from "@waypoint/schema/common";
import {
  ApiKeyIssued,
  OrganisationAdmin,
  OrganisationCreate,
  OrganisationSummary,
  SharingAgreementChange,
  WebhookSettings,
} from "@waypoint/schema/partner";
import { router } from "../openapi.ts";
import { json } from "./v1-common.ts";
import { problems } from "./records.ts";

const security = [{ bearer: [] }];
const OrgParam = z.object({
  organisationId: z
    .string()
    .max(40)
    .openapi({ param: { name: "organisationId", in: "path" } }),
});
const KeyParam = OrgParam.extend({
  keyId: z
    .string()
    .max(40)
    .openapi({ param: { name: "keyId", in: "path" } }),
});

/**
 * The partner directory staff pick from when they refer someone; the administration of partners (organisation
 * admins of the operation): organisations, API keys, data-sharing agreement, webhook and its deliveries, Kobo forms.
 */
export const organisationRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/organisations",
      tags: ["referral"],
      summary: "Partner organisations of the operation you can refer to (name, kind, services)",
      security,
      responses: {
        200: {
          description: "The partners",
          ...json(z.object({ items: z.array(OrganisationSummary), nextCursor: z.null() })),
        },
        ...problems,
      },
    }),
    async (c) => c.json({ items: await Organisation.directory(), nextCursor: null }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/organisations",
      tags: ["intake"],
      summary: "Create a partner organisation of your operation",
      security,
      request: { body: { required: true, ...json(OrganisationCreate) } },
      responses: { 201: { description: "Created", ...json(OrganisationAdmin) }, ...problems },
    }),
    async (c) => c.json(await Organisation.createFromAdmin(c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/organisations/{organisationId}",
      tags: ["intake"],
      summary: "A partner organisation with its keys (never their secrets), agreement and webhook",
      security,
      request: { params: OrgParam },
      responses: { 200: { description: "The organisation", ...json(OrganisationAdmin) }, ...problems },
    }),
    async (c) => c.json(await Organisation.detail(c.req.valid("param").organisationId), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/organisations/{organisationId}/history",
      tags: ["intake"],
      summary: "What changed in a partner's keys, agreement and webhook, and who changed it",
      security,
      request: { params: OrgParam },
      responses: { 200: { description: "Audit events, newest first", ...json(z.any()) }, ...problems },
    }),
    async (c) => c.json(await Organisation.history(c.req.valid("param").organisationId), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/organisations/{organisationId}/keys",
      tags: ["intake"],
      summary: "Issue an API key for a partner (the key is shown only in this answer)",
      security,
      request: {
        params: OrgParam,
        body: {
          required: true,
          ...json(
            z.object({
              name: z.string().min(1).max(100),
              scopes: z.array(PartnerScope).min(1),
              rateLimitPerMinute: z.number().int().min(1).max(100_000).optional(),
            }),
          ),
        },
      },
      responses: { 200: { description: "The new key", ...json(ApiKeyIssued) }, ...problems },
    }),
    async (c) =>
      c.json(
        await Organisation.createKey({
          ...(c.req.valid("json") as { name: string; scopes: PartnerScope[] }),
          organisationID: c.req.valid("param").organisationId,
        }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/organisations/{organisationId}/keys/{keyId}/rotate",
      tags: ["intake"],
      summary:
        "Replace a key: a new key with the same scopes (shown only in this answer), the old one revoked",
      security,
      request: { params: KeyParam },
      responses: { 200: { description: "The new key", ...json(ApiKeyIssued) }, ...problems },
    }),
    async (c) => {
      const p = c.req.valid("param");
      return c.json(await Organisation.rotateKey(p.keyId, p.organisationId), 200);
    },
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/organisations/{organisationId}/keys/{keyId}/scopes",
      tags: ["intake"],
      summary: "Change what a partner key may do",
      security,
      request: {
        params: KeyParam,
        body: { required: true, ...json(z.object({ scopes: z.array(z.string().max(40)).max(20) })) },
      },
      responses: {
        200: {
          description: "Saved",
          ...json(z.object({ keyID: z.string(), scopes: z.array(PartnerScope) })),
        },
        ...problems,
      },
    }),
    async (c) => {
      const p = c.req.valid("param");
      return c.json(await Organisation.setKeyScopes(p.keyId, p.organisationId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/organisations/{organisationId}/keys/{keyId}/revoke",
      tags: ["intake"],
      summary: "Revoke a partner's API key; a webhook it registered is removed with it",
      security,
      request: { params: KeyParam },
      responses: {
        200: {
          description: "Revoked",
          ...json(
            z.object({
              keyID: z.string(),
              organisationID: z.string(),
              revoked: z.boolean(),
              webhookRemoved: z.boolean(),
            }),
          ),
        },
        ...problems,
      },
    }),
    async (c) => {
      const p = c.req.valid("param");
      return c.json(await Organisation.revokeKey(p.keyId, p.organisationId), 200);
    },
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/organisations/{organisationId}/sharing",
      tags: ["intake"],
      summary: "Replace the data-sharing agreement: which fields of a referred person the partner sees",
      security,
      request: { params: OrgParam, body: { required: true, ...json(SharingAgreementChange) } },
      responses: { 200: { description: "Saved", ...json(OrganisationAdmin) }, ...problems },
    }),
    async (c) =>
      c.json(await Organisation.setSharing(c.req.valid("param").organisationId, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/organisations/{organisationId}/webhook/settings",
      tags: ["intake"],
      summary: "Pause or resume a partner's webhook and choose its events",
      security,
      request: { params: OrgParam, body: { required: true, ...json(WebhookSettings) } },
      responses: {
        200: {
          description: "Saved",
          ...json(z.object({ enabled: z.boolean(), events: z.array(z.string()) })),
        },
        ...problems,
      },
    }),
    async (c) =>
      c.json(await Webhook.settings(c.req.valid("param").organisationId, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/organisations/{organisationId}/webhook/deliveries",
      tags: ["intake"],
      summary: "A partner's webhook deliveries, newest first, with each attempt's status",
      security,
      request: {
        params: OrgParam,
        query: z.object({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(2000).optional(),
        }),
      },
      responses: { 200: { description: "Deliveries", ...json(z.any()) }, ...problems },
    }),
    async (c) =>
      c.json(await Webhook.deliveries(c.req.valid("query"), c.req.valid("param").organisationId), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/organisations/{organisationId}/webhook/deliveries/{eventId}/retry",
      tags: ["intake"],
      summary: "Send a webhook event again",
      security,
      request: {
        params: OrgParam.extend({
          eventId: z
            .string()
            .max(40)
            .openapi({ param: { name: "eventId", in: "path" } }),
        }),
      },
      responses: { 200: { description: "Queued again", ...json(z.any()) }, ...problems },
    }),
    async (c) => {
      const p = c.req.valid("param");
      return c.json(await Webhook.replay(p.eventId, p.organisationId), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/organisations/{organisationId}/kobo-forms",
      tags: ["intake"],
      summary: "The Kobo forms this partner posts, with their mappings",
      security,
      request: { params: OrgParam },
      responses: {
        200: { description: "Forms", ...json(z.object({ items: z.array(z.any()) })) },
        ...problems,
      },
    }),
    async (c) => {
      const id = c.req.valid("param").organisationId;
      await Organisation.detail(id);
      return c.json({ items: await Intake.listForms(id) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/kobo-forms/preview",
      tags: ["intake"],
      summary: "What a mapping makes of a sample Kobo submission (nothing is stored)",
      security,
      request: { body: { required: true, ...json(z.object({ mapping: z.any(), submission: z.any() })) } },
      responses: {
        200: {
          description: "The lead and the issues that would send it to review",
          ...json(z.object({ lead: z.record(z.string(), z.unknown()), issues: z.array(z.any()) })),
        },
        ...problems,
      },
    }),
    async (c) => c.json(await Intake.previewMapping(c.req.valid("json")), 200),
  );
