import type { Mounts } from "../domains.ts";
import { authRoutes } from "../routes/auth.ts";
import { meRoutes } from "../routes/me.ts";
import { operationRoutes } from "../routes/operations.ts";

/** Sign-in and the signed-in user's own data (profile, offices, saved views, operations). */
export const mounts: Mounts = { auth: authRoutes, staff: [["/", meRoutes], ["/", operationRoutes]] };
