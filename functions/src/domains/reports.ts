import type { Mounts } from "../domains.ts";
import { reportRoutes } from "../routes/reports.ts";
import { viewExportRoutes } from "../routes/viewexport.ts";

/** Audited grid exports, reports, the dashboard and data quality. */
export const mounts: Mounts = {
  staff: [
    ["/", viewExportRoutes],
    ["/", reportRoutes],
  ],
};
