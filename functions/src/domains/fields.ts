import type { Mounts } from "../domains.ts";
import { codeListRoutes, fieldRoutes } from "../routes/fields.ts";

/** Configured fields and code lists of the operation (issue 19). */
export const mounts: Mounts = {
  staff: [
    ["/", fieldRoutes],
    ["/", codeListRoutes],
  ],
};
