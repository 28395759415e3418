import { z } from "zod";
import { IsoDate, IsoDateTime, PastDate, PresignedUpload, RecordMeta } from "./common.ts";
import { type Labels, label } from "./codes.ts";
import { ConfiguredValues } from "./fields.ts";

export const CaseTypes = [
  "protection",
  "bip",
  "resettlement",
  "pta",
  "local_integration",
  "community_hosting",
  "avr",
  "cash_for_protection",
] as const;
export const CaseType = z.enum(CaseTypes);
export type CaseType = z.infer<typeof CaseType>;
export const CaseTypeLabels: Record<CaseType, Labels> = {
  protection: label("Protection", "Protección", "Protection", "الحماية"),
  bip: label(
    "Best Interests Procedure",
    "Procedimiento de Interés Superior",
    "Procédure d'intérêt supérieur",
    "إجراءات المصالح الفضلى",
  ),
  resettlement: label("Resettlement", "Reasentamiento", "Réinstallation", "إعادة التوطين"),
  pta: label(
    "Protection Transfer Arrangement",
    "Mecanismo de Protección en Tránsito",
    "Mécanisme de transfert de protection",
    "ترتيب نقل الحماية",
  ),
  local_integration: label("Local integration", "Integración local", "Intégration locale", "الاندماج المحلي"),
  community_hosting: label(
    "Community hosting",
    "Acogida comunitaria",
    "Accueil communautaire",
    "الاستضافة المجتمعية",
  ),
  avr: label(
    "Assisted voluntary return",
    "Retorno voluntario asistido",
    "Retour volontaire assisté",
    "العودة الطوعية المدعومة",
  ),
  cash_for_protection: label(
    "Cash for protection",
    "Efectivo para protección",
    "Espèces pour la protection",
    "النقد من أجل الحماية",
  ),
};

/** Sub-types; the first three make a case restricted (existence alone can endanger the person). */
export const CaseSubTypes = [
  "sgbv",
  "trafficking",
  "child_protection",
  "uasc",
  "legal",
  "documentation",
  "medical",
  "detention",
  "family_reunification",
  "other",
] as const;
export const CaseSubType = z.enum(CaseSubTypes);
export type CaseSubType = z.infer<typeof CaseSubType>;
export const RestrictedCaseSubTypes: readonly CaseSubType[] = ["sgbv", "trafficking", "child_protection"];
export const CaseSubTypeLabels: Record<CaseSubType, Labels> = {
  sgbv: label("SGBV", "VSG", "VSBG", "العنف الجنسي والقائم على النوع"),
  trafficking: label("Trafficking", "Trata", "Traite", "الاتجار بالبشر"),
  child_protection: label(
    "Child protection",
    "Protección infantil",
    "Protection de l'enfance",
    "حماية الطفل",
  ),
  uasc: label(
    "Unaccompanied or separated child",
    "Niñez no acompañada o separada",
    "Enfant non accompagné ou séparé",
    "طفل غير مصحوب أو منفصل",
  ),
  legal: label("Legal", "Legal", "Juridique", "قانوني"),
  documentation: label("Documentation", "Documentación", "Documentation", "التوثيق"),
  medical: label("Medical", "Médico", "Médical", "طبي"),
  detention: label("Detention", "Detención", "Détention", "الاحتجاز"),
  family_reunification: label(
    "Family reunification",
    "Reunificación familiar",
    "Regroupement familial",
    "لم شمل الأسرة",
  ),
  other: label("Other", "Otro", "Autre", "أخرى"),
};

/** Whether a case is restricted follows from what it is about, never from a checkbox someone may forget. */
export function isRestrictedCase(c: { subType?: CaseSubType | null }): boolean {
  return Boolean(c.subType && RestrictedCaseSubTypes.includes(c.subType));
}

