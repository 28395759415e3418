import { z } from "zod";
import { ConfiguredValues } from "./fields.ts";
import { AdminCode, IsoDate, PastDate, Phone, RecordMeta } from "./common.ts";
import { RefID } from "./cases.ts";
import { CurrencyCode, MinorUnits, Period } from "./payments.ts";
import { type Labels, label } from "./codes.ts";

const { case: CaseID, individual: IndividualID, office: OfficeID } = RefID;

export const HostKinds = ["family", "safe_shelter"] as const;
export const HostKind = z.enum(HostKinds);
export const HostKindLabels: Record<z.infer<typeof HostKind>, Labels> = {
  family: label("Host family", "Familia de acogida", "Famille d'accueil", "أسرة مضيفة"),
  safe_shelter: label("Safe shelter", "Albergue seguro", "Refuge sûr", "مأوى آمن"),
};
export const HostStatuses = ["active", "suspended", "ended"] as const;
export const HostStatus = z.enum(HostStatuses);
export const HostStatusLabels: Record<(typeof HostStatuses)[number], Labels> = {
  active: label("Active", "Activo", "Actif", "نشط"),
  suspended: label("Suspended", "Suspendido", "Suspendu", "موقوف"),
  ended: label("Ended", "Finalizado", "Terminé", "منتهٍ"),
};

export const HostComplianceLabels: Record<
  "not_assessed" | "compliant" | "partially_compliant" | "non_compliant",
  Labels
> = {
  not_assessed: label("Not assessed", "Sin evaluar", "Non évalué", "لم يُقيَّم"),
  compliant: label("Compliant", "Cumple", "Conforme", "ممتثل"),
  partially_compliant: label("Partly compliant", "Cumple en parte", "Partiellement conforme", "ممتثل جزئياً"),
  non_compliant: label("Not compliant", "No cumple", "Non conforme", "غير ممتثل"),
};

/** The code of conduct every host signs; compliance assessments check each item. */
export const CodeOfConduct = [
  "safe_accommodation",
  "no_payment_from_guests",
  "no_violence_or_exploitation",
  "no_child_labour",
  "privacy_and_confidentiality",
  "access_to_services",
  "freedom_of_movement",
  "reports_incidents",
] as const;
export const CodeOfConductItem = z.enum(CodeOfConduct);
export const CodeOfConductLabels: Record<(typeof CodeOfConduct)[number], Labels> = {
  safe_accommodation: label("Safe accommodation", "Alojamiento seguro", "Logement sûr", "سكن آمن"),
  no_payment_from_guests: label(
    "No payment asked of guests",
    "No se cobra a los huéspedes",
    "Aucun paiement demandé aux personnes accueillies",
    "عدم طلب أي مقابل من الضيوف",
  ),
  no_violence_or_exploitation: label(
    "No violence or exploitation",
    "Sin violencia ni explotación",
    "Ni violence ni exploitation",
    "لا عنف ولا استغلال",
  ),
  no_child_labour: label("No child labour", "Sin trabajo infantil", "Pas de travail des enfants", "لا عمالة للأطفال"),
  privacy_and_confidentiality: label(
    "Privacy and confidentiality",
    "Privacidad y confidencialidad",
    "Vie privée et confidentialité",
    "الخصوصية والسرية",
  ),
  access_to_services: label("Access to services", "Acceso a servicios", "Accès aux services", "الوصول إلى الخدمات"),
  freedom_of_movement: label("Freedom of movement", "Libertad de movimiento", "Liberté de circulation", "حرية التنقل"),
  reports_incidents: label(
    "Reports incidents",
    "Informa de los incidentes",
    "Signale les incidents",
    "يبلّغ عن الحوادث",
  ),
};

