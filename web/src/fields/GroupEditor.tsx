import { useState, type FormEvent } from "react";
import { validateConfiguredValue, type FieldDefinition, type Labels, type SubFieldDefinition } from "@waypoint/schema";
import { ApiError } from "../api/client.ts";
import { Modal } from "../components/Modal.tsx";
import { patchOne } from "../components/patchOne.ts";
import { useI18n } from "../i18n/i18n.tsx";
import type { Catalogue } from "./catalogue.ts";
import { cellMessage, fieldsText, type FieldsTextKey } from "./fieldsText.ts";
import { groupIssue, GroupRows, groupToRaw, groupValue, type GroupRawRow } from "./GroupRows.tsx";

type Row = Record<string, unknown>;

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
  const [rows, setRows] = useState<GroupRawRow[]>(() => groupToRaw(subs, props.value));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const base = `fields.${props.def.key}`;

  const change = (next: GroupRawRow[], touched?: string) => {
    setRows(next);
    // a changed answer loses its problem; an entry added or removed moves the entries: their problems go
    setErrors((cur) =>
      touched ? Object.fromEntries(Object.entries(cur).filter(([k]) => k !== touched && k !== "form")) : {},
    );
  };

  /** Problems by `<row>.<sub>` (or `form`) from issue paths `fields.<key>.<row>.<sub>`. */
  const place = (issues: { path: string; message: string }[]) => {
    const out: Record<string, string> = {};
    for (const is of issues) {
      const rest = is.path.startsWith(`${base}.`) ? is.path.slice(base.length + 1) : "";
      const g = groupIssue(lang, label(props.def.labels as Labels), subs, rest, is.message);
      out[g?.at ?? "form"] ??= g?.inline ?? cellMessage(lang, is.message);
    }
    if (Object.keys(out).some((k) => k !== "form")) out.form ??= say("group.bad");
    return out;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const value: Row[] = groupValue(subs, rows) ?? [];
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

  const title = say("group.edit", { label: label(props.def.labels as Labels) });
  return (
    <Modal title={title} onClose={props.onClose} wide>
      <form className="form group-editor" noValidate onSubmit={(e) => void submit(e)} aria-label={title}>
        {errors.form && (
          <p role="alert" className="error">
            {errors.form}
          </p>
        )}
        <GroupRows
          idPrefix={`g-${props.def.key}`}
          spec={{ subFields: subs, lists: (k) => props.catalogue.lists.get(k) }}
          rows={rows}
          errors={errors}
          onChange={change}
        />
        <div className="actions">
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
