import { staffAuth } from "./middleware/auth.ts";
import { resettlementRoutes } from "./routes/resettlement.ts";
import { quotaRoutes } from "./routes/quotas.ts";
import { assessmentRoutes } from "./routes/assessments.ts";
import { hostRoutes, hostingRoutes } from "./routes/hosting.ts";
import { returnRoutes, reintegrationRoutes } from "./routes/reintegration.ts";
import { router } from "./openapi.ts";
import { meRoutes } from "./routes/me.ts";
import { intakeAdminRoutes } from "./routes/intake-admin.ts";
import { relocationRoutes } from "./routes/relocation.ts";
import { individualRoutes } from "./routes/individuals.ts";
import { householdRoutes } from "./routes/households.ts";
import { caseRoutes } from "./routes/cases.ts";
import { caseFileRoutes } from "./routes/case-files.ts";
import { incidentRoutes } from "./routes/incidents.ts";
import { referralRoutes } from "./routes/referrals.ts";
import { appointmentRoutes } from "./routes/appointments.ts";
import { auditRoutes } from "./routes/audit.ts";
import { viewExportRoutes } from "./routes/viewexport.ts";
import { reportRoutes } from "./routes/reports.ts";
import { payeeRoutes } from "./routes/payees.ts";
import { paymentRoutes } from "./routes/payments.ts";
import { batchRoutes } from "./routes/batches.ts";

/**
 * The staff API under /api. Every route below runs with a signed-in staff actor; authorization is checked in
 * core. Feature routers are mounted here, one line each.
 */
export const api = router();
api.use("*", async (c, next) => {
  if (c.req.path.endsWith("/openapi.json")) return next();
  return staffAuth(c, next);
});
api.route("/", meRoutes);
api.route("/resettlement", resettlementRoutes);
api.route("/quotas", quotaRoutes);
api.route("/", assessmentRoutes);
api.route("/hosts", hostRoutes);
api.route("/", hostingRoutes);
api.route("/returns", returnRoutes);
api.route("/", reintegrationRoutes);
api.route("/", intakeAdminRoutes);
api.route("/", relocationRoutes);
api.route("/", individualRoutes);
api.route("/", householdRoutes);
api.route("/cases", caseRoutes);
api.route("/cases", caseFileRoutes);
api.route("/incidents", incidentRoutes);
api.route("/referrals", referralRoutes);
api.route("/appointments", appointmentRoutes);
api.route("/audit", auditRoutes);
api.route("/", viewExportRoutes);
api.route("/", reportRoutes);
api.route("/", payeeRoutes);
api.route("/", paymentRoutes);
api.route("/", batchRoutes);

api.doc31("/openapi.json", {
  openapi: "3.1.0",
  info: {
    title: "Waypoint staff API",
    version: "1.0.0",
    description: "Used by the Waypoint admin app. Bearer token from POST /auth/login.",
  },
});
api.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
  type: "http",
  scheme: "bearer",
  bearerFormat: "JWT",
});