export const CaseStages = [
  "open",
  "assessment",
  "case_plan",
  "implementation",
  "follow_up",
  "closed",
] as const;
export const CaseStage = z.enum(CaseStages);
export type CaseStage = z.infer<typeof CaseStage>;
export const CaseStageLabels: Record<CaseStage, Labels> = {
  open: label("Open", "Abierto", "Ouvert", "مفتوح"),
  assessment: label("Assessment", "Evaluación", "Évaluation", "التقييم"),
  case_plan: label("Case plan", "Plan de caso", "Plan de cas", "خطة الحالة"),
  implementation: label("Implementation", "Implementación", "Mise en œuvre", "التنفيذ"),
  follow_up: label("Follow-up", "Seguimiento", "Suivi", "المتابعة"),
  closed: label("Closed", "Cerrado", "Clôturé", "مغلق"),
};

/**
 * The allowed stage graph. Forward one step, back one step for rework, closure from any open stage (people move
 * on or cannot be reached), and reopening a closed case (with a reason).
 */
export const CaseTransitions: Record<CaseStage, readonly CaseStage[]> = {
  open: ["assessment", "closed"],
  assessment: ["case_plan", "open", "closed"],
  case_plan: ["implementation", "assessment", "closed"],
  implementation: ["follow_up", "case_plan", "closed"],
  follow_up: ["closed", "implementation"],
  closed: ["open"],
};

/** Case types whose closure needs a supervisor's approval first. */
export const ApprovalRequiredForClosure: readonly CaseType[] = ["protection", "bip"];

export const RiskLevels = ["low", "medium", "high", "critical"] as const;
export const RiskLevel = z.enum(RiskLevels);
export type RiskLevel = z.infer<typeof RiskLevel>;
export const RiskLevelLabels: Record<RiskLevel, Labels> = {
  low: label("Low", "Bajo", "Faible", "منخفض"),
  medium: label("Medium", "Medio", "Moyen", "متوسط"),
  high: label("High", "Alto", "Élevé", "مرتفع"),
  critical: label("Critical", "Crítico", "Critique", "حرج"),
};

