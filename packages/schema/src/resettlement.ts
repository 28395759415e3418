import { z } from "zod";
import { CountryCode, IsoDate, IsoDateTime, LanguageCode, PastDate, RecordMeta } from "./common.ts";
import { RefID } from "./cases.ts";
import { type Labels, label } from "./codes.ts";

export const ResettlementProgrammes = ["rst", "pta", "pathway"] as const;
export const ResettlementProgramme = z.enum(ResettlementProgrammes);
export type ResettlementProgramme = z.infer<typeof ResettlementProgramme>;
export const ResettlementProgrammeLabels: Record<ResettlementProgramme, Labels> = {
  rst: label("Resettlement", "Reasentamiento", "Réinstallation", "إعادة التوطين"),
  pta: label(
    "Protection Transfer Arrangement",
    "Mecanismo de Protección en Tránsito",
    "Mécanisme de transfert de protection",
    "ترتيب نقل الحماية",
  ),
  pathway: label("Complementary pathway", "Vía complementaria", "Voie complémentaire", "مسار تكميلي"),
};

/**
 * Submission categories: the resettlement criteria of the UNHCR Resettlement Handbook, as the Resettlement
 * Registration Form records them. A submission has a primary category and may have a secondary one (the "two
 * submission categories" of the RRF).
 */
export const SubmissionCategories = ["LPN", "SVT", "MED", "WAR", "FAM", "CHR", "LAI"] as const;
export const SubmissionCategory = z.enum(SubmissionCategories);
export type SubmissionCategory = z.infer<typeof SubmissionCategory>;
export const SubmissionCategoryLabels: Record<SubmissionCategory, Labels> = {
  LPN: label(
    "Legal and/or physical protection needs",
    "Necesidades de protección legal y/o física",
    "Besoins de protection juridique et/ou physique",
    "احتياجات الحماية القانونية و/أو الجسدية",
  ),
  SVT: label(
    "Survivors of violence and/or torture",
    "Sobrevivientes de violencia y/o tortura",
    "Survivants de violence et/ou de torture",
    "الناجون من العنف و/أو التعذيب",
  ),
  MED: label("Medical needs", "Necesidades médicas", "Besoins médicaux", "احتياجات طبية"),
  WAR: label(
    "Women and girls at risk",
    "Mujeres y niñas en riesgo",
    "Femmes et filles à risque",
    "نساء وفتيات معرضات للخطر",
  ),
  FAM: label("Family reunification", "Reunificación familiar", "Regroupement familial", "لم شمل الأسرة"),
  CHR: label(
    "Children and adolescents at risk",
    "Niñez y adolescencia en riesgo",
    "Enfants et adolescents à risque",
    "أطفال ومراهقون معرضون للخطر",
  ),
  LAI: label(
    "Lack of foreseeable alternative durable solutions",
    "Falta de soluciones duraderas alternativas",
    "Absence de solutions durables alternatives",
    "انعدام الحلول الدائمة البديلة",
  ),
};

export const SubmissionPriorities = ["normal", "urgent", "emergency"] as const;
export const SubmissionPriority = z.enum(SubmissionPriorities);
export const SubmissionPriorityLabels: Record<z.infer<typeof SubmissionPriority>, Labels> = {
  normal: label("Normal", "Normal", "Normale", "عادية"),
  urgent: label("Urgent", "Urgente", "Urgente", "عاجلة"),
  emergency: label("Emergency", "Emergencia", "Urgence", "طارئة"),
};

