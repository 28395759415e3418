import { createRoute, z } from "@hono/zod-openapi";
import { Intake, Webhook } from "@waypoint/core";
import { KoboFormMapping, WebhookConfig } from "@waypoint/schema";
import { router } from "../openapi.ts";
import { json, problems } from "./v1-common.ts";

const FormId = z.object({
  formId: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "formId", in: "path" } }),
});
const List = z.object({
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const security = [{ bearer: [] }];

/** Staff side of partner intake: Kobo form mappings, the lead and review queues, a partner's webhook. */
export const intakeAdminRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/kobo-forms/{formId}",
      tags: ["intake"],
      security,
      request: { params: FormId },
      responses: { 200: { description: "The mapping", ...json(KoboFormMapping) }, ...problems },
    }),
    async (c) => c.json(await Intake.getForm(c.req.valid("param").formId), 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/kobo-forms/{formId}",
      tags: ["intake"],
      security,
      request: { params: FormId, body: { required: true, ...json(KoboFormMapping) } },
      responses: { 200: { description: "Saved", ...json(KoboFormMapping) }, ...problems },
    }),
    async (c) =>
      c.json(
        await Intake.putForm({
          ...(c.req.valid("json") as z.input<typeof KoboFormMapping>),
          formID: c.req.valid("param").formId,
        }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/intake/leads",
      tags: ["intake"],
      security,
      request: { query: List },
      responses: { 200: { description: "Leads, newest first", ...json(z.any()) }, ...problems },
    }),
    async (c) => c.json(await Intake.listLeads(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/intake/reviews",
      tags: ["intake"],
      security,
      request: { query: List.extend({ status: z.enum(["open", "resolved"]).default("open") }) },
      responses: { 200: { description: "Submissions waiting for review", ...json(z.any()) }, ...problems },
    }),
    async (c) => c.json(await Intake.listReviews(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/organisations/{organisationId}/webhook",
      tags: ["intake"],
      security,
      request: {
        params: z.object({ organisationId: z.string().max(40) }),
        body: { required: true, ...json(WebhookConfig) },
      },
      responses: {
        200: {
          description: "URL and new secret",
          ...json(z.object({ url: z.string(), secret: z.string() })),
        },
        ...problems,
      },
    }),
    async (c) =>
      c.json(
        await Webhook.configure(c.req.valid("json") as { url: string }, c.req.valid("param").organisationId),
        200,
      ),
  );
