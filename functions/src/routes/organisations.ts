import { createRoute, z } from "@hono/zod-openapi";
import { Organisation } from "@waypoint/core/organisation/index";
import { PartnerScope } from "@waypoint/schema/common";
import { OrganisationSummary } from "@waypoint/schema/partner";
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

/** The partner directory staff pick from when they refer someone; partners' API keys (administrators). */
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
      responses: {
        200: {
          description: "The new key",
          ...json(
            z.object({
              keyID: z.string(),
              key: z.string(),
              scopes: z.array(PartnerScope),
              organisationID: z.string(),
            }),
          ),
        },
        ...problems,
      },
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
      path: "/organisations/{organisationId}/keys/{keyId}/revoke",
      tags: ["intake"],
      summary: "Revoke a partner's API key; a webhook it registered is removed with it",
      security,
      request: {
        params: OrgParam.extend({
          keyId: z
            .string()
            .max(40)
            .openapi({ param: { name: "keyId", in: "path" } }),
        }),
      },
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
  );
