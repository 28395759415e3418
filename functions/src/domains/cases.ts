import type { Mounts } from "../domains.ts";
import { appointmentRoutes } from "../routes/appointments.ts";
import { assessmentRoutes } from "../routes/assessments.ts";
import { caseFileRoutes } from "../routes/case-files.ts";
import { caseRoutes } from "../routes/cases.ts";
import { incidentRoutes } from "../routes/incidents.ts";
import { referralRoutes } from "../routes/referrals.ts";

/** Case management: cases and their files, assessments and BIP, incidents, referrals, appointments. */
export const mounts: Mounts = {
  staff: [
    ["/", assessmentRoutes],
    ["/cases", caseRoutes],
    ["/cases", caseFileRoutes],
    ["/incidents", incidentRoutes],
    ["/referrals", referralRoutes],
    ["/appointments", appointmentRoutes],
  ],
};
