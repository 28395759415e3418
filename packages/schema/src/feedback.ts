import { z } from "zod";
import { AdminCode, IsoDate, IsoDateTime, PastDate, Phone, RecordMeta } from "./common.ts";
import { type Labels, label } from "./codes.ts";
import { RefID } from "./cases.ts";

/*
 * Feedback and complaints (issue 20, point 4): received by any channel, categorised, with deadlines by category,
 * assignment, escalation, the answer given to the person and closure; sensitive categories are seen only by the
 * operation's named focal points; a complaint can ask for a correction of a person's record, applied only once a
 * second person approves it.
 */

export const FeedbackChannels = [
  "hotline",
  "walk_in",
  "partner",
  "public_form",
  "community_meeting",
  "email",
] as const;
export const FeedbackChannel = z.enum(FeedbackChannels);
export type FeedbackChannel = z.infer<typeof FeedbackChannel>;
export const FeedbackChannelLabels: Record<FeedbackChannel, Labels> = {
  hotline: label("Hotline", "Línea telefónica", "Ligne téléphonique", "الخط الساخن"),
  walk_in: label("In person", "En persona", "En personne", "حضورياً"),
  partner: label("Through a partner", "A través de un socio", "Par un partenaire", "عن طريق شريك"),
  public_form: label(
    "Public web form",
    "Formulario público",
    "Formulaire public",
    "النموذج العام على الإنترنت",
  ),
  community_meeting: label(
    "Community meeting",
    "Reunión comunitaria",
    "Réunion communautaire",
    "اجتماع مجتمعي",
  ),
  email: label("E-mail", "Correo electrónico", "Courriel", "البريد الإلكتروني"),
};

export const FeedbackCategories = [
  "information_request",
  "service_quality",
  "access_to_assistance",
  "data_correction",
  "appreciation",
  "suggestion",
  "sexual_exploitation_abuse",
  "fraud",
  "staff_misconduct",
  "other",
] as const;
export const FeedbackCategory = z.enum(FeedbackCategories);
export type FeedbackCategory = z.infer<typeof FeedbackCategory>;
export const FeedbackCategoryLabels: Record<FeedbackCategory, Labels> = {
  information_request: label(
    "Request for information",
    "Solicitud de información",
    "Demande d'information",
    "طلب معلومات",
  ),
  service_quality: label(
    "Quality of a service",
    "Calidad de un servicio",
    "Qualité d'un service",
    "جودة خدمة",
  ),
  access_to_assistance: label(
    "Access to assistance",
    "Acceso a la asistencia",
    "Accès à l'assistance",
    "الوصول إلى المساعدة",
  ),
  data_correction: label(
    "Correction of personal data",
    "Corrección de datos personales",
    "Correction de données personnelles",
    "تصحيح البيانات الشخصية",
  ),
  appreciation: label("Appreciation", "Agradecimiento", "Remerciement", "شكر وتقدير"),
  suggestion: label("Suggestion", "Sugerencia", "Suggestion", "اقتراح"),
  sexual_exploitation_abuse: label(
    "Sexual exploitation and abuse",
    "Explotación y abuso sexual",
    "Exploitation et abus sexuels",
    "الاستغلال والاعتداء الجنسي",
  ),
  fraud: label("Fraud", "Fraude", "Fraude", "احتيال"),
  staff_misconduct: label(
    "Staff misconduct",
    "Conducta indebida del personal",
    "Faute du personnel",
    "سوء سلوك الموظفين",
  ),
  other: label("Other", "Otro", "Autre", "أخرى"),
};

/** Categories whose complaints only the operation's named focal points see (anyone else: "not found"). */
export const SensitiveFeedbackCategories: readonly FeedbackCategory[] = [
  "sexual_exploitation_abuse",
  "fraud",
  "staff_misconduct",
];
export const isSensitiveCategory = (c: FeedbackCategory) => SensitiveFeedbackCategories.includes(c);

/** Days to answer, by category, unless the operation's admin set other deadlines. */
export const DefaultFeedbackDeadlines: Record<FeedbackCategory, number> = {
  information_request: 7,
  service_quality: 14,
  access_to_assistance: 7,
  data_correction: 14,
  appreciation: 30,
  suggestion: 30,
  sexual_exploitation_abuse: 2,
  fraud: 5,
  staff_misconduct: 5,
  other: 14,
};

export const FeedbackStatuses = ["open", "escalated", "closed"] as const;
export const FeedbackStatus = z.enum(FeedbackStatuses);
export type FeedbackStatus = z.infer<typeof FeedbackStatus>;
export const FeedbackStatusLabels: Record<FeedbackStatus, Labels> = {
  open: label("Open", "Abierta", "Ouverte", "مفتوحة"),
  escalated: label("Escalated (overdue)", "Escalada (vencida)", "Escaladée (en retard)", "مُصعَّدة (متأخرة)"),
  closed: label("Closed", "Cerrada", "Clôturée", "مغلقة"),
};

