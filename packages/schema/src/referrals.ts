import { z } from "zod";
import { ConfiguredValues } from "./fields.ts";
import { IsoDate, IsoDateTime, LanguageCode, Phone, RecordMeta } from "./common.ts";
import { RefID } from "./cases.ts";

const { case: CaseID, individual: IndividualID, office: OfficeID } = RefID;
import { type Labels, label } from "./codes.ts";

export const ServiceCategories = [
  "legal",
  "health",
  "psychosocial",
  "shelter",
  "child_protection",
  "documentation",
  "education",
  "livelihoods",
  "cash",
  "food",
  "other",
] as const;
export const ServiceCategory = z.enum(ServiceCategories);
export type ServiceCategory = z.infer<typeof ServiceCategory>;
export const ServiceCategoryLabels: Record<ServiceCategory, Labels> = {
  legal: label("Legal assistance", "Asistencia legal", "Assistance juridique", "المساعدة القانونية"),
  health: label("Health", "Salud", "Santé", "الصحة"),
  psychosocial: label(
    "Psychosocial support",
    "Apoyo psicosocial",
    "Soutien psychosocial",
    "الدعم النفسي والاجتماعي",
  ),
  shelter: label("Shelter", "Albergue", "Hébergement", "المأوى"),
  child_protection: label(
    "Child protection",
    "Protección infantil",
    "Protection de l'enfance",
    "حماية الطفل",
  ),
  documentation: label("Documentation", "Documentación", "Documentation", "التوثيق"),
  education: label("Education", "Educación", "Éducation", "التعليم"),
  livelihoods: label("Livelihoods", "Medios de vida", "Moyens de subsistance", "سبل العيش"),
  cash: label("Cash assistance", "Asistencia en efectivo", "Assistance en espèces", "المساعدة النقدية"),
  food: label("Food", "Alimentación", "Alimentation", "الغذاء"),
  other: label("Other", "Otro", "Autre", "أخرى"),
};

export const ReferralStatuses = ["pending", "accepted", "declined", "completed", "withdrawn"] as const;
export const ReferralStatus = z.enum(ReferralStatuses);
export type ReferralStatus = z.infer<typeof ReferralStatus>;
export const ReferralStatusLabels: Record<ReferralStatus, Labels> = {
  pending: label("Pending", "Pendiente", "En attente", "قيد الانتظار"),
  accepted: label("Accepted", "Aceptada", "Acceptée", "مقبولة"),
  declined: label("Declined", "Rechazada", "Refusée", "مرفوضة"),
  completed: label("Completed", "Completada", "Terminée", "مكتملة"),
  withdrawn: label("Withdrawn", "Retirada", "Retirée", "مسحوبة"),
};
/** pending → accepted | declined → completed; the sender may withdraw while the referral is still open. */
export const ReferralTransitions: Record<ReferralStatus, readonly ReferralStatus[]> = {
  pending: ["accepted", "declined", "withdrawn"],
  accepted: ["completed", "withdrawn"],
  declined: [],
  completed: [],
  withdrawn: [],
};

export const ReferralConsent = z.object({
  given: z.boolean(),
  date: IsoDate.optional(),
  /** What the person agreed may be shared and with whom, in their words or a standard form's code. */
  scope: z.string().max(500).optional(),
});
export type ReferralConsent = z.infer<typeof ReferralConsent>;

/** The person fields a referral may carry to a partner; the partner sees those its data-sharing agreement allows. */
export const ReferralPerson = z
  .object({
    givenName: z.string().max(100),
    familyName: z.string().max(100),
    sex: z.enum(["female", "male", "other", "unknown"]),
    dateOfBirth: IsoDate,
    estimatedAge: z.number().int().min(0).max(130),
    nationality: z.string().regex(/^[A-Z]{3}$/),
    phone: Phone,
    languages: z.array(LanguageCode).max(10),
    specificNeeds: z.array(z.string().max(20)).max(30),
  })
  .partial();
export type ReferralPerson = z.infer<typeof ReferralPerson>;

