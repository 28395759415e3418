import { z } from "zod";
import { IsoDateTime } from "./common.ts";

/**
 * Country operations, their offices and administrative areas. Nothing here knows a country: codes are checked
 * against the ISO and IANA lists the JavaScript runtime ships (`Intl`), area codes against the operation's own list
 * (core).
 */

const regionNames = (() => {
  try {
    return new Intl.DisplayNames(["en"], { type: "region" });
  } catch {
    return undefined;
  }
})();

/** Is `code` an assigned ISO 3166-1 alpha-2 country code (XK for Kosovo too, as the UN system uses it)? */
export function isCountryAlpha2(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || code === "ZZ") return false;
  if (!regionNames) return true;
  const name = regionNames.of(code);
  return Boolean(name) && name !== code && name !== "Unknown Region";
}

let currencies: Set<string> | undefined;
/** Is `code` an ISO 4217 currency the runtime knows? */
export function isCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  currencies ??= new Set(
    typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("currency") : [code],
  );
  return currencies.has(code);
}

/** Is `zone` an IANA time zone (Area/City, or UTC)? */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+\-]+){0,2}$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const CountryAlpha2 = z
  .string()
  .refine(isCountryAlpha2, "must be an ISO 3166-1 alpha-2 country code, like SN or AF");
export const Currency = z.string().refine(isCurrency, "must be an ISO 4217 currency code, like XOF or USD");
export const TimeZone = z.string().max(60).refine(isTimeZone, "must be an IANA time zone, like Africa/Dakar");

/** The languages the staff app speaks. */
export const UiLanguages = ["en", "es", "fr", "ar"] as const;
export const UiLanguage = z.enum(UiLanguages);

/**
 * Short code used in readable numbers (`SEN-DKR-26-000123`) and by the public forms to name their operation. Typed
 * in any case, stored in capitals: codes are unique across the deployment whatever their case (core).
 */
export const OperationCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z][A-Z0-9]{1,4}$/, "must be 2 to 5 capital letters or digits, a letter first");

export const OperationCreate = z.object({
  name: z.string().trim().min(1).max(200),
  country: CountryAlpha2,
  currency: Currency,
  timeZone: TimeZone,
  languages: z.array(UiLanguage).min(1).max(4),
  /** Defaults to the first three letters of the name; refused (409) when another operation holds it. */
  code: OperationCode.optional(),
});
export type OperationCreate = z.input<typeof OperationCreate>;

/** What an edit may change: the country (and so the area list) and the code (in every number) stay. */
export const OperationChanges = z
  .object({
    name: z.string().trim().min(1).max(200),
    currency: Currency,
    timeZone: TimeZone,
    languages: z.array(UiLanguage).min(1).max(4),
  })
  .partial()
  .strict();
export type OperationChanges = z.input<typeof OperationChanges>;

export const OperationInfo = z.object({
  operationID: z.string(),
  code: z.string(),
  name: z.string(),
  country: z.string(),
  currency: z.string(),
  timeZone: z.string(),
  languages: z.array(z.string()),
  /** How many administrative areas the operation's list holds. */
  areaCount: z.number().int().optional(),
  version: z.number().int(),
  timeCreated: IsoDateTime,
  timeUpdated: IsoDateTime,
});
export type OperationInfo = z.infer<typeof OperationInfo>;

/** A p-code: the country's two letters then digits or letters (SN01, AF0101, GT0101). */
export const PCode = z
  .string()
  .regex(/^[A-Z]{2}[0-9A-Z]{1,18}$/, "must be a p-code: two capital letters then digits");

export const AreaInfo = z.object({
  pcode: z.string(),
  name: z.string(),
  level: z.number().int(),
  parent: z.string().optional(),
});
export type AreaInfo = z.infer<typeof AreaInfo>;

/** A gazetteer CSV (p-code, name, parent p-code, level; or COD-AB columns admin1Pcode, admin1Name_en…). */
export const AreaImport = z.object({
  csv: z.string().min(1).max(4_000_000),
  /** Check every row and report, store nothing. */
  dryRun: z.boolean().default(false),
});
export type AreaImport = z.input<typeof AreaImport>;

export const AreaRowError = z.object({
  /** The CSV line (1 = header). */
  line: z.number().int(),
  pcode: z.string().optional(),
  field: z.enum(["pcode", "name", "parent", "level"]),
  code: z.string(),
  message: z.string(),
});
export type AreaRowError = z.infer<typeof AreaRowError>;

export const AreaImportResult = z.object({
  dryRun: z.boolean(),
  /** Rows read (header and blank lines not counted). */
  rows: z.number().int(),
  /** Areas new to the list / already on it (their name or parent updated). */
  created: z.number().int(),
  updated: z.number().int(),
  byLevel: z.record(z.string(), z.number().int()),
  errors: z.array(AreaRowError),
  /** True when the areas were written (no errors, not a dry run). */
  stored: z.boolean(),
  preview: z.array(AreaInfo),
});
export type AreaImportResult = z.infer<typeof AreaImportResult>;

export const OfficeKinds = ["office", "field_office", "terminal", "shelter"] as const;

export const Room = z.object({
  name: z.string().trim().min(1).max(50),
  capacity: z.number().int().min(1).max(500).optional(),
});
export type Room = z.infer<typeof Room>;

export const OfficeCreate = z.object({
  code: z.string().regex(/^[A-Z]{2,5}$/, "must be 2 to 5 capital letters"),
  name: z.string().trim().min(1).max(200),
  adm1: PCode.optional(),
  adm2: PCode.optional(),
  kind: z.enum(OfficeKinds).optional(),
  rooms: z.array(Room).max(100).optional(),
});
export type OfficeCreate = z.input<typeof OfficeCreate>;

export const OfficeChanges = z
  .object({
    name: z.string().trim().min(1).max(200),
    adm1: PCode.nullable(),
    adm2: PCode.nullable(),
    kind: z.enum(OfficeKinds),
    rooms: z.array(Room).max(100),
  })
  .partial()
  .strict();
export type OfficeChanges = z.input<typeof OfficeChanges>;

export const OfficeInfo = z.object({
  officeID: z.string(),
  operationID: z.string(),
  code: z.string(),
  name: z.string(),
  adm1: z.string().optional(),
  adm2: z.string().optional(),
  kind: z.enum(OfficeKinds).optional(),
  rooms: z.array(Room).optional(),
  version: z.number().int(),
});
export type OfficeInfo = z.infer<typeof OfficeInfo>;
