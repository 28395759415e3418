import { createRoute, z } from "@hono/zod-openapi";
import { Assessment } from "@waypoint/core/assessment/index";
import { BestInterests } from "@waypoint/core/bip/index";
import {
  AssessmentChanges,
  AssessmentInfo,
  AssessmentListQuery,
  AssessmentReviewInput,
} from "@waypoint/schema/cases";
import { BulkCreateRequest, BulkPatchRequest, BulkResponse } from "@waypoint/schema/bulk";
import { ScoreExplanation } from "@waypoint/schema/questionnaire";
import { router } from "../openapi.ts";
import { problems } from "./records.ts";

const json = (schema: z.ZodTypeAny) => ({ content: { "application/json": { schema } } });
const Params = z.object({ assessmentID: z.string() });
const Page = z.object({ items: z.array(AssessmentInfo), nextCursor: z.string().nullable() });
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
      summary: "Assessments visible to you: of a case, or of an office (filters, cursor, updatedSince)",
      request: { query: AssessmentListQuery },
      responses: { 200: { description: "A page", ...json(Page) }, ...problems },
    }),
    async (c) => c.json((await Assessment.list(c.req.valid("query") as never)) as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/assessments",
      tags: ["assessment"],
      summary:
        "Start an assessment (a BIA or BID is about one child on the case), or many as {rows:[{ref, values}]}",
      request: {
        body: {
          required: true,
          // validated in core, so field paths name the failing field (or row)
          ...json(
            z
              .union([BulkCreateRequest(z.unknown()), z.record(z.string(), z.unknown())])
              .describe("One assessment (AssessmentCreate), or {rows:[{ref, values}]} for up to 1,000"),
          ),
        },
      },
      responses: {
        201: { description: "Created", ...json(AssessmentInfo) },
        200: { description: "Bulk: per-row results", ...json(BulkResponse) },
        ...problems,
      },
    }),
    async (c) => {
      const body = c.req.valid("json") as { rows?: { ref?: string; values: unknown }[] };
      if (Array.isArray(body.rows)) return c.json((await Assessment.createMany(body.rows)) as never, 200);
      return c.json((await Assessment.create(body as never)) as never, 201);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/assessments",
      tags: ["assessment"],
      summary:
        "Save up to 1,000 edited draft assessments {id, version, changes}; each row answers for itself",
      request: { body: { required: true, ...json(BulkPatchRequest(z.unknown())) } },
      responses: { 200: { description: "Per-row results", ...json(BulkResponse) }, 422: problems[422] },
    }),
    async (c) => {
      const { rows } = c.req.valid("json") as { rows: { id: string; version: number; changes: unknown }[] };
      return c.json((await Assessment.bulkPatch(rows)) as never, 200);
    },
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
    post(
      "review",
      "A reviewer other than the author approves, rejects or returns it (a BID needs two distinct approvals)",
      AssessmentReviewInput,
    ),
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
    post(
      "recompute",
      "Score the answers again by the assessment's questionnaire version (a draft may move to another published one)",
      z.object({ version: z.number().int(), questionnaireVersion: z.number().int().optional() }),
    ),
    async (c) =>
      c.json(
        (await Assessment.recompute({
          ...(c.req.valid("json") as object),
          ...(c.req.valid("param") as object),
        } as never)) as never,
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/assessments/{assessmentID}/explain",
      tags: ["assessment"],
      summary: "The score explained question by question, by the questionnaire version it was scored with",
      request: { params: Params },
      responses: { 200: { description: "The explanation", ...json(ScoreExplanation) }, ...problems },
    }),
    async (c) =>
      c.json(
        (await Assessment.explain((c.req.valid("param") as { assessmentID: string }).assessmentID)) as never,
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