const HostFields = z.object({
  officeID: OfficeID,
  kind: HostKind,
  name: z.string().trim().min(1).max(140),
  capacity: z.number().int().min(1).max(500),
  adm1: AdminCode,
  adm2: AdminCode.optional(),
  address: z.string().max(300).optional(),
  phone: Phone.optional(),
  contractStart: IsoDate,
  contractEnd: IsoDate,
  /** The payments module's payee (kind host) that receives the allowance. */
  payeeID: z
    .string()
    .regex(/^pye_[0-9A-HJKMNP-TV-Z]{26}$/, "must be a payee id")
    .optional(),
  /** Days between monitoring visits. */
  visitEveryDays: z.number().int().min(7).max(180).default(30),
  /** The day the host signed the code of conduct: a day that has come. */
  codeOfConductSigned: PastDate.optional(),
  notes: z.string().max(2000).optional(),
  /** Values of the operation's configured fields (docs/fields.md); checked per key by core. */
  fields: ConfiguredValues.optional(),
});
const contractDates = <T extends z.ZodType<{ contractStart?: string; contractEnd?: string }>>(s: T) =>
  s.refine((h) => !h.contractStart || !h.contractEnd || h.contractEnd >= h.contractStart, {
    message: "the contract cannot end before it starts",
    path: ["contractEnd"],
  });
export const HostCreate = contractDates(HostFields);
export type HostCreate = z.input<typeof HostCreate>;
export const HostChanges = contractDates(
  HostFields.extend({
    adm2: AdminCode.nullable(),
    address: z.string().max(300).nullable(),
    phone: Phone.nullable(),
    payeeID: HostFields.shape.payeeID.unwrap().nullable(),
    // no default here: a change that does not mention the visit interval must not reset it
    visitEveryDays: HostFields.shape.visitEveryDays.unwrap(),
    status: HostStatus,
    notes: z.string().max(2000).nullable(),
    /** Configured values to change, merged per key (`null` clears one). */
    fields: ConfiguredValues,
  })
    .partial()
    .strict(),
);
export const HostInfo = HostFields.extend({
  hostID: z.string(),
  operationID: z.string(),
  status: HostStatus,
  /** People placed now; never above capacity (kept in the same transaction as each placement). */
  occupied: z.number().int(),
  complianceStatus: z.enum(["not_assessed", "compliant", "partially_compliant", "non_compliant"]),
  nextVisitDue: IsoDate.optional(),
  fields: ConfiguredValues.optional(),
  /** Configured fields withheld from the reader (`fields.<key>`). */
  redacted: z.array(z.string()).optional(),
  createdBy: z.string(),
  ...RecordMeta,
});
export type HostInfo = z.infer<typeof HostInfo>;
export const HostListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().optional(),
  officeID: z.string().optional(),
  status: HostStatus.optional(),
  kind: HostKind.optional(),
});

/** Hosts with room, nearest first: the same district (adm2), then the same region (adm1). */
export const HostAvailableQuery = z.object({
  adm1: AdminCode.optional(),
  adm2: AdminCode.optional(),
  officeID: z.string().optional(),
  kind: HostKind.optional(),
  /** Free places needed (a mother and her children placed together). */
  places: z.coerce.number().int().min(1).max(50).default(1),
});
export const HostAvailable = z.object({
  hostID: z.string(),
  name: z.string(),
  kind: HostKind,
  officeID: z.string(),
  adm1: z.string(),
  adm2: z.string().optional(),
  capacity: z.number().int(),
  occupied: z.number().int(),
  free: z.number().int(),
  complianceStatus: z.string(),
  contractEnd: IsoDate,
  /** 2: same district, 1: same region, 0: elsewhere in the office. */
  nearness: z.number().int(),
});
export type HostAvailable = z.infer<typeof HostAvailable>;

