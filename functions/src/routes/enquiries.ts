import { createRoute, z } from "@hono/zod-openapi";
import { Enquiry, Leads } from "@waypoint/core/enquiry/index";
import {
  EnquiryChanges,
  EnquiryCreate,
  EnquiryInfo,
  EnquiryListQuery,
  FaqEntry,
  FaqPut,
  LeadRegistration,
  QueueItem,
} from "@waypoint/schema/community";
import { router } from "../openapi.ts";
import { problems } from "./records.ts";

const json = (schema: z.ZodTypeAny) => ({ content: { "application/json": { schema } } });
const body = (schema: z.ZodTypeAny) => ({ body: { required: true, ...json(schema) } });
const ok = (out: z.ZodTypeAny) => ({ 200: { description: "OK", ...json(out) }, ...problems });
const Id = z.object({ enquiryID: z.string().max(40) });
const tags = ["community"];
const Faq = z.object({ entries: z.array(FaqEntry), version: z.number().int() });

/** The enquiry log and its queue (with the interest form's leads), the programme's FAQ. */
export const enquiryRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      summary: "The enquiry queue: enquiries still to do (overdue follow-ups first) and open leads; or all, or a person's",
      request: { query: EnquiryListQuery },
      responses: ok(z.object({ items: z.array(QueueItem), nextCursor: z.string().nullable() })),
    }),
    async (c) => c.json((await Enquiry.queue(c.req.valid("query"))) as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags,
      summary: "Log an enquiry",
      request: body(EnquiryCreate),
      responses: { 201: { description: "Logged", ...json(EnquiryInfo) }, ...problems },
    }),
    async (c) => c.json((await Enquiry.create(c.req.valid("json") as never)) as never, 201),
  )
  .openapi(
    createRoute({ method: "get", path: "/faq", tags, summary: "The programme's FAQ", responses: ok(Faq) }),
    async (c) => c.json(await Enquiry.faq(), 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/faq",
      tags,
      summary: "Replace the programme's FAQ at its version (0 for the first)",
      request: body(FaqPut),
      responses: ok(Faq),
    }),
    async (c) => c.json(await Enquiry.putFaq(c.req.valid("json") as never), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/leads/{leadID}/register",
      tags,
      summary: "Register a lead's person through the duplicate check, or link the registered person it is",
      request: { params: z.object({ leadID: z.string().max(40) }), ...body(LeadRegistration) },
      responses: ok(
        z.object({ leadID: z.string(), status: z.string(), individualID: z.string(), version: z.number(), candidates: z.array(z.any()) }),
      ),
    }),
    async (c) => c.json((await Leads.register(c.req.valid("param").leadID, c.req.valid("json"))) as never, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{enquiryID}",
      tags,
      summary: "One enquiry",
      request: { params: Id },
      responses: ok(EnquiryInfo),
    }),
    async (c) => c.json((await Enquiry.get(c.req.valid("param").enquiryID)) as never, 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/{enquiryID}",
      tags,
      summary: "Change an enquiry at its version (answer, follow-up, status, the person it is)",
      request: { params: Id, ...body(z.object({ version: z.number().int().min(1), changes: EnquiryChanges })) },
      responses: ok(EnquiryInfo),
    }),
    async (c) =>
      c.json(
        (await Enquiry.update({ ...(c.req.valid("json") as object), enquiryID: c.req.valid("param").enquiryID } as never)) as never,
        200,
      ),
  );
