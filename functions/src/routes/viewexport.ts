import { createRoute, z } from "@hono/zod-openapi";
import { ViewExport } from "@waypoint/core/viewexport/index";
import { ViewExportRequest } from "@waypoint/schema/viewexport";
import { router } from "../openapi.ts";
import { json, problems } from "./registry.shared.ts";

/** The admin app declares each export of a grid view here first: permission-checked and audited in core. */
export const viewExportRoutes = router().openapi(
  createRoute({
    method: "post",
    path: "/exports/audit",
    tags: ["Exports"],
    security: [{ bearer: [] }],
    summary:
      "Check the export permission for a grid view and audit the export before the browser writes the file",
    request: { body: { ...json(ViewExportRequest), required: true } },
    responses: { 200: json(z.object({ ok: z.literal(true) }), "Allowed and audited"), ...problems },
  }),
  async (c) => c.json(await ViewExport.record(c.req.valid("json")), 200),
);
