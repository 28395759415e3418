import { z } from "zod";
import { Role } from "./common.ts";
import { UiLanguage } from "./operations.ts";

/**
 * Staff accounts of an operation (`/api/users`): an admin invites a colleague by e-mail with a role and offices in
 * the admin's operation; the colleague sets a password through a one-time link; the admin changes the role or
 * offices, deactivates, reactivates, or sends a new link (password reset). Every change is audited.
 */

/** Where an account stands: invited (no password yet), active, or deactivated (cannot sign in; sessions ended). */
export const UserStatuses = ["invited", "active", "disabled"] as const;
export const UserStatus = z.enum(UserStatuses);
export type UserStatus = z.infer<typeof UserStatus>;

export const UserInvite = z.object({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(200),
  role: Role,
  /** Offices of the operation the account works for; empty means every office. */
  officeIDs: z.array(z.string()).max(100).default([]),
  /** ISO 639-3 languages an interpreter works in. */
  languages: z
    .array(z.string().regex(/^[a-z]{3}$/))
    .max(20)
    .optional(),
  /** The language of the person's e-mails (and, later, of the app for them); else the operation's first. */
  language: UiLanguage.optional(),
});
export type UserInvite = z.infer<typeof UserInvite>;

/** A change to an account's place in the operation, at the version the admin read. */
export const UserChanges = z.object({
  expectedVersion: z.number().int().min(1),
  name: z.string().trim().min(1).max(200).optional(),
  role: Role.optional(),
  officeIDs: z.array(z.string()).max(100).optional(),
  languages: z
    .array(z.string().regex(/^[a-z]{3}$/))
    .max(20)
    .optional(),
  language: UiLanguage.optional(),
});
export type UserChanges = z.infer<typeof UserChanges>;

/** `expectedVersion` for the account actions (deactivate, reactivate, reset). */
export const UserVersion = z.object({ expectedVersion: z.number().int().min(1) });

/** An account as an admin of the operation sees it (never a password hash or a link). */
export const StaffUser = z.object({
  userID: z.string(),
  email: z.string(),
  name: z.string(),
  /** Role and offices in the admin's operation. */
  role: Role,
  officeIDs: z.array(z.string()),
  languages: z.array(z.string()).optional(),
  /** The language of the person's e-mails, if chosen. */
  language: UiLanguage.optional(),
  status: UserStatus,
  /** When the one-time link (invitation or reset) sent last stops working, if one is open. */
  linkExpiresAt: z.string().optional(),
  version: z.number(),
  timeCreated: z.string(),
  timeUpdated: z.string(),
});
export type StaffUser = z.infer<typeof StaffUser>;

/** What anyone on the staff of the operation may know of a colleague: a name and a role (`GET /api/staff`). */
export const StaffName = z.object({ userID: z.string(), name: z.string(), role: Role });
export type StaffName = z.infer<typeof StaffName>;

/** What the holder of a one-time link is told before setting a password. */
export const LinkInfo = z.object({
  purpose: z.enum(["invite", "reset"]),
  name: z.string(),
  email: z.string(),
  expiresAt: z.string(),
});
export type LinkInfo = z.infer<typeof LinkInfo>;

export const SetPassword = z.object({ password: z.string().min(1).max(1000) });

/** A message of the local outbox (local runtime only: what an e-mail adapter would have sent). */
export const OutboxMail = z.object({
  mailID: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  /** The one-time link the message carries, relative to the app (`/invite/…`). */
  link: z.string().optional(),
  /** The language the message is written in (en, es, fr, ar). */
  language: UiLanguage.optional(),
  time: z.string(),
});
export type OutboxMail = z.infer<typeof OutboxMail>;

/** Password rules (NIST SP 800-63B): a minimum length and no composition rules; a list check on the server. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
