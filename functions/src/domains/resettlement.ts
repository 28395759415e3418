import type { Mounts } from "../domains.ts";
import { missionRoutes } from "../routes/missions.ts";
import { quotaRoutes } from "../routes/quotas.ts";
import { resettlementRoutes } from "../routes/resettlement.ts";

/** Resettlement and complementary pathways: submissions, quotas and selection missions. */
export const mounts: Mounts = {
  staff: [
    ["/resettlement", resettlementRoutes],
    ["/quotas", quotaRoutes],
    ["/selection-missions", missionRoutes],
  ],
};
