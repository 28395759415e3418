import type { Mounts } from "../domains.ts";
import { quotaRoutes } from "../routes/quotas.ts";
import { resettlementRoutes } from "../routes/resettlement.ts";

/** Resettlement and complementary pathways: submissions and quotas. */
export const mounts: Mounts = {
  staff: [
    ["/resettlement", resettlementRoutes],
    ["/quotas", quotaRoutes],
  ],
};
