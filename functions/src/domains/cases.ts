import type { Mounts } from "../domains.ts";
import { assessmentRoutes } from "../routes/assessments.ts";
import { bipRoutes } from "../routes/bip.ts";
import { caseFileRoutes } from "../routes/case-files.ts";
import { cashRequestRoutes } from "../routes/cash-requests.ts";
import { caseRoutes } from "../routes/cases.ts";
import { fileRoutes } from "../routes/files.ts";
import { incidentRoutes } from "../routes/incidents.ts";
import { questionnaireRoutes } from "../routes/questionnaires.ts";

/** Case management: cases and their files (notes, documents), assessments and BIP, incidents. */
export const mounts: Mounts = {
  staff: [
    ["/", assessmentRoutes],
    ["/bip", bipRoutes],
    ["/cases", caseRoutes],
    ["/cases", caseFileRoutes],
    ["/cases", cashRequestRoutes],
    ["/incidents", incidentRoutes],
    ["/files", fileRoutes],
    ["/", questionnaireRoutes],
  ],
};
