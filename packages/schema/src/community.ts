import { z } from "zod";
import { RefID } from "./cases.ts";
import { AdminCode, IsoDate, IsoDateTime, LanguageCode, Phone, RecordMeta } from "./common.ts";
import { type Labels, label } from "./codes.ts";
import { ServiceCategory } from "./referrals.ts";

/*
 * Working with communities (issue 20, points 1–3): group activities with their attendance, the enquiry log with
 * the programme's FAQ, and the directory of services people are informed of and referred to.
 */

const { individual: IndividualID, office: OfficeID, user: UserID, organisation: OrganisationID } = RefID;

// ---- group activities ----

export const ActivityKinds = [
  "information_session",
  "awareness_session",
  "training",
  "sop_training",
  "participatory_assessment",
] as const;
export const ActivityKind = z.enum(ActivityKinds);
export type ActivityKind = z.infer<typeof ActivityKind>;
export const ActivityKindLabels: Record<ActivityKind, Labels> = {
  information_session: label("Information session", "Sesión informativa", "Séance d'information", "جلسة إعلامية"),
  awareness_session: label("Awareness session", "Sesión de sensibilización", "Séance de sensibilisation", "جلسة توعية"),
  training: label("Training", "Capacitación", "Formation", "تدريب"),
  sop_training: label(
    "Training on the SOPs (staff and partners)",
    "Capacitación sobre los POE (personal y socios)",
    "Formation aux procédures (personnel et partenaires)",
    "تدريب على إجراءات التشغيل الموحدة (الموظفون والشركاء)",
  ),
  participatory_assessment: label(
    "Participatory assessment (group dialogue)",
    "Diagnóstico participativo (diálogo en grupo)",
    "Évaluation participative (dialogue de groupe)",
    "تقييم تشاركي (حوار جماعي)",
  ),
};
/** Kinds whose participants may be staff (training records per staff member). */
export const TrainingKinds: readonly ActivityKind[] = ["training", "sop_training"];

export const AgeGroups = ["0_4", "5_11", "12_17", "18_24", "25_59", "60_plus"] as const;
export const AgeGroup = z.enum(AgeGroups);
export type AgeGroup = z.infer<typeof AgeGroup>;
export const AgeGroupLabels: Record<AgeGroup, Labels> = {
  "0_4": label("0–4 years", "0–4 años", "0–4 ans", "٠–٤ سنوات"),
  "5_11": label("5–11 years", "5–11 años", "5–11 ans", "٥–١١ سنة"),
  "12_17": label("12–17 years", "12–17 años", "12–17 ans", "١٢–١٧ سنة"),
  "18_24": label("18–24 years", "18–24 años", "18–24 ans", "١٨–٢٤ سنة"),
  "25_59": label("25–59 years", "25–59 años", "25–59 ans", "٢٥–٥٩ سنة"),
  "60_plus": label("60 years and over", "60 años y más", "60 ans et plus", "٦٠ سنة فأكثر"),
};
export const CountSexes = ["female", "male"] as const;
export const CountSex = z.enum(CountSexes);

/** Attendance counted by sex and age group, when people are not registered one by one. */
export const AttendanceCount = z
  .object({
    sex: CountSex,
    ageGroup: AgeGroup,
    count: z.number().int().min(0, "cannot be negative").max(100_000),
  })
  .strict();
export type AttendanceCount = z.infer<typeof AttendanceCount>;

export const Genders = ["women", "men", "girls", "boys", "mixed"] as const;
export const Gender = z.enum(Genders);
export const GenderLabels: Record<z.infer<typeof Gender>, Labels> = {
  women: label("Women", "Mujeres", "Femmes", "نساء"),
  men: label("Men", "Hombres", "Hommes", "رجال"),
  girls: label("Girls", "Niñas", "Filles", "فتيات"),
  boys: label("Boys", "Niños", "Garçons", "فتيان"),
  mixed: label("Mixed group", "Grupo mixto", "Groupe mixte", "مجموعة مختلطة"),
};
export const DiversityGroups = [
  "none",
  "disability",
  "older_persons",
  "lgbtiq",
  "indigenous",
  "minority",
  "single_parents",
  "unaccompanied_children",
] as const;
export const DiversityGroup = z.enum(DiversityGroups);
export const DiversityLabels: Record<z.infer<typeof DiversityGroup>, Labels> = {
  none: label("No specific group", "Ningún grupo específico", "Aucun groupe particulier", "لا فئة محددة"),
  disability: label("Persons with disabilities", "Personas con discapacidad", "Personnes handicapées", "الأشخاص ذوو الإعاقة"),
  older_persons: label("Older persons", "Personas mayores", "Personnes âgées", "كبار السن"),
  lgbtiq: label("LGBTIQ+ persons", "Personas LGBTIQ+", "Personnes LGBTIQ+", "أفراد مجتمع الميم"),
  indigenous: label("Indigenous peoples", "Pueblos indígenas", "Peuples autochtones", "الشعوب الأصلية"),
  minority: label("Ethnic or religious minority", "Minoría étnica o religiosa", "Minorité ethnique ou religieuse", "أقلية عرقية أو دينية"),
  single_parents: label("Single parents", "Madres y padres solos", "Parents isolés", "الوالدان الوحيدان"),
  unaccompanied_children: label(
    "Unaccompanied or separated children",
    "Niñas y niños no acompañados o separados",
    "Enfants non accompagnés ou séparés",
    "الأطفال غير المصحوبين أو المنفصلون",
  ),
};

