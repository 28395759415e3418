import { z } from "zod";
import { ConfiguredValues } from "./fields.ts";
import { AdminCode, CountryCode, IsoDate, IsoDateTime, PastDate, RecordMeta } from "./common.ts";
import { RefID } from "./cases.ts";
import { CurrencyCode, MinorUnits, Period } from "./payments.ts";
import { type Labels, label } from "./codes.ts";

const { case: CaseID, individual: IndividualID, office: OfficeID } = RefID;

export const ReturnStatuses = [
  "registered",
  "assessed",
  "approved",
  "returned",
  "monitoring",
  "closed",
  "cancelled",
] as const;
export const ReturnStatus = z.enum(ReturnStatuses);
export type ReturnStatus = z.infer<typeof ReturnStatus>;
export const ReturnStatusLabels: Record<ReturnStatus, Labels> = {
  registered: label("Registered", "Registrado", "Enregistré", "مسجل"),
  assessed: label("Assessed", "Evaluado", "Évalué", "تم التقييم"),
  approved: label("Approved", "Aprobado", "Approuvé", "موافق عليه"),
  returned: label("Returned", "Retornado", "Rentré", "عاد"),
  monitoring: label("Monitoring", "En seguimiento", "En suivi", "قيد المتابعة"),
  closed: label("Closed", "Cerrado", "Clôturé", "مغلق"),
  cancelled: label("Cancelled", "Cancelado", "Annulé", "ملغى"),
};
export const ReturnTransitions: Record<ReturnStatus, readonly ReturnStatus[]> = {
  registered: ["assessed", "cancelled"],
  assessed: ["approved", "cancelled"],
  approved: ["returned", "cancelled"],
  returned: ["monitoring", "closed"],
  monitoring: ["closed"],
  closed: [],
  cancelled: [],
};

/** Vulnerability factors for return counselling (IOM AVRR practice); each weighs on the score. */
export const ReturnVulnerabilityFactors = {
  unaccompanied_child: 30,
  victim_of_trafficking: 30,
  serious_medical_condition: 25,
  disability: 20,
  single_parent: 15,
  older_person: 15,
  mental_health_needs: 20,
  no_support_network: 15,
  sgbv_survivor: 25,
  pregnant: 10,
} as const;
export const ReturnVulnerabilityFactorLabels: Record<keyof typeof ReturnVulnerabilityFactors, Labels> = {
  unaccompanied_child: label("Unaccompanied child", "Niño no acompañado", "Enfant non accompagné", "طفل غير مصحوب"),
  victim_of_trafficking: label("Victim of trafficking", "Víctima de trata", "Victime de traite", "ضحية اتجار بالبشر"),
  serious_medical_condition: label(
    "Serious medical condition",
    "Condición médica grave",
    "Problème de santé grave",
    "حالة طبية خطيرة",
  ),
  disability: label("Disability", "Discapacidad", "Handicap", "إعاقة"),
  single_parent: label("Single parent", "Madre o padre solo", "Parent isolé", "والد وحيد"),
  older_person: label("Older person", "Persona mayor", "Personne âgée", "شخص مسن"),
  mental_health_needs: label("Mental health needs", "Necesidades de salud mental", "Besoins en santé mentale", "احتياجات الصحة النفسية"),
  no_support_network: label("No support network", "Sin red de apoyo", "Aucun réseau de soutien", "لا شبكة دعم"),
  sgbv_survivor: label("Survivor of gender-based violence", "Sobreviviente de violencia de género", "Survivant·e de violences basées sur le genre", "ناجٍ من العنف القائم على النوع الاجتماعي"),
  pregnant: label("Pregnant", "Embarazada", "Enceinte", "حامل"),
};
export const VulnerabilityLevelLabels: Record<"low" | "medium" | "high", Labels> = {
  low: label("Low", "Baja", "Faible", "منخفضة"),
  medium: label("Medium", "Media", "Moyenne", "متوسطة"),
  high: label("High", "Alta", "Élevée", "عالية"),
};
/** Statuses of a return that is still going on: one person is in at most one of these. */
export const LiveReturnStatuses: readonly ReturnStatus[] = ["registered", "assessed", "approved", "returned", "monitoring"];
export const ReturnVulnerabilityFactor = z.enum(
  Object.keys(ReturnVulnerabilityFactors) as [keyof typeof ReturnVulnerabilityFactors],
);
export const VulnerabilityInput = z.object({
  // Each factor counts once: a factor listed twice would weigh twice.
  // the yes/no questions of the operation's return-vulnerability questionnaire (built in: ReturnVulnerabilityFactors),
  // checked by core against the version in use
  factors: z
    .array(z.string().min(1).max(40))
    .max(40)
    .superRefine((fs, ctx) =>
      fs.forEach((f, i) => {
        if (fs.indexOf(f) !== i) ctx.addIssue({ code: "custom", path: [i], message: "Factor listed twice" });
      }),
    ),
  note: z.string().max(2000).optional(),
  version: z.number().int().min(1),
});

