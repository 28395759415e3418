import type { Mounts } from "../domains.ts";
import { hostingRoutes, hostRoutes } from "../routes/hosting.ts";
import { quotaRoutes } from "../routes/quotas.ts";
import { reintegrationRoutes, returnRoutes } from "../routes/reintegration.ts";
import { resettlementRoutes } from "../routes/resettlement.ts";

/** Resettlement and quotas, community hosting, return and reintegration. */
export const mounts: Mounts = {
  staff: [
    ["/resettlement", resettlementRoutes],
    ["/quotas", quotaRoutes],
    ["/hosts", hostRoutes],
    ["/", hostingRoutes],
    ["/returns", returnRoutes],
    ["/", reintegrationRoutes],
  ],
};
