import type { Router } from "./domains.ts";
import { staffAuth } from "./middleware/auth.ts";
import { router, serveDocument } from "./openapi.ts";

/**
 * The staff API under /api, with the given feature routers (functions/src/domains.ts). Every route runs with a
 * signed-in staff actor; authorization is checked in core. `docs` adds /api/openapi.json (the full app only: the
 * document lists every route).
 */
export function staffApi(mounts: [string, Router][], opts: { docs?: boolean } = {}) {
  const api = router();
  api.use("*", async (c, next) => {
    if (opts.docs && c.req.path.endsWith("/openapi.json")) return next();
    // A local upload link carries its own signed authorisation, like a presigned bucket URL (routes/files.ts).
    if (c.req.method === "PUT" && /^\/api\/files\/[^/]+$/.test(c.req.path)) return next();
    return staffAuth(c, next);
  });
  for (const [path, routes] of mounts) api.route(path, routes);
  if (!opts.docs) return api;

  serveDocument(api, {
    openapi: "3.1.0",
    info: {
      title: "Waypoint staff API",
      version: "1.0.0",
      description: "Used by the Waypoint admin app. Bearer token from POST /auth/login.",
    },
    // Paths are relative to /api: a generated client calls /api/individuals, not /individuals.
    servers: [{ url: "/api", description: "This deployment" }],
  });
  api.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  return api;
}