export const ReturnCreate = z.object({
  officeID: OfficeID,
  caseID: CaseID.optional(),
  individualIDs: z.array(IndividualID).min(1).max(30),
  countryOfReturn: CountryCode,
  destinationAdm1: z.string().max(20).optional(),
  plannedReturnDate: IsoDate.optional(),
  notes: z.string().max(2000).optional(),
  /** Values of the operation's configured fields (docs/fields.md); checked per key by core. */
  fields: ConfiguredValues.optional(),
});
export const ReturnChanges = z
  .object({
    countryOfReturn: CountryCode,
    destinationAdm1: z.string().max(20).nullable(),
    plannedReturnDate: IsoDate.nullable(),
    departedOn: PastDate.nullable(),
    arrivedOn: PastDate.nullable(),
    notes: z.string().max(2000).nullable(),
    /** Configured values to change, merged per key (`null` clears one). */
    fields: ConfiguredValues,
  })
  .partial()
  .strict();
export const MonitoringVisit = z.object({
  /** The day the visit was done. */
  date: PastDate,
  /** Months after arrival this visit covers (3, 6, 12 in most programmes). */
  milestone: z.number().int().min(0).max(36),
  findings: z.string().min(3).max(4000),
  /** Reintegration sustainability score 0–1 (IOM's economic, social and psychosocial dimensions averaged). */
  sustainability: z.number().min(0).max(1).optional(),
});
export const ReturnInfo = z.object({
  returnID: z.string(),
  operationID: z.string(),
  officeID: z.string(),
  caseID: z.string().optional(),
  individualIDs: z.array(z.string()),
  countryOfReturn: z.string(),
  destinationAdm1: z.string().optional(),
  plannedReturnDate: IsoDate.optional(),
  departedOn: IsoDate.optional(),
  arrivedOn: IsoDate.optional(),
  status: ReturnStatus,
  vulnerability: z
    .object({
      factors: z.array(z.string()),
      score: z.number(),
      level: z.enum(["low", "medium", "high"]),
      /** The questionnaire's band and version the factors were scored with. */
      band: z.string().optional(),
      questionnaireVersion: z.number().int().optional(),
      note: z.string().optional(),
      assessedBy: z.string(),
      assessedAt: IsoDateTime,
    })
    .optional(),
  monitoring: z.array(MonitoringVisit.extend({ by: z.string() })),
  notes: z.string().optional(),
  fields: ConfiguredValues.optional(),
  /** Configured fields withheld from the reader (`fields.<key>`). */
  redacted: z.array(z.string()).optional(),
  createdBy: z.string(),
  ...RecordMeta,
});
export type ReturnInfo = z.infer<typeof ReturnInfo>;
export const ReturnTransition = z.object({
  to: ReturnStatus,
  /** The arrival date (moving to `returned`): a day that has come. */
  date: PastDate.optional(),
  reason: z.string().max(1000).optional(),
  version: z.number().int().min(1),
});
export const ReturnListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().optional(),
  officeID: z.string().optional(),
  status: ReturnStatus.optional(),
});

