import { z } from "zod";
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
  codeOfConductSigned: IsoDate.optional(),
  notes: z.string().max(2000).optional(),
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

export const PlacementCreate = z.object({
  hostID: z.string().min(1),
  individualID: IndividualID,
  caseID: CaseID.optional(),
  start: IsoDate,
  plannedEnd: IsoDate.optional(),
  reason: z.enum(["vot", "uasc", "sgbv_survivor", "alternative_to_detention", "other"]).default("other"),
});
export const PlacementEnd = z.object({
  end: IsoDate,
  endReason: z.enum(["durable_solution", "moved", "absconded", "host_ended", "relocated", "other"]),
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
export const VisitSchedule = z.object({
  from: IsoDate,
  count: z.number().int().min(1).max(24),
  kind: z.enum(VisitKinds).default("monitoring"),
});
export const VisitComplete = z.object({
  /** The day the visit was done. */
  date: PastDate,
  findings: z.string().min(3).max(4000),
  /** Only for compliance assessments: one result per code-of-conduct item. */
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
  followUpNeeded: z.boolean().optional(),
  visitedBy: z.string().optional(),
  createdBy: z.string(),
  ...RecordMeta,
});
export type VisitInfo = z.infer<typeof VisitInfo>;

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
