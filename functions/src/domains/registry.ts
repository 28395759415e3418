import type { Mounts } from "../domains.ts";
import { householdRoutes } from "../routes/households.ts";
import { individualRoutes } from "../routes/individuals.ts";
import { privacyRoutes } from "../routes/privacy.ts";

/** The registry: individuals and households. */
export const mounts: Mounts = {
  staff: [
    ["/", individualRoutes],
    ["/", householdRoutes],
    ["/", privacyRoutes],
  ],
};
