import type { Mounts } from "../domains.ts";
import { hostingRoutes, hostRoutes } from "../routes/hosting.ts";

/** Community hosting: hosts, placements, visits. */
export const mounts: Mounts = {
  staff: [
    ["/hosts", hostRoutes],
    ["/", hostingRoutes],
  ],
};