export const SubmissionStatuses = [
  "identified",
  "interviewed",
  "drafted",
  "returned",
  "recommended",
  "submitted",
  "accepted",
  "rejected",
  "deferred",
  "departure_arranged",
  "departed",
  "withdrawn",
] as const;
export const SubmissionStatus = z.enum(SubmissionStatuses);
export type SubmissionStatus = z.infer<typeof SubmissionStatus>;
export const SubmissionStatusLabels: Record<SubmissionStatus, Labels> = {
  identified: label("Identified", "Identificado", "Identifié", "محدد"),
  interviewed: label("Interviewed", "Entrevistado", "Interviewé", "تمت المقابلة"),
  drafted: label("Drafted", "Redactado", "Rédigé", "مسودة"),
  returned: label(
    "Returned for revision",
    "Devuelto para revisión",
    "Renvoyé pour révision",
    "أعيد للمراجعة",
  ),
  recommended: label("Recommended", "Recomendado", "Recommandé", "موصى به"),
  submitted: label("Submitted", "Presentado", "Soumis", "مقدم"),
  accepted: label("Accepted", "Aceptado", "Accepté", "مقبول"),
  rejected: label("Rejected", "Rechazado", "Rejeté", "مرفوض"),
  deferred: label("Deferred", "Diferido", "Différé", "مؤجل"),
  departure_arranged: label(
    "Departure arranged",
    "Salida organizada",
    "Départ organisé",
    "تم ترتيب المغادرة",
  ),
  departed: label("Departed", "Partió", "Parti", "غادر"),
  withdrawn: label("Withdrawn", "Retirado", "Retiré", "مسحوب"),
};

/**
 * The lifecycle. Review is its own action (`recommend` or `return`, never by the drafter); a deferral is not a
 * denial: the country decides later, so a deferred submission can still be accepted or rejected, or resubmitted.
 */
export const SubmissionTransitions: Record<SubmissionStatus, readonly SubmissionStatus[]> = {
  identified: ["interviewed", "withdrawn"],
  interviewed: ["drafted", "withdrawn"],
  drafted: ["withdrawn"],
  returned: ["drafted", "withdrawn"],
  recommended: ["submitted", "drafted", "withdrawn"],
  submitted: ["accepted", "rejected", "deferred", "withdrawn"],
  deferred: ["accepted", "rejected", "submitted", "withdrawn"],
  accepted: ["departure_arranged", "withdrawn"],
  departure_arranged: ["departed", "accepted", "withdrawn"],
  rejected: [],
  departed: [],
  withdrawn: [],
};

export const FlagKinds = ["biodata_changed", "duplicate_candidate", "family_composition_changed"] as const;
export const FlagKind = z.enum(FlagKinds);
export const FlagOutcomes = ["cleared", "corrected", "fraud_confirmed"] as const;
export const IntegrityFlag = z.object({
  flagID: z.string(),
  kind: FlagKind,
  individualID: z.string().optional(),
  /** Which fields changed, or which record is the candidate; never names. */
  detail: z.string(),
  /** The biodata fields that changed (biodata flags), for screens to name them in words. */
  fields: z.array(z.string()).optional(),
  /** The duplicate candidate (duplicate flags). */
  candidateID: z.string().optional(),
  /** People added to and removed from the case since submission (family flags). */
  added: z.array(z.string()).optional(),
  removed: z.array(z.string()).optional(),
  raisedAt: IsoDateTime,
  status: z.enum(["open", "resolved"]),
  resolution: z
    .object({
      outcome: z.enum(FlagOutcomes),
      note: z.string(),
      by: z.string(),
      at: IsoDateTime,
    })
    .optional(),
});
export type IntegrityFlag = z.infer<typeof IntegrityFlag>;

/**
 * The narrative sections of a submission, as the Resettlement Registration Form lays them out. Written while the
 * submission is prepared; fixed once it is reviewed (the reviewer judged this text).
 */
export const SubmissionSectionKeys = [
  "protectionNeeds",
  "flightHistory",
  "familyComposition",
  "medicalNeeds",
  "resettlementNeed",
] as const;
export type SubmissionSectionKey = (typeof SubmissionSectionKeys)[number];
export const SubmissionSectionLabels: Record<SubmissionSectionKey, Labels> = {
  protectionNeeds: label(
    "Protection needs and claim",
    "Necesidades de protección y solicitud",
    "Besoins de protection et demande",
    "احتياجات الحماية والطلب",
  ),
  flightHistory: label(
    "Flight and displacement history",
    "Historia de huida y desplazamiento",
    "Historique de fuite et de déplacement",
    "تاريخ الفرار والنزوح",
  ),
  familyComposition: label(
    "Family composition and links",
    "Composición y vínculos familiares",
    "Composition et liens familiaux",
    "تكوين الأسرة وروابطها",
  ),
  medicalNeeds: label("Medical needs", "Necesidades médicas", "Besoins médicaux", "الاحتياجات الطبية"),
  resettlementNeed: label(
    "Need for resettlement",
    "Necesidad de reasentamiento",
    "Besoin de réinstallation",
    "الحاجة إلى إعادة التوطين",
  ),
};
const SectionText = z.string().max(8000);
export const SubmissionSections = z
  .object(
    Object.fromEntries(SubmissionSectionKeys.map((k) => [k, SectionText])) as Record<
      SubmissionSectionKey,
      typeof SectionText
    >,
  )
  .partial()
  .strict();
