import type { Mounts } from "../domains.ts";
import { relocationRoutes } from "../routes/relocation.ts";

/** Relocation for local integration: relocations, plans, trips, the relocation report. */
export const mounts: Mounts = { staff: [["/", relocationRoutes]] };
