import { useState, type FormEvent } from "react";
import { validateConfiguredValue, type FieldDefinition, type Labels, type SubFieldDefinition } from "@waypoint/schema";
import { ApiError } from "../api/client.ts";
import { Modal } from "../components/Modal.tsx";
import { patchOne } from "../components/patchOne.ts";
import { useI18n } from "../i18n/i18n.tsx";
import type { Catalogue } from "./catalogue.ts";
import { cellMessage, fieldsText, type FieldsTextKey } from "./fieldsText.ts";

type Raw = string | string[];
type RawRow = Record<string, Raw>;
type Row = Record<string, unknown>;

/** A stored entry's value as the form holds it (text in inputs, yes/no as "yes"/"no", codes as arrays). */
function toRaw(sub: SubFieldDefinition, v: unknown): Raw {
  if (v === undefined || v === null) return sub.type === "manyOf" ? [] : "";
  if (sub.type === "yesNo") return v ? "yes" : "no";
  if (sub.type === "manyOf") return Array.isArray(v) ? v.map(String) : [String(v)];
  return String(v);
}

/** What the form holds as the API's value; undefined for an empty answer. */
function toValue(sub: SubFieldDefinition, raw: Raw | undefined): unknown {
  if (Array.isArray(raw)) return raw.length ? raw : undefined;
  const s = (raw ?? "").trim();
  if (s === "") return undefined;
  if (sub.type === "yesNo") return s === "yes";
  if (sub.type === "number") {
    const n = Number(s.replace(",", "."));
    return Number.isFinite(n) ? n : s;
  }
  return s;
}

/**
 * The entries of a repeating group on a record (issue 19): a row per entry with an input per sub-field, add and
 * remove entries, problems shown beside the entry and sub-field they belong to (checked as the API checks them, and
 * the API's own refusals at `fields.<key>.<row>.<sub>`); saved through the collection's bulk PATCH at the version read.
 */
export function GroupEditor(props: {
  def: FieldDefinition;
  catalogue: Catalogue;
  value: unknown;
  collection: string;
  id: string;
  version: number;
  onClose: () => void;
  onSaved: () => void;
}) {
  const i18n = useI18n();
  const { lang } = i18n;
  const say = (k: FieldsTextKey, v?: Record<string, string | number>) => fieldsText(lang, k, v);
  const subs = (props.def.subFields ?? []) as SubFieldDefinition[];
  const label = (l: Labels) => l[lang] || l.en;
  const [rows, setRows] = useState<RawRow[]>(() =>
    Array.isArray(props.value)
      ? (props.value as Row[]).map((r) => Object.fromEntries(subs.map((s) => [s.key, toRaw(s, r?.[s.key])])))
      : [],
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const base = `fields.${props.def.key}`;

  const setCell = (i: number, key: string, v: Raw) => {
    setRows((cur) => cur.map((r, j) => (j === i ? { ...r, [key]: v } : r)));
    setErrors((cur) => Object.fromEntries(Object.entries(cur).filter(([k]) => k !== `${i}.${key}` && k !== "form")));
  };
  const addRow = () => setRows((cur) => [...cur, Object.fromEntries(subs.map((s) => [s.key, toRaw(s, undefined)]))]);
  const removeRow = (i: number) => {
    setRows((cur) => cur.filter((_, j) => j !== i));
    setErrors({});
  };

  /** Problems by `<row>.<sub>` (or `form`) from issue paths `fields.<key>.<row>.<sub>`. */
  const place = (issues: { path: string; message: string }[]) => {
    const out: Record<string, string> = {};
    for (const is of issues) {
      const rest = is.path.startsWith(`${base}.`) ? is.path.slice(base.length + 1) : "";
      const m = /^(\d+)\.([^.]+)/.exec(rest);
      const at = m ? `${m[1]}.${m[2]}` : "form";
      out[at] ??= cellMessage(lang, is.message);
    }
    if (Object.keys(out).some((k) => k !== "form")) out.form ??= say("group.bad");
    return out;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const value: Row[] = rows.map((r) => {
      const entry: Row = {};
      for (const s of subs) {
        const v = toValue(s, r[s.key]);
        if (v !== undefined) entry[s.key] = v;
      }
      return entry;
    });
    const checked = validateConfiguredValue(props.def, value.length ? value : null, undefined, (k) =>
      props.catalogue.lists.get(k),
    );
    if (!checked.ok) return setErrors(place(checked.issues));
    setBusy(true);
    try {
      await patchOne(props.collection, props.id, props.version, { fields: { [props.def.key]: value.length ? value : null } });
      props.onSaved();
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && err.problem.errors?.length)
        setErrors(place(err.problem.errors.map((x) => ({ path: x.path, message: x.message ?? "" }))));
      else if (err instanceof ApiError && err.status === 409) setErrors({ form: say("group.conflict") });
      else if (err instanceof ApiError && err.status === 403) setErrors({ form: say("fields.refused") });
      else setErrors({ form: say("fields.bad.other") });
    } finally {
      setBusy(false);
    }
  };

  const input = (i: number, s: SubFieldDefinition) => {
    const id = `g-${props.def.key}-${i}-${s.key}`;
    const errID = `${id}-error`;
    const bad = errors[`${i}.${s.key}`];
    const aria = bad ? { "aria-invalid": true as const, "aria-describedby": errID } : {};
    const raw = rows[i]![s.key];
    const list = s.options ? props.catalogue.lists.get(s.options) : undefined;
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
    else if (s.type === "longText")
      control = <textarea id={id} value={raw as string} onChange={(e) => setCell(i, s.key, e.target.value)} {...aria} />;
    else
      control = (
        <input
          id={id}
          type={s.type === "date" ? "date" : "text"}
          inputMode={s.type === "number" ? "decimal" : s.type === "phone" ? "tel" : undefined}
          dir={s.type === "phone" || s.type === "number" ? "ltr" : undefined}
          value={raw as string}
          onChange={(e) => setCell(i, s.key, e.target.value)}
          {...aria}
        />
      );
    return (
      <div className="group-cell" key={s.key} data-sub={s.key}>
        <label htmlFor={id} id={`${id}-label`}>
          {label(s.labels as Labels)}
          {s.required ? " *" : ""}
        </label>
        {control}
        {bad && (
          <span className="error field-error" id={errID}>
            {bad}
          </span>
        )}
      </div>
    );
  };

  const title = say("group.edit", { label: label(props.def.labels as Labels) });
  return (
    <Modal title={title} onClose={props.onClose} wide>
      <form className="form group-editor" noValidate onSubmit={(e) => void submit(e)} aria-label={title}>
        {errors.form && (
          <p role="alert" className="error">
            {errors.form}
          </p>
        )}
        {rows.length === 0 && <p className="muted">{say("group.none")}</p>}
        {rows.map((_, i) => (
          <fieldset key={i} className="group-row" data-row={i}>
            <legend>{say("group.row", { n: i + 1 })}</legend>
            {subs.map((s) => input(i, s))}
            <button type="button" onClick={() => removeRow(i)}>
              {say("group.removeRow", { n: i + 1 })}
            </button>
          </fieldset>
        ))}
        <div className="actions">
          <button type="button" onClick={addRow}>
            {say("group.addRow")}
          </button>
          <span className="spacer" />
          <button type="button" onClick={props.onClose}>
            {say("fields.cancel")}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {i18n.t("form.submit")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
