import { z } from "zod";
import { IsoDate } from "./common.ts";
import { ExportPurposeFields } from "./privacy.ts";

/** AGD age brackets (UNHCR standard); `unknown` when neither a date of birth nor an estimated age is recorded. */
export const AgeBrackets = ["0-4", "5-11", "12-17", "18-59", "60+"] as const;
export type AgeBracket = (typeof AgeBrackets)[number] | "unknown";

const QueryBoolean = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

/** Dashboard and report filters: one office (within the viewer's scope) and a period (inclusive days). */
export const ReportFilter = z
  .object({
    officeID: z.string().min(1).optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "must not be after `to`", path: ["from"] });
export type ReportFilter = z.infer<typeof ReportFilter>;

export const DrillResources = [
  "individuals",
  "households",
  "cases",
  "referrals",
  "relocations",
  "payments",
] as const;
export const DrillResource = z.enum(DrillResources);
export type DrillResource = z.infer<typeof DrillResource>;

/**
 * The filter that reproduces a figure's records: the report filter plus the figure's dimensions. The same
 * predicate computes the figure and answers `GET /api/reports/drill`, so a drill-down always lists exactly the
 * records that were counted.
 */
export const DrillFilter = z.object({
  resource: DrillResource,
  officeID: z.string().optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  sex: z.string().optional(),
  ageBracket: z.string().optional(),
  nationality: z.string().optional(),
  need: z.string().optional(),
  type: z.string().optional(),
  stage: z.string().optional(),
  overdue: QueryBoolean.optional(),
  status: z.string().optional(),
  partner: z.string().optional(),
  destination: z.string().optional(),
  month: z
    .string()
    .regex(/^\d{4}-\d{2}$/, "must be a month YYYY-MM")
    .optional(),
  purpose: z.string().optional(),
  currency: z.string().optional(),
  responded: QueryBoolean.optional(),
});
export type DrillFilter = z.infer<typeof DrillFilter>;

export const DrillResult = z.object({
  resource: DrillResource,
  count: z.number().int(),
  ids: z.array(z.string()),
  /** Where the admin app shows these records: the grid with an id filter. */
  link: z.string(),
});
export type DrillResult = z.infer<typeof DrillResult>;

export const Bucket = z.object({
  key: z.string(),
  value: z.number(),
  drill: DrillFilter,
});
export type Bucket = z.infer<typeof Bucket>;

/** A figure the viewer may not see (permission, field restriction) or figures not on the dashboard yet. */
export const Unavailable = z.object({ available: z.literal(false), reason: z.string() });
export type Unavailable = z.infer<typeof Unavailable>;

export const PyramidRow = z.object({
  bracket: z.string(),
  female: Bucket,
  male: Bucket,
  other: Bucket,
  unknown: Bucket,
});

export const IndividualFigures = z.object({
  available: z.literal(true),
  total: Bucket,
  pyramid: z.array(PyramidRow),
  byNationality: z.array(Bucket),
  /** Specific-needs categories; null when the viewer's role may not see specific needs. */
  specificNeeds: z.array(Bucket).nullable(),
});

export const CaseFigures = z.object({
  available: z.literal(true),
  total: Bucket,
  byType: z.array(Bucket),
  byStage: z.array(Bucket),
  byOffice: z.array(Bucket),
  overdueFollowUps: Bucket,
});

export const ReferralPartnerRow = z.object({
  partner: z.string(),
  partnerName: z.string(),
  total: Bucket,
  responded: z.number().int(),
  /** Median hours from sending to the first answer (accept/decline); null when none answered yet. */
  medianResponseHours: z.number().nullable(),
});
export const ReferralFigures = z.object({
  available: z.literal(true),
  total: Bucket,
  byStatus: z.array(Bucket),
  byPartner: z.array(ReferralPartnerRow),
});

export const RelocationFigures = z.object({
  available: z.literal(true),
  /** Households relocated (departed, arrived or completed) per month of departure; `people` counts seats. */
  byMonth: z.array(Bucket.extend({ people: z.number().int() })),
  byDestination: z.array(Bucket.extend({ people: z.number().int() })),
});

export const MoneyBucket = Bucket.extend({ currency: z.string(), amountMinor: z.number().int() });
export const PaymentFigures = z.object({
  available: z.literal(true),
  byPurpose: z.array(MoneyBucket),
  byMonth: z.array(MoneyBucket),
  byStatus: z.array(MoneyBucket),
});

export const ResettlementFigures = z.object({
  available: z.literal(true),
  rows: z.array(
    z.object({
      country: z.string(),
      year: z.number(),
      stage: z.string(),
      value: z.number(),
      quota: z.number().nullable(),
    }),
  ),
});

const or = <T extends z.ZodTypeAny>(t: T) => z.union([t, Unavailable]);

