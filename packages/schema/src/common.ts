import { z } from "zod";
import { isCountryCode } from "./countries.ts";

export const Roles = [
  "admin",
  "supervisor",
  "caseworker",
  "finance",
  "finance_approver",
  "viewer",
  "interpreter",
] as const;
export const Role = z.enum(Roles);
export type Role = z.infer<typeof Role>;

export const PartnerScopes = [
  "referrals:write",
  "referrals:read",
  "referrals:respond",
  "intake:kobo",
] as const;
export const PartnerScope = z.enum(PartnerScopes);
export type PartnerScope = z.infer<typeof PartnerScope>;

/** ISO 8601 calendar date, `YYYY-MM-DD`, that really exists. */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, "must be a real calendar date");

/**
 * The latest calendar date anywhere on Earth (UTC+14): "today" for every office whatever its time zone, so a
 * date entered in the evening in Manila or in the morning in Tapachula is never refused as "tomorrow".
 */
export const latestToday = () => new Date(Date.now() + 14 * 3_600_000).toISOString().slice(0, 10);
/** The date of something that already happened (an incident, a visit done, an arrival): never in the future. */
export const PastDate = IsoDate.refine((d) => d <= latestToday(), "cannot be in the future");

export const IsoDateTime = z.iso.datetime({ offset: true });

/** ISO 3166-1 alpha-3 country code, upper case. */
export const CountryCode = z
  .string()
  .regex(/^[A-Z]{3}$/, "must be an ISO 3166-1 alpha-3 country code")
  // one error per field: the list is asked only about codes of the right shape
  .refine((c) => !/^[A-Z]{3}$/.test(c) || isCountryCode(c), "must be an ISO 3166-1 alpha-3 country code");
/** ISO 639-3 language code, lower case. */
export const LanguageCode = z.string().regex(/^[a-z]{3}$/, "must be an ISO 639-3 language code");
/** E.164 phone number. */
export const Phone = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, "must be an E.164 phone number like +525512345678");
/**
 * Administrative area code (p-code): two or three capital letters of the country, then digits or letters. Only
 * its shape is checked here; core checks it against the operation's own list of areas.
 */
export const AdminCode = z
  .string()
  .regex(/^[A-Z]{2,3}[0-9A-Z]{1,18}$/, "must be an administrative area p-code (capital letters then digits)");

/** Every mutable record carries these. */
export const RecordMeta = {
  version: z.number().int().min(1),
  timeCreated: IsoDateTime,
  timeUpdated: IsoDateTime,
};

export const Page = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().optional(),
  officeID: z.string().optional(),
  status: z.string().optional(),
  type: z.string().optional(),
  assignedTo: z.string().optional(),
  updatedSince: IsoDateTime.optional(),
  q: z.string().max(100).optional(),
});
export type ListQuery = z.infer<typeof ListQuery>;

/** Where and how the browser sends a file straight to storage (a presigned PUT on AWS, the API's signed PUT locally). */
export const PresignedUpload = z.object({
  url: z.string(),
  method: z.literal("PUT"),
  headers: z.record(z.string(), z.string()),
  expiresAt: z.string(),
});
