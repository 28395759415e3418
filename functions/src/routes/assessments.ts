import { createRoute, z } from "@hono/zod-openapi";
import { Assessment, BestInterests } from "@waypoint/core";
import { AssessmentChanges, AssessmentCreate, AssessmentInfo, AssessmentReviewInput } from "@waypoint/schema";
import { router } from "../openapi.ts";
import { problems } from "./records.ts";

const json = (schema: z.ZodTypeAny) => ({ content: { "application/json": { schema } } });
const Params = z.object({ assessmentID: z.string() });
const Page = z.object({ items: z.array(AssessmentInfo), nextCursor: z.null() });
const post = (path: string, summary: string, body: z.ZodTypeAny) =>
  createRoute({
    method: "post",
    path: `/assessments/{assessmentID}/${path}`,
    tags: ["assessment"],
    summary,
    request: { params: Params, body: { required: true, ...json(body) } },
    responses: { 200: { description: "The assessment", ...json(AssessmentInfo) }, ...problems },
  });

/** Assessments of a case (incl. BIA/BID), their review, and the Best Interests supervision queue. */
export const assessmentRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/assessments",
      tags: ["assessment"],
      summary: "The assessments of a case",
      request: { query: z.object({ caseID: z.string() }) },
      responses: { 200: { description: "A page", ...json(Page) }, ...problems },
    }),
    async (c) =>
      c.json(
        { items: (await Assessment.listForCase(c.req.valid("query").caseID)) as never, nextCursor: null },
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/assessments",
      tags: ["assessment"],
      summary: "Start an assessment (a BIA or BID is about one child on the case)",
      request: { body: { required: true, ...json(AssessmentCreate) } },
      responses: { 201: { description: "Created", ...json(AssessmentInfo) }, ...problems },
    }),
    async (c) => c.json((await Assessment.create(c.req.valid("json") as never)) as never, 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/assessments/{assessmentID}",
      tags: ["assessment"],
      summary: "One assessment",
      request: { params: Params },
      responses: { 200: { description: "The assessment", ...json(AssessmentInfo) }, ...problems },
    }),
    async (c) =>
      c.json(
        (await Assessment.get((c.req.valid("param") as { assessmentID: string }).assessmentID)) as never,
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/assessments/{assessmentID}",
      tags: ["assessment"],
      summary: "Edit a draft",
      request: {
        params: Params,
        body: {
          required: true,
          ...json(z.object({ version: z.number().int(), changes: AssessmentChanges })),
        },
      },
      responses: { 200: { description: "The assessment", ...json(AssessmentInfo) }, ...problems },
    }),
    async (c) =>
      c.json(
        (await Assessment.patch({
          ...(c.req.valid("json") as object),
          ...(c.req.valid("param") as object),
        } as never)) as never,
        200,
      ),
  )
  .openapi(
    post(
      "submit",
      "Submit for review (BIA: one reviewer, BID: a panel of two)",
      z.object({ version: z.number().int() }),
    ),
    async (c) =>
      c.json(
        (await Assessment.submit(
          (c.req.valid("param") as { assessmentID: string }).assessmentID,
          (c.req.valid("json") as { version: number }).version,
        )) as never,
        200,
      ),
  )
  .openapi(
    post("review", "A reviewer other than the author approves or rejects", AssessmentReviewInput),
    async (c) =>
      c.json(
        (await Assessment.review({
          ...(c.req.valid("json") as object),
          ...(c.req.valid("param") as object),
        } as never)) as never,
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/bip/queue",
      tags: ["assessment"],
      summary: "BIAs and BIDs waiting for your review (supervision queue)",
      responses: { 200: { description: "A page", ...json(Page) }, ...problems },
    }),
    async (c) => c.json({ items: (await BestInterests.queue()) as never, nextCursor: null }, 200),
  );
