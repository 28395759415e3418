import { createRoute, z } from "@hono/zod-openapi";
import { Hosting } from "@waypoint/core/hosting/index";
import { bulk } from "@waypoint/core/common/record";
import {
  AllowanceRun,
  HostAvailable,
  HostAvailableQuery,
  HostChanges,
  HostCreate,
  HostInfo,
  HostListQuery,
  PlacementCreate,
  PlacementEnd,
  PlacementInfo,
  VisitCalendarItem,
  VisitCalendarQuery,
  VisitComplete,
  VisitInfo,
  VisitReview,
  VisitSchedule,
} from "@waypoint/schema/hosting";
import { BulkResponse } from "@waypoint/schema/bulk";
import { router } from "../openapi.ts";
import { withFiles } from "./programme-files.ts";
import { problems, recordRoutes } from "./records.ts";

const json = (schema: z.ZodTypeAny) => ({ content: { "application/json": { schema } } });
const body = (schema: z.ZodTypeAny) => ({ body: { required: true, ...json(schema) } });
const list = (item: z.ZodTypeAny) => z.object({ items: z.array(item), nextCursor: z.null() });
const route = (method: "get" | "post", path: string, summary: string, request: object, out: z.ZodTypeAny) =>
  createRoute({
    method,
    path,
    tags: ["hosting"],
    summary,
    request,
    responses: { 200: { description: "OK", ...json(out) }, ...problems },
  });
type P = Record<string, string>;
/** The validated part of a request (the helper above erases the per-route types). */
const v = (c: { req: { valid: unknown } }, part: string) => (c.req.valid as (p: string) => P)(part);

/** Community hosting: hosts (grid routes) with their placements, monitoring/compliance visits and files. */
const hostRecordRoutes = recordRoutes({
  tag: "hosting",
  id: "hostID",
  item: HostInfo,
  create: HostCreate,
  changes: HostChanges,
  query: HostListQuery,
  list: (q) => Hosting.listHosts(q as never),
  get: (id) => Hosting.getHost(id),
  createOne: (v) => Hosting.createHost(v as never),
  createMany: (rows) =>
    bulk(rows, async (row) => {
      const h = await Hosting.createHost(row.values as never);
      return { id: h.hostID, ref: row.ref, status: "created" as const, version: 1, record: h };
    }),
  bulkPatch: (rows) => Hosting.bulkPatchHosts(rows),
});
export const hostRoutes = withFiles(hostRecordRoutes, "host", "hostID", "hosting")
  .openapi(
    route(
      "get",
      "/{hostID}/placements",
      "The placements of a host",
      { params: z.object({ hostID: z.string() }) },
      list(PlacementInfo),
    ),
    async (c) =>
      c.json({ items: (await Hosting.placements(v(c, "param").hostID!)) as never, nextCursor: null }, 200),
  )
  .openapi(
    route(
      "get",
      "/{hostID}/visits",
      "Monitoring and compliance visits of a host",
      { params: z.object({ hostID: z.string() }) },
      list(VisitInfo),
    ),
    async (c) =>
      c.json({ items: (await Hosting.visits.list(v(c, "param").hostID!)) as never, nextCursor: null }, 200),
  )
  .openapi(
    route(
      "post",
      "/{hostID}/visits",
      "Schedule visits every `visitEveryDays` from a date",
      { params: z.object({ hostID: z.string() }), ...body(VisitSchedule) },
      list(VisitInfo),
    ),
    async (c) =>
      c.json(
        {
          items: (await Hosting.visits.schedule({ ...v(c, "json"), ...v(c, "param") } as never)) as never,
          nextCursor: null,
        },
        200,
      ),
  );

export const hostingRoutes = router()
  .openapi(
    route(
      "get",
      "/hosting/available",
      "Active hosts with free places, nearest first (same district, then region)",
      { query: HostAvailableQuery },
      list(HostAvailable),
    ),
    async (c) =>
      c.json({ items: (await Hosting.available(v(c, "query") as never)) as never, nextCursor: null }, 200),
  )
  .openapi(
    route(
      "get",
      "/hosting/placements",
      "Active placements of the office(s), those planned to end soonest first",
      { query: z.object({ officeID: z.string().optional() }) },
      list(PlacementInfo.extend({ hostName: z.string() })),
    ),
    async (c) =>
      c.json(
        { items: (await Hosting.activePlacements(v(c, "query").officeID)) as never, nextCursor: null },
        200,
      ),
  )
  .openapi(
    route(
      "get",
      "/host-visits",
      "Visits of the office(s) between two days, overdue ones marked (the monitoring calendar)",
      { query: VisitCalendarQuery },
      list(VisitCalendarItem),
    ),
    async (c) =>
      c.json({ items: (await Hosting.visits.calendar(v(c, "query") as never)) as never, nextCursor: null }, 200),
  )
  .openapi(
    route(
      "get",
      "/host-visits/reviews",
      "Visits that found code-of-conduct items not met, waiting for a supervisor (not the visitor)",
      { query: z.object({ officeID: z.string().optional() }) },
      list(VisitCalendarItem.omit({ overdue: true })),
    ),
    async (c) =>
      c.json(
        { items: (await Hosting.visits.pendingReviews(v(c, "query").officeID)) as never, nextCursor: null },
        200,
      ),
  )
  .openapi(
    route(
      "post",
      "/host-visits/{visitID}/review",
      "A supervisor's follow-up of a visit that found code-of-conduct items not met",
      { params: z.object({ visitID: z.string() }), ...body(VisitReview) },
      VisitInfo,
    ),
    async (c) =>
      c.json((await Hosting.visits.review({ ...v(c, "json"), ...v(c, "param") } as never)) as never, 200),
  )
  .openapi(
    route(
      "post",
      "/placements",
      "Place a person with a host (capacity and one active placement enforced)",
      body(PlacementCreate),
      PlacementInfo,
    ),
    async (c) => c.json((await Hosting.place(v(c, "json") as never)) as never, 200),
  )
  .openapi(
    route(
      "post",
      "/placements/{placementID}/end",
      "End a placement",
      { params: z.object({ placementID: z.string() }), ...body(PlacementEnd) },
      PlacementInfo,
    ),
    async (c) =>
      c.json((await Hosting.endPlacement({ ...v(c, "json"), ...v(c, "param") } as never)) as never, 200),
  )
  .openapi(
    route(
      "post",
      "/host-visits/{visitID}/complete",
      "Record a visit's findings (compliance: the code-of-conduct checklist)",
      { params: z.object({ visitID: z.string() }), ...body(VisitComplete) },
      VisitInfo,
    ),
    async (c) =>
      c.json((await Hosting.visits.complete({ ...v(c, "json"), ...v(c, "param") } as never)) as never, 200),
  )
  .openapi(
    route(
      "get",
      "/host-visits/overdue",
      "Scheduled visits of an office whose date has passed",
      { query: z.object({ officeID: z.string() }) },
      list(VisitInfo),
    ),
    async (c) =>
      c.json(
        { items: (await Hosting.visits.overdue(v(c, "query").officeID!)) as never, nextCursor: null },
        200,
      ),
  )
  .openapi(
    route(
      "post",
      "/hosting/allowances",
      "Generate the month's hosting allowances as payments (once per host and month)",
      body(AllowanceRun),
      BulkResponse,
    ),
    async (c) => c.json((await Hosting.allowances(v(c, "json") as never)) as never, 200),
  );
