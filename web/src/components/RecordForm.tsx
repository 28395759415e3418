import { useEffect, useRef, useState, type ReactNode } from "react";
import { codeLabel } from "@waypoint/schema";
import type { z } from "zod";
import { ApiError, api } from "../api/client.ts";
import { refusalKey } from "../api/refusal.ts";
import { useI18n, type I18n } from "../i18n/i18n.tsx";
import { Messages, type MessageKey } from "../i18n/messages.ts";
import { groupIssue, GroupRows, groupValue, type GroupRawRow } from "../fields/GroupRows.tsx";
import { fieldsText } from "../fields/fieldsText.ts";
import { DateInput, partsToIso, type DateParts } from "./DateInput.tsx";
import { enumOptions, isRequired, issueText, maxLength, type FormField } from "./formFields.ts";
import { RecordPicker } from "./RecordPicker.tsx";
import { useOffices } from "./lookups.ts";
import "./forms.css";

type Values = Record<string, unknown>;
type Issue = { path: string; code?: string; message: string };
/**
 * A problem as a form shows it: the question it belongs to (none: the whole form), the sentence of the error
 * summary, and for an entry of a repeating group the `<row>.<sub>` it belongs to and the sentence beside that input.
 */
export type FormError = { field?: string; text: string; at?: string; inline?: string };

export interface RecordFormProps {
  /** The API's own create (or action) schema from @waypoint/schema: what is required, the choices, the limits. */
  schema: z.ZodType;
  fields: FormField[];
  /** Values the form sends without asking (the case, the office…). */
  fixed?: Values;
  /** Starting values by field (raw: strings, booleans, date parts). */
  initial?: Values;
  method?: "POST" | "PATCH" | "PUT";
  /** Where the form is sent; or `send` for anything else (a file upload). */
  path?: string;
  send?: (body: Values) => Promise<unknown>;
  /** Turns the checked values into the request body (e.g. questionnaire answers into a list). */
  transform?: (body: Values) => Values;
  /** Which form field an API error path belongs to, when it is not the field itself. */
  fieldOfPath?: (path: string) => string | undefined;
  submitLabel: string;
  onDone: (result: unknown) => void;
  onCancel?: () => void;
  /** Shown above the questions. */
  intro?: ReactNode;
  /** An office for the person search to start from. */
  officeID?: string;
  /** Told of every change of an answer (raw values by field), for forms that react to what is being filled in. */
  onValues?: (values: Values) => void;
  /** Filled with a setter of answers, for a form's own controls (e.g. "use this free slot"). */
  control?: { current?: (values: Values) => void };
  /** Shown under the questions, above the buttons (e.g. the booking's conflicts). */
  footer?: ReactNode;
  /** For `ref` questions: told of the record picked (its languages, its cases). */
  onPicked?: (field: string, record: Values | undefined) => void;
}

const fieldID = (f: string) => `f-${f.replace(/\W/g, "-")}`;

function setPath(obj: Values, path: string, value: unknown) {
  const parts = path.split(".");
  let cur = obj;
  for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Values;
  cur[parts[parts.length - 1]!] = value;
}

/** The typed value of one answer, or undefined when it was left empty. */
export function typed(f: FormField, raw: unknown): unknown {
  if (raw === undefined || raw === null || raw === "") return undefined;
  switch (f.kind) {
    case "date":
      return partsToIso(raw as DateParts);
    case "number": {
      const n = Number(String(raw).replace(",", "."));
      return Number.isFinite(n) ? n : String(raw);
    }
    case "list":
      return String(raw)
        .split(/[;,\s]+/)
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean);
    case "codes":
      return (raw as string[]).length ? raw : undefined;
    case "group":
      return groupValue(f.group?.subFields ?? [], raw);
    default:
      return typeof raw === "string" ? raw.trim() || undefined : raw;
  }
}

/** Whether a chosen file matches an `accept` list (extensions, media types, `image/*`), as the chooser does. */
function accepts(accept: string, file: File): boolean {
  const name = file.name.toLowerCase();
  const type = file.type.toLowerCase();
  return accept
    .split(",")
    .map((a) => a.trim().toLowerCase())
    .some((a) =>
      a.startsWith(".") ? name.endsWith(a) : a.endsWith("/*") ? type.startsWith(a.slice(0, -1)) : type === a,
    );
}

