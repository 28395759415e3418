import { createRoute, z } from "@hono/zod-openapi";
import { Reintegration } from "@waypoint/core/reintegration/index";
import { bulk } from "@waypoint/core/common/record";
import {
  InconsistencyRow,
  InvoiceChanges,
  InvoiceCreate,
  InvoiceDecision,
  InvoiceInfo,
  InvoiceSelect,
  MonitoringVisit,
  PlanInfo,
  PlanUpsert,
  ReturnChanges,
  ReturnCreate,
  ReturnInfo,
  ReturnListQuery,
  ReturnStatsQuery,
  ReturnStatsRow,
  ReturnTransition,
  SupplierCreate,
  SupplierInfo,
  VulnerabilityInput,
} from "@waypoint/schema/reintegration";
import { router } from "../openapi.ts";
import { withFiles } from "./programme-files.ts";
import { problems, recordRoutes } from "./records.ts";

type P = Record<string, string>;
const json = (schema: z.ZodTypeAny) => ({ content: { "application/json": { schema } } });
const body = (schema: z.ZodTypeAny) => ({ body: { required: true, ...json(schema) } });
const list = (item: z.ZodTypeAny) => z.object({ items: z.array(item), nextCursor: z.null() });
const route = (
  method: "get" | "post" | "put" | "patch",
  path: string,
  summary: string,
  request: object,
  out: z.ZodTypeAny,
) =>
  createRoute({
    method,
    path,
    tags: ["reintegration"],
    summary,
    request,
    responses: { 200: { description: "OK", ...json(out) }, ...problems },
  });
/** The validated part of a request (the helper above erases the per-route types). */
const v = (c: { req: { valid: unknown } }, part: string) => (c.req.valid as (p: string) => P)(part);
const both = (c: { req: { valid: unknown } }) => ({ ...v(c, "json"), ...v(c, "param") }) as never;
const R = { params: z.object({ returnID: z.string() }) };
const I = { params: z.object({ invoiceID: z.string() }) };

/** Assisted voluntary return and reintegration: return cases (grid routes), plans, monitoring, files. */
const returnRecordRoutes = recordRoutes({
  tag: "reintegration",
  id: "returnID",
  item: ReturnInfo,
  create: ReturnCreate,
  changes: ReturnChanges,
  query: ReturnListQuery,
  list: (q) => Reintegration.list(q as never),
  get: (id) => Reintegration.get(id),
  createOne: (x) => Reintegration.create(x as never),
  createMany: (rows) =>
    bulk(rows, async (row) => {
      const r = await Reintegration.create(row.values as never);
      return { id: r.returnID, ref: row.ref, status: "created" as const, version: 1, record: r };
    }),
  bulkPatch: (rows) =>
    bulk(rows, async (row) => {
      const r = await Reintegration.patch({
        returnID: row.id,
        version: row.version,
        changes: row.changes as never,
      });
      return { id: row.id, status: "saved" as const, version: r.version, record: r };
    }),
});
export const returnRoutes = withFiles(returnRecordRoutes, "return", "returnID", "reintegration")
  .openapi(
    route(
      "post",
      "/{returnID}/vulnerability",
      "Record the vulnerability assessment (scored from documented factors)",
      { ...R, ...body(VulnerabilityInput) },
      ReturnInfo,
    ),
    async (c) => c.json((await Reintegration.assessVulnerability(both(c))) as never, 200),
  )
  .openapi(
    route(
      "post",
      "/{returnID}/transition",
      "Move the return along registered → assessed → approved → returned → monitoring → closed",
      { ...R, ...body(ReturnTransition) },
      ReturnInfo,
    ),
    async (c) => c.json((await Reintegration.transition(both(c))) as never, 200),
  )
  .openapi(
    route(
      "post",
      "/{returnID}/monitoring",
      "Record a monitoring visit after arrival",
      { ...R, ...body(MonitoringVisit.extend({ version: z.number().int() })) },
      ReturnInfo,
    ),
    async (c) => c.json((await Reintegration.addMonitoring(both(c))) as never, 200),
  )
  .openapi(
    route("get", "/{returnID}/plans", "The reintegration plan as a list: one, or none yet", R, list(PlanInfo)),
    async (c) =>
      c.json({ items: (await Reintegration.findPlan(v(c, "param").returnID!)) as never, nextCursor: null }, 200),
  )
  .openapi(route("get", "/{returnID}/plan", "The reintegration plan", R, PlanInfo), async (c) =>
    c.json((await Reintegration.getPlan(v(c, "param").returnID!)) as never, 200),
  )
  .openapi(
    route(
      "put",
      "/{returnID}/plan",
      "Save the plan's items (economic, social, psychosocial)",
      { ...R, ...body(PlanUpsert) },
      PlanInfo,
    ),
    async (c) => c.json((await Reintegration.savePlan(both(c))) as never, 200),
  )
  .openapi(
    route(
      "post",
      "/{returnID}/plan/approve",
      "Approve the plan (not by its author)",
      { ...R, ...body(z.object({ version: z.number().int() })) },
      PlanInfo,
    ),
    async (c) =>
      c.json(
        (await Reintegration.approvePlan(v(c, "param").returnID!, Number(v(c, "json").version))) as never,
        200,
      ),
  )
  .openapi(
    route("get", "/{returnID}/invoices", "The pro-forma invoices of a return", R, list(InvoiceInfo)),
    async (c) =>
      c.json(
        {
          items: (await Reintegration.invoices.forReturn(v(c, "param").returnID!)) as never,
          nextCursor: null,
        },
        200,
      ),
  );

