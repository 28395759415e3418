import type { z } from "zod";
import {
  LegalStatusLabels,
  RecordStatusLabels,
  RelationshipLabels,
  SexLabels,
  SpecificNeedsCodes,
  labelToCode,
  type Labels,
} from "./codes.ts";
import { IndividualChanges } from "./registry.ts";

/**
 * Browser-side helpers for grids: turn a typed or pasted cell into the value the API accepts, and validate it with
 * the same zod schema the API uses, so a cell is flagged before anything is sent.
 */
export type CellResult = { ok: true; value: unknown } | { ok: false; message: string };

const ENUM_TABLES: Record<string, Record<string, Labels>> = {
  sex: SexLabels,
  legalStatus: LegalStatusLabels,
  relationshipToHead: RelationshipLabels,
  status: RecordStatusLabels,
};
const LIST_SPLIT = /[;,|\n]+/;
const BOOLEAN_TRUE = ["true", "yes", "y", "1", "si", "sí", "oui", "نعم", "x"];
const BOOLEAN_FALSE = ["false", "no", "n", "0", "non", "لا", ""];

/** `31/12/1990`, `1990-12-31`, `31.12.1990` → `1990-12-31` (day first, as in the operations that use Waypoint). */
export function parseDateCell(raw: string): string | undefined {
  const s = raw.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m) return `${m[3]}-${m[2]!.padStart(2, "0")}-${m[1]!.padStart(2, "0")}`;
  return undefined;
}

/** The value for field `field` from a cell's text; an empty cell clears the field (`null`). */
export function coerceIndividualCell(field: string, raw: string): CellResult {
  const text = raw.trim();
  let value: unknown = text;
  if (text === "") value = null;
  else if (field in ENUM_TABLES) {
    value = labelToCode(ENUM_TABLES[field]!, text) ?? text;
  } else if (field === "specificNeeds") {
    const parts = text
      .split(LIST_SPLIT)
      .map((p) => p.trim())
      .filter(Boolean);
    const codes = parts.map((p) => labelToCode(SpecificNeedsCodes, p));
    const bad = parts.filter((_, i) => !codes[i]);
    if (bad.length) return { ok: false, message: `unknown specific need: ${bad.join(", ")}` };
    value = codes;
  } else if (field === "languages") {
    value = text
      .split(LIST_SPLIT)
      .map((p) => p.trim().toLowerCase())
      .filter(Boolean);
  } else if (field === "interpreterNeeded" || field === "dobEstimated") {
    const t = text.toLowerCase();
    if (BOOLEAN_TRUE.includes(t)) value = true;
    else if (BOOLEAN_FALSE.includes(t)) value = false;
    else return { ok: false, message: "must be yes or no" };
  } else if (field === "estimatedAge") {
    value = Number(text);
  } else if (field === "dateOfBirth") {
    value = parseDateCell(text) ?? text;
  } else if (field === "nationality" || field === "adm1" || field === "adm2") {
    value = text.toUpperCase();
  } else if (field === "phone") {
    value = text.replace(/[\s().-]/g, "").replace(/^00/, "+");
  }
  return validateIndividualField(field, value);
}

/** Validates one field of an individual with the API's own patch schema. */
export function validateIndividualField(field: string, value: unknown): CellResult {
  const shape = IndividualChanges.shape as Record<string, z.ZodTypeAny>;
  const schema = shape[field];
  if (!schema) return { ok: false, message: `${field} cannot be edited` };
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, message: parsed.error.issues[0]?.message ?? "invalid" };
}
