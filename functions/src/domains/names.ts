import type { Mounts } from "../domains.ts";
import { recordNameRoutes } from "../routes/record-names.ts";

/** Names of referenced records, many at once (grid columns of references). */
export const mounts: Mounts = { staff: [["/record-names", recordNameRoutes]] };