/** One finding of a participatory assessment, from one age, gender and diversity group. */
export const AgdFinding = z
  .object({
    ageGroup: AgeGroup,
    gender: Gender,
    diversity: DiversityGroup.default("none"),
    finding: z.string().trim().min(1).max(2000),
  })
  .strict();
export type AgdFinding = z.infer<typeof AgdFinding>;

const ActivityFields = {
  officeID: OfficeID,
  kind: ActivityKind,
  topic: z.string().trim().min(1).max(300),
  /** When it starts, an instant (the screen enters it in the operation's time zone). */
  start: IsoDateTime,
  durationMinutes: z.number().int().min(5).max(24 * 60).optional(),
  language: LanguageCode,
  /** Where: the organising office unless an area of the operation (and a venue) is given. */
  adm1: AdminCode.optional(),
  adm2: AdminCode.optional(),
  venue: z.string().trim().max(200).optional(),
  facilitatorIDs: z.array(UserID).max(20).default([]),
  /** Facilitators who are not staff of the operation (a partner's trainer). */
  otherFacilitators: z.string().trim().max(300).optional(),
  counts: z.array(AttendanceCount).max(AgeGroups.length * CountSexes.length).default([]),
  findings: z.array(AgdFinding).max(100).default([]),
  notes: z.string().trim().max(4000).optional(),
};

export const ActivityCreate = z.object(ActivityFields).strict();
export type ActivityCreate = z.input<typeof ActivityCreate>;

export const ActivityChanges = z
  .object({
    kind: ActivityKind,
    topic: ActivityFields.topic,
    start: IsoDateTime,
    durationMinutes: ActivityFields.durationMinutes.unwrap().nullable(),
    language: LanguageCode,
    adm1: AdminCode.nullable(),
    adm2: AdminCode.nullable(),
    venue: z.string().trim().max(200).nullable(),
    facilitatorIDs: z.array(UserID).max(20),
    otherFacilitators: z.string().trim().max(300).nullable(),
    counts: z.array(AttendanceCount).max(AgeGroups.length * CountSexes.length),
    findings: z.array(AgdFinding).max(100),
    notes: z.string().trim().max(4000).nullable(),
  })
  .partial()
  .strict();
export type ActivityChanges = z.input<typeof ActivityChanges>;

export const ActivityInfo = z.object({
  activityID: z.string(),
  operationID: z.string(),
  ...ActivityFields,
  attendeeCount: z.number().int(),
  staffCount: z.number().int(),
  createdBy: z.string(),
  ...RecordMeta,
});
export type ActivityInfo = z.infer<typeof ActivityInfo>;

/**
 * A change of who attended: registered people by ID (picked by name) or by registration number (a pasted list),
 * staff by user ID (trainings), and people taken off the list.
 */
export const AttendanceChange = z
  .object({
    version: z.number().int().min(1),
    add: z.array(IndividualID).max(1000).default([]),
    addNumbers: z.array(z.string().trim().min(1).max(40)).max(1000).default([]),
    addStaff: z.array(UserID).max(200).default([]),
    remove: z.array(z.string().max(40)).max(1000).default([]),
  })
  .strict();
export type AttendanceChange = z.input<typeof AttendanceChange>;

export const AttendeeInfo = z.object({
  activityID: z.string(),
  attendeeID: z.string(),
  kind: z.enum(["individual", "staff"]),
  start: z.string(),
  activityKind: ActivityKind,
  topic: z.string(),
  officeID: z.string(),
  timeCreated: z.string(),
});

export const ActivityListQuery = z.object({
  officeID: z.string().max(40).optional(),
  kind: ActivityKind.optional(),
  /** Activities a registered person attended / a staff member facilitated or was trained in. */
  individualID: z.string().max(40).optional(),
  staffID: z.string().max(40).optional(),
  from: IsoDate.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(2000).optional(),
});

// ---- enquiries ----

