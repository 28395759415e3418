import type { Mounts } from "../domains.ts";
import { auditRoutes } from "../routes/audit.ts";

/** The history of one record (each record type's code is loaded when its history is asked for). */
export const mounts: Mounts = { staff: [["/audit", auditRoutes]] };
