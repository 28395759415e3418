import type { ColDef } from "ag-grid-community";
import { codeLabel, type Labels } from "@waypoint/schema";
import type { z } from "zod";
import type { FieldSpec, Kind } from "../grid/fields.ts";
import type { I18n } from "../i18n/i18n.tsx";
import type { MessageKey } from "../i18n/messages.ts";
import { cellMessage } from "../fields/fieldsText.ts";
import type { GroupSpec } from "../fields/GroupRows.tsx";
import type { RefKind } from "./lookups.ts";

/**
 * One question of a form or one column of a related list. It is the grid's FieldSpec (kind, code list) with what
 * a form needs beyond a cell: long text, a file, a reference picked by name, a fixed list of choices.
 */
export interface FormField {
  field: string;
  kind: Kind | "textarea" | "file" | "ref" | "select" | "datetime" | "time" | "group";
  table?: Record<string, Labels>;
  /** For `ref`: which records the picker searches. */
  ref?: RefKind;
  /** For `select`: the choices, already in the user's words. */
  options?: { value: string; label: string }[];
  /** A label other than the field's own (e.g. a questionnaire's question). */
  label?: string;
  hint?: string;
  /** For `file`: accepted media types and the largest size in bytes. */
  accept?: string;
  maxBytes?: number;
  /** For `group` (a configured repeating group): its sub-fields and their code lists. */
  group?: GroupSpec;
  /** In lists: the value shown, when it is derived from the row (money with its currency, a partner's answer). */
  get?: (row: Record<string, unknown>) => unknown;
}

/** The FieldSpecs of a record type's grid columns: the one description that forms and pages reuse. */
export function specsOf(columns: ColDef[]): FieldSpec[] {
  return columns.map((c) => c.context as FieldSpec | undefined).filter((s): s is FieldSpec => Boolean(s));
}

/** Form fields for the named fields of a record type, taken from its grid description; `extra` adds or overrides. */
export function fieldsFrom(columns: ColDef[], names: string[], extra: FormField[] = []): FormField[] {
  const specs = specsOf(columns);
  return names.map((name) => {
    const own = extra.find((f) => f.field === name);
    if (own) return own;
    const spec = specs.find((s) => s.field === name);
    return spec ? { field: spec.field, kind: spec.kind, table: spec.table } : { field: name, kind: "text" };
  });
}

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType> };
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schema of a (dotted) field inside an object schema, optional/default/nullable wrappers removed. */
export function fieldSchema(schema: z.ZodType, path: string): z.ZodType | undefined {
  let s: z.ZodType | undefined = schema;
  for (const part of path.split(".")) {
    s = s && unwrap(s);
    const shape: Record<string, z.ZodType> | undefined = s
      ? (defOf(s).shape ?? (s as unknown as { shape?: Record<string, z.ZodType> }).shape)
      : undefined;
    s = shape?.[part];
  }
  return s;
}

export function unwrap(s: z.ZodType): z.ZodType {
  let cur = s;
  for (let i = 0; i < 10; i++) {
    const d = defOf(cur);
    const next = d.innerType ?? (d.type === "pipe" ? d.in : undefined);
    if (!next) return cur;
    cur = next;
  }
  return cur;
}

/** Whether the API refuses the record without this field (it is neither optional nor defaulted). */
export function isRequired(schema: z.ZodType, path: string): boolean {
  let s: z.ZodType | undefined = schema;
  for (const part of path.split(".")) {
    const shape: Record<string, z.ZodType> | undefined = s
      ? (unwrap(s) as unknown as { shape?: Record<string, z.ZodType> }).shape
      : undefined;
    s = shape?.[part];
    if (!s) return false;
    if (s.safeParse(undefined).success) return false;
  }
  return true;
}

