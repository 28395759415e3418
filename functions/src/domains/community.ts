import type { Mounts } from "../domains.ts";
import { activityRoutes } from "../routes/activities.ts";
import { enquiryRoutes } from "../routes/enquiries.ts";
import { serviceRoutes } from "../routes/services.ts";

/** Working with communities: group activities, the enquiry log and its FAQ, the service directory. */
export const mounts: Mounts = {
  staff: [
    ["/activities", activityRoutes],
    ["/enquiries", enquiryRoutes],
    ["/services", serviceRoutes],
  ],
};