export const PlacementReasons = ["vot", "uasc", "sgbv_survivor", "alternative_to_detention", "other"] as const;
export const PlacementReasonLabels: Record<(typeof PlacementReasons)[number], Labels> = {
  vot: label("Victim of trafficking", "Víctima de trata", "Victime de traite", "ضحية اتجار بالبشر"),
  uasc: label(
    "Unaccompanied or separated child",
    "Niño no acompañado o separado",
    "Enfant non accompagné ou séparé",
    "طفل غير مصحوب أو منفصل عن ذويه",
  ),
  sgbv_survivor: label(
    "Survivor of violence",
    "Sobreviviente de violencia",
    "Survivant·e de violences",
    "ناجٍ من العنف",
  ),
  alternative_to_detention: label(
    "Alternative to detention",
    "Alternativa a la detención",
    "Alternative à la détention",
    "بديل عن الاحتجاز",
  ),
  other: label("Other", "Otro", "Autre", "أخرى"),
};
export const PlacementEndReasons = [
  "durable_solution",
  "moved",
  "absconded",
  "host_ended",
  "relocated",
  "other",
] as const;
export const PlacementEndReasonLabels: Record<(typeof PlacementEndReasons)[number], Labels> = {
  durable_solution: label("Durable solution", "Solución duradera", "Solution durable", "حل دائم"),
  moved: label("Moved elsewhere", "Se mudó", "Parti ailleurs", "انتقل إلى مكان آخر"),
  absconded: label("Left without notice", "Se fue sin avisar", "Parti sans prévenir", "غادر دون إبلاغ"),
  host_ended: label("Host ended the stay", "El anfitrión terminó la estancia", "L'hôte a mis fin au séjour", "أنهى المضيف الإقامة"),
  relocated: label("Relocated", "Reubicado", "Relocalisé", "أُعيد توطينه"),
  other: label("Other", "Otro", "Autre", "أخرى"),
};

export const PlacementCreate = z.object({
  hostID: z.string().min(1),
  individualID: IndividualID,
  caseID: CaseID.optional(),
  start: IsoDate,
  plannedEnd: IsoDate.optional(),
  reason: z.enum(PlacementReasons).default("other"),
});
export const PlacementEnd = z.object({
  /** The day the person left: a day that has come (a planned end is `plannedEnd`). */
  end: PastDate,
  endReason: z.enum(PlacementEndReasons),
  note: z.string().max(1000).optional(),
  version: z.number().int().min(1),
});
export const PlacementInfo = z.object({
  placementID: z.string(),
  operationID: z.string(),
  officeID: z.string(),
  hostID: z.string(),
  individualID: z.string(),
  caseID: z.string().optional(),
  start: IsoDate,
  plannedEnd: IsoDate.optional(),
  end: IsoDate.optional(),
  reason: z.string(),
  endReason: z.string().optional(),
  status: z.enum(["active", "ended"]),
  restricted: z.boolean(),
  createdBy: z.string(),
  ...RecordMeta,
});
export type PlacementInfo = z.infer<typeof PlacementInfo>;

