import { z } from "zod";
import { LabelLanguages, labelToCode, type Labels } from "./codes.ts";
import { AdminCode, IsoDate, IsoDateTime, Phone, Role } from "./common.ts";
import type { CellResult } from "./registry.grid.ts";

/**
 * Configured fields and code lists: what an operation's admin adds to its records without a release (issue 19).
 *
 * A record carries its configured values in `fields: {<key>: value}`; core validates them with the same value
 * schema as the browser (`configuredValueSchema`), so a grid cell is flagged before it is sent and the API refuses
 * the same input with the path `fields.<key>`. Browser-safe: no node:*, no AWS.
 */

/** Record types that carry configured fields. */
export const FieldRecordTypes = [
  "individual",
  "household",
  "case",
  "assessment",
  "referral",
  "appointment",
  "incident",
  "host",
  "return",
  "payee",
] as const;
export const FieldRecordType = z.enum(FieldRecordTypes);
export type FieldRecordType = z.infer<typeof FieldRecordType>;

/** The ID prefix of each record type a `reference` field may point to. */
export const RecordTypePrefixes: Record<FieldRecordType, string> = {
  individual: "ind",
  household: "hh",
  case: "cas",
  assessment: "asm",
  referral: "ref",
  appointment: "apt",
  incident: "inc",
  host: "hst",
  return: "rtn",
  payee: "pye",
};

export const FieldTypes = [
  "text",
  "longText",
  "number",
  "date",
  "yesNo",
  "oneOf",
  "manyOf",
  "phone",
  "area",
  "reference",
  "group",
] as const;
export const FieldType = z.enum(FieldTypes);
export type FieldType = z.infer<typeof FieldType>;
/** Types whose value is one or more codes of a code list (`options` names it). */
export const CodedFieldTypes: readonly FieldType[] = ["oneOf", "manyOf"];

/** Longest text a `text` / `longText` value may hold. */
export const TEXT_MAX = 500;
export const LONG_TEXT_MAX = 5000;
/** Most entries of a repeating group, and most sub-fields of a group. */
export const GROUP_MAX_ROWS = 50;
export const GROUP_MAX_FIELDS = 20;
/** Most configured fields (active or retired) per operation and record type. */
export const MAX_FIELDS_PER_TYPE = 100;

/**
 * A field key: lowerCamel or snake_case, starts with a letter, 2–40 characters. Unique per operation and record
 * type for ever: a retired field's key is never given to another field.
 */
export const FieldKey = z
  .string()
  .regex(/^[a-z][a-zA-Z0-9_]{1,39}$/, "must start with a small letter, then letters, digits or _ (2–40)")
  .refine((k) => !["constructor", "prototype", "__proto__", "toString", "valueOf"].includes(k), "is reserved");

/** A label in each of the four languages (en, es, fr, ar): all four are required. */
export const LabelSet = z.object({
  en: z.string().trim().min(1, "is required").max(200),
  es: z.string().trim().min(1, "is required").max(200),
  fr: z.string().trim().min(1, "is required").max(200),
  ar: z.string().trim().min(1, "is required").max(200),
});
export type LabelSet = z.infer<typeof LabelSet>;
/** Help text per language; any language may be left out. */
export const HelpSet = z
  .object({
    en: z.string().trim().max(1000),
    es: z.string().trim().max(1000),
    fr: z.string().trim().max(1000),
    ar: z.string().trim().max(1000),
  })
  .partial();
export type HelpSet = z.infer<typeof HelpSet>;

/** An HXL hashtag with attributes: `#affected+id+progres`. */
export const HxlTag = z
  .string()
  .trim()
  .regex(/^#[a-z][a-z0-9_]*(\s*\+[a-z][a-z0-9_]*)*$/, "must be an HXL tag like #affected+id");

/** A code list key (`embassy`, `specificNeeds`). */
export const CodeListKey = z
  .string()
  .regex(/^[a-z][a-zA-Z0-9_]{1,39}$/, "must start with a small letter, then letters, digits or _ (2–40)");
/** A code inside a list: letters, digits, `_ . -`, at most 40. */
export const CodeValue = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, "must be letters, digits, _ . or - (at most 40)");

// Field definitions ------------------------------------------------------------------------------------------

