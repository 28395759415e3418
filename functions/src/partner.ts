import type { Router } from "./domains.ts";
import { partnerAuth } from "./middleware/auth.ts";
import { idempotency } from "./middleware/idempotency.ts";
import { auditCall, partnerBodyLimit, rateLimit } from "./middleware/partner-guard.ts";
import { router, serveDocument } from "./openapi.ts";

/**
 * The public partner API under /v1 (API keys), with the given feature routers (functions/src/domains.ts). `docs`
 * adds /v1/openapi.json (the full app only: the document lists every route).
 */
export function partnerApi(mounts: [string, Router][], opts: { docs?: boolean } = {}) {
  const partner = router();
  partner.use("*", partnerBodyLimit);
  partner.use("*", async (c, next) => {
    const p = c.req.path;
    if (p.endsWith("/openapi.json") || p.endsWith("/docs") || p.startsWith("/v1/public/")) return next();
    return partnerAuth(c, next);
  });
  partner.use("*", rateLimit, auditCall, idempotency);
  for (const [path, routes] of mounts) partner.route(path, routes);
  if (!opts.docs) return partner;

  serveDocument(partner, {
    openapi: "3.1.0",
    info: {
      title: "Waypoint partner API",
      version: "1.0.0",
      description:
        "Referrals, KoboToolbox intake, webhooks and the public expression-of-interest form for partner organisations. Errors are RFC 9457 problem+json with field paths; writes accept Idempotency-Key; lists use signed cursors.",
      license: { name: "AGPL-3.0-or-later", url: "https://www.gnu.org/licenses/agpl-3.0.html" },
    },
    servers: [{ url: "/v1", description: "This deployment" }],
    tags: [
      {
        name: "referrals",
        description: "Refer people to the operation and answer referrals addressed to you",
      },
      { name: "intake", description: "KoboToolbox REST Service intake" },
      { name: "public", description: "No account needed: the public expression-of-interest form" },
      { name: "webhooks", description: "Signed event delivery to your endpoint" },
    ],
  });
  partner.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "An organisation's API key: `Authorization: Bearer wpk_<id>_<secret>`",
  });
  partner.openAPIRegistry.registerComponent("securitySchemes", "basic", {
    type: "http",
    scheme: "basic",
    description: "Kobo intake only: HTTP basic with any user name and the API key as password",
  });
  partner.openAPIRegistry.registerComponent("securitySchemes", "waypointKey", {
    type: "apiKey",
    in: "header",
    name: "X-Waypoint-Key",
    description: "Kobo intake only: the API key in a custom header (KoboToolbox REST Services can send one)",
  });
  return partner;
}