export const VisitKinds = ["monitoring", "compliance"] as const;
export const VisitKindLabels: Record<(typeof VisitKinds)[number], Labels> = {
  monitoring: label("Monitoring visit", "Visita de seguimiento", "Visite de suivi", "زيارة متابعة"),
  compliance: label("Compliance check", "Control de cumplimiento", "Contrôle de conformité", "فحص الامتثال"),
};
export const VisitStatusLabels: Record<"scheduled" | "completed" | "missed" | "cancelled", Labels> = {
  scheduled: label("Scheduled", "Programada", "Prévue", "مجدولة"),
  completed: label("Done", "Realizada", "Effectuée", "منجزة"),
  missed: label("Missed", "No realizada", "Manquée", "فائتة"),
  cancelled: label("Cancelled", "Cancelada", "Annulée", "ملغاة"),
};
export const VisitSchedule = z.object({
  from: IsoDate,
  count: z.number().int().min(1).max(24),
  kind: z.enum(VisitKinds).default("monitoring"),
});
export const VisitComplete = z.object({
  /** The day the visit was done. */
  date: PastDate,
  findings: z.string().min(3).max(4000),
  /**
   * Compliance assessments: one result per code-of-conduct item. A monitoring visit may note the items it checked;
   * any item not met goes to the supervisor's queue.
   */
  checklist: z
    .array(z.object({ item: CodeOfConductItem, met: z.boolean(), note: z.string().max(500).optional() }))
    .max(CodeOfConduct.length)
    .optional(),
  followUpNeeded: z.boolean().default(false),
  version: z.number().int().min(1),
});
export const VisitInfo = z.object({
  visitID: z.string(),
  operationID: z.string(),
  officeID: z.string(),
  hostID: z.string(),
  kind: z.enum(VisitKinds),
  scheduledFor: IsoDate,
  status: z.enum(["scheduled", "completed", "missed", "cancelled"]),
  date: IsoDate.optional(),
  findings: z.string().optional(),
  checklist: z
    .array(z.object({ item: z.string(), met: z.boolean(), note: z.string().optional() }))
    .optional(),
  result: z.enum(["compliant", "partially_compliant", "non_compliant"]).optional(),
  /** The host-compliance questionnaire version the result was decided by. */
  questionnaireVersion: z.number().int().optional(),
  followUpNeeded: z.boolean().optional(),
  visitedBy: z.string().optional(),
  /** Set when a checked code-of-conduct item was not met: the supervisor reviews it (`reviewed` once done). */
  review: z.enum(["pending", "reviewed"]).optional(),
  reviewedBy: z.string().optional(),
  reviewNote: z.string().optional(),
  createdBy: z.string(),
  ...RecordMeta,
});
export type VisitInfo = z.infer<typeof VisitInfo>;
/** The supervisor's answer to a visit that found code-of-conduct items not met. */
export const VisitReview = z.object({
  note: z.string().trim().min(3).max(2000),
  version: z.number().int().min(1),
});
/** An office's visits between two days (the monitoring calendar); overdue ones are those scheduled before today. */
export const VisitCalendarQuery = z.object({
  officeID: z.string().optional(),
  from: IsoDate,
  to: IsoDate,
});
export const VisitCalendarItem = VisitInfo.extend({ hostName: z.string(), overdue: z.boolean() });

/** Files kept on a host (its contract, signed code of conduct) or a return (quote scans, receipts). */
export const ProgrammeFileKinds = ["contract", "code_of_conduct", "identity", "quote", "receipt", "other"] as const;
export const ProgrammeFileKindLabels: Record<(typeof ProgrammeFileKinds)[number], Labels> = {
  contract: label("Contract", "Contrato", "Contrat", "عقد"),
  code_of_conduct: label("Signed code of conduct", "Código de conducta firmado", "Code de conduite signé", "مدونة السلوك الموقعة"),
  identity: label("Identity document", "Documento de identidad", "Pièce d'identité", "وثيقة هوية"),
  quote: label("Supplier quote (scan)", "Cotización del proveedor (escaneo)", "Devis du fournisseur (scan)", "عرض سعر المورد (نسخة ممسوحة)"),
  receipt: label("Receipt", "Recibo", "Reçu", "إيصال"),
  other: label("Other", "Otro", "Autre", "أخرى"),
};
export const ProgrammeFileMaxBytes = 10 * 1024 * 1024;
export const ProgrammeFileUploadRequest = z.object({
  fileName: z.string().trim().min(1).max(200),
  contentType: z.string().min(3).max(100),
});
export const ProgrammeFileComplete = z.object({
  ticket: z.string().min(10),
  kind: z.enum(ProgrammeFileKinds),
  title: z.string().trim().min(1).max(200),
});
export const ProgrammeFileInfo = z.object({
  fileID: z.string(),
  operationID: z.string(),
  officeID: z.string(),
  ownerType: z.enum(["host", "return"]),
  ownerID: z.string(),
  kind: z.enum(ProgrammeFileKinds),
  title: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  createdBy: z.string(),
  ...RecordMeta,
});
export type ProgrammeFileInfo = z.infer<typeof ProgrammeFileInfo>;

/**
 * Monthly allowance: `amount` per hosted person per day, or per month prorated by the days each placement was
 * active in the month. One payment per host and month, however often it is run.
 */
export const AllowanceRun = z.object({
  period: Period,
  currency: CurrencyCode,
  amount: MinorUnits,
  per: z.enum(["day", "month"]),
  officeID: z.string().optional(),
  status: z.enum(["draft", "approved"]).default("draft"),
});
export type AllowanceRun = z.input<typeof AllowanceRun>;