/** The part of a definition that says what a value may be (shared by fields and the sub-fields of a group). */
const ValueRules = {
  /** Code list for `oneOf` / `manyOf`. */
  options: CodeListKey.optional(),
  /** Range of a `number`. */
  min: z.number().finite().optional(),
  max: z.number().finite().optional(),
  /** Whole numbers only (a `number`). */
  integer: z.boolean().optional(),
  /** The record type a `reference` points to. */
  referenceType: FieldRecordType.optional(),
};

export const SubFieldDefinition = z.object({
  key: FieldKey,
  type: FieldType.exclude(["group"]),
  labels: LabelSet,
  help: HelpSet.optional(),
  required: z.boolean().default(false),
  ...ValueRules,
});
export type SubFieldDefinition = z.infer<typeof SubFieldDefinition>;

type RuleShape = {
  key?: string;
  type: FieldType;
  options?: string;
  min?: number;
  max?: number;
  referenceType?: FieldRecordType;
  subFields?: (RuleShape & { key: string })[];
};
/** Cross-field checks of a definition (and of each sub-field): coded types name a list, ranges are ordered… */
function checkRules(d: RuleShape, ctx: z.RefinementCtx, at: (string | number)[] = []) {
  if (CodedFieldTypes.includes(d.type) && !d.options)
    ctx.addIssue({ code: "custom", path: [...at, "options"], message: "a coded field names its code list" });
  if (!CodedFieldTypes.includes(d.type) && d.options)
    ctx.addIssue({ code: "custom", path: [...at, "options"], message: "only coded fields have options" });
  if (d.type !== "number" && (d.min !== undefined || d.max !== undefined))
    ctx.addIssue({ code: "custom", path: [...at, "min"], message: "only numbers have a range" });
  if (d.min !== undefined && d.max !== undefined && d.min > d.max)
    ctx.addIssue({ code: "custom", path: [...at, "max"], message: "must not be below the minimum" });
  if (d.type === "reference" && !d.referenceType)
    ctx.addIssue({ code: "custom", path: [...at, "referenceType"], message: "a reference names its record type" });
  if (d.type !== "reference" && d.referenceType)
    ctx.addIssue({ code: "custom", path: [...at, "referenceType"], message: "only references have a record type" });
  if (d.type === "group" && !d.subFields?.length)
    ctx.addIssue({ code: "custom", path: [...at, "subFields"], message: "a group has at least one sub-field" });
  if (d.type !== "group" && d.subFields)
    ctx.addIssue({ code: "custom", path: [...at, "subFields"], message: "only groups have sub-fields" });
  if (d.subFields) {
    const seen = new Set<string>();
    d.subFields.forEach((s, i) => {
      if (seen.has(s.key))
        ctx.addIssue({ code: "custom", path: [...at, "subFields", i, "key"], message: "is used twice" });
      seen.add(s.key);
      checkRules(s, ctx, [...at, "subFields", i]);
    });
  }
}

/** What an admin may change on a field after it is created (type, key and record type never change). */
const MutableFieldProps = {
  labels: LabelSet,
  help: HelpSet.optional(),
  required: z.boolean().default(false),
  /** Roles that may see the value; absent = every role that may read the record. */
  visibleTo: z.array(Role).max(10).optional(),
  /** Roles that may change the value; absent = every role that may update the record. */
  editableBy: z.array(Role).max(10).optional(),
  /** Hidden like the built-in sensitive fields: only roles in `visibleTo`, and never admin-wide by default. */
  sensitive: z.boolean().default(false),
  hxl: HxlTag.optional(),
  /** Order among the record type's configured fields (grid column / form position). */
  position: z.number().int().min(0).max(10_000).optional(),
  /** Sub-fields of a `group` (one row of the repeating group). */
  subFields: z.array(SubFieldDefinition).min(1).max(GROUP_MAX_FIELDS).optional(),
  ...ValueRules,
};

/** `POST /api/fields` body. */
export const FieldCreate = z
  .object({
    recordType: FieldRecordType,
    key: FieldKey,
    type: FieldType,
    ...MutableFieldProps,
  })
  .strict()
  .superRefine((d, ctx) => checkRules(d, ctx));
export type FieldCreate = z.input<typeof FieldCreate>;

