import type { Mounts } from "../domains.ts";
import { appointmentBookingRoutes } from "../routes/appointment-booking.ts";
import { appointmentRoutes } from "../routes/appointments.ts";
import { referralRoutes } from "../routes/referrals.ts";

/** Referrals (internal and to partners) and appointments. */
export const mounts: Mounts = {
  staff: [
    ["/referrals", referralRoutes],
    // before the records' routes: /appointments/availability is not an appointment ID
    ["/appointments", appointmentBookingRoutes],
    ["/appointments", appointmentRoutes],
  ],
};
