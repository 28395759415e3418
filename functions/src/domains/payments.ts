import type { Mounts } from "../domains.ts";
import { batchRoutes } from "../routes/batches.ts";
import { cashDecisionRoutes } from "../routes/cash-requests.ts";
import { payeeRoutes } from "../routes/payees.ts";
import { paymentRoutes } from "../routes/payments.ts";

/** Cash for protection: payees, FSP profiles, payments, batches and their exports. */
export const mounts: Mounts = {
  staff: [
    ["/", payeeRoutes],
    ["/", paymentRoutes],
    ["/", batchRoutes],
    ["/", cashDecisionRoutes],
  ],
};
