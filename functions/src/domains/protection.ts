import type { Mounts } from "../domains.ts";
import { feedbackRoutes } from "../routes/feedback.ts";
import { v1Feedback } from "../routes/v1-feedback.ts";

/** Feedback and complaints (staff and the public form) and protection monitoring. */
export const mounts: Mounts = { staff: [["/", feedbackRoutes]], partner: [["/", v1Feedback]] };