export const Dashboard = z.object({
  generatedAt: z.string(),
  /** The day ages are computed at: `to` when given, else today (UTC). */
  referenceDate: IsoDate,
  filter: z.object({ officeID: z.string().optional(), from: IsoDate.optional(), to: IsoDate.optional() }),
  individuals: or(IndividualFigures),
  cases: or(CaseFigures),
  referrals: or(ReferralFigures),
  relocations: or(RelocationFigures),
  payments: or(PaymentFigures),
  resettlement: or(ResettlementFigures),
  /** How fresh the figures are: records are re-read from their last-change indexes at every request. */
  freshness: z.record(
    z.string(),
    z.object({ rows: z.number().int(), syncedAt: z.string(), fullLoadMs: z.number() }),
  ),
});
export type Dashboard = z.infer<typeof Dashboard>;

export const ReportNames = [
  "individuals-agd",
  "individuals-nationality",
  "specific-needs",
  "cases",
  "referrals",
  "relocations-monthly",
  "payments",
  "register",
  "data-quality",
  // protection monitoring for the protection cluster: incidents by month, area, kind, perpetrator, sex and age
  "protection-incidents",
] as const;
export const ReportName = z.enum(ReportNames);
export type ReportName = z.infer<typeof ReportName>;

/**
 * Counts of people below this are withheld unless the export asks otherwise: a table of a handful of people in
 * one office and month can name them. HXL exports are made for sharing and never go below it.
 */
export const DEFAULT_SUPPRESS_BELOW = 5;

export const ReportExportQuery = z
  .object({
    format: z.enum(["csv", "xlsx", "json"]).default("csv"),
    /** Add the HXL hashtag row under the header row. */
    hxl: QueryBoolean.default(false),
    /**
     * Suppress counts of people from 1 to this value minus one (and the cells that would reveal them). Defaults to
     * `DEFAULT_SUPPRESS_BELOW`; a lower value (0: nothing withheld) is for internal analysis, never with HXL.
     */
    suppressBelow: z.coerce.number().int().min(0).max(100).default(DEFAULT_SUPPRESS_BELOW),
    officeID: z.string().min(1).optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    /** Why the file is made and for whom: kept in the sharing log of each person a row-level export holds. */
    ...ExportPurposeFields,
    /**
     * People tables (`individuals-agd`, `individuals-nationality`): rows by a configured field of individuals
     * (`fields.<key>`, one-of, many-of or yes/no) instead of office / nationality.
     */
    by: z
      .string()
      .regex(/^fields\.[A-Za-z][A-Za-z0-9_]{1,39}$/, "must be fields.<key> of a configured field")
      .optional(),
    /** Language of a breakdown's labels (the field's and its codes'); English by default. */
    lang: z.enum(["en", "es", "fr", "ar"]).optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "must not be after `to`", path: ["from"] })
  .refine((f) => !f.hxl || f.suppressBelow >= DEFAULT_SUPPRESS_BELOW, {
    message: `HXL exports are for sharing: small counts are withheld (at least ${DEFAULT_SUPPRESS_BELOW})`,
    path: ["suppressBelow"],
  });
export type ReportExportQuery = z.input<typeof ReportExportQuery>;

export const DataQualityKinds = [
  "missing.sex",
  "missing.birth",
  "missing.legalStatus",
  "missing.nationality",
  "missing.relationshipToHead",
  "date.futureBirth",
  "date.birthBefore1900",
  "date.registeredBeforeBirth",
  "needs.womanAtRiskMale",
  "needs.childCodeOnAdult",
  "needs.olderPersonUnder60",
  "household.noHead",
  "household.severalHeads",
  "duplicate.unresolved",
  // a configured field made required that records still lack (one issue per field: `field` says which)
  "missing.configuredField",
] as const;
export const DataQualityKind = z.enum(DataQualityKinds);
export type DataQualityKind = z.infer<typeof DataQualityKind>;

export const DataQualityIssue = z.object({
  kind: DataQualityKind,
  resource: z.enum(["individuals", "households"]),
  severity: z.enum(["error", "warning"]),
  title: z.string(),
  suggestedFix: z.string(),
  count: z.number().int(),
  /** The offending records (first 1000); `link` opens the grid filtered on them. */
  ids: z.array(z.string()),
  link: z.string(),
  /** The configured field a `missing.configuredField` issue is about, with its labels in the four languages. */
  field: z
    .object({ key: z.string(), labels: z.object({ en: z.string(), es: z.string(), fr: z.string(), ar: z.string() }) })
    .optional(),
});
export type DataQualityIssue = z.infer<typeof DataQualityIssue>;

export const DataQualityReport = z.object({
  generatedAt: z.string(),
  checked: z.object({ individuals: z.number().int(), households: z.number().int() }),
  issues: z.array(DataQualityIssue),
});
export type DataQualityReport = z.infer<typeof DataQualityReport>;
