import { createRoute, z } from "@hono/zod-openapi";
import { BestInterests } from "@waypoint/core/bip/index";
import { BipAssessment, BipListQuery } from "@waypoint/schema/resettlement";
import { router } from "../openapi.ts";
import { problems } from "./records.ts";

const json = (schema: z.ZodTypeAny) => ({ content: { "application/json": { schema } } });

/** Best Interests Procedure: BIAs and BIDs per child, with their rounds and panels by name. */
export const bipRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/assessments",
      tags: ["assessment"],
      summary: "BIAs and BIDs of an office or a case, with child, case, rounds and panel by name",
      request: { query: BipListQuery },
      responses: {
        200: { description: "BIAs and BIDs", ...json(z.object({ items: z.array(BipAssessment) })) },
        ...problems,
      },
    }),
    async (c) => c.json((await BestInterests.list(c.req.valid("query"))) as never, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/assessments/{assessmentID}",
      tags: ["assessment"],
      summary: "One BIA or BID with its rounds and panel by name",
      request: { params: z.object({ assessmentID: z.string() }) },
      responses: { 200: { description: "The BIA or BID", ...json(BipAssessment) }, ...problems },
    }),
    async (c) => c.json((await BestInterests.file(c.req.valid("param").assessmentID)) as never, 200),
  );