export const reintegrationRoutes = router()
  .openapi(
    route("get", "/suppliers", "Suppliers of reintegration goods and services", {}, list(SupplierInfo)),
    async (c) => c.json({ items: (await Reintegration.suppliers()) as never, nextCursor: null }, 200),
  )
  .openapi(
    route("post", "/suppliers", "Register a supplier", body(SupplierCreate), SupplierInfo),
    async (c) => c.json((await Reintegration.createSupplier(v(c, "json") as never)) as never, 200),
  )
  .openapi(
    route(
      "post",
      "/invoices",
      "A pro-forma invoice for a plan item, with its quotes",
      body(InvoiceCreate),
      InvoiceInfo,
    ),
    async (c) => c.json((await Reintegration.invoices.create(v(c, "json") as never)) as never, 200),
  )
  .openapi(
    route(
      "patch",
      "/invoices/{invoiceID}",
      "Edit quotes or the waiver of a draft",
      { ...I, ...body(z.object({ version: z.number().int(), changes: InvoiceChanges })) },
      InvoiceInfo,
    ),
    async (c) => c.json((await Reintegration.invoices.patch(both(c))) as never, 200),
  )
  .openapi(
    route(
      "post",
      "/invoices/{invoiceID}/select",
      "Select a quote, with the reason (needs three quotes or a waiver)",
      { ...I, ...body(InvoiceSelect) },
      InvoiceInfo,
    ),
    async (c) => c.json((await Reintegration.invoices.select(both(c))) as never, 200),
  )
  .openapi(
    route(
      "post",
      "/invoices/{invoiceID}/decision",
      "Approve (raises the supplier payment) or reject, not by the preparer",
      { ...I, ...body(InvoiceDecision) },
      InvoiceInfo,
    ),
    async (c) => c.json((await Reintegration.invoices.decide(both(c))) as never, 200),
  )
  .openapi(
    route(
      "get",
      "/avrr/monthly",
      "Monthly statistical table of returns under monitoring",
      { query: ReturnStatsQuery },
      list(ReturnStatsRow),
    ),
    async (c) =>
      c.json(
        { items: (await Reintegration.reports.monthly(v(c, "query") as never)) as never, nextCursor: null },
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/avrr/monthly/export",
      tags: ["reintegration"],
      summary:
        "The monthly statistical table as CSV or XLSX, headers in the reader's language (audited; on AWS a 303 to a 60-second link)",
      request: { query: Reintegration.reports.ExportQuery },
      responses: {
        200: {
          description: "The table",
          content: {
            "text/csv": { schema: z.string() },
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { schema: z.string() },
          },
        },
        303: { description: "The file, at a short-lived link (AWS deployments)" },
        ...problems,
      },
    }),
    async (c) => {
      const out = await Reintegration.reports.monthlyExport(c.req.valid("query") as never);
      c.header("cache-control", "no-store");
      if ("link" in out) return c.redirect(out.link, 303) as never;
      return c.body(new Uint8Array(out.content), 200, {
        "content-type": out.contentType,
        "content-disposition": `attachment; filename="${out.filename}"`,
      }) as never;
    },
  )
  .openapi(
    route(
      "get",
      "/avrr/inconsistencies",
      "Data inconsistency report with suggested fixes",
      {},
      list(InconsistencyRow),
    ),
    async (c) =>
      c.json({ items: (await Reintegration.reports.inconsistencies({})) as never, nextCursor: null }, 200),
  );
