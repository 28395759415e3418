import { createRoute, z } from "@hono/zod-openapi";
import { Activity } from "@waypoint/core/activity/index";
import {
  ActivityChanges,
  ActivityCreate,
  ActivityInfo,
  ActivityListQuery,
  AttendanceChange,
} from "@waypoint/schema/community";
import { router } from "../openapi.ts";
import { problems } from "./records.ts";

const json = (schema: z.ZodTypeAny) => ({ content: { "application/json": { schema } } });
const body = (schema: z.ZodTypeAny) => ({ body: { required: true, ...json(schema) } });
const Id = z.object({ activityID: z.string().max(40) });
const ok = (out: z.ZodTypeAny) => ({ 200: { description: "OK", ...json(out) }, ...problems });
const tags = ["community"];

/** Group activities: sessions, trainings and participatory assessments with their attendance. */
export const activityRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      summary: "Activities of an office (or the operation), newest first; or those a person attended / a staff member took part in",
      request: { query: ActivityListQuery },
      responses: ok(z.object({ items: z.array(ActivityInfo), nextCursor: z.string().nullable() })),
    }),
    async (c) => c.json((await Activity.list(c.req.valid("query"))) as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags,
      summary: "Record an activity",
      request: body(ActivityCreate),
      responses: { 201: { description: "Recorded", ...json(ActivityInfo) }, ...problems },
    }),
    async (c) => c.json((await Activity.create(c.req.valid("json") as never)) as never, 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/staff",
      tags,
      summary: "The operation's staff by name (facilitators and trainees)",
      responses: ok(z.object({ items: z.array(z.object({ userID: z.string(), name: z.string(), role: z.string() })) })),
    }),
    async (c) => c.json(await Activity.staff(), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{activityID}",
      tags,
      summary: "One activity",
      request: { params: Id },
      responses: ok(ActivityInfo),
    }),
    async (c) => c.json((await Activity.get(c.req.valid("param").activityID)) as never, 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/{activityID}",
      tags,
      summary: "Change an activity at its version (counts, findings, facilitators…)",
      request: { params: Id, ...body(z.object({ version: z.number().int().min(1), changes: ActivityChanges })) },
      responses: ok(ActivityInfo),
    }),
    async (c) =>
      c.json(
        (await Activity.update({ ...(c.req.valid("json") as object), activityID: c.req.valid("param").activityID } as never)) as never,
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{activityID}/attendees",
      tags,
      summary: "Who attended (registered people and staff trained)",
      request: { params: Id },
      responses: ok(z.object({ items: z.array(z.object({ attendeeID: z.string(), kind: z.string(), timeCreated: z.string() })) })),
    }),
    async (c) => c.json(await Activity.attendees(c.req.valid("param").activityID), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{activityID}/attendees",
      tags,
      summary: "Add people (by ID or registration number) or staff to the attendance, or take them off, at the activity's version",
      request: { params: Id, ...body(AttendanceChange) },
      responses: ok(
        z.object({ activity: ActivityInfo, added: z.number(), removed: z.number(), unknown: z.array(z.string()) }),
      ),
    }),
    async (c) =>
      c.json(
        (await Activity.changeAttendance({
          ...(c.req.valid("json") as object),
          activityID: c.req.valid("param").activityID,
        } as never)) as never,
        200,
      ),
  );
