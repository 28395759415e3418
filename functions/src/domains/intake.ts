import type { Mounts } from "../domains.ts";
import { intakeAdminRoutes } from "../routes/intake-admin.ts";
import { organisationRoutes } from "../routes/organisations.ts";

/** Administration of intake: Kobo forms, the intake queue, partner organisations. */
export const mounts: Mounts = {
  staff: [
    ["/", intakeAdminRoutes],
    ["/", organisationRoutes],
  ],
};
