import { z } from "zod";
import { CountryCode, IsoDate, IsoDateTime, LanguageCode, Phone } from "./common.ts";
import { ReferralStatus, ServiceCategory } from "./referrals.ts";
import { type Labels, label } from "./codes.ts";
import { Sex, SpecificNeed } from "./registry.ts";

/**
 * Contracts of the public partner API (/v1). They are the published wire format: field names follow the API
 * documentation partners integrate against, and core maps them onto its own records.
 */

const Name = z.string().trim().min(1, "is required").max(100);

export const PartnerPerson = z
  .object({
    givenName: Name,
    familyName: Name,
    sex: Sex,
    dateOfBirth: IsoDate.refine(
      (d) => d <= new Date().toISOString().slice(0, 10),
      "cannot be in the future",
    ).optional(),
    estimatedAge: z.number().int().min(0).max(120).optional(),
    nationality: CountryCode.optional(),
    phone: Phone.optional(),
    languages: z.array(LanguageCode).max(10).optional(),
    specificNeeds: z.array(SpecificNeed).max(30).optional(),
  })
  .strict()
  .refine((p) => p.dateOfBirth !== undefined || p.estimatedAge !== undefined, {
    message: "a date of birth or an estimated age is required",
    path: ["dateOfBirth"],
  })
  .meta({ id: "PartnerPerson" });
export type PartnerPerson = z.input<typeof PartnerPerson>;

export const DataSharingConsent = z
  .object({
    /** The person agreed that their data is shared with the operation and the receiving service. */
    dataSharing: z.literal(true, { error: "the person's consent to share data is required" }),
    date: IsoDate,
  })
  .strict()
  .meta({ id: "DataSharingConsent" });

export const Urgency = z.enum(["normal", "urgent", "emergency"]);
export const UrgencyLabels: Record<z.infer<typeof Urgency>, Labels> = {
  normal: label("Normal", "Normal", "Normale", "عادية"),
  urgent: label("Urgent", "Urgente", "Urgente", "عاجلة"),
  emergency: label("Emergency", "Emergencia", "Urgence vitale", "طارئة"),
};

export const PartnerReferralRequest = z
  .object({
    person: PartnerPerson,
    consent: DataSharingConsent,
    serviceCategory: ServiceCategory,
    /** Default `normal`. */
    urgency: Urgency.optional(),
    narrative: z.string().trim().min(1, "is required").max(4000),
    /** The partner's own reference for this person or case. */
    externalReference: z.string().max(100).optional(),
  })
  .strict()
  .meta({ id: "PartnerReferralRequest" });
export type PartnerReferralRequest = z.input<typeof PartnerReferralRequest>;

/** A referral as a partner sees it: the person carries only the fields its data-sharing agreement allows. */
export const PartnerReferral = z
  .object({
    id: z.string(),
    referralNumber: z.string().optional(),
    direction: z.enum(["sent", "received"]),
    status: ReferralStatus,
    serviceCategory: ServiceCategory,
    urgency: Urgency,
    narrative: z.string().optional(),
    person: z.record(z.string(), z.unknown()).optional(),
    externalReference: z.string().optional(),
    declineReason: z.string().optional(),
    serviceNote: z.string().optional(),
    deadline: IsoDate.optional(),
    timeCreated: IsoDateTime,
    timeUpdated: IsoDateTime,
    version: z.number().int(),
  })
  .meta({ id: "PartnerReferral" });
export type PartnerReferral = z.infer<typeof PartnerReferral>;

export const PartnerReferralQuery = z.object({
  status: ReferralStatus.optional(),
  updatedSince: IsoDateTime.optional(),
  box: z.enum(["sent", "received"]).optional(),
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const PartnerDecline = z
  .object({ reason: z.string().trim().min(1, "is required").max(2000) })
  .strict();
export const PartnerComplete = z
  .object({ serviceNote: z.string().trim().min(1, "is required").max(4000) })
  .strict();
export const PartnerAccept = z.object({ note: z.string().max(2000).optional() }).strict();

export const WebhookConfig = z
  .object({ url: z.string().max(2000) })
  .strict()
  .meta({ id: "WebhookConfig" });

/* Public expression of interest (no account). */
export const InterestLanguages = ["en", "es", "fr", "ar", "hat"] as const;
export const InterestLanguage = z.enum(InterestLanguages);
export type InterestLanguage = z.infer<typeof InterestLanguage>;

export const InterestRequest = z
  .object({
    /** Operation code, e.g. MEX (any case: codes are unique whatever their case). */
    operation: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9]{2,10}$/, "must be an operation code like MEX"),
    /** Default `local_integration`. */
    programme: z.enum(["local_integration", "resettlement", "assistance", "other"]).optional(),
    givenName: Name,
    familyName: Name,
    phone: Phone.optional(),
    email: z.email().max(200).optional(),
    nationality: CountryCode.optional(),
    householdSize: z.number().int().min(1).max(30).optional(),
    location: z.string().trim().max(200).optional(),
    language: InterestLanguage,
    /** The person read the consent text (served in their language) and agreed. */
    consent: z.literal(true, { error: "consent is required" }),
    consentVersion: z.string().max(40),
  })
  .strict()
  .refine((r) => r.phone !== undefined || r.email !== undefined, {
    message: "a phone number or an e-mail address is required so staff can contact you",
    path: ["phone"],
  })
  .meta({ id: "InterestRequest" });
