import { Readable } from "node:stream";
import { createRoute, z } from "@hono/zod-openapi";
import { Report } from "@waypoint/core/report/index";
import {
  Dashboard,
  DataQualityReport,
  DrillFilter,
  DrillResult,
  ReportExportQuery,
  ReportFilter,
  ReportName,
} from "@waypoint/schema/reports";
import { ExportPurposeFields } from "@waypoint/schema/privacy";
import { router } from "../openapi.ts";
import { json, problems } from "./registry.shared.ts";

const tags = ["Reports"];
const security = [{ bearer: [] }];
// OpenAPI parameters must be plain objects: the refinements (from ≤ to) run in core.
const Filter = z.object({
  officeID: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
});
const ExportQuery = z.object({
  format: z.enum(["csv", "xlsx", "json"]).optional(),
  hxl: z.enum(["true", "false"]).optional(),
  suppressBelow: z.string().regex(/^\d+$/).optional(),
  /** Why and for whom (row-level exports: kept in each person's sharing log). */
  ...ExportPurposeFields,
  /** People tables: rows by a configured field of individuals, `fields.<key>` (one-of, many-of, yes/no). */
  by: z.string().optional(),
  /** Language of the breakdown's labels. */
  lang: z.enum(["en", "es", "fr", "ar"]).optional(),
  ...Filter.shape,
});

/** Dashboard, drill-down, data quality and report exports (issue 9). Core checks permissions and audits exports. */
export const reportRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/dashboard",
      tags,
      security,
      summary: "Dashboard figures (AGD, cases, referrals, relocations, payments) for an office and period",
      request: { query: Filter },
      responses: {
        200: json(Dashboard, "Every figure the viewer may see, each with its drill-down filter"),
        ...problems,
      },
    }),
    async (c) => c.json((await Report.getDashboard(c.req.valid("query") as ReportFilter)) as never, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/reports/drill",
      tags,
      security,
      summary: "The records behind a figure (same filter the dashboard returned)",
      request: {
        query: DrillFilter.omit({ overdue: true, responded: true }).extend({
          overdue: z.enum(["true", "false"]).optional(),
          responded: z.enum(["true", "false"]).optional(),
        }),
      },
      responses: { 200: json(DrillResult, "Count, IDs and a grid link"), ...problems },
    }),
    async (c) => c.json(await Report.drill(c.req.valid("query") as never), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/data-quality",
      tags,
      security,
      summary: "Registry inconsistencies with suggested fixes and grid links",
      request: { query: z.object({ officeID: z.string().optional() }) },
      responses: { 200: json(DataQualityReport, "Issues found"), ...problems },
    }),
    async (c) => c.json(await Report.getDataQuality(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/reports/{name}",
      tags,
      security,
      summary:
        "A report table as CSV or XLSX (streamed; on AWS a 303 to a 60-second bucket link, as files can exceed a Lambda response), or JSON; optional HXL tag row and small-count suppression",
      request: { params: z.object({ name: ReportName }), query: ExportQuery },
      responses: {
        200: {
          description:
            "The table. `X-Suppressed-Cells` tells how many cells were withheld; `X-Report-Source` whether the rows came from the warm report projection or were streamed from the store.",
          content: {
            "text/csv": { schema: z.string() },
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { schema: z.string() },
            "application/json": {
              schema: z.object({
                columns: z.array(z.object({ header: z.string(), hxl: z.string() })),
                rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))),
              }),
            },
          },
        },
        303: { description: "The file, at a short-lived link (AWS deployments)" },
        ...problems,
      },
    }),
    async (c) => {
      const out = await Report.exportTable({
        name: c.req.valid("param").name,
        query: c.req.valid("query") as ReportExportQuery,
      });
      const headers = {
        "x-suppressed-cells": String(out.suppressed),
        "x-report-source": out.source,
        "cache-control": "no-store",
      };
      if ("json" in out) return c.json(out.json as never, 200, headers);
      if ("link" in out) {
        for (const [k, v] of Object.entries(headers)) c.header(k, v);
        return c.redirect(out.link, 303) as never;
      }
      return new Response(Readable.toWeb(out.body) as ReadableStream, {
        status: 200,
        headers: {
          ...headers,
          "content-type": out.contentType,
          "content-disposition": `attachment; filename="${out.filename}"`,
        },
      }) as never;
    },
  );
