import { DocumentTypeLabels, SpecificNeedsCodes, type Labels } from "@waypoint/schema/codes";
import { IncidentKindLabels } from "@waypoint/schema/cases";
import { ServiceCategoryLabels } from "@waypoint/schema/referrals";
import type { CodeList } from "@waypoint/schema/fields";

/**
 * The lists that ship with Waypoint. Reports and rules depend on their codes, so these codes stay (translatable,
 * never retired); an operation adds its own codes to them (e.g. specific-needs sub-codes).
 */
const BUILT_IN: Record<string, { labels: Labels; codes: Record<string, Labels> }> = {
  specificNeeds: {
    labels: { en: "Specific needs", es: "Necesidades específicas", fr: "Besoins spécifiques", ar: "الاحتياجات الخاصة" },
    codes: SpecificNeedsCodes,
  },
  documentType: {
    labels: { en: "Document types", es: "Tipos de documento", fr: "Types de document", ar: "أنواع الوثائق" },
    codes: DocumentTypeLabels,
  },
  serviceCategory: {
    labels: { en: "Service categories", es: "Categorías de servicio", fr: "Catégories de service", ar: "فئات الخدمات" },
    codes: ServiceCategoryLabels,
  },
  incidentKind: {
    labels: { en: "Incident kinds", es: "Tipos de incidente", fr: "Types d'incident", ar: "أنواع الحوادث" },
    codes: IncidentKindLabels,
  },
};

export const BuiltInListKeys = Object.keys(BUILT_IN);

/** A built-in list as an operation sees it before changing it (version 1, nothing stored). */
export function builtInList(operationID: string, listKey: string): CodeList | undefined {
  if (!Object.hasOwn(BUILT_IN, listKey)) return undefined;
  const b = BUILT_IN[listKey]!;
  return {
    listKey,
    operationID,
    labels: { ...b.labels },
    codes: Object.entries(b.codes).map(([code, labels]) => ({ code, labels: { ...labels }, retired: false, builtIn: true })),
    builtIn: true,
    version: 1,
  };
}
