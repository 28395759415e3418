import type { Mounts } from "../domains.ts";
import { outboxRoutes, sessionRoutes, staffRoutes, userRoutes } from "../routes/users.ts";

/** Staff accounts (admins), colleagues' names (everyone), the user's sessions, the local outbox. */
export const mounts: Mounts = {
  staff: [
    ["/users", userRoutes],
    ["/staff", staffRoutes],
    ["/sessions", sessionRoutes],
    ["/outbox", outboxRoutes],
  ],
};
