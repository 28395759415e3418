import { z } from "zod";
import {
  DocumentTypeLabels,
  LegalStatusLabels,
  RecordStatusLabels,
  RelationshipLabels,
  SexLabels,
  SpecificNeedsCodeList,
} from "./codes.ts";
import { AdminCode, CountryCode, IsoDate, LanguageCode, ListQuery, Phone, RecordMeta } from "./common.ts";
import { ConfiguredValues } from "./fields.ts";

const keys = <T extends Record<string, unknown>>(t: T) =>
  Object.keys(t) as [keyof T & string, ...(keyof T & string)[]];

export const Sex = z.enum(keys(SexLabels));
export type Sex = z.infer<typeof Sex>;
export const LegalStatus = z.enum(keys(LegalStatusLabels));
export type LegalStatus = z.infer<typeof LegalStatus>;
export const Relationship = z.enum(keys(RelationshipLabels));
export type Relationship = z.infer<typeof Relationship>;
export const RecordStatus = z.enum(keys(RecordStatusLabels));
export type RecordStatus = z.infer<typeof RecordStatus>;
export const DocumentType = z.enum(keys(DocumentTypeLabels));
export const SpecificNeed = z.enum(SpecificNeedsCodeList);

const Name = z.string().trim().min(1, "is required").max(100);

export const IdentityDocument = z.object({
  type: DocumentType,
  number: z
    .string()
    .trim()
    .min(3)
    .max(40)
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ./-]*$/, "must be letters, digits, spaces, dots, slashes or dashes"),
  country: CountryCode.optional(),
  expiry: IsoDate.optional(),
});
export type IdentityDocument = z.infer<typeof IdentityDocument>;

export const Transliteration = z.object({
  /** ISO 15924 script code, e.g. Arab. */
  script: z.string().regex(/^[A-Z][a-z]{3}$/, "must be an ISO 15924 script code like Arab"),
  givenName: z.string().max(100).optional(),
  familyName: z.string().max(100).optional(),
});

export const Consent = z.object({
  shareWithPartners: z.boolean(),
  date: IsoDate,
});

/** Fields a caseworker fills in for a person; everything a grid row can carry. */
const IndividualFields = {
  givenName: Name,
  familyName: Name,
  transliterations: z.array(Transliteration).max(5),
  sex: Sex,
  dateOfBirth: IsoDate.refine((d) => d <= new Date().toISOString().slice(0, 10), "cannot be in the future"),
  /** Age in years when the date of birth is not known. */
  estimatedAge: z.number().int().min(0).max(120),
  /** The date of birth is an estimate (e.g. 1 January of the estimated year). */
  dobEstimated: z.boolean(),
  nationality: CountryCode,
  languages: z.array(LanguageCode).max(10),
  interpreterNeeded: z.boolean(),
  legalStatus: LegalStatus,
  documents: z.array(IdentityDocument).max(10),
  specificNeeds: z.array(SpecificNeed).max(30),
  phone: Phone,
  householdID: z.string().regex(/^hh_[0-9A-HJKMNP-TV-Z]{26}$/, "must be a household id (hh_…)"),
  relationshipToHead: Relationship,
  consent: Consent,
  officeID: z.string().min(1),
  adm1: AdminCode,
  adm2: AdminCode,
  status: RecordStatus,
};

const hasBirth = (v: { dateOfBirth?: unknown; estimatedAge?: unknown }) =>
  v.dateOfBirth !== undefined || v.estimatedAge !== undefined;