const id = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}_[0-9A-Z]{26}$`), `must be an id starting with ${prefix}_`);
/** Validators for the IDs case records point at. */
export const RefID = {
  case: id("cas"),
  individual: id("ind"),
  household: id("hh"),
  office: id("off"),
  user: id("usr"),
  organisation: id("org"),
};
const {
  case: CaseID,
  individual: IndividualID,
  household: HouseholdID,
  office: OfficeID,
  user: UserID,
} = RefID;

export const CaseCreate = z.object({
  officeID: OfficeID,
  type: CaseType,
  subType: CaseSubType.optional(),
  riskLevel: RiskLevel.default("medium"),
  assignedTo: UserID.optional(),
  dueFollowUp: IsoDate.optional(),
  individualIDs: z.array(IndividualID).max(50).default([]),
  householdID: HouseholdID.optional(),
  summary: z.string().max(2000).optional(),
  /** Values of the operation's configured fields for cases (docs/fields.md); checked per key by core. */
  fields: ConfiguredValues.optional(),
});
export type CaseCreate = z.input<typeof CaseCreate>;

/** Grid-editable fields; stage changes go through transitions, never a patch. `null` clears a cell. */
export const CaseChanges = z
  .object({
    officeID: OfficeID,
    type: CaseType,
    subType: CaseSubType.nullable(),
    riskLevel: RiskLevel,
    assignedTo: UserID.nullable(),
    dueFollowUp: IsoDate.nullable(),
    individualIDs: z.array(IndividualID).max(50),
    householdID: HouseholdID.nullable(),
    summary: z.string().max(2000).nullable(),
    /** Configured values to change, merged per key (`null` clears one). */
    fields: ConfiguredValues,
  })
  .partial()
  .strict();
export type CaseChanges = z.infer<typeof CaseChanges>;

export const ClosureApproval = z.object({
  requestedBy: z.string(),
  requestedAt: IsoDateTime,
  reason: z.string(),
  decision: z.enum(["pending", "approved", "rejected"]),
  decidedBy: z.string().optional(),
  decidedAt: IsoDateTime.optional(),
  comment: z.string().optional(),
});
export type ClosureApproval = z.infer<typeof ClosureApproval>;

export const CaseInfo = z.object({
  caseID: CaseID,
  caseNumber: z.string(),
  operationID: z.string(),
  officeID: z.string(),
  type: CaseType,
  subType: CaseSubType.optional(),
  stage: CaseStage,
  riskLevel: RiskLevel,
  assignedTo: z.string().optional(),
  dueFollowUp: IsoDate.optional(),
  individualIDs: z.array(z.string()),
  householdID: z.string().optional(),
  summary: z.string().optional(),
  restricted: z.boolean(),
  closureApproval: ClosureApproval.optional(),
  closedReason: z.string().optional(),
  reopenedReason: z.string().optional(),
  fields: ConfiguredValues.optional(),
  /** Configured fields withheld from the reader (`fields.<key>`). */
  redacted: z.array(z.string()).optional(),
  createdBy: z.string(),
  ...RecordMeta,
});
export type CaseInfo = z.infer<typeof CaseInfo>;

export const CaseTransition = z.object({
  to: CaseStage,
  reason: z.string().min(3).max(1000).optional(),
  version: z.number().int().min(1),
});
export type CaseTransition = z.infer<typeof CaseTransition>;

export const ClosureRequest = z.object({
  reason: z.string().min(3).max(1000),
  version: z.number().int().min(1),
});
export const ClosureDecision = z.object({
  approve: z.boolean(),
  comment: z.string().max(1000).optional(),
  version: z.number().int().min(1),
});

export const CaseListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().optional(),
  officeID: z.string().optional(),
  stage: CaseStage.optional(),
  type: CaseType.optional(),
  riskLevel: RiskLevel.optional(),
  assignedTo: z.string().optional(),
  householdID: z.string().optional(),
  /** The cases a person is on (through the case membership index; other filters apply on top). */
  individualID: z.string().optional(),
  updatedSince: IsoDateTime.optional(),
});
export type CaseListQuery = z.input<typeof CaseListQuery>;

/* ---------- Assessments ---------- */

export const AssessmentKinds = [
  "vulnerability",
  "socio_economic",
  "bia",
  "bid",
  "avr_vulnerability",
] as const;
export const AssessmentKind = z.enum(AssessmentKinds);
export type AssessmentKind = z.infer<typeof AssessmentKind>;
export const AssessmentKindLabels: Record<AssessmentKind, Labels> = {
  vulnerability: label("Vulnerability", "Vulnerabilidad", "Vulnérabilité", "الهشاشة"),
  socio_economic: label("Socio-economic", "Socioeconómica", "Socio-économique", "اجتماعية واقتصادية"),
  bia: label(
    "Best Interests Assessment",
    "Evaluación del Interés Superior",
    "Évaluation de l'intérêt supérieur",
    "تقييم المصالح الفضلى",
  ),
  bid: label(
    "Best Interests Determination",
    "Determinación del Interés Superior",
    "Détermination de l'intérêt supérieur",
    "تحديد المصالح الفضلى",
  ),
  avr_vulnerability: label(
    "AVR vulnerability",
    "Vulnerabilidad RVA",
    "Vulnérabilité RVA",
    "هشاشة العودة الطوعية",
  ),
};
/** Reviewers (other than the author) whose approval a kind needs before it counts. A BID is a panel decision. */
export const AssessmentApprovalsNeeded: Record<AssessmentKind, number> = {
  vulnerability: 0,
  socio_economic: 0,
  avr_vulnerability: 1,
  bia: 1,
  bid: 2,
};

export const AssessmentStatuses = ["draft", "submitted", "approved", "rejected"] as const;
export const AssessmentStatus = z.enum(AssessmentStatuses);
export type AssessmentStatus = z.infer<typeof AssessmentStatus>;
export const AssessmentStatusLabels: Record<AssessmentStatus, Labels> = {
  draft: label("Draft", "Borrador", "Brouillon", "مسودة"),
  submitted: label("Submitted", "Enviada", "Soumise", "مقدمة"),
  approved: label("Approved", "Aprobada", "Approuvée", "معتمدة"),
  rejected: label("Rejected", "Rechazada", "Rejetée", "مرفوضة"),
};

export const AssessmentAnswer = z.object({
  questionID: z.string().min(1).max(100),
  /** A many-of question's answer is the list of chosen option values. */
  answer: z.union([z.string().max(2000), z.number(), z.boolean(), z.array(z.string().max(100)).max(50)]),
  score: z.number().int().min(0).max(100).default(0),
});
/**
 * A reviewer's decision: `approve` counts towards the approvals the kind needs; `reject` ends the assessment
 * (the author starts a new one); `return` sends it back to the author as a draft for revision, and the next
 * submission starts a new review round in which earlier approvals no longer count.
 */
export const AssessmentDecisions = ["approve", "reject", "return"] as const;
export const AssessmentReview = z.object({
  reviewerID: z.string(),
  decision: z.enum(AssessmentDecisions),
  comment: z.string().optional(),
  time: IsoDateTime,
  /** Submission round the review belongs to (1 for the first submission). */
  round: z.number().int().optional(),
});

export const AssessmentCreate = z.object({
  caseID: CaseID,
  kind: AssessmentKind,
  individualID: IndividualID.optional(),
  answers: z.array(AssessmentAnswer).max(300).default([]),
  summary: z.string().max(4000).optional(),
  /**
   * The version of the kind's questionnaire the form showed (a published one); the current version when left out.
   * Core validates and scores the answers by it and the assessment keeps it.
   */
  questionnaireVersion: z.number().int().min(1).optional(),
  /** Values of the operation's configured fields (docs/fields.md); checked per key by core. */
  fields: ConfiguredValues.optional(),
});
export const AssessmentChanges = z
  .object({
    individualID: IndividualID.nullable(),
    answers: z.array(AssessmentAnswer).max(300),
    summary: z.string().max(4000).nullable(),
    /** Configured values to change, merged per key (`null` clears one). */
    fields: ConfiguredValues,
  })
  .partial()
  .strict();
export type AssessmentChanges = z.infer<typeof AssessmentChanges>;
export const AssessmentReviewInput = z
  .object({
    decision: z.enum(AssessmentDecisions),
    comment: z.string().max(2000).optional(),
    version: z.number().int().min(1),
  })
  .refine((r) => r.decision === "approve" || (r.comment ?? "").trim().length >= 3, {
    path: ["comment"],
    message: "Say why when rejecting or returning an assessment",
  });
export const AssessmentSubmitInput = z.object({ version: z.number().int().min(1) });
export const AssessmentListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().optional(),
  officeID: z.string().optional(),
  caseID: z.string().optional(),
  individualID: z.string().optional(),
  kind: AssessmentKind.optional(),
  status: AssessmentStatus.optional(),
  updatedSince: IsoDateTime.optional(),
});
export type AssessmentListQuery = z.input<typeof AssessmentListQuery>;
export const AssessmentInfo = z.object({
  assessmentID: z.string(),
  caseID: z.string(),
  operationID: z.string(),
  officeID: z.string(),
  kind: AssessmentKind,
  individualID: z.string().optional(),
  answers: z.array(AssessmentAnswer.extend({ score: z.number() })),
  score: z.number(),
  /** Vulnerability level from the documented scoring (vulnerability kinds only). */
  level: RiskLevel.optional(),
  /** The questionnaire and version the answers were given and scored with (kinds with a questionnaire). */
  questionnaireKey: z.string().optional(),
  questionnaireVersion: z.number().int().optional(),
  /** The questionnaire's score band (`critical`, `medium`…); `level` repeats it when it is a risk level. */
  band: z.string().optional(),
  summary: z.string().optional(),
  status: AssessmentStatus,
  reviews: z.array(AssessmentReview),
  /** Submission round (0 while never submitted); reviews of earlier rounds are history. */
  round: z.number().int().optional(),
  restricted: z.boolean(),
  /** Who changed the content besides the author (four eyes: none of them reviews it). */
  editors: z.array(z.string()).optional(),
  fields: ConfiguredValues.optional(),
  /** Configured fields withheld from the reader (`fields.<key>`). */
  redacted: z.array(z.string()).optional(),
  createdBy: z.string(),
  ...RecordMeta,
});
export type AssessmentInfo = z.infer<typeof AssessmentInfo>;

/* ---------- Notes and documents ---------- */

export const NoteKinds = ["general", "counselling", "follow_up", "home_visit", "phone_call"] as const;
export const NoteKindLabels: Record<(typeof NoteKinds)[number], Labels> = {
  general: label("General note", "Nota general", "Note générale", "ملاحظة عامة"),
  counselling: label("Counselling", "Consejería", "Conseil", "إرشاد"),
  follow_up: label("Follow-up", "Seguimiento", "Suivi", "متابعة"),
  home_visit: label("Home visit", "Visita domiciliaria", "Visite à domicile", "زيارة منزلية"),
  phone_call: label("Phone follow-up", "Seguimiento telefónico", "Suivi téléphonique", "متابعة هاتفية"),
};
export const NoteCreate = z.object({
  body: z.string().min(1).max(10000),
  kind: z.enum(NoteKinds).default("general"),
});
export const NoteChanges = z
  .object({
    body: z.string().min(1).max(10000),
    kind: z.enum(["general", "counselling", "follow_up", "home_visit", "phone_call"]),
  })
  .partial()
  .strict();
export const NotePatch = z.object({ version: z.number().int().min(1), changes: NoteChanges });
export const NoteInfo = z.object({
  noteID: z.string(),
  caseID: z.string(),
  operationID: z.string(),
  officeID: z.string(),
  kind: z.string(),
  body: z.string(),
  restricted: z.boolean(),
  createdBy: z.string(),
  ...RecordMeta,
});

export const CaseDocumentKinds = [
  "identity",
  "consent_form",
  "assessment_form",
  "medical",
  "legal",
  "photo",
  "other",
] as const;
export const CaseDocumentKindLabels: Record<(typeof CaseDocumentKinds)[number], Labels> = {
  identity: label("Identity document", "Documento de identidad", "Pièce d'identité", "وثيقة هوية"),
  consent_form: label(
    "Consent form",
    "Formulario de consentimiento",
    "Formulaire de consentement",
    "استمارة موافقة",
  ),
  assessment_form: label(
    "Assessment form",
    "Formulario de evaluación",
    "Formulaire d'évaluation",
    "استمارة تقييم",
  ),
  medical: label("Medical record", "Informe médico", "Dossier médical", "تقرير طبي"),
  legal: label("Legal document", "Documento legal", "Document juridique", "وثيقة قانونية"),
  photo: label("Photo", "Foto", "Photo", "صورة"),
  other: label("Other", "Otro", "Autre", "أخرى"),
};
/** Largest document accepted by upload (bytes). Larger files belong in the organisation's records system. */
export const CaseDocumentMaxBytes = 10 * 1024 * 1024;
export const CaseDocumentMeta = z.object({
  kind: z.enum(CaseDocumentKinds),
  title: z.string().min(1).max(300),
  fileName: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^\\/\u0000-\u001f]+$/, "must be a file name without path separators"),
  contentType: z
    .string()
    .max(100)
    .regex(/^[\w.+-]+\/[\w.+-]+$/, "must be a media type like application/pdf"),
  individualID: IndividualID.optional(),
});
/** JSON upload: the content as base64 (multipart/form-data with a `file` part is accepted too). */
export const CaseDocumentUpload = CaseDocumentMeta.extend({
  contentBase64: z
    .string()
    .min(1)
    .max(Math.ceil((CaseDocumentMaxBytes * 4) / 3) + 4),
});
/**
 * A document too large for a request body (on AWS a Lambda body stops at 6 MB) is sent straight to object
 * storage: ask for a link, PUT the file to it with the headers given, then complete the upload with the ticket.
 */
export const CaseDocumentUploadLinkRequest = z.object({
  fileName: CaseDocumentMeta.shape.fileName,
  contentType: CaseDocumentMeta.shape.contentType,
  size: z.number().int().min(1).max(CaseDocumentMaxBytes),
});
export const CaseDocumentUploadLink = z.object({
  documentID: z.string(),
  /** Hand it back to complete the upload (signed; names the case, the file and who asked). */
  ticket: z.string(),
  upload: PresignedUpload,
});
export const CaseDocumentUploadComplete = CaseDocumentMeta.omit({ fileName: true, contentType: true }).extend(
  {
    ticket: z.string().min(1).max(4000),
  },
);
export const CaseDocumentInfo = CaseDocumentMeta.extend({
  documentID: z.string(),
  caseID: z.string(),
  operationID: z.string(),
  officeID: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  /** Where the content lives in object storage (never a URL; downloads go through the permission check). */
  storageKey: z.string(),
  restricted: z.boolean(),
  createdBy: z.string(),
  ...RecordMeta,
});
export type CaseDocumentInfo = z.infer<typeof CaseDocumentInfo>;

/* ---------- Incidents (always restricted) ---------- */

export const IncidentKinds = [
  "sgbv",
  "trafficking",
  "child_abuse",
  "physical_violence",
  "kidnapping",
  "extortion",
  "arbitrary_detention",
  "refoulement_threat",
  "other",
] as const;
export const IncidentKind = z.enum(IncidentKinds);
export const IncidentKindLabels: Record<z.infer<typeof IncidentKind>, Labels> = {
  sgbv: label("SGBV", "VSG", "VSBG", "العنف الجنسي والقائم على النوع"),
  trafficking: label("Trafficking", "Trata", "Traite", "الاتجار بالبشر"),
  child_abuse: label("Child abuse", "Maltrato infantil", "Maltraitance d'enfant", "إساءة معاملة الأطفال"),
  physical_violence: label("Physical violence", "Violencia física", "Violence physique", "عنف جسدي"),
  kidnapping: label("Kidnapping", "Secuestro", "Enlèvement", "اختطاف"),
  extortion: label("Extortion", "Extorsión", "Extorsion", "ابتزاز"),
  arbitrary_detention: label(
    "Arbitrary detention",
    "Detención arbitraria",
    "Détention arbitraire",
    "احتجاز تعسفي",
  ),
  refoulement_threat: label(
    "Threat of refoulement",
    "Amenaza de devolución",
    "Menace de refoulement",
    "تهديد بالإعادة القسرية",
  ),
  other: label("Other", "Otro", "Autre", "أخرى"),
};
/** Who did it, as the protection cluster counts it (protection monitoring; never a name). */
export const PerpetratorTypes = [
  "family_member",
  "intimate_partner",
  "community_member",
  "armed_group",
  "police_military",
  "border_official",
  "smuggler_trafficker",
  "employer",
  "humanitarian_worker",
  "unknown",
  "other",
] as const;
export const PerpetratorType = z.enum(PerpetratorTypes);
export type PerpetratorType = z.infer<typeof PerpetratorType>;
export const PerpetratorTypeLabels: Record<PerpetratorType, Labels> = {
  family_member: label("Family member", "Familiar", "Membre de la famille", "أحد أفراد الأسرة"),
  intimate_partner: label("Intimate partner", "Pareja íntima", "Partenaire intime", "شريك حميم"),
  community_member: label(
    "Community member",
    "Miembro de la comunidad",
    "Membre de la communauté",
    "أحد أفراد المجتمع",
  ),
  armed_group: label("Armed group", "Grupo armado", "Groupe armé", "جماعة مسلحة"),
  police_military: label(
    "Police or military",
    "Policía o militares",
    "Police ou militaires",
    "الشرطة أو الجيش",
  ),
  border_official: label(
    "Border or migration official",
    "Funcionario de frontera o migración",
    "Agent des frontières ou de l'immigration",
    "موظف حدود أو هجرة",
  ),
  smuggler_trafficker: label(
    "Smuggler or trafficker",
    "Traficante o tratante",
    "Passeur ou trafiquant",
    "مهرّب أو متاجر بالبشر",
  ),
  employer: label("Employer", "Empleador", "Employeur", "صاحب عمل"),
  humanitarian_worker: label(
    "Humanitarian worker",
    "Trabajador humanitario",
    "Travailleur humanitaire",
    "عامل في المجال الإنساني",
  ),
  unknown: label("Unknown", "Desconocido", "Inconnu", "غير معروف"),
  other: label("Other", "Otro", "Autre", "أخرى"),
};
/** The survivor's sex and age group as counted by protection monitoring (filled from the first person linked). */
export const SurvivorSexes = ["female", "male", "other", "unknown"] as const;
export const SurvivorSex = z.enum(SurvivorSexes);
export const SurvivorAgeGroups = ["0-4", "5-11", "12-17", "18-59", "60+", "unknown"] as const;
export const SurvivorAgeGroup = z.enum(SurvivorAgeGroups);
export type SurvivorAgeGroup = z.infer<typeof SurvivorAgeGroup>;
export const SurvivorAgeGroupLabels: Record<SurvivorAgeGroup, Labels> = {
  "0-4": label("0–4 years", "0–4 años", "0–4 ans", "0–4 سنوات"),
  "5-11": label("5–11 years", "5–11 años", "5–11 ans", "5–11 سنة"),
  "12-17": label("12–17 years", "12–17 años", "12–17 ans", "12–17 سنة"),
  "18-59": label("18–59 years", "18–59 años", "18–59 ans", "18–59 سنة"),
  "60+": label("60 years and over", "60 años y más", "60 ans et plus", "60 سنة فأكثر"),
  unknown: label("Age unknown", "Edad desconocida", "Âge inconnu", "العمر غير معروف"),
};

export const IncidentCreate = z.object({
  officeID: OfficeID,
  kind: IncidentKind,
  dateOfIncident: PastDate,
  caseID: CaseID.optional(),
  individualIDs: z.array(IndividualID).max(50).default([]),
  adm1: z.string().max(20).optional(),
  adm2: z.string().max(20).optional(),
  description: z.string().min(1).max(10000),
  assignedTo: UserID.optional(),
  perpetratorType: PerpetratorType.optional(),
  survivorSex: SurvivorSex.optional(),
  survivorAgeGroup: SurvivorAgeGroup.optional(),
  /** Values of the operation's configured fields (docs/fields.md); checked per key by core. */
  fields: ConfiguredValues.optional(),
});
export const IncidentChanges = z
  .object({
    kind: IncidentKind,
    dateOfIncident: PastDate,
    caseID: CaseID.nullable(),
    individualIDs: z.array(IndividualID).max(50),
    adm1: z.string().max(20).nullable(),
    adm2: z.string().max(20).nullable(),
    description: z.string().min(1).max(10000),
    assignedTo: UserID.nullable(),
    perpetratorType: PerpetratorType.nullable(),
    survivorSex: SurvivorSex.nullable(),
    survivorAgeGroup: SurvivorAgeGroup.nullable(),
    /** Configured values to change, merged per key (`null` clears one). */
    fields: ConfiguredValues,
  })
  .partial()
  .strict();
export const IncidentInfo = z.object({
  incidentID: z.string(),
  operationID: z.string(),
  officeID: z.string(),
  kind: IncidentKind,
  dateOfIncident: IsoDate,
  caseID: z.string().optional(),
  individualIDs: z.array(z.string()),
  adm1: z.string().optional(),
  adm2: z.string().optional(),
  description: z.string(),
  assignedTo: z.string().optional(),
  perpetratorType: PerpetratorType.optional(),
  survivorSex: SurvivorSex.optional(),
  survivorAgeGroup: SurvivorAgeGroup.optional(),
  restricted: z.literal(true),
  fields: ConfiguredValues.optional(),
  /** Configured fields withheld from the reader (`fields.<key>`). */
  redacted: z.array(z.string()).optional(),
  createdBy: z.string(),
  ...RecordMeta,
});
export const IncidentListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().optional(),
  officeID: z.string().optional(),
  kind: IncidentKind.optional(),
  caseID: z.string().optional(),
  updatedSince: IsoDateTime.optional(),
});
