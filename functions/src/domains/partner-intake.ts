import type { Mounts } from "../domains.ts";
import { v1Intake } from "../routes/v1-intake.ts";

/** Intake from outside: KoboToolbox submissions and the public expression-of-interest form. */
export const mounts: Mounts = { partner: [["/", v1Intake]] };
