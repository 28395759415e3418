import type { CodeList, Labels, SubFieldDefinition } from "@waypoint/schema";
import { DateInput, isoToParts, partsToIso, type DateParts } from "../components/DateInput.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { cellMessage, fieldsText } from "./fieldsText.ts";

/** One sub-field's answer as its input holds it: text (yes/no as "yes"/"no"), codes, or a date's day, month, year. */
export type GroupRaw = string | string[] | DateParts;
/** One entry of a repeating group as the form holds it, by sub-field key. */
export type GroupRawRow = Record<string, GroupRaw>;
type Row = Record<string, unknown>;

/** What a form needs to draw a repeating group: its sub-fields and the code lists they name. */
export interface GroupSpec {
  subFields: SubFieldDefinition[];
  lists: (listKey: string) => CodeList | undefined;
}

/** A stored sub-field value as the form holds it. */
function subToRaw(sub: SubFieldDefinition, v: unknown): GroupRaw {
  if (sub.type === "date") return isoToParts(v === undefined || v === null ? undefined : String(v));
  if (v === undefined || v === null) return sub.type === "manyOf" ? [] : "";
  if (sub.type === "yesNo") return v ? "yes" : "no";
  if (sub.type === "manyOf") return Array.isArray(v) ? v.map(String) : [String(v)];
  return String(v);
}

/** A sub-field's answer as the API's value; undefined for an empty answer. */
function subToValue(sub: SubFieldDefinition, raw: GroupRaw | undefined): unknown {
  if (Array.isArray(raw)) return raw.length ? raw : undefined;
  if (typeof raw === "object") return partsToIso(raw);
  const s = (raw ?? "").trim();
  if (s === "") return undefined;
  if (sub.type === "yesNo") return s === "yes";
  if (sub.type === "number") {
    const n = Number(s.replace(",", "."));
    return Number.isFinite(n) ? n : s;
  }
  return s;
}

/** An empty entry. */
export const emptyGroupRow = (subs: SubFieldDefinition[]): GroupRawRow =>
  Object.fromEntries(subs.map((s) => [s.key, subToRaw(s, undefined)]));

/** A stored group value (its entries) as the form holds it. */
export function groupToRaw(subs: SubFieldDefinition[], value: unknown): GroupRawRow[] {
  return Array.isArray(value)
    ? (value as Row[]).map((r) => Object.fromEntries(subs.map((s) => [s.key, subToRaw(s, r?.[s.key])])))
    : [];
}

/** The entries as the API takes them (empty answers left out of each entry); undefined when there is none. */
export function groupValue(subs: SubFieldDefinition[], raw: unknown): Row[] | undefined {
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  return (raw as GroupRawRow[]).map((r) => {
    const entry: Row = {};
    for (const s of subs) {
      const v = subToValue(s, r[s.key]);
      if (v !== undefined) entry[s.key] = v;
    }
    return entry;
  });
}

/**
 * Where a problem of a group belongs, from its path below the group (`<row>.<sub>…`, as the API's
 * `fields.<key>.<row>.<sub>` and the contract's checks give it): the entry and sub-field (`at`, "1.age"), the
 * sentence shown beside that input (the contract's message in the user's language) and the one of the error
 * summary ("Household members · Entry 2 · Age: …"). Undefined for a problem of the whole group.
 */
export function groupIssue(
  lang: keyof Labels,
  groupLabel: string,
  subs: SubFieldDefinition[],
  rest: string,
  message: string,
): { at: string; inline: string; summary: string } | undefined {
  const m = /^(\d+)\.([^.]+)/.exec(rest);
  if (!m) return undefined;
  const sub = subs.find((s) => s.key === m[2]);
  const inline = cellMessage(lang, message);
  const where = [groupLabel, fieldsText(lang, "group.row", { n: Number(m[1]) + 1 }), sub ? sub.labels[lang] || sub.labels.en : m[2]!];
  return { at: `${m[1]}.${m[2]}`, inline, summary: `${where.join(" · ")}: ${inline}` };
}

/**
 * The entries of a repeating group as inputs (issue 19, like Primero's subforms): a fieldset per entry with an
 * input per sub-field (labels in the user's language, required marks), its problem beside it (`errors` by
 * `<row>.<sub>`), "Remove entry n" and "Add an entry", each named by the group too (a form may ask two groups: a
 * screen reader's list of buttons tells them apart). Controlled: `onChange` gets the new entries and the
 * `<row>.<sub>` the person changed (none when entries were added or removed). Every form that asks configured
 * fields draws it (RecordForm's `FormQuestion`), "Edit these fields" on a record page included.
 */
