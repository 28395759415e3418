import type { Mounts } from "../domains.ts";
import { router } from "../openapi.ts";
import { authRoutes } from "../routes/auth.ts";
import { meRoutes } from "../routes/me.ts";
import { operationRoutes } from "../routes/operations.ts";
import { newPasswordSignIn, secondFactorRoutes, secondFactorSignIn } from "../routes/second-factor.ts";
import { ssoAdminRoutes, ssoSignIn } from "../routes/sso.ts";

/** Sign-in (password, second factor, single sign-on) and the signed-in user's own data (profile, offices, saved views, operations). */
export const mounts: Mounts = {
  auth: router().route("/", authRoutes).route("/", secondFactorSignIn).route("/", newPasswordSignIn).route("/", ssoSignIn),
  staff: [
    ["/", meRoutes],
    ["/", operationRoutes],
    ["/", secondFactorRoutes],
    ["/", ssoAdminRoutes],
  ],
};
