import { FILTER_DEBOUNCE_MS } from "./filterTiming.ts";
import type {
  ColDef,
  ICellEditorParams,
  ITooltipParams,
  CellClassParams,
  ValueFormatterParams,
} from "ag-grid-community";
import {
  codeLabel,
  coerceConfiguredCell,
  labelToCode,
  parseDateCell,
  type CodeList,
  type FieldDefinition,
  type LabelLanguage,
  type Labels,
} from "@waypoint/schema";
import { issueKnown, issueText } from "../components/formFields.ts";
import { cellMessage } from "../fields/fieldsText.ts";
import type { z } from "zod";
import type { I18n } from "../i18n/i18n.tsx";
import type { GridStore, Values } from "./store.ts";
import { formatMoney } from "../payments/money.ts";
import { languageName } from "../i18n/languages.ts";

/** How a column is edited, pasted into and shown. */
export type Kind =
  | "text"
  | "code"
  | "number"
  | "date"
  | "datetime"
  | "enum"
  | "codes"
  | "list"
  | "bool"
  | "household"
  | "office"
  | "readonly";
export interface FieldSpec {
  kind: Kind;
  field: string;
  editable: boolean;
  /** Labels of an enum or code list, per UI language. */
  table?: Record<string, Labels>;
  /** A list of ISO 639-3 language codes, shown as the languages' names on screens. */
  languages?: boolean;
  /**
   * A field the operation configured (`fields.<key>`, issue 19): its definition and code list. Its cells are read
   * and checked with the contract's own rules (`coerceConfiguredCell`), as core checks them.
   */
  configured?: { def: FieldDefinition; list?: CodeList };
  /** A column of references to records of this collection (RefCell.tsx `refColumn`), shown by their names. */
  ref?: string;
  /**
   * The key keyedSort orders a value by, when it is not the stored value: a reference's name. Only such columns
   * have one, so other columns' sorts read nothing more per row.
   */
  sortKey?: (value: unknown, data: unknown, ctx: GridContext) => unknown;
  /**
   * The label a stored code sorts by (its name in the user's language), asked once per distinct value rather than
   * per row (keyedSort): a country or a code list's value sorts as the cell reads, in the language's own order.
   */
  sortLabel?: (value: unknown, ctx: GridContext) => string;
}

/** What every cell callback can reach through the grid's `context` (one object, replaced only on re-mount). */
export interface GridContext {
  i18n: I18n;
  store: GridStore;
  /** Household id → registration number, for the household reference column. */
  households: Map<string, string>;
  offices: Map<string, string>;
  officeID: string | null;
}

export type CellRead = { ok: true; value: unknown } | { ok: false; value: unknown; message: string };

const LIST_SPLIT = /[;,|\n]+/;
const TRUE = ["true", "yes", "y", "1", "si", "sí", "oui", "نعم", "x"];
const FALSE = ["false", "no", "n", "0", "non", "لا"];

/** The value for a cell from text typed, pasted or imported; empty text clears the cell. */
export function fromText(
  spec: FieldSpec,
  raw: string,
  ctx?: Pick<GridContext, "households" | "offices">,
): CellRead {
  const text = raw.trim();
  if (spec.configured) {
    const r = coerceConfiguredCell(spec.configured.def, raw, spec.configured.list);
    return r.ok ? r : { ok: false, value: text, message: r.message };
  }
  if (text === "") return { ok: true, value: spec.kind === "codes" || spec.kind === "list" ? [] : null };
  switch (spec.kind) {
    case "number": {
      const n = Number(text.replace(/\s/g, "").replace(",", "."));
      return Number.isFinite(n)
        ? { ok: true, value: n }
        : { ok: false, value: text, message: "must be a number" };
    }
    case "date":
      return { ok: true, value: parseDateCell(text) ?? text };
    case "enum":
      return { ok: true, value: (spec.table && labelToCode(spec.table, text)) ?? text };
    case "codes": {
      const parts = text
        .split(LIST_SPLIT)
        .map((p) => p.trim())
        .filter(Boolean);
      const codes = parts.map((p) => spec.table && labelToCode(spec.table, p));
      const bad = parts.filter((_, i) => !codes[i]);
      return bad.length
        ? { ok: false, value: parts, message: `unknown code: ${bad.join(", ")}` }
        : { ok: true, value: codes };
    }
    case "list":
      return {
        ok: true,
        value: text
          .split(LIST_SPLIT)
          .map((p) => p.trim().toLowerCase())
          .filter(Boolean),
      };
    case "bool": {
      const t = text.toLowerCase();
      if (TRUE.includes(t)) return { ok: true, value: true };
      if (FALSE.includes(t)) return { ok: true, value: false };
      return { ok: false, value: text, message: "must be yes or no" };
    }
    case "code":
      return { ok: true, value: text.toUpperCase() };
    case "household": {
      if (/^hh_/i.test(text)) return { ok: true, value: text };
      for (const [id, number] of ctx?.households ?? []) if (number === text) return { ok: true, value: id };
      return { ok: true, value: text };
    }
    case "office": {
      const t = text.toLowerCase();
      for (const [id, name] of ctx?.offices ?? [])
        if (id === text || name.toLowerCase() === t) return { ok: true, value: id };
      return { ok: true, value: text };
    }
    default:
      return { ok: true, value: text };
  }
}

