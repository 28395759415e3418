import type { Mounts } from "../domains.ts";
import { workRoutes } from "../routes/work.ts";

/** Work surfaces per role: the supervisor's queue and caseload view, the interpreter's interviews. */
export const mounts: Mounts = { staff: [["/work", workRoutes]] };