/** The sentence for a refusal: a known rule code in the user's language, else the API's own words. */
export function problemSentence(i18n: I18n, e: unknown): string {
  if (!(e instanceof ApiError)) return i18n.t("form.error.network");
  const key = `problem.${e.problem.code ?? ""}` as MessageKey;
  if (e.problem.code && key in Messages.en) return i18n.t(key);
  if (e.status === 403) return i18n.t(refusalKey(e.problem.action));
  if (e.status === 409) return i18n.t("form.error.conflict");
  return e.problem.detail ?? e.problem.title;
}

/**
 * Problems (the API's problem+json `errors`, or the schema's own issues) placed on the form's questions: the
 * question whose field is the path or its longest prefix (`fieldFor`), a repeating group's problem on its entry and
 * sub-field (`fields.<key>.<row>.<sub>`), each in the user's language.
 */
export function placeIssues(
  i18n: I18n,
  fields: FormField[],
  values: Values,
  issues: Issue[],
  labelOf: (f: FormField) => string,
  fieldFor: (path: string) => string | undefined,
): FormError[] {
  return issues.map((i) => {
    const name = fieldFor(i.path);
    const f = fields.find((x) => x.field === name);
    if (f?.kind === "group" && f.group && i.path.startsWith(`${f.field}.`)) {
      const g = groupIssue(i18n.lang, labelOf(f), f.group.subFields, i.path.slice(f.field.length + 1), i.message);
      if (g) return { field: f.field, text: g.summary, at: g.at, inline: g.inline };
    }
    const empty = f ? typed(f, values[f.field]) === undefined : false;
    return { field: name, text: issueText(i18n, f ? labelOf(f) : i18n.field(i.path), i, empty, f?.kind) };
  });
}

/** A question's own problem and, for a repeating group, its entries' problems by `<row>.<sub>`. */
export function errorsOf(i18n: I18n, errors: FormError[], field: string): { error?: string; subErrors?: Record<string, string> } {
  const own = errors.filter((e) => e.field === field);
  const subs = own.filter((e) => e.at);
  const whole = own.find((e) => !e.at)?.text;
  if (!subs.length) return { error: whole };
  return {
    error: whole ?? fieldsText(i18n.lang, "group.bad"),
    subErrors: Object.fromEntries(subs.reverse().map((e) => [e.at!, e.inline ?? e.text])),
  };
}

/** The problems left once a question's answer changed (only the changed entry's, for a group's sub-field). */
export function clearErrors(errors: FormError[], field: string, touched?: string): FormError[] {
  return errors.filter((e) => e.field !== field || (touched !== undefined && e.at !== undefined && e.at !== touched));
}

/**
 * A form built from a record type's description: the API's zod schema (required fields, choices, limits) and the
 * FieldSpecs the grid uses (kind, code list), labelled through the field labels. Checked with the same schema
 * before sending; the API's problem+json errors land on their fields, and every error is also listed at the top
 * (GOV.UK error summary), in the user's language.
 */