export type InterestRequest = z.input<typeof InterestRequest>;

/* KoboToolbox intake. */
export const LeadFields = [
  "givenName",
  "familyName",
  "fullName",
  "sex",
  "dateOfBirth",
  "birthYear",
  "estimatedAge",
  "nationality",
  "phone",
  "languages",
  "location",
  "householdSize",
  "members",
  "notes",
] as const;
export const LeadField = z.enum(LeadFields);

/** A mapping target that is one of the operation's configured fields of individuals: `fields.<key>`. */
export const ConfiguredTarget = z
  .string()
  .regex(/^fields\.[a-z][a-zA-Z0-9_]{1,39}$/, "must be a lead field or fields.<key> of a configured field");
export const KoboFieldMapping = z
  .object({
    /**
     * The Waypoint field this Kobo question fills: a lead field, or `fields.<key>`, a configured field of individuals
     * (the answer is read like a pasted cell: codes or their labels, `select_multiple` answers split on spaces, and
     * checked like any other value of that field; the person registered from the lead gets it).
     */
    field: z.union([LeadField, ConfiguredTarget]),
    /** Kobo choice value → Waypoint value (e.g. "1" → "female"). A value not listed sends the submission to review. */
    values: z.record(z.string(), z.string()).optional(),
  })
  .strict();

export const KoboFormMapping = z
  .object({
    name: z.string().trim().min(1).max(200),
    /** Kobo question path (`group/question`; a repeat's questions by full path) → Waypoint field. */
    fields: z.record(z.string().min(1).max(300), KoboFieldMapping),
    /** Country for phone numbers written without +, ISO 3166-1 alpha-2 (e.g. MX). */
    phoneCountry: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    programme: z.string().max(40).optional(),
    /**
     * The partner organisation whose API keys may post this form. When absent, the first organisation that
     * posts a submission to the form holds it; no other organisation's key may post to it.
     */
    organisationID: z.string().max(40).optional(),
    version: z.number().int().min(1).optional(),
  })
  .strict()
  .meta({ id: "KoboFormMapping" });
export type KoboFormMapping = z.input<typeof KoboFormMapping>;

/** Where a lead stands in identification; the moves allowed are in `LeadTransitions`. */
export const LeadStatus = z.enum(["new", "contacted", "registered", "closed"]);
export type LeadStatus = z.infer<typeof LeadStatus>;
/** Allowed moves: registered is final; a closed lead can be reopened. */
export const LeadTransitions: Record<LeadStatus, LeadStatus[]> = {
  new: ["contacted", "registered", "closed"],
  contacted: ["registered", "closed"],
  registered: [],
  closed: ["new"],
};

/** The person an administrator reads off a Kobo submission that could not be mapped. */
export const ReviewLead = z
  .object({
    givenName: Name,
    familyName: Name.optional(),
    sex: Sex.optional(),
    dateOfBirth: IsoDate.optional(),
    birthYear: z.number().int().min(1900).max(2100).optional(),
    estimatedAge: z.number().int().min(0).max(120).optional(),
    nationality: CountryCode.optional(),
    phone: Phone.optional(),
    languages: z.array(LanguageCode).max(10).optional(),
    location: z.string().trim().max(200).optional(),
    householdSize: z.number().int().min(1).max(30).optional(),
    notes: z.string().max(2000).optional(),
  })
  .strict();

/**
 * How an administrator resolves a Kobo submission waiting for review: `lead` creates the lead it should have
 * been (fields read off the submission), `discard` drops it and says why. Either way the raw submission is
 * deleted once resolved.
 */
export const ReviewResolution = z.discriminatedUnion("decision", [
  z
    .object({
      decision: z.literal("lead"),
      version: z.number().int().min(1),
      lead: ReviewLead,
      note: z.string().max(2000).optional(),
    })
    .strict(),
  z
    .object({
      decision: z.literal("discard"),
      version: z.number().int().min(1),
      note: z.string().trim().min(1, "say why the submission is discarded").max(2000),
    })
    .strict(),
]);
export type ReviewResolution = z.input<typeof ReviewResolution>;

