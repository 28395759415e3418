import { createRoute, z } from "@hono/zod-openapi";
import { Interpreting } from "@waypoint/core/interpreting/index";
import { Supervision } from "@waypoint/core/supervision/index";
import {
  CaseloadQuery,
  CaseloadRow,
  InterpreterAgendaQuery,
  InterpreterInterview,
  SupervisionQueue,
} from "@waypoint/schema/work";
import { router } from "../openapi.ts";
import { problems } from "./records.ts";

const json = (schema: z.ZodTypeAny) => ({ content: { "application/json": { schema } } });
const tags = ["work"];
const Office = z.object({ officeID: z.string().optional() });

/** What waits on each role: the supervisor's queue, the caseload by worker, the interpreter's interviews. */
export const workRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/queue",
      tags,
      summary:
        "What waits on you: closures to approve, BIAs/BIDs to review (with the panel so far), submissions with open integrity flags",
      request: { query: Office },
      responses: { 200: { description: "The queue", ...json(SupervisionQueue) }, ...problems },
    }),
    async (c) => c.json((await Supervision.queue(c.req.valid("query").officeID)) as never, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/caseload",
      tags,
      summary: "Open cases of your office(s) by assigned worker, overdue follow-ups first",
      request: { query: CaseloadQuery },
      responses: {
        200: { description: "Caseload by worker", ...json(z.object({ items: z.array(CaseloadRow) })) },
        ...problems,
      },
    }),
    async (c) => c.json((await Supervision.caseload(c.req.valid("query"))) as never, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/interviews",
      tags,
      summary: "The interviews you interpret at: people's names and languages, time and place, nothing else",
      request: { query: InterpreterAgendaQuery },
      responses: {
        200: {
          description: "Interviews, earliest first",
          ...json(z.object({ items: z.array(InterpreterInterview) })),
        },
        ...problems,
      },
    }),
    async (c) => c.json((await Interpreting.agenda(c.req.valid("query"))) as never, 200),
  );