export function RecordForm(props: RecordFormProps) {
  const i18n = useI18n();
  const { t, field: fieldLabel } = i18n;
  const [values, setValues] = useState<Values>(props.initial ?? {});
  const [errors, setErrors] = useState<FormError[]>([]);
  const [busy, setBusy] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  const labelOf = (f: FormField) => f.label ?? fieldLabel(f.field);
  const set = (name: string, v: unknown, touched?: string) => {
    setValues((cur) => ({ ...cur, [name]: v }));
    setErrors((cur) => clearErrors(cur, name, touched));
  };
  const setMany = (changes: Values) => {
    setValues((cur) => ({ ...cur, ...changes }));
    setErrors((cur) => cur.filter((e) => !e.field || !(e.field in changes)));
  };
  if (props.control) props.control.current = setMany;
  const { onValues } = props;
  useEffect(() => onValues?.(values), [values, onValues]);
  const fieldFor = (path: string): string | undefined => {
    const own = props.fieldOfPath?.(path);
    if (own) return own;
    let best: string | undefined;
    for (const f of props.fields)
      if ((path === f.field || path.startsWith(`${f.field}.`)) && f.field.length > (best?.length ?? -1))
        best = f.field;
    // an object left out entirely (consent) belongs to its first question (consent.given)
    return best ?? props.fields.find((f) => f.field.startsWith(`${path}.`))?.field;
  };
  const show = (issues: Issue[]) => {
    setErrors(placeIssues(i18n, props.fields, values, issues, labelOf, fieldFor));
    requestAnimationFrame(() => summary.current?.focus());
  };

  const submit = async () => {
    const body: Values = {};
    for (const [k, v] of Object.entries(props.fixed ?? {})) setPath(body, k, v);
    const fileIssues: Issue[] = [];
    for (const f of props.fields) {
      const v = typed(f, values[f.field]);
      if (f.kind === "file" && v instanceof File && f.maxBytes && v.size > f.maxBytes)
        fileIssues.push({ path: f.field, code: "tooLarge", message: "too large" });
      else if (f.kind === "file" && v instanceof File && f.accept && !accepts(f.accept, v))
        fileIssues.push({ path: f.field, code: "fileType", message: "type not accepted" });
      if (v !== undefined) setPath(body, f.field, v);
    }
    if (fileIssues.length) return show(fileIssues);
    const out = props.transform ? props.transform(body) : body;
    const check = props.schema.safeParse(out);
    if (!check.success)
      return show(
        check.error.issues.map((i) => ({ path: i.path.join("."), code: i.code, message: i.message })),
      );
    setBusy(true);
    try {
      const result = props.send ? await props.send(out) : await api(props.method ?? "POST", props.path!, out);
      setErrors([]);
      props.onDone(result);
    } catch (e) {
      if (e instanceof ApiError && e.problem.errors?.length) show(e.problem.errors);
      else {
        setErrors([{ text: problemSentence(i18n, e) }]);
        requestAnimationFrame(() => summary.current?.focus());
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="form record-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) void submit();
      }}
    >
      {errors.length > 0 && (
        <div
          className="error-summary"
          role="alert"
          tabIndex={-1}
          ref={summary}
          aria-labelledby="error-summary-title"
        >
          <h3 id="error-summary-title">{t("form.summaryTitle")}</h3>
          <ul>
            {errors.map((e, i) => (
              <li key={i}>
                {e.field ? (
                  <a href={`#${fieldID(e.field)}${e.at ? `-${e.at.replace(".", "-")}` : ""}`}>{e.text}</a>
                ) : (
                  e.text
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      {props.intro}
      {props.fields.map((f) => (
        <FormQuestion
          key={f.field}
          f={f}
          label={labelOf(f)}
          raw={values[f.field]}
          {...errorsOf(i18n, errors, f.field)}
          optional={!isRequired(props.schema, f.field) && f.kind !== "bool"}
          schema={props.schema}
          officeID={props.officeID}
          onChange={(v, touched) => set(f.field, v, touched)}
          onPicked={props.onPicked && ((record) => props.onPicked!(f.field, record))}
        />
      ))}
      {props.footer}
      <div className="actions">
        {props.onCancel && (
          <button type="button" onClick={props.onCancel}>
            {t("common.cancel")}
          </button>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("form.saving") : props.submitLabel}
        </button>
      </div>
    </form>
  );
}

/**
 * One question of a form: its label (with "optional" when the schema does not require it), hint, inline error
 * and input, by the field's kind. RecordForm draws every question with it; a form of its own (a questionnaire)
 * uses it for the questions it shares with records (configured fields).
 */
export function FormQuestion(props: {
  f: FormField;
  label: string;
  /** The answer as the input holds it (strings, booleans, date parts). */
  raw: unknown;
  error?: string;
  /** A repeating group's problems by `<row>.<sub>`, shown beside the entry's input. */
  subErrors?: Record<string, string>;
  optional: boolean;
  /** The schema the answer is checked with (choices and lengths are read from it). */
  schema: z.ZodType;
  officeID?: string;
  /** The new answer; for a repeating group, also the `<row>.<sub>` changed (none when entries were added or removed). */
  onChange: (raw: unknown, touched?: string) => void;
  onPicked?: (record: Values | undefined) => void;
}) {
  const { t, lang } = useI18n();
  const offices = useOffices();
  const { f } = props;
  const input = () => {
    const id = fieldID(f.field);
    const err = props.error;
    const describedBy = err ? `${id}-error` : f.hint ? `${id}-hint` : undefined;
    const common = { id, "aria-invalid": err ? true : undefined, "aria-describedby": describedBy };
    const raw = props.raw;
    const set = (_field: string, v: unknown) => props.onChange(v);
    const str = typeof raw === "string" ? raw : "";
    const choices = (): { value: string; label: string }[] => {
      if (f.options) return f.options;
      const codes = (f.table ? Object.keys(f.table) : undefined) ?? enumOptions(props.schema, f.field) ?? [];
      return codes.map((c) => ({ value: c, label: f.table ? codeLabel(f.table, c, lang) : c }));
    };
    switch (f.kind) {
      case "enum":
      case "select":
      case "office": {
        const opts =
          f.kind === "office" ? [...offices].map(([value, label]) => ({ value, label })) : choices();
        return (
          <select {...common} value={str} onChange={(e) => set(f.field, e.target.value)}>
            <option value="">{t("form.choose")}</option>
            {opts.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        );
      }
      case "codes":
        return (
          <div className="checks" role="group" aria-describedby={describedBy}>
            {choices().map((o) => {
              const list = (raw as string[] | undefined) ?? [];
              return (
                <label key={o.value} className="check">
                  <input
                    type="checkbox"
                    checked={list.includes(o.value)}
                    onChange={(e) =>
                      set(f.field, e.target.checked ? [...list, o.value] : list.filter((x) => x !== o.value))
                    }
                  />
                  {o.label}
                </label>
              );
            })}
          </div>
        );
      case "bool":
        return (
          <div className="radios" role="radiogroup" aria-describedby={describedBy}>
            {[true, false].map((b) => (
              <label key={String(b)} className="check">
                <input
                  type="radio"
                  name={id}
                  id={b ? id : undefined}
                  checked={raw === b}
                  onChange={() => set(f.field, b)}
                />
                {t(b ? "common.yes" : "common.no")}
              </label>
            ))}
          </div>
        );
      case "date":
        return (
          <DateInput
            id={id}
            value={raw as DateParts | undefined}
            invalid={Boolean(err)}
            describedBy={describedBy}
            onChange={(v) => set(f.field, v)}
          />
        );
      case "time":
        return (
          <input
            {...common}
            type="time"
            step={900}
            value={str}
            onChange={(e) => set(f.field, e.target.value)}
          />
        );
      case "ref":
        return (
          <RecordPicker
            id={id}
            value={str || undefined}
            officeID={props.officeID}
            invalid={Boolean(err)}
            describedBy={describedBy}
            onChange={(v, record) => {
              set(f.field, v ?? "");
              props.onPicked?.(record);
            }}
          />
        );
      case "file":
        return (
          <input
            {...common}
            type="file"
            accept={f.accept}
            onChange={(e) => set(f.field, e.target.files?.[0])}
          />
        );
      case "group":
        return (
          <GroupRows
            idPrefix={id}
            label={props.label}
            spec={f.group ?? { subFields: [], lists: () => undefined }}
            rows={(raw as GroupRawRow[] | undefined) ?? []}
            errors={props.subErrors ?? {}}
            onChange={(rows, touched) => props.onChange(rows, touched)}
          />
        );
      case "number":
        return (
          <input {...common} inputMode="decimal" value={str} onChange={(e) => set(f.field, e.target.value)} />
        );
      default: {
        const long = f.kind === "textarea" || (maxLength(props.schema, f.field) ?? 0) > 500;
        return long ? (
          <textarea {...common} rows={5} value={str} onChange={(e) => set(f.field, e.target.value)} />
        ) : (
          <input {...common} type="text" value={str} onChange={(e) => set(f.field, e.target.value)} />
        );
      }
    }
  };
  const id = fieldID(f.field);
  const grouped = f.kind === "date" || f.kind === "bool" || f.kind === "codes" || f.kind === "group";
  const Wrapper = grouped ? "fieldset" : "div";
  return (
    <Wrapper className={props.error ? "question invalid" : "question"}>
      {grouped ? (
        <legend>
          {props.label}
          {props.optional && <span className="muted"> {t("form.optional")}</span>}
        </legend>
      ) : (
        <label htmlFor={id}>
          {props.label}
          {props.optional && <span className="muted"> {t("form.optional")}</span>}
        </label>
      )}
      {f.hint && (
        <p id={`${id}-hint`} className="hint muted small">
          {f.hint}
        </p>
      )}
      {props.error && (
        <p id={`${id}-error`} className="error field-error">
          {props.error}
        </p>
      )}
      {input()}
    </Wrapper>
  );
}