/** `PATCH /api/fields/{fieldID}` body: conditional on the definition's version; every change is a new version. */
export const FieldUpdate = z
  .object({
    version: z.number().int().min(1),
    changes: z
      .object({
        labels: LabelSet,
        help: HelpSet.nullable(),
        required: z.boolean(),
        visibleTo: z.array(Role).max(10).nullable(),
        editableBy: z.array(Role).max(10).nullable(),
        sensitive: z.boolean(),
        hxl: HxlTag.nullable(),
        position: z.number().int().min(0).max(10_000).nullable(),
        subFields: z.array(SubFieldDefinition).min(1).max(GROUP_MAX_FIELDS),
        options: CodeListKey,
        min: z.number().finite().nullable(),
        max: z.number().finite().nullable(),
        integer: z.boolean(),
      })
      .partial()
      .strict(),
  })
  .strict();
export type FieldUpdate = z.input<typeof FieldUpdate>;

/** `POST /api/fields/{fieldID}/retire` (and `/restore`) body. */
export const FieldRetire = z.object({ version: z.number().int().min(1) }).strict();

export const FieldStatus = z.enum(["active", "retired"]);
export type FieldStatus = z.infer<typeof FieldStatus>;

export const FieldDefinition = z.object({
  fieldID: z.string(),
  operationID: z.string(),
  recordType: FieldRecordType,
  key: z.string(),
  type: FieldType,
  labels: LabelSet,
  help: HelpSet.optional(),
  required: z.boolean(),
  visibleTo: z.array(Role).optional(),
  editableBy: z.array(Role).optional(),
  sensitive: z.boolean(),
  hxl: z.string().optional(),
  position: z.number().optional(),
  subFields: z.array(SubFieldDefinition).optional(),
  options: z.string().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  integer: z.boolean().optional(),
  referenceType: FieldRecordType.optional(),
  status: FieldStatus,
  /** Starts at 1; every change (including retire/restore) adds one and keeps the old version in history. */
  version: z.number().int().min(1),
  timeCreated: IsoDateTime,
  timeUpdated: IsoDateTime,
  createdBy: z.string(),
  updatedBy: z.string().optional(),
});
export type FieldDefinition = z.infer<typeof FieldDefinition>;

export const FieldListQuery = z.object({
  recordType: FieldRecordType.optional(),
  includeRetired: z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]).optional(),
});
export type FieldListQuery = z.input<typeof FieldListQuery>;
export const FieldList = z.object({
  items: z.array(FieldDefinition),
  /** Changes whenever any definition of the operation changes (clients may cache on it). */
  revision: z.number().int(),
});

/** What making a field required found: records of that type that have no value yet (they keep saving). */
export const MissingRequired = z.object({
  count: z.number().int(),
  /** At most 100 of them; the data-quality report lists all of them. */
  ids: z.array(z.string()),
});
export type MissingRequired = z.infer<typeof MissingRequired>;
/** Answer of create / update / retire. */
export const FieldChangeResponse = z.object({
  field: FieldDefinition,
  missingRequired: MissingRequired.optional(),
});

/** `GET /api/fields/{fieldID}/history`: every version, newest first. */
export const FieldHistory = z.object({ items: z.array(FieldDefinition) });

// Code lists ---------------------------------------------------------------------------------------------------

export const Code = z.object({
  code: CodeValue,
  labels: LabelSet,
  retired: z.boolean().default(false),
  /** A built-in code reports depend on: cannot be retired or re-coded (its labels may be translated). */
  builtIn: z.boolean().optional(),
});
export type Code = z.infer<typeof Code>;

export const CodeList = z.object({
  listKey: z.string(),
  operationID: z.string(),
  labels: LabelSet,
  codes: z.array(Code),
  /** The list ships with Waypoint (its built-in codes are kept); an operation may add codes to it. */
  builtIn: z.boolean().optional(),
  version: z.number().int().min(1),
  timeCreated: IsoDateTime.optional(),
  timeUpdated: IsoDateTime.optional(),
});
export type CodeList = z.infer<typeof CodeList>;

export const MAX_CODES = 500;

/** `POST /api/code-lists` body. */
export const CodeListCreate = z
  .object({
    listKey: CodeListKey,
    labels: LabelSet,
    codes: z
      .array(z.object({ code: CodeValue, labels: LabelSet }).strict())
      .max(MAX_CODES)
      .default([]),
  })
  .strict()
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.codes.forEach((c, i) => {
      if (seen.has(c.code.toLowerCase()))
        ctx.addIssue({ code: "custom", path: ["codes", i, "code"], message: "is used twice" });
      seen.add(c.code.toLowerCase());
    });
  });