export function GroupRows(props: {
  /** Prefix of the inputs' IDs (an input is `<idPrefix>-<row>-<sub>`). */
  idPrefix: string;
  /** The group's label in the user's language (names its buttons). */
  label: string;
  spec: GroupSpec;
  rows: GroupRawRow[];
  errors: Record<string, string>;
  onChange: (rows: GroupRawRow[], touched?: string) => void;
}) {
  const i18n = useI18n();
  const { lang } = i18n;
  const subs = props.spec.subFields;
  const label = (l: Labels) => l[lang] || l.en;
  const { rows } = props;
  const setCell = (i: number, key: string, v: GroupRaw) =>
    props.onChange(
      rows.map((r, j) => (j === i ? { ...r, [key]: v } : r)),
      `${i}.${key}`,
    );

  const input = (i: number, s: SubFieldDefinition) => {
    const id = `${props.idPrefix}-${i}-${s.key}`;
    const errID = `${id}-error`;
    const bad = props.errors[`${i}.${s.key}`];
    const aria = bad ? { "aria-invalid": true as const, "aria-describedby": errID } : {};
    const raw = rows[i]![s.key] ?? subToRaw(s, undefined);
    const list = s.options ? props.spec.lists(s.options) : undefined;
    const codes = (list?.codes ?? []).filter((c) => !c.retired || (Array.isArray(raw) ? raw.includes(c.code) : raw === c.code));
    let control;
    if (s.type === "oneOf")
      control = (
        <select id={id} value={raw as string} onChange={(e) => setCell(i, s.key, e.target.value)} {...aria}>
          <option value="" />
          {codes.map((c) => (
            <option key={c.code} value={c.code}>
              {label(c.labels as Labels)}
            </option>
          ))}
        </select>
      );
    else if (s.type === "manyOf")
      control = (
        <div className="checks" role="group" aria-labelledby={`${id}-label`} {...aria}>
          {codes.map((c) => (
            <label key={c.code} className="check">
              <input
                type="checkbox"
                checked={(raw as string[]).includes(c.code)}
                onChange={(e) =>
                  setCell(i, s.key, e.target.checked ? [...(raw as string[]), c.code] : (raw as string[]).filter((x) => x !== c.code))
                }
              />
              {label(c.labels as Labels)}
            </label>
          ))}
        </div>
      );
    else if (s.type === "yesNo")
      control = (
        <select id={id} value={raw as string} onChange={(e) => setCell(i, s.key, e.target.value)} {...aria}>
          <option value="" />
          <option value="yes">{i18n.t("common.yes")}</option>
          <option value="no">{i18n.t("common.no")}</option>
        </select>
      );
    else if (s.type === "date")
      // day, month and year boxes in the UI language's order, as every other date of a form (GOV.UK)
      control = (
        <DateInput
          id={id}
          value={raw as DateParts}
          labelledBy={`${id}-label`}
          invalid={Boolean(bad)}
          describedBy={bad ? errID : undefined}
          onChange={(v) => setCell(i, s.key, v)}
        />
      );
    else if (s.type === "longText")
      control = <textarea id={id} value={raw as string} onChange={(e) => setCell(i, s.key, e.target.value)} {...aria} />;
    else
      control = (
        <input
          id={id}
          type="text"
          inputMode={s.type === "number" ? "decimal" : s.type === "phone" ? "tel" : undefined}
          dir={s.type === "phone" || s.type === "number" ? "ltr" : undefined}
          value={raw as string}
          onChange={(e) => setCell(i, s.key, e.target.value)}
          {...aria}
        />
      );
    return (
      <div className={bad ? "group-cell invalid" : "group-cell"} key={s.key} data-sub={s.key}>
        {/* a date's boxes and a many-of's boxes are a group named by this label, not one input */}
        <label htmlFor={s.type === "date" || s.type === "manyOf" ? undefined : id} id={`${id}-label`}>
          {label(s.labels as Labels)}
          {s.required ? " *" : ""}
        </label>
        {/* the problem between the label and the input, as a form's other questions show theirs */}
        {bad && (
          <span className="error field-error" id={errID}>
            {bad}
          </span>
        )}
        {control}
      </div>
    );
  };

  return (
    <div className="group-rows">
      {rows.length === 0 && <p className="muted">{fieldsText(lang, "group.none")}</p>}
      {rows.map((_, i) => (
        <fieldset key={i} className="group-row" data-row={i}>
          <legend>{fieldsText(lang, "group.row", { n: i + 1 })}</legend>
          {subs.map((s) => input(i, s))}
          <button
            type="button"
            aria-label={fieldsText(lang, "group.removeRowOf", { n: i + 1, label: props.label })}
            onClick={() => props.onChange(rows.filter((_, j) => j !== i))}
          >
            {fieldsText(lang, "group.removeRow", { n: i + 1 })}
          </button>
        </fieldset>
      ))}
      <div className="actions">
        <button
          type="button"
          aria-label={fieldsText(lang, "group.addRowTo", { label: props.label })}
          onClick={() => props.onChange([...rows, emptyGroupRow(subs)])}
        >
          {fieldsText(lang, "group.addRow")}
        </button>
      </div>
    </div>
  );
}