export const ReferralCreate = z
  .object({
    officeID: OfficeID,
    caseID: CaseID.optional(),
    individualID: IndividualID.optional(),
    /** The partner organisation receiving the referral; absent for an internal referral. */
    toOrganisationID: z.string().optional(),
    /** The office or unit receiving an internal referral. */
    toOfficeID: OfficeID.optional(),
    serviceCategory: ServiceCategory,
    urgency: z.enum(["normal", "urgent", "emergency"]).default("normal"),
    reason: z.string().min(1).max(4000),
    consent: ReferralConsent,
    deadline: IsoDate.optional(),
    person: ReferralPerson.optional(),
    /** Values of the operation's configured fields (docs/fields.md); checked per key by core. */
    fields: ConfiguredValues.optional(),
  })
  .refine((r) => !(r.toOrganisationID && r.toOfficeID), {
    path: ["toOfficeID"],
    message: "a referral goes to a partner or to an office, not both",
  });
export type ReferralCreate = z.input<typeof ReferralCreate>;

export const ReferralChanges = z
  .object({
    serviceCategory: ServiceCategory,
    urgency: z.enum(["normal", "urgent", "emergency"]),
    reason: z.string().min(1).max(4000),
    consent: ReferralConsent,
    deadline: IsoDate.nullable(),
    caseID: CaseID.nullable(),
    /** Configured values to change, merged per key (`null` clears one). */
    fields: ConfiguredValues,
  })
  .partial()
  .strict();
export type ReferralChanges = z.infer<typeof ReferralChanges>;

export const ReferralResponse = z.object({
  version: z.number().int().min(1),
  /** Required when declining (why) and completing (the service delivered). */
  note: z.string().min(1).max(4000).optional(),
});

export const ReferralInfo = z.object({
  referralID: z.string(),
  referralNumber: z.string(),
  operationID: z.string(),
  officeID: z.string(),
  direction: z.enum(["internal", "outgoing", "incoming"]),
  caseID: z.string().optional(),
  individualID: z.string().optional(),
  fromOrganisationID: z.string().optional(),
  toOrganisationID: z.string().optional(),
  toOfficeID: z.string().optional(),
  serviceCategory: ServiceCategory,
  urgency: z.enum(["normal", "urgent", "emergency"]),
  reason: z.string(),
  consent: ReferralConsent,
  deadline: IsoDate.optional(),
  person: ReferralPerson.optional(),
  status: ReferralStatus,
  declineReason: z.string().optional(),
  serviceNote: z.string().optional(),
  respondedBy: z.string().optional(),
  timeResponded: IsoDateTime.optional(),
  restricted: z.boolean(),
  fields: ConfiguredValues.optional(),
  /** Configured fields withheld from the reader (`fields.<key>`). */
  redacted: z.array(z.string()).optional(),
  createdBy: z.string(),
  ...RecordMeta,
});
export type ReferralInfo = z.infer<typeof ReferralInfo>;

export const ReferralListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().optional(),
  officeID: z.string().optional(),
  status: ReferralStatus.optional(),
  serviceCategory: ServiceCategory.optional(),
  toOrganisationID: z.string().optional(),
  caseID: z.string().optional(),
  individualID: z.string().optional(),
  updatedSince: IsoDateTime.optional(),
});
export type ReferralListQuery = z.input<typeof ReferralListQuery>;

/** A referral a partner sends to the operation (public API); the person is described inline. */
export const PartnerReferralCreate = z.object({
  officeID: OfficeID,
  serviceCategory: ServiceCategory,
  urgency: z.enum(["normal", "urgent", "emergency"]).default("normal"),
  reason: z.string().min(1).max(4000),
  consent: ReferralConsent,
  deadline: IsoDate.optional(),
  person: ReferralPerson,
  externalReference: z.string().max(100).optional(),
});
export type PartnerReferralCreate = z.input<typeof PartnerReferralCreate>;

export const PartnerReferralListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().optional(),
  box: z.enum(["received", "sent"]).default("received"),
  status: ReferralStatus.optional(),
  updatedSince: IsoDateTime.optional(),
});
export type PartnerReferralListQuery = z.input<typeof PartnerReferralListQuery>;