export const IndividualCreate = z
  .object({
    ...IndividualFields,
    transliterations: IndividualFields.transliterations.optional(),
    dateOfBirth: IndividualFields.dateOfBirth.optional(),
    estimatedAge: IndividualFields.estimatedAge.optional(),
    dobEstimated: IndividualFields.dobEstimated.optional(),
    languages: IndividualFields.languages.default([]),
    interpreterNeeded: IndividualFields.interpreterNeeded.default(false),
    legalStatus: IndividualFields.legalStatus.default("unknown"),
    documents: IndividualFields.documents.default([]),
    specificNeeds: IndividualFields.specificNeeds.default([]),
    phone: IndividualFields.phone.optional(),
    householdID: IndividualFields.householdID.optional(),
    relationshipToHead: IndividualFields.relationshipToHead.optional(),
    consent: IndividualFields.consent.optional(),
    adm1: IndividualFields.adm1.optional(),
    adm2: IndividualFields.adm2.optional(),
    status: IndividualFields.status.default("active"),
    /** Values of the operation's configured fields (docs/fields.md); checked per key by core. */
    fields: ConfiguredValues.optional(),
  })
  .refine(hasBirth, { message: "a date of birth or an estimated age is required", path: ["dateOfBirth"] });
export type IndividualCreate = z.input<typeof IndividualCreate>;

/** A patch: every field optional; `null` clears an optional field. Names and sex cannot be cleared. */
export const IndividualChanges = z
  .object({
    givenName: Name,
    familyName: Name,
    sex: Sex,
    nationality: CountryCode,
    officeID: IndividualFields.officeID,
    status: RecordStatus,
    languages: IndividualFields.languages,
    interpreterNeeded: z.boolean(),
    legalStatus: LegalStatus,
    documents: IndividualFields.documents,
    specificNeeds: IndividualFields.specificNeeds,
    transliterations: IndividualFields.transliterations.nullable(),
    dateOfBirth: IndividualFields.dateOfBirth.nullable(),
    estimatedAge: IndividualFields.estimatedAge.nullable(),
    dobEstimated: z.boolean().nullable(),
    phone: Phone.nullable(),
    householdID: IndividualFields.householdID.nullable(),
    relationshipToHead: Relationship.nullable(),
    consent: Consent.nullable(),
    adm1: AdminCode.nullable(),
    adm2: AdminCode.nullable(),
    /** Configured values to change, merged per key (`null` clears one); checked per key by core. */
    fields: ConfiguredValues,
  })
  .partial()
  .strict();
export type IndividualChanges = z.infer<typeof IndividualChanges>;

export const IndividualInfo = z.object({
  individualID: z.string(),
  operationID: z.string(),
  registrationNumber: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  transliterations: z.array(Transliteration).optional(),
  sex: Sex,
  dateOfBirth: IsoDate.optional(),
  estimatedAge: z.number().optional(),
  dobEstimated: z.boolean().optional(),
  nationality: CountryCode,
  languages: z.array(LanguageCode),
  interpreterNeeded: z.boolean(),
  legalStatus: LegalStatus,
  documents: z.array(IdentityDocument).optional(),
  specificNeeds: z.array(SpecificNeed).optional(),
  specificNeedsVersion: z.string().optional(),
  phone: Phone.optional(),
  householdID: z.string().optional(),
  relationshipToHead: Relationship.optional(),
  consent: Consent.optional(),
  officeID: z.string(),
  adm1: z.string().optional(),
  adm2: z.string().optional(),
  status: RecordStatus,
  /** Values of the operation's configured fields the reader may see (docs/fields.md). */
  fields: ConfiguredValues.optional(),
  deleted: z.boolean().optional(),
  createdBy: z.string(),
  /** Fields withheld from the reader by field-level restrictions. */
  redacted: z.array(z.string()).optional(),
  ...RecordMeta,
});
export type IndividualInfo = z.infer<typeof IndividualInfo>;

/** A query-string flag (`true`/`false`), also accepted as a boolean when core is called directly. */
const QueryBoolean = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

export const IndividualSort = z.enum(["timeUpdated", "-timeUpdated", "name"]);
export const IndividualListQuery = ListQuery.extend({
  householdID: z.string().optional(),
  status: RecordStatus.optional(),
  sort: IndividualSort.default("-timeUpdated"),
  includeDeleted: QueryBoolean.optional(),
  /** A configured field's value, `<key>:<value>` (equality; a many-of field contains it; case ignored). */
  field: z.string().max(300).regex(/^[a-z][a-zA-Z0-9_]{1,39}:/, "must be <field key>:<value>").optional(),
});
export type IndividualListQuery = z.input<typeof IndividualListQuery>;

