import type { Mounts } from "../domains.ts";
import { appointmentRoutes } from "../routes/appointments.ts";
import { referralRoutes } from "../routes/referrals.ts";

/** Referrals (internal and to partners) and appointments. */
export const mounts: Mounts = {
  staff: [
    ["/referrals", referralRoutes],
    ["/appointments", appointmentRoutes],
  ],
};