export type SubmissionSections = z.infer<typeof SubmissionSections>;

/** A note of a resettlement interview: when it was held (never in the future), with whom, what was said. */
export const InterviewNote = z.object({
  noteID: z.string(),
  date: IsoDate,
  language: z.string().optional(),
  text: z.string(),
  by: z.string(),
  at: IsoDateTime,
});
export type InterviewNote = z.infer<typeof InterviewNote>;
export const InterviewNoteInput = z.object({
  date: PastDate,
  /** The language the interview was held in (ISO 639-3), when interpreted. */
  language: LanguageCode.optional(),
  text: z.string().trim().min(3).max(8000),
  version: z.number().int().min(1),
});

const { case: CaseID, individual: IndividualID, office: OfficeID, user: UserID } = RefID;

export const SubmissionCreate = z.object({
  caseID: CaseID,
  officeID: OfficeID.optional(),
  programme: ResettlementProgramme,
  country: CountryCode,
  quotaYear: z.number().int().min(2000).max(2100),
  primaryCategory: SubmissionCategory,
  secondaryCategory: SubmissionCategory.optional(),
  priority: SubmissionPriority.default("normal"),
  /** People on the submission; defaults to every member of the case. */
  individualIDs: z.array(IndividualID).max(30).optional(),
  /** The transit country of a PTA (e.g. CRI). */
  transitCountry: CountryCode.optional(),
  assignedTo: UserID.optional(),
  notes: z.string().max(4000).optional(),
});
export type SubmissionCreate = z.input<typeof SubmissionCreate>;

export const SubmissionChanges = z
  .object({
    country: CountryCode,
    quotaYear: z.number().int().min(2000).max(2100),
    primaryCategory: SubmissionCategory,
    secondaryCategory: SubmissionCategory.nullable(),
    priority: SubmissionPriority,
    programme: ResettlementProgramme,
    transitCountry: CountryCode.nullable(),
    assignedTo: UserID.nullable(),
    departureDate: IsoDate.nullable(),
    notes: z.string().max(4000).nullable(),
    /** Sections to write (each replaces that section's text; an empty text clears it). */
    sections: SubmissionSections,
  })
  .partial()
  .strict();
export type SubmissionChanges = z.infer<typeof SubmissionChanges>;

export const SubmissionInfo = z.object({
  submissionID: z.string(),
  operationID: z.string(),
  officeID: z.string(),
  caseID: z.string(),
  programme: ResettlementProgramme,
  country: CountryCode,
  quotaYear: z.number(),
  primaryCategory: SubmissionCategory,
  secondaryCategory: SubmissionCategory.optional(),
  priority: SubmissionPriority,
  status: SubmissionStatus,
  individualIDs: z.array(z.string()),
  individualCount: z.number(),
  transitCountry: z.string().optional(),
  assignedTo: z.string().optional(),
  draftedBy: z.string().optional(),
  /** Who drafted or changed the submission (four eyes: none of them reviews it or resolves its flags). */
  editors: z.array(z.string()).optional(),
  reviewedBy: z.string().optional(),
  reviewComment: z.string().optional(),
  submittedAt: IsoDateTime.optional(),
  decidedAt: IsoDateTime.optional(),
  decisionReason: z.string().optional(),
  departureDate: IsoDate.optional(),
  departedAt: IsoDateTime.optional(),
  /** Biodata of each person and the member list, frozen when the submission left for the country. */
  snapshot: z.unknown().optional(),
  flags: z.array(IntegrityFlag),
  openFlags: z.number(),
  notes: z.string().optional(),
  sections: SubmissionSections.optional(),
  interviewNotes: z.array(InterviewNote).optional(),
  restricted: z.boolean(),
  createdBy: z.string(),
  ...RecordMeta,
});
export type SubmissionInfo = z.infer<typeof SubmissionInfo>;

