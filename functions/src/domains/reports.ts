import { Report } from "@waypoint/core/report/index";
import { Quota } from "@waypoint/core/resettlement/quota";
import type { Mounts } from "../domains.ts";
import { reportRoutes } from "../routes/reports.ts";
import { viewExportRoutes } from "../routes/viewexport.ts";

// The dashboard's resettlement card: quota progress per country (the report module does not know the programme).
Report.resettlementSource(Quota.dashboardFigures);

/** Audited grid exports, reports, the dashboard and data quality. */
export const mounts: Mounts = {
  staff: [
    ["/", viewExportRoutes],
    ["/", reportRoutes],
  ],
};
