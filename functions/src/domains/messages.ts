import type { Mounts } from "../domains.ts";
import { messageRoutes } from "../routes/messages.ts";
import { v1Messages } from "../routes/v1-messages.ts";

/** Messages to people: staff sending and reading them, and the provider's signed callbacks. */
export const mounts: Mounts = {
  staff: [["/", messageRoutes]],
  partner: [["/", v1Messages]],
};