export const FeedbackClosureReasons = [
  "resolved",
  "answered",
  "referred",
  "not_substantiated",
  "unreachable",
  "withdrawn",
  "duplicate",
] as const;
export const FeedbackClosureReason = z.enum(FeedbackClosureReasons);
export type FeedbackClosureReason = z.infer<typeof FeedbackClosureReason>;
export const FeedbackClosureReasonLabels: Record<FeedbackClosureReason, Labels> = {
  resolved: label("Resolved", "Resuelta", "Résolue", "تم الحل"),
  answered: label("Answered", "Respondida", "Répondue", "تم الرد"),
  referred: label(
    "Referred elsewhere",
    "Remitida a otra instancia",
    "Orientée ailleurs",
    "أحيلت إلى جهة أخرى",
  ),
  not_substantiated: label("Not substantiated", "No fundamentada", "Non fondée", "غير مثبتة"),
  unreachable: label(
    "Person could not be reached",
    "No se pudo contactar a la persona",
    "Personne injoignable",
    "تعذّر الوصول إلى الشخص",
  ),
  withdrawn: label(
    "Withdrawn by the person",
    "Retirada por la persona",
    "Retirée par la personne",
    "سحبها الشخص",
  ),
  duplicate: label("Duplicate", "Duplicada", "Doublon", "مكررة"),
};

/** Fields of a person's record a complaint may ask to correct. */
export const DataChangeFields = [
  "givenName",
  "familyName",
  "dateOfBirth",
  "sex",
  "nationality",
  "phone",
] as const;
export const DataChangeField = z.enum(DataChangeFields);
export type DataChangeField = z.infer<typeof DataChangeField>;
export const DataChangeFieldLabels: Record<DataChangeField, Labels> = {
  givenName: label("Given name", "Nombre", "Prénom", "الاسم الأول"),
  familyName: label("Family name", "Apellido", "Nom de famille", "اسم العائلة"),
  dateOfBirth: label("Date of birth", "Fecha de nacimiento", "Date de naissance", "تاريخ الميلاد"),
  sex: label("Sex", "Sexo", "Sexe", "الجنس"),
  nationality: label("Nationality", "Nacionalidad", "Nationalité", "الجنسية"),
  phone: label("Phone", "Teléfono", "Téléphone", "الهاتف"),
};
export const DataChangeStatuses = ["pending", "applied", "rejected"] as const;
export const DataChangeStatus = z.enum(DataChangeStatuses);
export const DataChangeStatusLabels: Record<z.infer<typeof DataChangeStatus>, Labels> = {
  pending: label(
    "Waiting for a second person",
    "Esperando a una segunda persona",
    "En attente d'une deuxième personne",
    "بانتظار شخص ثانٍ",
  ),
  applied: label("Applied", "Aplicada", "Appliquée", "مُطبَّقة"),
  rejected: label("Rejected", "Rechazada", "Rejetée", "مرفوضة"),
};

const Text = (max: number) => z.string().trim().min(1, "is required").max(max);

export const FeedbackCreate = z.object({
  /** The office that handles it; a complaint from the public form has none until someone sets it. */
  officeID: RefID.office.optional(),
  channel: FeedbackChannel,
  category: FeedbackCategory,
  receivedOn: PastDate,
  /** What the person said, in their words (sealed at rest). */
  summary: Text(5000),
  /** The person, when registered (picked by name). */
  individualID: RefID.individual.optional(),
  /** How to reach the person when not registered (or a partner's contact). */
  contactName: z.string().trim().max(200).optional(),
  contactPhone: Phone.optional(),
  anonymous: z.boolean().default(false),
  assignedTo: RefID.user.optional(),
});
export type FeedbackCreate = z.input<typeof FeedbackCreate>;

export const FeedbackChanges = z
  .object({
    officeID: RefID.office,
    category: FeedbackCategory,
    summary: Text(5000),
    individualID: RefID.individual.nullable(),
    contactName: z.string().trim().max(200).nullable(),
    contactPhone: Phone.nullable(),
    assignedTo: RefID.user.nullable(),
  })
  .partial()
  .strict();
export type FeedbackChanges = z.infer<typeof FeedbackChanges>;

export const DataChangeRequest = z.object({
  requestID: z.string(),
  field: DataChangeField,
  /** The value the record held when the request was made. */
  from: z.string().optional(),
  to: z.string(),
  status: DataChangeStatus,
  requestedBy: z.string(),
  requestedAt: IsoDateTime,
  decidedBy: z.string().optional(),
  decidedAt: IsoDateTime.optional(),
  reason: z.string().optional(),
});
export type DataChangeRequest = z.infer<typeof DataChangeRequest>;