export const EnquiryChannels = ["phone", "walk_in", "whatsapp", "sms", "email", "social_media", "other"] as const;
export const EnquiryChannel = z.enum(EnquiryChannels);
export const EnquiryChannelLabels: Record<z.infer<typeof EnquiryChannel>, Labels> = {
  phone: label("Phone call", "Llamada", "Appel", "مكالمة هاتفية"),
  walk_in: label("Walk-in", "Visita en oficina", "Visite au bureau", "زيارة شخصية"),
  whatsapp: label("WhatsApp", "WhatsApp", "WhatsApp", "واتساب"),
  sms: label("Text message", "Mensaje de texto", "SMS", "رسالة نصية"),
  email: label("E-mail", "Correo electrónico", "Courriel", "بريد إلكتروني"),
  social_media: label("Social media", "Redes sociales", "Réseaux sociaux", "وسائل التواصل الاجتماعي"),
  other: label("Other", "Otro", "Autre", "أخرى"),
};
export const EnquiryTopics = [
  "registration",
  "local_integration",
  "relocation",
  "resettlement",
  "documentation",
  "cash_assistance",
  "health",
  "legal",
  "education",
  "employment",
  "shelter",
  "return",
  "other",
] as const;
export const EnquiryTopic = z.enum(EnquiryTopics);
export type EnquiryTopic = z.infer<typeof EnquiryTopic>;
export const EnquiryTopicLabels: Record<EnquiryTopic, Labels> = {
  registration: label("Registration", "Registro", "Enregistrement", "التسجيل"),
  local_integration: label("Local integration programme", "Programa de integración local", "Programme d'intégration locale", "برنامج الاندماج المحلي"),
  relocation: label("Relocation", "Reubicación", "Relocalisation", "النقل"),
  resettlement: label("Resettlement", "Reasentamiento", "Réinstallation", "إعادة التوطين"),
  documentation: label("Documents", "Documentos", "Documents", "الوثائق"),
  cash_assistance: label("Cash assistance", "Asistencia en efectivo", "Assistance en espèces", "المساعدة النقدية"),
  health: label("Health", "Salud", "Santé", "الصحة"),
  legal: label("Legal advice", "Asesoría legal", "Conseil juridique", "المشورة القانونية"),
  education: label("Education", "Educación", "Éducation", "التعليم"),
  employment: label("Work", "Empleo", "Emploi", "العمل"),
  shelter: label("Shelter", "Albergue", "Hébergement", "المأوى"),
  return: label("Return home", "Retorno", "Retour", "العودة"),
  other: label("Other", "Otro", "Autre", "أخرى"),
};
export const EnquiryStatuses = ["open", "answered", "follow_up", "closed"] as const;
export const EnquiryStatus = z.enum(EnquiryStatuses);
export const EnquiryStatusLabels: Record<z.infer<typeof EnquiryStatus>, Labels> = {
  open: label("Open", "Abierta", "Ouverte", "مفتوح"),
  answered: label("Answered", "Respondida", "Répondue", "تمت الإجابة"),
  follow_up: label("Follow-up due", "Seguimiento pendiente", "Suivi à faire", "متابعة مطلوبة"),
  closed: label("Closed", "Cerrada", "Clôturée", "مغلق"),
};

const EnquiryFields = {
  officeID: OfficeID,
  channel: EnquiryChannel,
  topic: EnquiryTopic,
  /** Who asked, when not (yet) a registered person; a linked person is named by the registry. */
  callerName: z.string().trim().min(1).max(200).optional(),
  individualID: IndividualID.optional(),
  phone: Phone.optional(),
  question: z.string().trim().max(4000).optional(),
  answer: z.string().trim().max(4000).optional(),
  followUpDue: IsoDate.optional(),
  status: EnquiryStatus.default("open"),
};
export const EnquiryCreate = z
  .object(EnquiryFields)
  .strict()
  .refine((e) => e.callerName !== undefined || e.individualID !== undefined, {
    message: "give the caller's name or pick the registered person",
    path: ["callerName"],
  });
export type EnquiryCreate = z.input<typeof EnquiryCreate>;

export const EnquiryChanges = z
  .object({
    channel: EnquiryChannel,
    topic: EnquiryTopic,
    callerName: z.string().trim().min(1).max(200).nullable(),
    individualID: IndividualID.nullable(),
    phone: Phone.nullable(),
    question: z.string().trim().max(4000).nullable(),
    answer: z.string().trim().max(4000).nullable(),
    followUpDue: IsoDate.nullable(),
    status: EnquiryStatus,
  })
  .partial()
  .strict();
export type EnquiryChanges = z.input<typeof EnquiryChanges>;

export const EnquiryInfo = z.object({
  enquiryID: z.string(),
  operationID: z.string(),
  ...EnquiryFields,
  createdBy: z.string(),
  ...RecordMeta,
});
export type EnquiryInfo = z.infer<typeof EnquiryInfo>;

