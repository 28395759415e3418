import { z } from "zod";
import { type Labels, label } from "./codes.ts";

/**
 * Why a file with people in it leaves Waypoint (purpose limitation): asked before every such export, kept in the
 * sharing log of each person it holds, shown on their record and in their subject-access file.
 */
export const ExportPurposes = [
  "case_management",
  "referral",
  "assistance",
  "reporting",
  "verification",
  "subject_access",
  "other",
] as const;
export const ExportPurpose = z.enum(ExportPurposes);
export type ExportPurpose = z.infer<typeof ExportPurpose>;
export const ExportPurposeLabels: Record<ExportPurpose, Labels> = {
  case_management: label("Case management", "Gestión de casos", "Gestion des cas", "إدارة الحالات"),
  referral: label(
    "Referral to a service provider",
    "Remisión a un proveedor de servicios",
    "Orientation vers un prestataire de services",
    "الإحالة إلى مقدّم خدمة",
  ),
  assistance: label(
    "Delivering assistance (distribution, cash, transport)",
    "Entrega de asistencia (distribución, efectivo, transporte)",
    "Fourniture d’une assistance (distribution, espèces, transport)",
    "تقديم المساعدة (توزيع، نقد، نقل)",
  ),
  reporting: label(
    "Reporting to a donor or a coordination body",
    "Informe a un donante o a un órgano de coordinación",
    "Rapport à un bailleur ou à un organe de coordination",
    "تقديم تقرير إلى جهة مانحة أو هيئة تنسيق",
  ),
  verification: label(
    "Checking and correcting the data",
    "Verificación y corrección de los datos",
    "Vérification et correction des données",
    "التحقق من البيانات وتصحيحها",
  ),
  subject_access: label(
    "The person asked for their own data",
    "La persona pidió sus propios datos",
    "La personne a demandé ses propres données",
    "طلب الشخص بياناته الخاصة",
  ),
  other: label("Other (say which)", "Otro (indique cuál)", "Autre (préciser)", "غير ذلك (يُرجى التحديد)"),
};

/**
 * The purpose fields of an export request (query or body). `purposeOther` says the purpose in words and is
 * needed when `purpose` is `other` (checked by core: `export.purpose_other_required` on `purposeOther`).
 */
export const ExportPurposeFields = {
  purpose: ExportPurpose.optional().describe("why the file is made (kept in the sharing log of each person in it)"),
  purposeOther: z.string().trim().max(200).optional().describe("the purpose in words, when `purpose` is `other`"),
  recipient: z.string().trim().max(200).optional().describe("for whom the file is made"),
};

/** A supervisor's request to erase a person: why (kept in the audit trail, without the person's values). */
export const ErasureRequest = z.object({
  reason: z.string().trim().min(3).max(500).describe("why the person is erased (a request, a court order)"),
});

const Counts = z.record(z.string(), z.number().int());
export const ErasureReport = z.object({
  individualID: z.string(),
  deleted: Counts.describe("records deleted, by kind"),
  anonymised: Counts.describe("records kept without the person's values, by kind"),
  files: z.object({ deleted: z.number().int(), rewritten: z.number().int() }),
  auditEventsBlanked: z.number().int(),
  exports: z
    .array(
      z.object({
        exportID: z.string(),
        kind: z.string(),
        format: z.string(),
        by: z.string(),
        time: z.string(),
        purpose: z.string().optional(),
        purposeOther: z.string().optional(),
        recipient: z.string().optional(),
      }),
    )
    .describe("files that left with the person in them before the erasure: whom to tell"),
  ms: z.number(),
});