export const FeedbackInfo = z.object({
  feedbackID: z.string(),
  /** Readable number, e.g. FB-00012. */
  number: z.string(),
  operationID: z.string(),
  officeID: z.string().optional(),
  channel: FeedbackChannel,
  category: FeedbackCategory,
  sensitive: z.boolean(),
  receivedOn: IsoDate,
  dueOn: IsoDate,
  summary: z.string(),
  individualID: z.string().optional(),
  contactName: z.string().optional(),
  contactPhone: z.string().optional(),
  anonymous: z.boolean().optional(),
  assignedTo: z.string().optional(),
  status: FeedbackStatus,
  /** Past its deadline and not closed (also before the scheduled check escalated it). */
  overdue: z.boolean(),
  escalatedAt: IsoDateTime.optional(),
  response: z.string().optional(),
  respondedAt: IsoDateTime.optional(),
  respondedBy: z.string().optional(),
  closureReason: FeedbackClosureReason.optional(),
  closureNote: z.string().optional(),
  closedAt: IsoDateTime.optional(),
  closedBy: z.string().optional(),
  changeRequests: z.array(DataChangeRequest),
  createdBy: z.string(),
  ...RecordMeta,
});
export type FeedbackInfo = z.infer<typeof FeedbackInfo>;

export const FeedbackListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(2000).optional(),
  officeID: z.string().optional(),
  status: FeedbackStatus.optional(),
  category: FeedbackCategory.optional(),
  /** Only those past their deadline and not closed (escalated or about to be). */
  overdue: z.enum(["true", "false"]).optional(),
});
export type FeedbackListQuery = z.input<typeof FeedbackListQuery>;

export const FeedbackPatch = z.object({ version: z.number().int().min(1), changes: FeedbackChanges });
export const FeedbackRespond = z.object({
  version: z.number().int().min(1),
  /** What the person was told (sealed at rest). */
  response: Text(5000),
});
export const FeedbackClose = z.object({
  version: z.number().int().min(1),
  reason: FeedbackClosureReason,
  note: z.string().trim().max(2000).optional(),
});
export const DataChangeAsk = z.object({
  version: z.number().int().min(1),
  field: DataChangeField,
  to: z.string().trim().min(1).max(200),
});
export const DataChangeDecision = z.object({
  /** The complaint's version. */
  version: z.number().int().min(1),
  decision: z.enum(["approve", "reject"]),
  /** The person's record version the approver looked at: a change made since then is a conflict. */
  individualVersion: z.number().int().min(1).optional(),
  reason: z.string().trim().max(1000).optional(),
});

export const FeedbackSettingsInfo = z.object({
  operationID: z.string(),
  /** Staff who see complaints in sensitive categories (and only they). */
  focalPoints: z.array(z.string()),
  /** Days to answer, by category. */
  deadlineDays: z.record(FeedbackCategory, z.number().int()),
  /**
   * The office that receives complaints from the public form when the area given is no office's (or none was
   * given); unset: the operation's first office.
   */
  intakeOfficeID: z.string().optional(),
  /** 0 until an admin saves settings (defaults apply). */
  version: z.number().int().min(0),
});
export type FeedbackSettingsInfo = z.infer<typeof FeedbackSettingsInfo>;
export const FeedbackSettingsSave = z.object({
  version: z.number().int().min(0),
  focalPoints: z.array(RefID.user).max(20),
  deadlineDays: z.partialRecord(FeedbackCategory, z.number().int().min(1).max(365)).default({}),
  /** Absent: unchanged. */
  intakeOfficeID: z.string().min(1).max(40).optional(),
});

/** The public form: no account; the answer never repeats what was sent. */
export const PublicFeedbackRequest = z
  .object({
    operation: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9]{2,10}$/, "must be an operation code like MEX"),
    category: FeedbackCategory.default("other"),
    message: Text(5000),
    /** Optional: how to reach the person; leave out to stay anonymous. */
    name: z.string().trim().max(200).optional(),
    phone: Phone.optional(),
    /** Optional: where the person is (an area p-code); the complaint goes to the office of that area. */
    area: AdminCode.optional(),
  })
  .strict()
  .meta({ id: "PublicFeedbackRequest" });
export type PublicFeedbackRequest = z.input<typeof PublicFeedbackRequest>;

/* Protection monitoring: counts of incidents (never narratives). */
export const MonitoringFilter = z
  .object({
    officeID: z.string().min(1).optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "must not be after `to`", path: ["from"] });
/** A count; null when it is withheld (from 1 to `DEFAULT_SUPPRESS_BELOW - 1`, or given away by the others). */
export const MonitoringCount = z.object({
  key: z.string(),
  name: z.string().optional(),
  count: z.number().int().nullable(),
});
export const MonitoringDashboard = z.object({
  /** Null when small enough to be withheld too. */
  total: z.number().int().nullable(),
  /** Counts from 1 to this minus one are withheld, as in the exports. */
  suppressBelow: z.number().int(),
  byKind: z.array(MonitoringCount),
  byArea: z.array(MonitoringCount),
  bySex: z.array(MonitoringCount),
  byAgeGroup: z.array(MonitoringCount),
  /** `female|18-59` → count. */
  bySexAndAge: z.array(MonitoringCount),
  byMonth: z.array(MonitoringCount),
  byPerpetrator: z.array(MonitoringCount),
});
export type MonitoringDashboard = z.infer<typeof MonitoringDashboard>;