export const SubmissionListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().optional(),
  officeID: z.string().optional(),
  status: SubmissionStatus.optional(),
  programme: ResettlementProgramme.optional(),
  country: CountryCode.optional(),
  caseID: z.string().optional(),
  updatedSince: IsoDateTime.optional(),
});

export const SubmissionTransitionInput = z.object({
  to: SubmissionStatus,
  reason: z.string().min(3).max(1000).optional(),
  departureDate: IsoDate.optional(),
  version: z.number().int().min(1),
});
export const SubmissionReviewInput = z.object({
  decision: z.enum(["recommend", "return"]),
  comment: z.string().min(3).max(2000),
  version: z.number().int().min(1),
});
export const FlagResolutionInput = z.object({
  outcome: z.enum(FlagOutcomes),
  note: z.string().min(5).max(2000),
  version: z.number().int().min(1),
});

export const QuotaCreate = z.object({
  year: z.number().int().min(2000).max(2100),
  country: CountryCode,
  programme: ResettlementProgramme,
  /** Individuals the country agreed to receive (the quota) and the operation's own submission target. */
  quotaIndividuals: z.number().int().min(0).max(1_000_000),
  targetIndividuals: z.number().int().min(0).max(1_000_000).optional(),
  targetCases: z.number().int().min(0).max(1_000_000).optional(),
  notes: z.string().max(1000).optional(),
});
export const QuotaInfo = QuotaCreate.extend({
  quotaID: z.string(),
  operationID: z.string(),
  ...RecordMeta,
});
export type QuotaInfo = z.infer<typeof QuotaInfo>;

const Counts = z.object({ cases: z.number(), individuals: z.number() });
export const QuotaProgressRow = z.object({
  year: z.number(),
  country: z.string(),
  programme: ResettlementProgramme,
  quotaIndividuals: z.number().optional(),
  targetIndividuals: z.number().optional(),
  targetCases: z.number().optional(),
  pipeline: Counts,
  submitted: Counts,
  accepted: Counts,
  rejected: Counts,
  deferred: Counts,
  departed: Counts,
  /** Departed individuals as a share of the quota (0–1), when a quota is set. */
  quotaUsed: z.number().optional(),
});
export type QuotaProgressRow = z.infer<typeof QuotaProgressRow>;
export const QuotaProgressQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100),
  programme: ResettlementProgramme.optional(),
});

/** What the submission page needs beside the submission: staff by name (drafter, reviewer, resolvers…). */
export const SubmissionDesk = z.object({
  staff: z.record(z.string(), z.string()).describe("Staff user ID → name, for the people who acted on it"),
  caseNumber: z.string().optional(),
  missions: z.array(
    z.object({ missionID: z.string(), location: z.string(), startDate: z.string(), endDate: z.string() }),
  ),
});
export type SubmissionDesk = z.infer<typeof SubmissionDesk>;

/* ---------- Selection missions ---------- */

/** A member of a resettlement country's delegation (officials, interviewers, medical staff). */
export const DelegationMember = z.object({
  name: z.string().trim().min(2).max(120),
  role: z.string().trim().max(120).optional(),
});
export type DelegationMember = z.infer<typeof DelegationMember>;

const MissionFields = {
  country: CountryCode,
  programme: ResettlementProgramme,
  location: z.string().trim().min(2).max(200),
  startDate: IsoDate,
  endDate: IsoDate,
  delegation: z.array(DelegationMember).max(30),
  /** The submissions (cases) the delegation interviews: submissions to the mission's country. */
  submissionIDs: z.array(z.string().min(1)).max(300),
  notes: z.string().max(4000),
};

