import type { Mounts } from "../domains.ts";
import { reintegrationRoutes, returnRoutes } from "../routes/reintegration.ts";

/** Return and reintegration: returns, suppliers, invoices, AVRR. */
export const mounts: Mounts = {
  staff: [
    ["/returns", returnRoutes],
    ["/", reintegrationRoutes],
  ],
};