/** An editor's value (strings are read like pasted text; pickers already give typed values). */
export function fromEditor(spec: FieldSpec, value: unknown, ctx?: GridContext): CellRead {
  if (typeof value === "string") return fromText(spec, value, ctx);
  return { ok: true, value: value === undefined ? null : value };
}

/** The text a value exports as and the set-field dialog pre-fills with. */
export function toText(
  spec: FieldSpec,
  value: unknown,
  lang: LabelLanguage = "en",
  offices?: Map<string, string>,
  /** Labels instead of codes for code lists (screens); exports keep codes so files re-import exactly. */
  labels = false,
): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value) && spec.kind === "codes" && labels && spec.table)
    return value.map((c: string) => codeLabel(spec.table!, c, lang)).join("; ");
  if (Array.isArray(value) && spec.languages && labels)
    return value.map((c) => languageName(String(c), lang)).join(", ");
  if (Array.isArray(value)) return value.join("; ");
  if (spec.kind === "enum" && spec.table) return codeLabel(spec.table, String(value), lang);
  if (spec.kind === "bool") return value ? "yes" : "no";
  if (spec.kind === "office" && offices) return offices.get(String(value)) ?? String(value);
  return String(value);
}

/** Checks one field with the API's own patch schema (the zod object's shape). */
export function fieldValidator(changes: z.ZodObject) {
  const shape = changes.shape as Record<string, z.ZodType>;
  return (field: string, value: unknown, isNew: boolean): string | undefined => {
    // a value inside an object the API takes in a patch (`channel.msisdn`) is checked as that object with it alone
    const dot = field.indexOf(".");
    const schema = shape[field] ?? (dot > 0 ? shape[field.slice(0, dot)] : undefined);
    if (!schema) return undefined;
    if (isNew && (value === null || (Array.isArray(value) && value.length === 0))) return undefined;
    const r = schema.safeParse(shape[field] ? value : { [field.slice(dot + 1)]: value });
    return r.success ? undefined : (r.error.issues[0]?.message ?? "invalid");
  };
}

const ctxOf = (p: { context: unknown }) => p.context as GridContext;
const keyOf = (p: { context: unknown; data?: unknown }) => ctxOf(p).store.keyOf(p.data as Values);

/**
 * Shared, referentially stable cell callbacks: dirty and invalid cells, and the error as the cell's tooltip (the
 * browser's own, `enableBrowserTooltips` in EditableGrid: AG Grid's drawn tooltips build a tooltip state manager
 * for every drawn cell, whether or not it has a message, about 7 ms of each sort at 100,000 rows in a profile).
 */
const cellClassRules = {
  "wp-dirty": (p: CellClassParams) => Boolean(p.data) && ctxOf(p).store.isDirty(keyOf(p), p.colDef.field!),
  "wp-invalid": (p: CellClassParams) =>
    Boolean(p.data) && Boolean(ctxOf(p).store.error(keyOf(p), p.colDef.field!)),
};
const tooltipValueGetter = (p: ITooltipParams) =>
  p.data && p.colDef && "field" in p.colDef ? cellError(ctxOf(p), keyOf(p), p.colDef.field!) : undefined;

/** A cell's problem as the user reads it: a configured value's in their language (the contract words it in English). */
export function cellError(
  ctx: Pick<GridContext, "store" | "i18n">,
  key: string,
  field: string,
): string | undefined {
  const message = ctx.store.error(key, field);
  if (!message) return undefined;
  // the API's known codes (`invalid.msisdn`) as the form says them, naming the column
  const code = ctx.store.errorCode(key, field);
  if (code && !field.startsWith("fields.") && issueKnown(code))
    return issueText(ctx.i18n, ctx.i18n.field(field), { code, message }, false);
  return field.includes(".") ? cellMessage(ctx.i18n.lang, message) : message;
}
/** A column's header: the field's label in the user's language. */
export const headerValueGetter = (p: { colDef: ColDef; context: unknown }) =>
  ctxOf(p).i18n.field(p.colDef.field!);
const dateFormatter = (p: ValueFormatterParams) => ctxOf(p).i18n.date(p.value as string);
const dateTimeFormatter = (p: ValueFormatterParams) => ctxOf(p).i18n.dateTime(p.value as string);
const numberFormatter = (p: ValueFormatterParams) =>
  typeof p.value === "number" ? ctxOf(p).i18n.number(p.value) : String(p.value ?? "");
