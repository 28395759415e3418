import { createRoute, z } from "@hono/zod-openapi";
import { Intake } from "@waypoint/core/intake/index";
import { Webhook } from "@waypoint/core/webhook/index";
import { KoboFormMapping, LeadStatus, ReviewResolution, WebhookConfig } from "@waypoint/schema/partner";
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
      path: "/intake/export",
      tags: ["intake"],
      summary:
        "Leads (with every Kobo answer, one column per question) or the submissions waiting for review, as formula-safe CSV",
      security,
      request: { query: Intake.ExportQuery },
      responses: {
        200: { description: "CSV", content: { "text/csv": { schema: z.string() } } },
        303: { description: "The file, at a short-lived link (AWS deployments)" },
        ...problems,
      },
    }),
    async (c) => {
      const out = await Intake.exportCsv(c.req.valid("query"));
      if ("link" in out && out.link) {
        c.header("cache-control", "no-store");
        return c.redirect(out.link, 303) as never;
      }
      return c.body(out.text ?? "", 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${out.fileName}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      }) as never;
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/intake/leads/{leadId}",
      tags: ["intake"],
      summary:
        "A lead with every answer of its Kobo submission, the ones no field holds apart, and its edits",
      security,
      request: { params: z.object({ leadId: z.string().max(40) }) },
      responses: { 200: { description: "The lead", ...json(z.any()) }, ...problems },
    }),
    async (c) => c.json(await Intake.getLead(c.req.valid("param").leadId), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/intake/leads/{leadId}/reviewed",
      tags: ["intake"],
      summary: "Clear a lead's flag after reviewing a Kobo edit that was not applied to it",
      security,
      request: {
        params: z.object({ leadId: z.string().max(40) }),
        body: {
          required: true,
          ...json(z.object({ version: z.number().int().min(1), note: z.string().max(2000).optional() })),
        },
      },
      responses: { 200: { description: "Reviewed", ...json(z.any()) }, ...problems },
    }),
    async (c) =>
      c.json(
        await Intake.clearFlag({
          ...(c.req.valid("json") as { version: number; note?: string }),
          id: c.req.valid("param").leadId,
        }),
        200,
      ),
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
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/organisations/{organisationId}/webhook",
      tags: ["intake"],
      summary: "Remove a partner's webhook (events not yet delivered stop)",
      security,
      request: { params: z.object({ organisationId: z.string().max(40) }) },
      responses: { 204: { description: "Removed" }, ...problems },
    }),
    async (c) => {
      await Webhook.remove(c.req.valid("param").organisationId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/intake/reviews/{reviewId}/resolve",
      tags: ["intake"],
      summary:
        "Resolve a Kobo submission waiting for review: create the lead it should have been, or discard it with a reason (the raw submission is deleted)",
      security,
      request: {
        params: z.object({ reviewId: z.string().max(40) }),
        body: { required: true, ...json(ReviewResolution) },
      },
      responses: { 200: { description: "Resolved", ...json(z.any()) }, ...problems },
    }),
    async (c) =>
      c.json(
        await Intake.resolveReview(c.req.valid("param").reviewId, c.req.valid("json") as ReviewResolution),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/intake/leads/{leadId}/status",
      tags: ["intake"],
      security,
      request: {
        params: z.object({ leadId: z.string().max(40) }),
        body: {
          required: true,
          ...json(
            z.object({
              version: z.number().int().min(1),
              status: LeadStatus,
              note: z.string().max(2000).optional(),
            }),
          ),
        },
      },
      responses: { 200: { description: "Updated", ...json(z.any()) }, ...problems },
    }),
    async (c) =>
      c.json(
        await Intake.setLeadStatus({
          ...(c.req.valid("json") as { version: number; status: "contacted"; note?: string }),
          id: c.req.valid("param").leadId,
        }),
        200,
      ),
  );
