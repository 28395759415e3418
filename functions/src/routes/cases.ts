import { createRoute, z } from "@hono/zod-openapi";
import { Case } from "@waypoint/core/case/index";
import {
  CaseChanges,
  CaseCreate,
  CaseInfo,
  CaseListQuery,
  CaseTransition,
  ClosureDecision,
  ClosureRequest,
} from "@waypoint/schema/cases";
import { problems, recordRoutes } from "./records.ts";

const Params = z.object({ caseID: z.string() });
const json = (schema: z.ZodTypeAny) => ({ content: { "application/json": { schema } } });
const action = (path: string, summary: string, body: z.ZodTypeAny) =>
  createRoute({
    method: "post",
    path: `/{caseID}/${path}`,
    tags: ["case"],
    summary,
    request: { params: Params, body: { required: true, ...json(body) } },
    responses: { 200: { description: "The updated case", ...json(CaseInfo) }, ...problems },
  });

export const caseRoutes = recordRoutes({
  tag: "case",
  id: "caseID",
  item: CaseInfo,
  create: CaseCreate,
  changes: CaseChanges,
  query: CaseListQuery,
  list: (q) => Case.list(q as never),
  get: (id) => Case.get(id),
  createOne: (v) => Case.create(v as never),
  createMany: (rows) => Case.createMany(rows),
  bulkPatch: (rows) => Case.bulkPatch(rows),
})
  .openapi(
    action(
      "transition",
      "Move a case to another stage (closure of protection/BIP cases needs approval)",
      CaseTransition,
    ),
    async (c) =>
      c.json(
        (await Case.transition({
          ...(c.req.valid("json") as z.infer<typeof CaseTransition>),
          caseID: c.req.valid("param").caseID,
        })) as never,
        200,
      ),
  )
  .openapi(
    action("closure-request", "Ask a supervisor to approve closing this case", ClosureRequest),
    async (c) =>
      c.json(
        (await Case.requestClosure({
          ...(c.req.valid("json") as z.infer<typeof ClosureRequest>),
          caseID: c.req.valid("param").caseID,
        })) as never,
        200,
      ),
  )
  .openapi(
    action(
      "closure-approval",
      "A supervisor (not the requester) approves or rejects the closure",
      ClosureDecision,
    ),
    async (c) =>
      c.json(
        (await Case.decideClosure({
          ...(c.req.valid("json") as z.infer<typeof ClosureDecision>),
          caseID: c.req.valid("param").caseID,
        })) as never,
        200,
      ),
  );
