import { createRoute, z } from "@hono/zod-openapi";
import { RecordAudit } from "@waypoint/core/audit/targets";
import { problems } from "./records.ts";
import { router } from "../openapi.ts";

const Query = z.object({
  recordId: z.string().min(1),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z.string().optional(),
});

/** The history of one record of any type, for whoever may read the record (core: RecordAudit.history). */
export const auditRoutes = router().openapi(
  createRoute({
    method: "get",
    path: "/",
    tags: ["audit"],
    summary: "History of one record of any type (who, what, when, before/after, why), for whoever may read the record",
    request: { query: Query },
    responses: {
      200: {
        description: "Events, oldest first",
        content: {
          "application/json": {
            schema: z.object({ items: z.array(z.unknown()), nextCursor: z.string().nullable() }),
          },
        },
      },
      ...problems,
    },
  }),
  async (c) => {
    const q = c.req.valid("query");
    return c.json(
      (await RecordAudit.history({ recordID: q.recordId, limit: q.limit, cursor: q.cursor })) as never,
      200,
    );
  },
);