/** Choices of an enum field, when the schema says them. */
export function enumOptions(schema: z.ZodType, path: string): string[] | undefined {
  const s = fieldSchema(schema, path);
  const inner = s && (unwrap(s) as unknown as { options?: unknown[] });
  return Array.isArray(inner?.options) ? inner.options.map(String) : undefined;
}

/** Longest text the schema accepts (long texts get a text area). */
export function maxLength(schema: z.ZodType, path: string): number | undefined {
  const s = fieldSchema(schema, path);
  const n = s && (unwrap(s) as unknown as { maxLength?: number | null }).maxLength;
  return typeof n === "number" ? n : undefined;
}

const ERROR_KEYS: Record<string, MessageKey> = {
  invalid_type: "form.error.required",
  too_small: "form.error.tooShort",
  too_big: "form.error.tooLong",
  invalid_format: "form.error.format",
  invalid_string: "form.error.format",
  invalid_value: "form.error.choice",
  invalid_enum_value: "form.error.choice",
  tooLarge: "form.error.tooLarge",
  fileType: "form.error.fileType",
  organisation: "form.error.reference",
  office: "form.error.reference",
  reference: "form.error.reference",
  not_found: "form.error.reference",
  msisdn: "form.error.msisdn",
  channelType: "form.error.channelType",
};

/** Whether `issueText` has a sentence of its own for this code (zod's or the API's `invalid.<code>`). */
export const issueKnown = (code: string) => code.replace(/^invalid\./, "") in ERROR_KEYS;

/**
 * A field's problem in the user's words: a known code (zod's or the API's `invalid.<code>`) becomes a translated
 * sentence naming the field; an unknown one keeps the API's message after the field's label.
 */
export function issueText(
  i18n: I18n,
  label: string,
  issue: { path?: string; code?: string; message: string },
  empty: boolean,
  /** The question's kind: a configured value refused by its rule (`invalid.value`) on a choice is a choice error. */
  kind?: FormField["kind"],
): string {
  const code = (issue.code ?? "").replace(/^invalid\./, "");
  if (empty && ["invalid_type", "too_small", "invalid_value", "required"].includes(code))
    return i18n.t("form.error.required", { field: label });
  if ((code === "value" || code === "custom") && (kind === "enum" || kind === "codes" || kind === "select"))
    return i18n.t("form.error.choice", { field: label });
  // a configured value (`fields.<key>`): the contract's rule (a number's range, a date, a phone, a list's code),
  // from the API (`invalid.value`) or checked before sending, in the words of its own catalogue (the grid's too)
  if (issue.path?.startsWith("fields.") && code !== "reference" && code !== "not_found")
    return i18n.t("form.error.other", { field: label, message: cellMessage(i18n.lang, issue.message) });
  const key = ERROR_KEYS[code];
  if (key) return i18n.t(key, { field: label });
  return i18n.t("form.error.other", { field: label, message: issue.message });
}

/** A value as a person reads it: dates in their locale, codes in their language, references by name. */
export function showValue(
  f: Pick<FormField, "kind" | "table" | "options">,
  v: unknown,
  i18n: I18n,
  names?: { offices?: Map<string, string>; refs?: Map<string, string> },
): string {
  if (v === null || v === undefined || v === "") return "";
  if (Array.isArray(v)) return v.map((x) => showValue(f, x, i18n, names)).join(", ");
  switch (f.kind) {
    case "date":
      return i18n.date(String(v));
    case "datetime":
      return i18n.dateTime(String(v));
    case "bool":
      return i18n.t(v ? "common.yes" : "common.no");
    case "number":
      return typeof v === "number" ? i18n.number(v) : String(v);
    case "office":
      return names?.offices?.get(String(v)) ?? "";
    case "ref":
    case "household":
      return names?.refs?.get(String(v)) ?? "…";
    case "select":
      return f.options?.find((o) => o.value === v)?.label ?? String(v);
    default:
      if (f.table) return codeLabel(f.table, String(v), i18n.lang);
      return String(v);
  }
}