const boolFormatter = (p: ValueFormatterParams) =>
  p.value === true ? ctxOf(p).i18n.t("common.yes") : p.value === false ? ctxOf(p).i18n.t("common.no") : "";
const listFormatter = (p: ValueFormatterParams) =>
  Array.isArray(p.value) ? p.value.join(", ") : String(p.value ?? "");
const languagesFormatter = (p: ValueFormatterParams) =>
  Array.isArray(p.value)
    ? p.value.map((c) => languageName(String(c), ctxOf(p).i18n.lang)).join(", ")
    : String(p.value ?? "");
const householdFormatter = (p: ValueFormatterParams) =>
  p.value ? (ctxOf(p).households.get(p.value as string) ?? String(p.value)) : "";
const officeFormatter = (p: ValueFormatterParams) =>
  p.value ? (ctxOf(p).offices.get(p.value as string) ?? String(p.value)) : "";
const isoComparator = (filter: Date, cell: string | null) => {
  if (!cell) return -1;
  const day = filter.toISOString().slice(0, 10);
  const c = cell.slice(0, 10);
  return c === day ? 0 : c < day ? -1 : 1;
};

function enumFormatter(table: Record<string, Labels>) {
  return (p: ValueFormatterParams) =>
    p.value === null || p.value === undefined ? "" : codeLabel(table, String(p.value), ctxOf(p).i18n.lang);
}
function codesFormatter(table: Record<string, Labels>) {
  return (p: ValueFormatterParams) =>
    Array.isArray(p.value)
      ? p.value.map((c: string) => codeLabel(table, c, ctxOf(p).i18n.lang)).join(", ")
      : "";
}

/**
 * Column builders for one record type. `changes` is the domain's patch schema from @waypoint/schema: a field is
 * editable exactly when the API accepts it in a patch, and its cell is validated with the same schema.
 */
