import { z } from "zod";
import { Role, PartnerScope } from "./common.ts";

export const LoginRequest = z.object({
  email: z.email(),
  password: z.string().min(1).max(200),
  operationID: z.string().optional(),
});

export const Grant = z.object({
  operationID: z.string(),
  role: Role,
  /** Offices the grant covers; empty means every office of the operation. */
  officeIDs: z.array(z.string()),
});
export type Grant = z.infer<typeof Grant>;

export const Me = z.object({
  userID: z.string(),
  email: z.string(),
  name: z.string(),
  operationID: z.string(),
  role: Role,
  officeIDs: z.array(z.string()),
  grants: z.array(Grant),
  languages: z.array(z.string()).optional(),
  /** The operation's IANA time zone: every date and time the app shows is in it, whatever the browser's zone. */
  timeZone: z.string().optional(),
  /** Actions the role may perform (any scope), for the UI to show only what the user can use; core still checks. */
  permissions: z.array(z.string()).optional(),
  /**
   * How far each permitted action reaches: `own` (records assigned to or created by the user), `office` (the
   * user's offices) or `operation`; lets the UI leave out an action on a record out of reach. Core still checks.
   */
  scopes: z.record(z.string(), z.enum(["own", "office", "operation"])).optional(),
});
export type Me = z.infer<typeof Me>;

export const LoginResponse = z.object({ token: z.string(), expiresAt: z.string(), me: Me });

/**
 * What the sign-in page may show before anyone signs in. `demo` is set only by a local demo instance (`npm start`)
 * and never on a deployed stage, whatever the build: the demo accounts and their password are not in the web app.
 */
export const SignInConfig = z.object({
  demo: z.object({ accounts: z.array(z.string()), password: z.string() }).nullable(),
});
export type SignInConfig = z.infer<typeof SignInConfig>;

export const PartnerKeyCreate = z.object({
  name: z.string().min(1).max(100),
  scopes: z.array(PartnerScope).min(1),
});
