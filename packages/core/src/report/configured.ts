import type { FieldDefinition } from "@waypoint/schema/fields";
import type { UiLanguages } from "@waypoint/schema/operations";
import { Actor } from "../actor.ts";
import { InvalidError } from "../common/errors.ts";
import { FieldCache } from "../fields/cache.ts";
import { FieldValues } from "../fields/values.ts";

/** A language of the labels (the UI's four). */
export type UiLanguage = (typeof UiLanguages)[number];

/** Kinds of configured field a people table can be broken down by: each value is one of a few known codes. */
export const BREAKDOWN_TYPES: readonly FieldDefinition["type"][] = ["oneOf", "manyOf", "yesNo"];

const YES = { en: "Yes", es: "Sí", fr: "Oui", ar: "نعم" } as const;
const NO = { en: "No", es: "No", fr: "Non", ar: "لا" } as const;
const NONE = { en: "No value", es: "Sin valor", fr: "Sans valeur", ar: "بلا قيمة" } as const;
const EMPTY = "\u0000none";

export interface Breakdown {
  /** The first column: the field's label in the reader's language, its HXL tag. */
  header: string;
  hxl: string;
  /** Row keys in display order: the list's codes (yes, no), then "no value". */
  keys: string[];
  label(key: string): string;
  /** The row keys one person counts in (several for a many-of). */
  keysOf(r: { fields?: Record<string, unknown> }): string[];
  /** Rows add up to the people (one-of, yes/no): the table gets a totals row. A many-of's rows do not. */
  additive: boolean;
}

/**
 * A people table's rows by a configured field of individuals (`by=fields.<key>`): one row per code of its list
 * (labels in `lang`), yes / no for a yes/no field, and "no value"; only fields the reader may see, of a coded type.
 */
export async function configuredBreakdown(by: string, lang: UiLanguage = "en"): Promise<Breakdown> {
  const operationID = Actor.operationID();
  const entry = await FieldValues.ready(operationID);
  const key = by.startsWith("fields.") ? by.slice("fields.".length) : by;
  const def = entry.byType.get("individual")?.get(key);
  if (!def || !FieldValues.visible(def))
    throw InvalidError.field("by", "invalid.unknown_field", "is not a field of individuals you can see");
  if (!BREAKDOWN_TYPES.includes(def.type))
    throw InvalidError.field("by", "invalid.breakdown", "only one-of, many-of and yes/no fields can break a report down");
  const labels = new Map<string, string>();
  if (def.type === "yesNo") {
    labels.set("yes", YES[lang]);
    labels.set("no", NO[lang]);
  } else {
    const list = def.options ? (FieldCache.peek(operationID) ?? entry).lists.get(def.options) : undefined;
    for (const c of list?.codes ?? []) labels.set(c.code, c.labels[lang] || c.labels.en || c.code);
  }
  labels.set(EMPTY, NONE[lang]);
  return {
    header: def.labels[lang] || def.labels.en,
    hxl: def.hxl ?? "",
    keys: [...labels.keys()],
    label: (k) => labels.get(k) ?? k,
    keysOf: (r) => {
      const v = r.fields?.[key];
      if (v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0)) return [EMPTY];
      if (typeof v === "boolean") return [v ? "yes" : "no"];
      if (Array.isArray(v)) return [...new Set(v.map(String))];
      return [String(v)];
    },
    additive: def.type !== "manyOf",
  };
}
