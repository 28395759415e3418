import { createRoute, z } from "@hono/zod-openapi";
import { Relocation, RelocationTrip } from "@waypoint/core/relocation/index";
import { IsoDate } from "@waypoint/schema/common";
import { ExportPurposeFields } from "@waypoint/schema/privacy";
import {
  RelocationReportRow,
  RelocationTripChanges,
  RelocationTripCreate,
  RelocationTripInfo,
  TripListQuery,
} from "@waypoint/schema/relocation";
import { router } from "../openapi.ts";

const json = <S extends z.ZodTypeAny>(schema: S, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const Id = z.object({ id: z.string() });
const tags = ["Relocation"];

/** Bus departures, their printable manifests and the programme's monthly report. */
export const relocationTripRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/relocation-trips",
      tags,
      summary: "Trips by departure date",
      request: { query: TripListQuery },
      responses: {
        200: json(z.object({ items: z.array(RelocationTripInfo), nextCursor: z.null() }), "Trips"),
      },
    }),
    async (c) => c.json({ items: await RelocationTrip.list(c.req.valid("query")), nextCursor: null }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/relocation-trips",
      tags,
      summary: "Schedule a trip",
      request: {
        body: { content: { "application/json": { schema: RelocationTripCreate } }, required: true },
      },
      responses: { 201: json(RelocationTripInfo, "Created") },
    }),
    async (c) => c.json(await RelocationTrip.create(c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/relocation-trips/{id}",
      tags,
      summary: "One trip",
      request: { params: Id },
      responses: { 200: json(RelocationTripInfo, "The trip") },
    }),
    async (c) => c.json(await RelocationTrip.get(c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/relocation-trips/{id}",
      tags,
      summary: "Edit a trip (moving or cancelling it reaches each household's workflow)",
      request: {
        params: Id,
        body: {
          content: {
            "application/json": {
              schema: z.object({ version: z.number().int().min(1), changes: RelocationTripChanges }),
            },
          },
          required: true,
        },
      },
      responses: { 200: json(RelocationTripInfo, "Saved") },
    }),
    async (c) =>
      c.json(await RelocationTrip.update({ ...c.req.valid("json"), tripID: c.req.valid("param").id }), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/relocation-trips/{id}/manifest",
      tags,
      summary:
        "Departure manifest for the terminal team (printable HTML, CSV or JSON; audited; a CSV or HTML file is in each listed person's sharing log with its purpose)",
      request: {
        params: Id,
        query: z.object({ format: z.enum(["csv", "html", "json"]).default("json"), ...ExportPurposeFields }),
      },
      responses: {
        200: {
          description: "The manifest",
          content: {
            "application/json": { schema: z.unknown() },
            "text/csv": { schema: z.string() },
            "text/html": { schema: z.string() },
          },
        },
      },
    }),
    async (c) => {
      const { format, ...why } = c.req.valid("query");
      const id = c.req.valid("param").id;
      const out = await Relocation.tripManifest({ tripID: id, format, ...why });
      if (format === "json") return c.json(out, 200);
      const type = format === "csv" ? "text/csv; charset=utf-8" : "text/html; charset=utf-8";
      const headers: Record<string, string> = { "content-type": type, "cache-control": "no-store" };
      if (format === "csv") headers["content-disposition"] = `attachment; filename="manifest-${id}.csv"`;
      return c.body(out as string, 200, headers);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/reports/relocations",
      tags,
      summary: "People relocated per origin office, destination and month of departure",
      request: { query: z.object({ from: IsoDate.optional(), to: IsoDate.optional() }) },
      responses: { 200: json(z.object({ items: z.array(RelocationReportRow) }), "Report rows") },
    }),
    async (c) => c.json({ items: await Relocation.report(c.req.valid("query")) }, 200),
  );