/**
 * A resettlement country's selection mission: when and where its delegation comes, who is in it, and which cases
 * it interviews. The interview schedule is the missions' appointments (booked per submission, room and
 * interpreter checked), so it never disagrees with the office's calendar.
 */
export const MissionCreate = z.object({
  officeID: RefID.office.optional(),
  country: MissionFields.country,
  programme: MissionFields.programme.default("rst"),
  location: MissionFields.location,
  startDate: MissionFields.startDate,
  endDate: MissionFields.endDate,
  delegation: MissionFields.delegation.default([]),
  submissionIDs: MissionFields.submissionIDs.default([]),
  notes: MissionFields.notes.optional(),
});
export type MissionCreate = z.input<typeof MissionCreate>;
export const MissionChanges = z
  .object({
    location: MissionFields.location,
    startDate: MissionFields.startDate,
    endDate: MissionFields.endDate,
    delegation: MissionFields.delegation,
    submissionIDs: MissionFields.submissionIDs,
    notes: MissionFields.notes.nullable(),
  })
  .partial()
  .strict();
export const MissionPatch = z.object({ version: z.number().int().min(1), changes: MissionChanges });
export const MissionInfo = z.object({
  missionID: z.string(),
  operationID: z.string(),
  officeID: z.string(),
  country: z.string(),
  programme: ResettlementProgramme,
  location: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  delegation: z.array(DelegationMember),
  submissionIDs: z.array(z.string()),
  notes: z.string().optional(),
  createdBy: z.string(),
  ...RecordMeta,
});
export type MissionInfo = z.infer<typeof MissionInfo>;
export const MissionListQuery = z.object({
  officeID: z.string().optional(),
  country: CountryCode.optional(),
});
/** A line of a mission's interview schedule: the submission's case and people, the booked slot. */
export const MissionInterview = z.object({
  appointmentID: z.string(),
  submissionID: z.string(),
  caseID: z.string().optional(),
  caseNumber: z.string().optional(),
  people: z.array(z.object({ individualID: z.string(), name: z.string() })),
  start: z.string(),
  end: z.string(),
  room: z.string(),
  interpreterLanguage: z.string().optional(),
  status: z.string(),
});
export type MissionInterview = z.infer<typeof MissionInterview>;
/** One interview of the mission, booked for a submission on it, within the mission's dates. */
export const MissionInterviewInput = z.object({
  submissionID: z.string().min(1),
  room: z.string().trim().min(1).max(50),
  start: IsoDateTime,
  end: IsoDateTime,
  interpreterLanguage: LanguageCode.optional(),
  interpreterID: RefID.user.optional(),
});

/* ---------- Best Interests Procedure (BIA/BID per child) ---------- */

export const BipReview = z.object({
  reviewerID: z.string(),
  reviewerName: z.string().optional(),
  decision: z.string(),
  comment: z.string().optional(),
  time: z.string(),
});
/** A BIA or BID as its screen shows it: the child, the case, every review round with the panel by name. */
export const BipAssessment = z.object({
  assessmentID: z.string(),
  kind: z.enum(["bia", "bid"]),
  status: z.string(),
  round: z.number().int(),
  summary: z.string().optional(),
  caseID: z.string(),
  caseNumber: z.string().optional(),
  officeID: z.string(),
  individualID: z.string().optional(),
  childName: z.string().optional(),
  createdBy: z.string(),
  authorName: z.string().optional(),
  approvals: z.number().int().describe("Distinct approvals in the current round"),
  needed: z.number().int(),
  rounds: z.array(z.object({ round: z.number().int(), reviews: z.array(BipReview) })),
  submissions: z.array(
    z.object({
      submissionID: z.string(),
      programme: ResettlementProgramme,
      country: z.string(),
      status: SubmissionStatus,
    }),
  ),
  timeCreated: z.string(),
  timeUpdated: z.string(),
  version: z.number().int(),
});
export type BipAssessment = z.infer<typeof BipAssessment>;
export const BipListQuery = z.object({
  officeID: z.string().optional(),
  caseID: z.string().optional(),
});