export const EnquiryListQuery = z.object({
  officeID: z.string().max(40).optional(),
  individualID: z.string().max(40).optional(),
  /** `open`: everything still to do (not closed), with the interest form's new and contacted leads. */
  view: z.enum(["open", "all"]).default("open"),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(2000).optional(),
});

/** One row of the enquiry queue: an enquiry, or a lead of the interest form (or of a partner's Kobo form). */
export const QueueItem = z.object({
  kind: z.enum(["enquiry", "lead"]),
  id: z.string(),
  time: z.string(),
  name: z.string().optional(),
  individualID: z.string().optional(),
  channel: z.string(),
  topic: z.string().optional(),
  status: z.string(),
  followUpDue: z.string().optional(),
  overdue: z.boolean(),
  version: z.number().int(),
  record: z.record(z.string(), z.unknown()),
});

/**
 * Registering a lead's person: the person as the caseworker completed them (the lead's answers prefilled),
 * through the registry's duplicate check; or the registered person the check found, to link instead.
 */
export const LeadRegistration = z.union([
  z
    .object({
      version: z.number().int().min(1),
      person: z.record(z.string(), z.unknown()),
      overrideDuplicates: z.object({ reason: z.string().trim().min(5).max(500) }).optional(),
    })
    .strict(),
  z.object({ version: z.number().int().min(1), individualID: IndividualID }).strict(),
]);
export type LeadRegistration = z.input<typeof LeadRegistration>;

export const FaqLanguages = ["en", "es", "fr", "ar", "prs", "ps", "ht", "wo"] as const;
export const FaqEntry = z
  .object({
    language: z.enum(FaqLanguages),
    topic: EnquiryTopic.optional(),
    question: z.string().trim().min(1).max(500),
    answer: z.string().trim().min(1).max(4000),
  })
  .strict();
export type FaqEntry = z.infer<typeof FaqEntry>;
/** The programme's FAQ of an operation, edited as a whole at its version (0 when there is none yet). */
export const FaqPut = z.object({ version: z.number().int().min(0), entries: z.array(FaqEntry).max(200) }).strict();
export type FaqPut = z.input<typeof FaqPut>;

// ---- service directory ----

const ServiceFields = {
  name: z.string().trim().min(1).max(200),
  category: ServiceCategory,
  /** The provider: a partner organisation of the operation (referrals can go to it), or only its name. */
  organisationID: OrganisationID.optional(),
  providerName: z.string().trim().min(1).max(200),
  /** Areas served (p-codes of the operation); none means the whole operation. */
  areas: z.array(AdminCode).max(100).default([]),
  languages: z.array(LanguageCode).max(20).default([]),
  eligibility: z.string().trim().max(2000).optional(),
  description: z.string().trim().max(2000).optional(),
  contactPhone: Phone.optional(),
  contactEmail: z.email().max(200).optional(),
  address: z.string().trim().max(300).optional(),
  openingHours: z.string().trim().max(200).optional(),
  active: z.boolean().default(true),
};
export const ServiceCreate = z.object(ServiceFields).strict();
export type ServiceCreate = z.input<typeof ServiceCreate>;
export const ServiceChanges = z
  .object({
    name: ServiceFields.name,
    category: ServiceCategory,
    organisationID: OrganisationID.nullable(),
    providerName: ServiceFields.providerName,
    areas: z.array(AdminCode).max(100),
    languages: z.array(LanguageCode).max(20),
    eligibility: z.string().trim().max(2000).nullable(),
    description: z.string().trim().max(2000).nullable(),
    contactPhone: Phone.nullable(),
    contactEmail: z.email().max(200).nullable(),
    address: z.string().trim().max(300).nullable(),
    openingHours: z.string().trim().max(200).nullable(),
    active: z.boolean(),
  })
  .partial()
  .strict();
export type ServiceChanges = z.input<typeof ServiceChanges>;
export const ServiceInfo = z.object({
  serviceID: z.string(),
  operationID: z.string(),
  ...ServiceFields,
  createdBy: z.string(),
  ...RecordMeta,
});
export type ServiceInfo = z.infer<typeof ServiceInfo>;

export const ServiceListQuery = z.object({
  q: z.string().trim().max(100).optional(),
  category: ServiceCategory.optional(),
  /** Services reaching this area (or the whole operation); a second-level area matches its first level too. */
  area: AdminCode.optional(),
  language: LanguageCode.optional(),
  /** The services that fit a case: its people's area (else its office's), and the category when given. */
  caseID: z.string().max(40).optional(),
  includeInactive: z.coerce.boolean().default(false),
});

/** A versioned change of one record. */
export const Versioned = <T extends z.ZodTypeAny>(changes: T) =>
  z.object({ version: z.number().int().min(1), changes }).strict();