export type CodeListCreate = z.input<typeof CodeListCreate>;

/**
 * `PATCH /api/code-lists/{listKey}` body, conditional on version. `codes` upserts by code: a new code is added, an
 * existing one takes the new labels / retired flag. Codes are never removed (retire them).
 */
export const CodeListUpdate = z
  .object({
    version: z.number().int().min(1),
    changes: z
      .object({
        labels: LabelSet,
        codes: z
          .array(z.object({ code: CodeValue, labels: LabelSet.optional(), retired: z.boolean().optional() }).strict())
          .min(1)
          .max(MAX_CODES),
      })
      .partial()
      .strict(),
  })
  .strict();
export type CodeListUpdate = z.input<typeof CodeListUpdate>;

export const CodeListPage = z.object({ items: z.array(CodeList) });

// Values ------------------------------------------------------------------------------------------------------

/** A record's configured values: `{<key>: value}`; in a patch `null` clears a value. */
export const ConfiguredValues = z.record(z.string(), z.unknown());
export type ConfiguredValues = Record<string, unknown>;

/** The fields of a definition the value rules need (a field or a sub-field of a group). */
export type ValueDefinition = Pick<FieldDefinition, "type" | "key"> &
  Partial<Pick<FieldDefinition, "options" | "min" | "max" | "integer" | "referenceType" | "subFields" | "required">>;

/** The codes a coded value may take (active ones for a new value). Keyed by list key. */
export type CodeLookup = Pick<CodeList, "codes"> | undefined;

const activeCodes = (list: CodeLookup) => (list?.codes ?? []).filter((c) => !c.retired).map((c) => c.code);

/**
 * The zod schema of one value of a definition (never `null`: clearing is handled by the caller). Coded values must
 * be active codes of `codeList` (a retired code is refused for new input); `codeLists` resolves a group's lists.
 */