export const OverrideDuplicates = z.object({ reason: z.string().trim().min(5).max(500) });

/** A possible duplicate found at registration, with why it was matched. */
export const DuplicateCandidate = z.object({
  individualID: z.string(),
  registrationNumber: z.string(),
  officeID: z.string(),
  score: z.number(),
  strength: z.enum(["strong", "possible"]),
  reasons: z.array(z.string()),
  /** Names and birth date are shown only when the caller may read the record. */
  givenName: z.string().optional(),
  familyName: z.string().optional(),
  dateOfBirth: z.string().optional(),
  estimatedAge: z.number().optional(),
  restricted: z.boolean().optional(),
});
export type DuplicateCandidate = z.infer<typeof DuplicateCandidate>;

export const DuplicateCheckRequest = z.object({
  givenName: Name,
  familyName: Name,
  sex: Sex.optional(),
  dateOfBirth: IsoDate.optional(),
  estimatedAge: z.number().int().min(0).max(120).optional(),
  nationality: CountryCode.optional(),
  phone: Phone.optional(),
  documents: z
    .array(IdentityDocument.pick({ type: true, number: true, country: true }))
    .max(10)
    .optional(),
  /** Leave this record out (checking an existing record against the rest). */
  excludeID: z.string().optional(),
});
export type DuplicateCheckRequest = z.input<typeof DuplicateCheckRequest>;
export const DuplicateCheckResponse = z.object({ candidates: z.array(DuplicateCandidate) });

// Households ------------------------------------------------------------------------------------------------

const HouseholdFields = {
  officeID: z.string().min(1),
  headID: z.string().regex(/^ind_[0-9A-HJKMNP-TV-Z]{26}$/, "must be an individual id (ind_…)"),
  phone: Phone,
  adm1: AdminCode,
  adm2: AdminCode,
  address: z.string().trim().max(300),
  status: RecordStatus,
};

export const HouseholdCreate = z.object({
  officeID: HouseholdFields.officeID,
  headID: HouseholdFields.headID.optional(),
  phone: HouseholdFields.phone.optional(),
  adm1: HouseholdFields.adm1.optional(),
  adm2: HouseholdFields.adm2.optional(),
  address: HouseholdFields.address.optional(),
  status: HouseholdFields.status.default("active"),
  /** Values of the operation's configured fields (docs/fields.md); checked per key by core. */
  fields: ConfiguredValues.optional(),
});
export type HouseholdCreate = z.input<typeof HouseholdCreate>;

export const HouseholdChanges = z
  .object({
    officeID: HouseholdFields.officeID,
    status: HouseholdFields.status,
    headID: HouseholdFields.headID.nullable(),
    phone: Phone.nullable(),
    adm1: AdminCode.nullable(),
    adm2: AdminCode.nullable(),
    address: HouseholdFields.address.nullable(),
    /** Configured values to change, merged per key (`null` clears one). */
    fields: ConfiguredValues,
  })
  .partial()
  .strict();
export type HouseholdChanges = z.infer<typeof HouseholdChanges>;

export const HouseholdInfo = z.object({
  householdID: z.string(),
  operationID: z.string(),
  registrationNumber: z.string(),
  officeID: z.string(),
  headID: z.string().optional(),
  phone: Phone.optional(),
  adm1: z.string().optional(),
  adm2: z.string().optional(),
  address: z.string().optional(),
  /** Members currently in the household (maintained with every membership change). */
  size: z.number().int(),
  status: RecordStatus,
  fields: ConfiguredValues.optional(),
  deleted: z.boolean().optional(),
  createdBy: z.string(),
  redacted: z.array(z.string()).optional(),
  ...RecordMeta,
});
export type HouseholdInfo = z.infer<typeof HouseholdInfo>;

export const HouseholdListQuery = ListQuery.extend({
  status: RecordStatus.optional(),
  sort: z.enum(["timeUpdated", "-timeUpdated"]).default("-timeUpdated"),
  includeDeleted: QueryBoolean.optional(),
});
export type HouseholdListQuery = z.input<typeof HouseholdListQuery>;

export const HistoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().optional(),
});