/** A partner organisation as staff choose it when referring: who it is and which services it offers. */
export const OrganisationSummary = z.object({
  organisationID: z.string(),
  name: z.string(),
  kind: z.enum(["ngo", "service_provider", "authority", "un_agency"]),
  services: z.array(z.string()),
});
export type OrganisationSummary = z.infer<typeof OrganisationSummary>;

/* Partner administration (staff: `organisation.manage`). */

export const OrganisationKinds = ["ngo", "service_provider", "authority", "un_agency"] as const;
export const OrganisationKind = z.enum(OrganisationKinds);

/** A new partner organisation (created in the administrator's own operation). */
export const OrganisationCreate = z
  .object({
    name: z.string().trim().min(1, "is required").max(200),
    kind: OrganisationKind.default("ngo"),
    services: z.array(ServiceCategory).max(30).default([]),
  })
  .strict()
  .meta({ id: "OrganisationCreate" });
export type OrganisationCreate = z.input<typeof OrganisationCreate>;

/** A partner API key as administrators see it: never its secret (shown once, when issued). */
export const ApiKeyInfo = z.object({
  keyID: z.string(),
  name: z.string(),
  scopes: z.array(z.string()),
  revoked: z.boolean(),
  timeCreated: z.string(),
  timeRevoked: z.string().optional(),
  /** The key this one replaced (rotation). */
  replaces: z.string().optional(),
  rateLimitPerMinute: z.number().optional(),
});
export type ApiKeyInfo = z.infer<typeof ApiKeyInfo>;

/** A key just issued: `key` is the full secret, in this answer only. */
export const ApiKeyIssued = z.object({
  keyID: z.string(),
  key: z.string(),
  scopes: z.array(z.string()),
  organisationID: z.string(),
  /** On rotation: the key revoked in the same change. */
  revokedKeyID: z.string().optional(),
  webhookRemoved: z.boolean().optional(),
});

/**
 * Record types a partner receives, and for each the fields a data-sharing agreement may let it see. Today one:
 * the person described on a referral sent to the partner (the partner view cuts it to these fields).
 */
export const SharedRecordFields = {
  referral_person: [
    "givenName",
    "familyName",
    "sex",
    "dateOfBirth",
    "estimatedAge",
    "nationality",
    "phone",
    "languages",
    "specificNeeds",
  ],
} as const;
export type SharedRecordType = keyof typeof SharedRecordFields;
/** A built-in person field, or a configured field of individuals as `fields.<key>` (docs/fields.md). */
export const SharedPersonField = z.union([
  z.enum(SharedRecordFields.referral_person),
  z
    .string()
    .regex(/^fields\.[a-z][a-zA-Z0-9_]{1,39}$/, "must be a person field or fields.<configured field key>"),
]);

/** A new data-sharing agreement, at the organisation's version the administrator edited. */
export const SharingAgreementChange = z
  .object({
    version: z.number().int().min(1),
    fields: z.object({ referral_person: z.array(SharedPersonField).max(20) }).strict(),
    /** Why it changed (e.g. the signed amendment's reference). */
    note: z.string().trim().max(500).optional(),
  })
  .strict()
  .meta({ id: "SharingAgreementChange" });
export type SharingAgreementChange = z.input<typeof SharingAgreementChange>;

/** Events a webhook can receive. */
export const WebhookEventTypeList = [
  "referral.created",
  "referral.accepted",
  "referral.declined",
  "referral.completed",
  "referral.withdrawn",
] as const;
export const WebhookEventType = z.enum(WebhookEventTypeList);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** Staff set a partner's webhook: URL, which events (all when absent), enabled or paused. */
export const WebhookSettings = z
  .object({
    version: z.number().int().min(1),
    enabled: z.boolean(),
    events: z.array(WebhookEventType).min(1).max(20).optional(),
  })
  .strict()
  .meta({ id: "WebhookSettings" });

/** An organisation as its administrators see it: agreement, webhook (no secret), keys. */
export const OrganisationAdmin = z.object({
  organisationID: z.string(),
  name: z.string(),
  kind: OrganisationKind,
  services: z.array(z.string()),
  version: z.number(),
  timeCreated: z.string(),
  timeUpdated: z.string(),
  sharing: z.object({
    fields: z.object({ referral_person: z.array(z.string()) }),
    agreementVersion: z.number(),
    timeAgreed: z.string().optional(),
  }),
  webhook: z
    .object({
      url: z.string(),
      enabled: z.boolean(),
      events: z.array(z.string()),
      /** Registered by the partner with one of its keys (revoking that key removes it). */
      keyID: z.string().optional(),
    })
    .nullable(),
  keys: z.array(ApiKeyInfo),
});
export type OrganisationAdmin = z.infer<typeof OrganisationAdmin>;