export const PlanItemKinds = ["economic", "social", "psychosocial"] as const;
export const PlanItemKindLabels: Record<(typeof PlanItemKinds)[number], Labels> = {
  economic: label("Economic", "Económico", "Économique", "اقتصادي"),
  social: label("Social", "Social", "Social", "اجتماعي"),
  psychosocial: label("Psychosocial", "Psicosocial", "Psychosocial", "نفسي اجتماعي"),
};
/** Who a project is for: the returnee alone, a group of returnees together, or their community. */
export const PlanProjects = ["individual", "collective", "community"] as const;
export const PlanProjectLabels: Record<(typeof PlanProjects)[number], Labels> = {
  individual: label("Individual project", "Proyecto individual", "Projet individuel", "مشروع فردي"),
  collective: label("Collective project", "Proyecto colectivo", "Projet collectif", "مشروع جماعي"),
  community: label("Community project", "Proyecto comunitario", "Projet communautaire", "مشروع مجتمعي"),
};
export const PlanItemStatuses = ["planned", "in_progress", "delivered", "cancelled"] as const;
export const PlanItemStatusLabels: Record<(typeof PlanItemStatuses)[number], Labels> = {
  planned: label("Planned", "Previsto", "Prévu", "مخطط"),
  in_progress: label("In progress", "En curso", "En cours", "قيد التنفيذ"),
  delivered: label("Delivered", "Entregado", "Livré", "تم التسليم"),
  cancelled: label("Cancelled", "Cancelado", "Annulé", "ملغى"),
};
export const PlanItem = z.object({
  itemID: z.string().optional(),
  kind: z.enum(PlanItemKinds),
  project: z.enum(PlanProjects).default("individual"),
  /** Returnees taking part (collective and community projects). */
  participants: z.number().int().min(1).max(500).optional(),
  description: z.string().min(3).max(500),
  budget: MinorUnits.optional(),
  currency: CurrencyCode.optional(),
  status: z.enum(PlanItemStatuses).default("planned"),
});
export const PlanUpsert = z.object({
  items: z.array(PlanItem).min(1).max(30),
  version: z.number().int().min(1).optional(),
});
export const PlanInfo = z.object({
  planID: z.string(),
  returnID: z.string(),
  operationID: z.string(),
  officeID: z.string(),
  items: z.array(PlanItem.extend({ itemID: z.string() })),
  status: z.enum(["draft", "approved"]),
  approvedBy: z.string().optional(),
  /** Who changed the plan since it was last approved (four eyes: none of them approves it). */
  editors: z.array(z.string()).optional(),
  createdBy: z.string(),
  ...RecordMeta,
});
export type PlanInfo = z.infer<typeof PlanInfo>;

export const SupplierCategories = [
  "livestock",
  "tools_equipment",
  "merchandise",
  "training",
  "health",
  "housing",
  "other",
] as const;
export const SupplierCategoryLabels: Record<(typeof SupplierCategories)[number], Labels> = {
  livestock: label("Livestock", "Ganado", "Bétail", "ماشية"),
  tools_equipment: label("Tools and equipment", "Herramientas y equipo", "Outils et équipement", "أدوات ومعدات"),
  merchandise: label("Merchandise", "Mercancía", "Marchandises", "بضائع"),
  training: label("Training", "Formación", "Formation", "تدريب"),
  health: label("Health", "Salud", "Santé", "صحة"),
  housing: label("Housing", "Vivienda", "Logement", "سكن"),
  other: label("Other", "Otro", "Autre", "أخرى"),
};
export const SupplierCreate = z.object({
  name: z.string().trim().min(1).max(140),
  country: CountryCode,
  adm1: AdminCode.optional(),
  category: z.enum(SupplierCategories),
  payeeID: z
    .string()
    .regex(/^pye_[0-9A-HJKMNP-TV-Z]{26}$/, "must be a payee id")
    .optional(),
  taxID: z.string().max(40).optional(),
});
export const SupplierInfo = SupplierCreate.extend({
  supplierID: z.string(),
  operationID: z.string(),
  active: z.boolean(),
  createdBy: z.string(),
  ...RecordMeta,
});
export type SupplierInfo = z.infer<typeof SupplierInfo>;

