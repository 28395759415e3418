import { createRoute, z } from "@hono/zod-openapi";
import { Missions } from "@waypoint/core/resettlement/missions";
import { AppointmentInfo } from "@waypoint/schema/appointments";
import {
  MissionCreate,
  MissionInfo,
  MissionInterview,
  MissionInterviewInput,
  MissionListQuery,
  MissionPatch,
} from "@waypoint/schema/resettlement";
import { router } from "../openapi.ts";
import { problems } from "./records.ts";

const json = (schema: z.ZodTypeAny) => ({ content: { "application/json": { schema } } });
const Params = z.object({ missionID: z.string() });
const ok = (out: z.ZodTypeAny) => ({ 200: { description: "The result", ...json(out) }, ...problems });
const tags = ["resettlement"];

/** Selection missions of resettlement countries: dates, place, delegation, cases, interview schedule. */
export const missionRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      summary: "Selection missions of an office (or the operation)",
      request: { query: MissionListQuery },
      responses: ok(z.object({ items: z.array(MissionInfo) })),
    }),
    async (c) => c.json((await Missions.list(c.req.valid("query"))) as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags,
      summary: "Plan a selection mission",
      request: { body: { required: true, ...json(MissionCreate) } },
      responses: ok(MissionInfo),
    }),
    async (c) => c.json((await Missions.create(c.req.valid("json") as never)) as never, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{missionID}",
      tags,
      summary: "One selection mission",
      request: { params: Params },
      responses: ok(MissionInfo),
    }),
    async (c) => c.json((await Missions.get(c.req.valid("param").missionID)) as never, 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/{missionID}",
      tags,
      summary: "Change a mission's dates, place, delegation or cases",
      request: { params: Params, body: { required: true, ...json(MissionPatch) } },
      responses: ok(MissionInfo),
    }),
    async (c) =>
      c.json(
        (await Missions.patch({
          ...(c.req.valid("json") as object),
          ...c.req.valid("param"),
        } as never)) as never,
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{missionID}/schedule",
      tags,
      summary: "The mission's interview schedule",
      request: { params: Params },
      responses: ok(z.object({ items: z.array(MissionInterview) })),
    }),
    async (c) => c.json((await Missions.schedule(c.req.valid("param").missionID)) as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{missionID}/interviews",
      tags,
      summary: "Book an interview of a case on the mission",
      request: { params: Params, body: { required: true, ...json(MissionInterviewInput) } },
      responses: ok(AppointmentInfo),
    }),
    async (c) =>
      c.json(
        (await Missions.bookInterview({
          ...(c.req.valid("json") as object),
          ...c.req.valid("param"),
        } as never)) as never,
        200,
      ),
  );
