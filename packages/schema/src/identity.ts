import { z } from "zod";
import { Role } from "./common.ts";
import { LoginResponse } from "./auth.ts";

/**
 * Sign-in in two steps for accounts with a second factor: the password answers a short-lived challenge (not a
 * session), which a code from the authenticator app (or a recovery code) turns into a session. `enrol`: the
 * account must set up its authenticator first (roles that read restricted records or approve payments).
 */
export const SecondFactorChallenge = z.object({
  challenge: z.string(),
  expiresAt: z.string(),
  /**
   * The step the challenge opens: a code (`verify`), setting up an authenticator (`enrol`), or choosing a new
   * password in place of a temporary one (`password`, the first sign-in of an account the CLI created).
   */
  secondFactor: z.enum(["verify", "enrol", "password"]),
});
export type SecondFactorChallenge = z.infer<typeof SecondFactorChallenge>;

/** What `POST /auth/login` answers: a session, or the second step when the account needs one. */
export const SignInAnswer = z.union([LoginResponse, SecondFactorChallenge]);
export type SignInAnswer = z.infer<typeof SignInAnswer>;

/** A six-digit code from the authenticator app, or one of the recovery codes. */
export const SecondFactorCode = z.string().trim().min(6).max(20);

export const ChallengeCode = z.object({ challenge: z.string().min(1).max(4000), code: SecondFactorCode });
export const ChallengeOnly = z.object({ challenge: z.string().min(1).max(4000) });
/** The new password that replaces a temporary one, with the challenge of the sign-in that asked for it. */
export const ChallengePassword = z.object({
  challenge: z.string().min(1).max(4000),
  password: z.string().min(1).max(1000),
});
export const EnrolmentCode = z.object({ code: SecondFactorCode });

/** The authenticator's setup: shown once, while enrolling (the secret is never returned afterwards). */
export const Enrolment = z.object({
  secret: z.string(),
  /** otpauth:// URI the QR code encodes. */
  uri: z.string(),
  issuer: z.string(),
  account: z.string(),
});
export type Enrolment = z.infer<typeof Enrolment>;

/** Ten single-use recovery codes, shown once when the authenticator is confirmed. */
export const RecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });
export const EnrolledSignIn = LoginResponse.extend({ recoveryCodes: z.array(z.string()) });

export const SecondFactorStatus = z.object({
  enrolled: z.boolean(),
  /** The role needs a second factor to sign in. */
  required: z.boolean(),
  enrolledAt: z.string().optional(),
  recoveryCodesLeft: z.number().int(),
});
export type SecondFactorStatus = z.infer<typeof SecondFactorStatus>;

// --- Single sign-on (OpenID Connect, per operation) ---

/** One rule: users whose claim holds `value` (a group) get `role` in `officeIDs` (empty = every office). */
export const SsoRoleMapping = z.object({
  value: z.string().trim().min(1).max(200),
  role: Role,
  officeIDs: z.array(z.string()).max(100),
});
export type SsoRoleMapping = z.infer<typeof SsoRoleMapping>;

export const SsoConfigInput = z.object({
  /** Shown on the sign-in page: "Sign in with <name>". */
  name: z.string().trim().min(1).max(80),
  issuer: z.url(),
  clientID: z.string().trim().min(1).max(300),
  /** Omitted on a change: the stored secret stays. */
  clientSecret: z.string().min(1).max(500).optional(),
  /** The claim holding groups or roles (`groups`, `roles`, …). */
  claim: z.string().trim().min(1).max(100).default("groups"),
  /** First matching rule wins. */
  mappings: z.array(SsoRoleMapping).min(1).max(50),
  enabled: z.boolean().default(true),
  /** The version read, when changing a stored configuration. */
  version: z.number().int().optional(),
});
export type SsoConfigInput = z.input<typeof SsoConfigInput>;

export const SsoConfigInfo = z.object({
  operationID: z.string(),
  name: z.string(),
  issuer: z.string(),
  clientID: z.string(),
  hasClientSecret: z.boolean(),
  claim: z.string(),
  mappings: z.array(SsoRoleMapping),
  enabled: z.boolean(),
  version: z.number(),
  timeUpdated: z.string(),
});
export type SsoConfigInfo = z.infer<typeof SsoConfigInfo>;

/** An operation whose staff may sign in with their agency's identity provider (public, for the sign-in page). */
export const SsoProvider = z.object({ operationID: z.string(), name: z.string() });
export const SsoProviders = z.object({ providers: z.array(SsoProvider) });
export type SsoProvider = z.infer<typeof SsoProvider>;

export const SsoTicket = z.object({ ticket: z.string().min(1).max(200) });