export function columnsFor<Row>(changes: z.ZodObject) {
  // a dotted column edits a value inside an object the patch takes (`channel.msisdn` in `channel`), unless it
  // says `editable: false` (`channel.type`: the kind of account changes on the payee's page)
  const editable = (field: string, extra: ColDef<Row>) =>
    field in changes.shape ||
    (field.includes(".") && extra.editable !== false && field.slice(0, field.indexOf(".")) in changes.shape);
  const base = (
    field: string,
    kind: Kind,
    extra: ColDef<Row> = {},
    table?: Record<string, Labels>,
  ): ColDef<Row> => {
    // a column may add to its spec (`refColumn`: what it references and how it sorts)
    const spec: FieldSpec = {
      ...(extra.context as Partial<FieldSpec> | undefined),
      field,
      kind,
      editable: kind !== "readonly" && editable(field, extra),
      table,
    };
    // a text filter reads what the cell shows (yes/no, codes' and languages' names, a household's name), not the
    // stored value, unless the column says how it filters
    const shows = extra.valueFormatter;
    const byShown: ColDef<Row> =
      typeof shows === "function" &&
      (extra.filter ?? "agTextColumnFilter") === "agTextColumnFilter" &&
      !extra.filterValueGetter
        ? {
            filterValueGetter: (p) =>
              shows({ ...p, value: p.getValue(field) } as unknown as ValueFormatterParams<Row>) ?? "",
          }
        : {};
    return {
      field: field as ColDef<Row>["field"],
      headerValueGetter,
      editable: spec.editable,
      cellClassRules,
      tooltipValueGetter,
      filter: "agTextColumnFilter",
      ...byShown,
      ...extra,
      context: spec,
      // AG Grid waits 500 ms after typing by default (see filterTiming.ts). Both conditions of a filter are in
      // its popup from the start (the second one enabled once the first has a value): AG Grid otherwise builds the
      // second condition's fields on the first key typed, about 20 ms before the rows filter (profiled at 100,000)
      filterParams: {
        debounceMs: FILTER_DEBOUNCE_MS,
        numAlwaysVisibleConditions: 2,
        ...(extra.filterParams as object | undefined),
      },
    };
  };
  return {
    readonly: (field: string, extra: ColDef<Row> = {}) =>
      base(field, "readonly", { cellDataType: "text", ...extra }),
    text: (field: string, extra: ColDef<Row> = {}) => base(field, "text", { cellDataType: "text", ...extra }),
    code: (field: string, extra: ColDef<Row> = {}) =>
      base(field, "code", { cellDataType: "text", width: 120, ...extra }),
    number: (field: string, extra: ColDef<Row> = {}) =>
      base(field, "number", {
        cellDataType: "number",
        filter: "agNumberColumnFilter",
        valueFormatter: numberFormatter,
        width: 130,
        ...extra,
      }),
    date: (field: string, extra: ColDef<Row> = {}) =>
      base(field, "date", {
        cellDataType: "dateString",
        cellEditor: "agDateStringCellEditor",
        valueFormatter: dateFormatter,
        filter: "agDateColumnFilter",
        filterParams: { comparator: isoComparator },
        width: 150,
        ...extra,
      }),
    datetime: (field: string, extra: ColDef<Row> = {}) =>
      base(field, "readonly", {
        cellDataType: false,
        valueFormatter: dateTimeFormatter,
        filter: "agDateColumnFilter",
        filterParams: { comparator: isoComparator },
        width: 180,
        ...extra,
      }),
    enum: (field: string, table: Record<string, Labels>, extra: ColDef<Row> = {}) =>
      base(
        field,
        "enum",
        {
          cellDataType: false,
          valueFormatter: enumFormatter(table),
          getQuickFilterText: (p) =>
            `${p.value ?? ""} ${enumFormatter(table)(p as unknown as ValueFormatterParams)}`,
          filterValueGetter: (p) => {
            const v = p.getValue(field);
            return v ? codeLabel(table, String(v), ctxOf(p).i18n.lang) : "";
          },
          cellEditor: "agSelectCellEditor",
          cellEditorParams: (p: ICellEditorParams) => ({
            values: Object.keys(table),
            formatValue: (v: string) => codeLabel(table, v, ctxOf(p).i18n.lang),
          }),
          context: {
            sortLabel: (v: unknown, ctx: GridContext) => codeLabel(table, String(v), ctx.i18n.lang),
          },
          width: 160,
          ...extra,
        },
        table,
      ),
    codes: (field: string, table: Record<string, Labels>, extra: ColDef<Row> = {}) =>
      base(
        field,
        "codes",
        {
          cellDataType: false,
          valueFormatter: codesFormatter(table),
          cellEditor: "codesEditor",
          cellEditorPopup: true,
          width: 220,
          ...extra,
        },
        table,
      ),
    list: (field: string, extra: ColDef<Row> = {}) =>
      base(field, "list", { cellDataType: false, valueFormatter: listFormatter, width: 140, ...extra }),
    /** ISO 639-3 codes, shown as the languages' names in the UI language (typed and pasted as codes). */
    languages: (field: string, extra: ColDef<Row> = {}) => {
      const col = base(field, "list", {
        cellDataType: false,
        valueFormatter: languagesFormatter,
        width: 160,
        ...extra,
      });
      (col.context as FieldSpec).languages = true;
      return col;
    },
    bool: (field: string, extra: ColDef<Row> = {}) =>
      base(field, "bool", {
        cellDataType: false,
        valueFormatter: boolFormatter,
        cellEditor: "agSelectCellEditor",
        cellEditorParams: (p: ICellEditorParams) => ({
          values: [true, false],
          formatValue: (v: boolean) => ctxOf(p).i18n.t(v ? "common.yes" : "common.no"),
        }),
        width: 120,
        ...extra,
      }),
    household: (field: string, extra: ColDef<Row> = {}) =>
      base(field, "household", {
        cellDataType: "text",
        valueFormatter: householdFormatter,
        // sorted by the registration number it shows, not by the household's ID
        context: {
          sortKey: (v: unknown, _d: unknown, ctx: GridContext) =>
            v ? (ctx.households.get(v as string) ?? v) : v,
        },
        width: 170,
        ...extra,
      }),
    office: (field: string, extra: ColDef<Row> = {}) =>
      base(field, "office", {
        cellDataType: "text",
        valueFormatter: officeFormatter,
        cellEditor: "agSelectCellEditor",
        cellEditorParams: (p: ICellEditorParams) => ({
          values: [...ctxOf(p).offices.keys()],
          formatValue: (v: string) => ctxOf(p).offices.get(v) ?? v,
        }),
        filterValueGetter: (p) => ctxOf(p).offices.get(p.getValue(field) as string) ?? "",
        getQuickFilterText: (p) => ctxOf(p).offices.get(p.value as string) ?? "",
        // sorted by the office's name, not by its ID
        context: {
          sortKey: (v: unknown, _d: unknown, ctx: GridContext) =>
            v ? (ctx.offices.get(v as string) ?? v) : v,
        },
        width: 190,
        ...extra,
      }),
  };
}

export const specOf = (col: { getColDef(): ColDef }) => col.getColDef().context as FieldSpec | undefined;

export { getPath } from "./path.ts";

/** Integer minor units shown as money in the row's currency (e.g. 150000 MXN → MX$1,500.00). */
export const moneyFormatter = (p: ValueFormatterParams) => {
  const currency = (p.data as Record<string, unknown> | undefined)?.currency as string | undefined;
  if (typeof p.value !== "number" || !currency) return String(p.value ?? "");
  return formatMoney(ctxOf(p).i18n.locale, currency, p.value);
};
