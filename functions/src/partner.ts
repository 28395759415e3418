import { partnerAuth } from "./middleware/auth.ts";
import { idempotency } from "./middleware/idempotency.ts";
import { auditCall, partnerBodyLimit, rateLimit } from "./middleware/partner-guard.ts";
import { router } from "./openapi.ts";

/** The public partner API under /v1 (API keys). Feature routers are mounted here. */
export const partner = router();
partner.use("*", partnerBodyLimit);
partner.use("*", async (c, next) => {
  const p = c.req.path;
  if (p.endsWith("/openapi.json") || p.endsWith("/docs") || p.startsWith("/v1/public/")) return next();
  return partnerAuth(c, next);
});
partner.use("*", rateLimit, auditCall, idempotency);

partner.doc31("/openapi.json", {
  openapi: "3.1.0",
  info: {
    title: "Waypoint partner API",
    version: "1.0.0",
    description: "Referrals, KoboToolbox intake and status for partner organisations.",
  },
});
