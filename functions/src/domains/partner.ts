import type { Mounts } from "../domains.ts";
import { v1Docs } from "../routes/v1-docs.ts";
import { v1Intake } from "../routes/v1-intake.ts";
import { v1Referrals } from "../routes/v1-referrals.ts";

/** The public partner API: referrals, Kobo intake, the public form, webhooks, the docs page. */
export const mounts: Mounts = {
  partner: [
    ["/", v1Referrals],
    ["/", v1Intake],
    ["/", v1Docs],
  ],
};
