import { createRoute, z } from "@hono/zod-openapi";
import { Quota } from "@waypoint/core/resettlement/quota";
import { QuotaCreate, QuotaInfo, QuotaProgressQuery, QuotaProgressRow } from "@waypoint/schema/resettlement";
import { router } from "../openapi.ts";
import { problems } from "./records.ts";

const json = (schema: z.ZodTypeAny) => ({ content: { "application/json": { schema } } });

/** Annual resettlement quotas per country and programme, and progress against them. */
export const quotaRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags: ["resettlement"],
      summary: "Quotas of a year",
      request: { query: z.object({ year: z.coerce.number().int() }) },
      responses: {
        200: {
          description: "Quotas",
          ...json(z.object({ items: z.array(QuotaInfo), nextCursor: z.null() })),
        },
        ...problems,
      },
    }),
    async (c) =>
      c.json({ items: (await Quota.list(c.req.valid("query").year)) as never, nextCursor: null }, 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/",
      tags: ["resettlement"],
      summary: "Set the quota and targets of a country, programme and year (operation-wide roles)",
      request: { body: { required: true, ...json(QuotaCreate) } },
      responses: { 200: { description: "The quota", ...json(QuotaInfo) }, ...problems },
    }),
    async (c) => c.json((await Quota.set(c.req.valid("json") as never)) as never, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/progress",
      tags: ["resettlement"],
      summary: "Cases and individuals submitted, accepted, departed against quota and targets",
      request: { query: QuotaProgressQuery },
      responses: {
        200: {
          description: "Rows per programme and country",
          ...json(z.object({ items: z.array(QuotaProgressRow), nextCursor: z.null() })),
        },
        ...problems,
      },
    }),
    async (c) => c.json({ items: await Quota.progress(c.req.valid("query")), nextCursor: null }, 200),
  );
