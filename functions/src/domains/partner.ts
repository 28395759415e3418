import type { Mounts } from "../domains.ts";
import { v1Docs } from "../routes/v1-docs.ts";
import { v1Referrals } from "../routes/v1-referrals.ts";
import { v1Webhooks } from "../routes/v1-webhooks.ts";

/** The partner API for organisations: referrals, their webhook, the docs page. */
export const mounts: Mounts = {
  partner: [
    ["/", v1Referrals],
    ["/", v1Webhooks],
    ["/", v1Docs],
  ],
};
