import type { Mounts } from "../domains.ts";
import { retentionRoutes } from "../routes/retention.ts";

/** Retention policies and the retention job's runs (data protection, admins). */
export const mounts: Mounts = { staff: [["/", retentionRoutes]] };
