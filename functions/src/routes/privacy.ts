import { createRoute } from "@hono/zod-openapi";
import { Privacy } from "@waypoint/core/privacy/index";
import { ErasureReport, ErasureRequest, ExportPurposeFields } from "@waypoint/schema/privacy";
import { IndividualInfo, IndividualListQuery } from "@waypoint/schema/registry";
import { Page } from "@waypoint/schema/common";
import { Individual } from "@waypoint/core/individual/index";
import { Consent } from "@waypoint/core/privacy/consent";
import { Sharing } from "@waypoint/core/privacy/sharing";
import { subjectAccess } from "@waypoint/core/privacy/subject-access";
import { ConsentGive, ConsentInfo, ConsentWithdraw, ConsentWithdrawal } from "@waypoint/schema/consent";
import { z } from "@hono/zod-openapi";
import { router } from "../openapi.ts";
import { IdParam, json, problems } from "./registry.shared.ts";

const tags = ["Data protection"];
const security = [{ bearer: [] }];
const Id = IdParam("individual", "ind");

/** Data protection on a person's record: erasure on request. */
export const privacyRoutes = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/individuals/search",
      tags,
      security,
      summary:
        "Search individuals by name in the request body (the same query as GET /individuals), so a name never travels in a URL; cursors are opaque",
      request: { body: { ...json(IndividualListQuery), required: true } },
      responses: { 200: json(Page(IndividualInfo), "A page of individuals"), ...problems },
    }),
    async (c) => c.json(await Individual.list(c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/individuals/{id}/erase",
      tags,
      security,
      summary:
        "Erase a person on request (supervisor): their records go, records that stay lose their values; audited without personal data",
      request: { params: Id, body: { ...json(ErasureRequest), required: true } },
      responses: { 200: json(ErasureReport, "What the erasure removed"), ...problems },
    }),
    async (c) => c.json(await Privacy.erase(c.req.valid("param").id, c.req.valid("json").reason), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/individuals/{id}/consents",
      tags,
      security,
      summary:
        "The person's consents by purpose (registration, sharing with a partner or service, messages, resettlement)",
      request: { params: Id },
      responses: { 200: json(z.object({ items: z.array(ConsentInfo) }), "Consents"), ...problems },
    }),
    async (c) => c.json({ items: await Consent.list(c.req.valid("param").id) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/individuals/{id}/consents",
      tags,
      security,
      summary: "Record consent for one purpose: date, how it was given, by whom (audited)",
      request: { params: Id, body: { ...json(ConsentGive), required: true } },
      responses: { 200: json(ConsentInfo, "The consent as recorded"), ...problems },
    }),
    async (c) => c.json(await Consent.give(c.req.valid("param").id, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/individuals/{id}/consents/withdraw",
      tags,
      security,
      summary:
        "Withdraw consent for one purpose; withdrawing sharing stops it at once (the partner's reads become 404, queued webhook deliveries are dropped); audited",
      request: { params: Id, body: { ...json(ConsentWithdraw), required: true } },
      responses: { 200: json(ConsentWithdrawal, "The withdrawal and what it stopped"), ...problems },
    }),
    async (c) => c.json(await Consent.withdraw(c.req.valid("param").id, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/individuals/{id}/sharing",
      tags,
      security,
      summary:
        "The person's sharing log: every disclosure to a partner (referrals, partner API reads, webhook deliveries)",
      request: { params: Id },
      responses: {
        200: json(
          z.object({ items: z.array(z.record(z.string(), z.unknown())) }),
          "Disclosures, oldest first",
        ),
        ...problems,
      },
    }),
    async (c) => c.json({ items: (await Sharing.of(c.req.valid("param").id)) as never[] }, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/individuals/{id}/subject-access",
      tags,
      security,
      summary:
        "Everything held about the person (record, consents, cases and notes, incidents, referrals, payments, history, who read restricted records, sharing) as JSON or a readable PDF; audited",
      request: {
        params: Id,
        query: z.object({ format: z.enum(["json", "pdf"]).default("json"), ...ExportPurposeFields }),
      },
      responses: {
        200: { description: "The file (local runtime)" },
        303: { description: "A short-lived link to the file (AWS)" },
        ...problems,
      },
    }),
    async (c) => {
      const { format, ...why } = c.req.valid("query");
      const out = await subjectAccess(c.req.valid("param").id, format, why);
      if ("link" in out && out.link) return c.redirect(out.link, 303) as never;
      return new Response(out.body, {
        status: 200,
        headers: {
          "content-type": out.contentType,
          "content-disposition": `attachment; filename="${out.filename}"`,
          "cache-control": "no-store",
        },
      }) as never;
    },
  );
