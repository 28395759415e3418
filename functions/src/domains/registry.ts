import type { Mounts } from "../domains.ts";
import { householdRoutes } from "../routes/households.ts";
import { individualRoutes } from "../routes/individuals.ts";

/** The registry: individuals and households. */
export const mounts: Mounts = {
  staff: [
    ["/", individualRoutes],
    ["/", householdRoutes],
  ],
};