export function configuredValueSchema(
  def: ValueDefinition,
  codeList?: CodeLookup,
  codeLists?: (listKey: string) => CodeLookup,
): z.ZodTypeAny {
  switch (def.type) {
    case "text":
      return z.string().trim().min(1, "is required").max(TEXT_MAX);
    case "longText":
      return z.string().trim().min(1, "is required").max(LONG_TEXT_MAX);
    case "number": {
      let n = z.number({ message: "must be a number" }).finite();
      if (def.integer) n = n.int("must be a whole number");
      if (def.min !== undefined) n = n.min(def.min, `must be at least ${def.min}`);
      if (def.max !== undefined) n = n.max(def.max, `must be at most ${def.max}`);
      return n;
    }
    case "date":
      return IsoDate;
    case "yesNo":
      return z.boolean({ message: "must be yes or no" });
    case "oneOf": {
      const codes = activeCodes(codeList);
      return z.string().refine((v) => codes.includes(v), "is not a code of the list");
    }
    case "manyOf": {
      const codes = activeCodes(codeList);
      return z
        .array(z.string())
        .max(100)
        .refine((vs) => vs.every((v) => codes.includes(v)), "is not a code of the list")
        .refine((vs) => new Set(vs).size === vs.length, "lists a code twice");
    }
    case "phone":
      return Phone;
    case "area":
      return AdminCode;
    case "reference": {
      const prefix = def.referenceType ? RecordTypePrefixes[def.referenceType] : "";
      return z
        .string()
        .regex(new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`), `must be a ${def.referenceType ?? "record"} id (${prefix}_…)`);
    }
    case "group": {
      const shape: Record<string, z.ZodTypeAny> = {};
      for (const sub of def.subFields ?? []) {
        const s = configuredValueSchema(sub, sub.options ? codeLists?.(sub.options) : undefined, codeLists);
        shape[sub.key] = sub.required ? s : s.nullable().optional();
      }
      return z.array(z.object(shape).strict()).max(GROUP_MAX_ROWS);
    }
  }
}

export type ValueIssue = { path: string; message: string };

/**
 * Validates one configured value (`null` clears, refused when the field is required). Issues carry the path
 * `fields.<key>` (and `.<row>.<sub>` inside a group), as the API reports them.
 */
export function validateConfiguredValue(
  def: ValueDefinition,
  value: unknown,
  codeList?: CodeLookup,
  codeLists?: (listKey: string) => CodeLookup,
): { ok: true; value: unknown } | { ok: false; issues: ValueIssue[] } {
  const base = `fields.${def.key}`;
  if (value === null || value === undefined) {
    if (def.required) return { ok: false, issues: [{ path: base, message: "is required" }] };
    return { ok: true, value: null };
  }
  const parsed = configuredValueSchema(def, codeList, codeLists).safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => ({
      path: [base, ...i.path.map(String)].join("."),
      message: i.message,
    })),
  };
}

const LIST_SPLIT = /[;,|\n]+/;
const YES = ["true", "yes", "y", "1", "si", "sí", "oui", "نعم", "x"];
const NO = ["false", "no", "n", "0", "non", "لا"];

/** Codes of a list as a label table, for `labelToCode` (labels in any of the four languages match). */
function codeTable(list: CodeLookup): Record<string, Labels> {
  const t: Record<string, Labels> = {};
  for (const c of list?.codes ?? []) if (!c.retired) t[c.code] = c.labels;
  return t;
}

function parseDay(raw: string): string | undefined {
  const s = raw.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m) return `${m[3]}-${m[2]!.padStart(2, "0")}-${m[1]!.padStart(2, "0")}`;
  return undefined;
}

/**
 * A grid cell's text → the value the API accepts, validated like the API does: labels of codes in any language
 * (`نعم`, `Embajada de México`), dates day first, numbers with a decimal comma, phones with spaces. An empty cell
 * clears (`null`). Groups are not edited in a cell (their text must be JSON).
 */
export function coerceConfiguredCell(def: ValueDefinition, raw: string, codeList?: CodeLookup): CellResult {
  const text = raw.trim();
  let value: unknown = text;
  if (text === "") value = null;
  else
    switch (def.type) {
      case "number": {
        const n = Number(text.replace(/\s/g, "").replace(/,(\d+)$/, ".$1"));
        value = Number.isNaN(n) ? text : n;
        break;
      }
      case "yesNo": {
        const t = text.toLowerCase();
        if (YES.includes(t)) value = true;
        else if (NO.includes(t)) value = false;
        else return { ok: false, message: "must be yes or no" };
        break;
      }
      case "date":
        value = parseDay(text) ?? text;
        break;
      case "oneOf": {
        const code = labelToCode(codeTable(codeList), text);
        if (!code) return { ok: false, message: `not in the list: ${text}` };
        value = code;
        break;
      }
      case "manyOf": {
        const parts = text
          .split(LIST_SPLIT)
          .map((p) => p.trim())
          .filter(Boolean);
        const table = codeTable(codeList);
        const codes = parts.map((p) => labelToCode(table, p));
        const bad = parts.filter((_, i) => !codes[i]);
        if (bad.length) return { ok: false, message: `not in the list: ${bad.join(", ")}` };
        value = [...new Set(codes)];
        break;
      }
      case "phone":
        value = text.replace(/[\s().-]/g, "").replace(/^00/, "+");
        break;
      case "area":
        value = text.toUpperCase();
        break;
      case "group":
        try {
          value = JSON.parse(text);
        } catch {
          return { ok: false, message: "a group is edited on the record page" };
        }
        break;
    }
  const r = validateConfiguredValue(def, value, codeList);
  if (r.ok) return { ok: true, value: r.value };
  return { ok: false, message: r.issues[0]?.message ?? "invalid" };
}

/** A configured value as text in a language (codes as labels, yes/no translated): for grids and exports. */
export function configuredValueText(
  def: ValueDefinition,
  value: unknown,
  lang: (typeof LabelLanguages)[number] = "en",
  codeList?: CodeLookup,
): string {
  if (value === null || value === undefined) return "";
  const labelOf = (code: unknown) =>
    codeList?.codes.find((c) => c.code === code)?.labels[lang] ?? String(code);
  switch (def.type) {
    case "yesNo":
      return value ? YES_LABEL[lang] : NO_LABEL[lang];
    case "oneOf":
      return labelOf(value);
    case "manyOf":
      return Array.isArray(value) ? value.map(labelOf).join("; ") : String(value);
    case "group":
      return JSON.stringify(value);
    default:
      return String(value);
  }
}
const YES_LABEL: Labels = { en: "Yes", es: "Sí", fr: "Oui", ar: "نعم" };
const NO_LABEL: Labels = { en: "No", es: "No", fr: "Non", ar: "لا" };

/** The patch shape every record type accepts for configured values (checked per key by core). */
export const ConfiguredChanges = z.record(z.string(), z.unknown());
