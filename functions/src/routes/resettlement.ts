import { createRoute, z } from "@hono/zod-openapi";
import { Resettlement } from "@waypoint/core/resettlement/index";
import { bulk } from "@waypoint/core/common/record";
import { AppointmentInfo } from "@waypoint/schema/appointments";
import {
  FlagResolutionInput,
  InterviewNoteInput,
  SubmissionChanges,
  SubmissionDesk,
  SubmissionCreate,
  SubmissionInfo,
  SubmissionListQuery,
  SubmissionReviewInput,
  SubmissionTransitionInput,
} from "@waypoint/schema/resettlement";
import { problems, recordRoutes } from "./records.ts";

const Params = z.object({ submissionID: z.string() });
const json = (schema: z.ZodTypeAny) => ({ content: { "application/json": { schema } } });
const action = (
  path: string,
  summary: string,
  body: z.ZodTypeAny,
  out: z.ZodTypeAny = SubmissionInfo,
  params: z.ZodObject = Params,
) =>
  createRoute({
    method: "post",
    path: `/{submissionID}/${path}`,
    tags: ["resettlement"],
    summary,
    request: { params, body: { required: true, ...json(body) } },
    responses: { 200: { description: "The result", ...json(out) }, ...problems },
  });
const Interview = Resettlement.InterviewInput.omit({ submissionID: true });

/** Resettlement and complementary-pathway submissions (RST, PTA, pathways): grid routes plus lifecycle actions. */
export const resettlementRoutes = recordRoutes({
  tag: "resettlement",
  id: "submissionID",
  item: SubmissionInfo,
  create: SubmissionCreate,
  changes: SubmissionChanges,
  query: SubmissionListQuery,
  list: (q) => Resettlement.list(q as never),
  get: (id) => Resettlement.get(id),
  createOne: (v) => Resettlement.create(v as never),
  createMany: (rows) =>
    bulk(rows, async (row) => {
      const s = await Resettlement.create(row.values as never);
      return { id: s.submissionID, ref: row.ref, status: "created" as const, version: 1, record: s };
    }),
  bulkPatch: (rows) => Resettlement.bulkPatch(rows),
})
  .openapi(
    action(
      "transition",
      "Move a submission along its lifecycle (submission is guarded by flags and BIDs)",
      SubmissionTransitionInput,
    ),
    async (c) =>
      c.json(
        (await Resettlement.transition({
          ...(c.req.valid("json") as object),
          ...(c.req.valid("param") as object),
        } as never)) as never,
        200,
      ),
  )
  .openapi(
    action(
      "review",
      "A reviewing officer (not the drafter) recommends or returns the draft",
      SubmissionReviewInput,
    ),
    async (c) =>
      c.json(
        (await Resettlement.review({
          ...(c.req.valid("json") as object),
          ...(c.req.valid("param") as object),
        } as never)) as never,
        200,
      ),
  )
  .openapi(
    action("screen", "Run the anti-fraud screening now (biodata, family, duplicates)", z.object({})),
    async (c) =>
      c.json(
        (await Resettlement.screenNow(
          (c.req.valid("param") as { submissionID: string }).submissionID,
        )) as never,
        200,
      ),
  )
  .openapi(
    action("interview-notes", "Record what an interview found (a note on the submission)", InterviewNoteInput),
    async (c) =>
      c.json(
        (await Resettlement.addInterviewNote({
          ...(c.req.valid("json") as object),
          ...(c.req.valid("param") as object),
        } as never)) as never,
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{submissionID}/desk",
      tags: ["resettlement"],
      summary: "Staff names, case number and missions shown beside a submission",
      request: { params: Params },
      responses: { 200: { description: "The submission's desk", ...json(SubmissionDesk) }, ...problems },
    }),
    async (c) => c.json(await Resettlement.desk(c.req.valid("param").submissionID), 200),
  )
  .openapi(
    action("interview", "Book the selection-mission interview (an appointment)", Interview, AppointmentInfo),
    async (c) =>
      c.json(
        (await Resettlement.scheduleInterview({
          ...(c.req.valid("json") as object),
          ...(c.req.valid("param") as object),
        } as never)) as never,
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{submissionID}/flags/{flagID}/resolve",
      tags: ["resettlement"],
      summary: "A reviewing officer resolves an integrity flag",
      request: {
        params: z.object({ submissionID: z.string(), flagID: z.string() }),
        body: { required: true, ...json(FlagResolutionInput) },
      },
      responses: { 200: { description: "The submission", ...json(SubmissionInfo) }, ...problems },
    }),
    async (c) =>
      c.json(
        (await Resettlement.resolveFlag({
          ...(c.req.valid("json") as object),
          ...(c.req.valid("param") as object),
        } as never)) as never,
        200,
      ),
  );