export const Quote = z.object({
  supplierID: z.string().min(1),
  amount: MinorUnits,
  currency: CurrencyCode,
  reference: z.string().max(100).optional(),
  /** The day the quote was issued: a day that has come. */
  date: PastDate,
  /** The scan of the quote, a file kept on the return (`/api/returns/{id}/files`). */
  fileID: z.string().max(40).optional(),
});
export const InvoiceCreate = z.object({
  returnID: z.string().min(1),
  itemID: z.string().min(1),
  quotes: z.array(Quote).max(10).default([]),
  waiverReason: z.string().min(10).max(1000).optional(),
});
export const InvoiceChanges = z
  .object({
    quotes: z.array(Quote).max(10),
    waiverReason: z.string().min(10).max(1000).nullable(),
  })
  .partial()
  .strict();
export const InvoiceSelect = z.object({
  supplierID: z.string().min(1),
  reason: z.string().min(5).max(1000),
  version: z.number().int().min(1),
});
export const InvoiceDecision = z.object({
  approve: z.boolean(),
  comment: z.string().max(1000).optional(),
  version: z.number().int().min(1),
});
export const InvoiceStatusLabels: Record<"draft" | "selected" | "approved" | "rejected", Labels> = {
  draft: label("Collecting quotes", "Reuniendo cotizaciones", "Collecte des devis", "جمع عروض الأسعار"),
  selected: label("Supplier chosen, awaiting approval", "Proveedor elegido, pendiente de aprobación", "Fournisseur choisi, en attente d'approbation", "تم اختيار المورد، بانتظار الموافقة"),
  approved: label("Approved", "Aprobado", "Approuvé", "موافق عليه"),
  rejected: label("Rejected", "Rechazado", "Rejeté", "مرفوض"),
};
export const InvoiceInfo = z.object({
  invoiceID: z.string(),
  operationID: z.string(),
  officeID: z.string(),
  returnID: z.string(),
  planID: z.string(),
  itemID: z.string(),
  quotes: z.array(Quote),
  waiverReason: z.string().optional(),
  selectedSupplierID: z.string().optional(),
  selectionReason: z.string().optional(),
  amount: z.number().optional(),
  currency: z.string().optional(),
  status: z.enum(["draft", "selected", "approved", "rejected"]),
  decidedBy: z.string().optional(),
  decisionComment: z.string().optional(),
  paymentID: z.string().optional(),
  /** Who changed the quotes or picked the supplier (four eyes: none of them approves it). */
  editors: z.array(z.string()).optional(),
  createdBy: z.string(),
  ...RecordMeta,
});
export type InvoiceInfo = z.infer<typeof InvoiceInfo>;

export const ReturnStatsQuery = z.object({ month: Period });
export const ReturnStatsRow = z.object({
  countryOfReturn: z.string(),
  returnedCases: z.number(),
  returnedIndividuals: z.number(),
  female: z.number(),
  male: z.number(),
  children: z.number(),
  underMonitoring: z.number(),
  visitsInMonth: z.number(),
  highVulnerability: z.number(),
  plansApproved: z.number(),
  itemsDelivered: z.object({ economic: z.number(), social: z.number(), psychosocial: z.number() }),
});
export const InconsistencyRow = z.object({
  recordType: z.enum(["return", "plan", "invoice"]),
  recordID: z.string(),
  returnID: z.string(),
  code: z.string(),
  field: z.string().optional(),
  /** The person the problem is about (one person in two live returns). */
  individualID: z.string().optional(),
  /** The other returns involved (the second live return of the same person). */
  relatedReturnIDs: z.array(z.string()).optional(),
  problem: z.string(),
  suggestedFix: z.string(),
});
export type InconsistencyRow = z.infer<typeof InconsistencyRow>;
