import { useState } from "react";
import { configuredValueSchema, type CodeList, type FieldDefinition, type Labels } from "@waypoint/schema";
import { z } from "zod";
import { isoToParts } from "../components/DateInput.tsx";
import type { FormField } from "../components/formFields.ts";
import { useMe } from "../components/lookups.ts";
import { Modal } from "../components/Modal.tsx";
import { patchOne } from "../components/patchOne.ts";
import { RecordForm } from "../components/RecordForm.tsx";
import type { Resource } from "../domains/resources.ts";
import { useRefName } from "../grid/RefCell.tsx";
import { useI18n, type I18n } from "../i18n/i18n.tsx";
import { codeTable, roleEdits, roleSees, updateActionOf, useCatalogue, type Catalogue } from "./catalogue.ts";
import { GroupEditor } from "./GroupEditor.tsx";
import { fieldsText } from "./fieldsText.ts";

type Row = Record<string, unknown>;
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Which collection names the records a reference field points to (for the name shown instead of the ID). */
const REF_COLLECTION: Record<string, string> = {
  individual: "individuals",
  household: "households",
  case: "cases",
  payee: "payees",
};

/** A configured value as a person reads it: codes by their label, dates and numbers in the locale, yes/no in words. */
export function configuredText(i18n: I18n, catalogue: Catalogue | undefined, def: FieldDefinition, v: unknown): string {
  if (v === null || v === undefined || v === "") return "";
  const list = def.options ? catalogue?.lists.get(def.options) : undefined;
  const label = (code: unknown) => {
    const l = list?.codes.find((c) => c.code === code)?.labels as Labels | undefined;
    return l ? l[i18n.lang] || l.en : String(code);
  };
  switch (def.type) {
    case "date":
      return i18n.date(String(v));
    case "number":
      return typeof v === "number" ? i18n.number(v) : String(v);
    case "yesNo":
      return i18n.t(v ? "common.yes" : "common.no");
    case "oneOf":
      return label(v);
    case "manyOf":
      return Array.isArray(v) ? v.map(label).join(", ") : label(v);
    case "group":
      return Array.isArray(v)
        ? v
            .map((entry: Row) =>
              (def.subFields ?? [])
                .filter((s) => entry?.[s.key] !== undefined && entry[s.key] !== null)
                .map((s) => `${s.labels[i18n.lang] || s.labels.en}: ${configuredText(i18n, catalogue, s as FieldDefinition, entry[s.key])}`)
                .join(" · "),
            )
            .join(" | ")
        : "";
    default:
      return String(v);
  }
}

function ValueOf(props: { def: FieldDefinition; value: unknown; catalogue: Catalogue }) {
  const i18n = useI18n();
  const ref = props.def.type === "reference" ? REF_COLLECTION[props.def.referenceType ?? ""] : undefined;
  const name = useRefName(ref ?? "", ref ? props.value : undefined);
  if (props.def.type === "reference") return <>{props.value ? (name ?? "…") : "—"}</>;
  return <>{configuredText(i18n, props.catalogue, props.def, props.value) || "—"}</>;
}

/** A form question for a configured field (its labels and help in the user's language). */
function questionOf(def: FieldDefinition, list: CodeList | undefined, lang: keyof Labels): FormField {
  const base = {
    field: `fields.${def.key}`,
    label: def.labels[lang] || def.labels.en,
    hint: def.help?.[lang] || def.help?.en || undefined,
  };
  switch (def.type) {
    case "longText":
      return { ...base, kind: "textarea" };
    case "number":
      return { ...base, kind: "number" };
    case "date":
      return { ...base, kind: "date" };
    case "yesNo":
      return { ...base, kind: "bool" };
    case "oneOf":
      return { ...base, kind: "enum", table: codeTable(list, true) };
    case "manyOf":
      return { ...base, kind: "codes", table: codeTable(list, true) };
    case "reference":
      return def.referenceType === "individual" ? { ...base, kind: "ref", ref: "individuals" } : { ...base, kind: "text" };
    default:
      return { ...base, kind: "text" };
  }
}

/** A stored value as the form holds it (date parts, numbers as text). */
function toRaw(def: FieldDefinition, v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  if (def.type === "date") return isoToParts(String(v));
  if (def.type === "number") return String(v);
  return v;
}

/**
 * The record page's section of the operation's configured fields (issue 19): each field the role may see, by its
 * label, and "Edit these fields" (a RecordForm, saved through the collection's bulk PATCH at the version read as
 * `changes: {fields: {…}}`) when the role may change the record and at least one field.
 */
export function ConfiguredSection(props: { resource: Resource; id: string; record: Row; reload: () => void }) {
  const i18n = useI18n();
  const { lang } = i18n;
  const say = (k: Parameters<typeof fieldsText>[1]) => fieldsText(lang, k);
  const catalogue = useCatalogue(props.resource.key);
  const { me, mayOn } = useMe();
  const [open, setOpen] = useState(false);
  const [group, setGroup] = useState<FieldDefinition | null>(null);
  if (!catalogue || catalogue.fields.length === 0) return null;
  const values = (props.record.fields as Row | undefined) ?? {};
  const action = updateActionOf(props.resource.key);
  const editable = catalogue.fields.filter(
    (d) => action && mayOn(action, props.record) && roleEdits(d, me?.role) && d.type !== "group",
  );
  // repeating groups: edited entry by entry in their own window (a group the role may change)
  const groupEditable = (d: FieldDefinition) =>
    d.type === "group" &&
    Boolean(action && mayOn(action, props.record)) &&
    roleSees(d, me?.role) &&
    (!d.editableBy || d.editableBy.includes(me!.role));
  // a code the record already holds stays acceptable (and offered) even once retired: the form re-sends it unchanged
  const listFor = (d: FieldDefinition): CodeList | undefined => {
    const list = d.options ? catalogue.lists.get(d.options) : undefined;
    const held = values[d.key];
    const keep = new Set(Array.isArray(held) ? held : held != null ? [held] : []);
    return list && { ...list, codes: list.codes.map((c) => (keep.has(c.code) ? { ...c, retired: false } : c)) };
  };
  const shape: Record<string, z.ZodType> = {};
  for (const d of editable) {
    const s = configuredValueSchema(d, listFor(d), (k) => catalogue.lists.get(k));
    // a required field asks for an answer, but a record that still lacks one saves its other changes (issue 19, 5.)
    shape[d.key] = d.required && values[d.key] != null ? s : s.nullable().optional();
  }
  const schema = z.object({ fields: z.object(shape) });
  const initial = Object.fromEntries(editable.map((d) => [`fields.${d.key}`, toRaw(d, values[d.key])]));
  return (
    <section className="card" aria-labelledby="configured-fields">
      <h2 id="configured-fields">{say("fields.section")}</h2>
      <dl className="fields">
        {catalogue.fields.map((d) => (
          <div key={d.key} data-field={`fields.${d.key}`}>
            <dt>{d.labels[lang] || d.labels.en}</dt>
            <dd>
              <ValueOf def={d} value={values[d.key]} catalogue={catalogue} />
              {groupEditable(d) && (
                <>
                  {" "}
                  <button type="button" className="link" aria-haspopup="dialog" onClick={() => setGroup(d)}>
                    {fieldsText(lang, "group.edit", { label: d.labels[lang] || d.labels.en })}
                  </button>
                </>
              )}
            </dd>
          </div>
        ))}
      </dl>
      {editable.length > 0 && (
        <div className="actions">
          <button aria-haspopup="dialog" type="button" onClick={() => setOpen(true)}>
            {say("fields.sectionEdit")}
          </button>
        </div>
      )}
      {group && (
        <GroupEditor
          def={group}
          catalogue={catalogue}
          value={values[group.key]}
          collection={props.resource.path}
          id={props.id}
          version={Number(props.record.version)}
          onClose={() => setGroup(null)}
          onSaved={() => {
            setGroup(null);
            props.reload();
          }}
        />
      )}
      {open && (
        <Modal title={say("fields.sectionEdit")} onClose={() => setOpen(false)} wide>
          <RecordForm
            schema={schema}
            fields={editable.map((d) => questionOf(d, listFor(d), lang))}
            initial={initial}
            // every answer, a cleared one as null: the schema checks the whole set, `send` keeps what changed
            transform={(body) => {
              const given = (body.fields as Row | undefined) ?? {};
              return {
                fields: Object.fromEntries(
                  editable
                    .map((d) => [d.key, given[d.key] ?? (values[d.key] != null ? null : undefined)] as const)
                    .filter(([, v]) => v !== undefined),
                ),
              };
            }}
            send={(body) => {
              const changed = Object.fromEntries(
                Object.entries(body.fields as Row).filter(([k, v]) => !same(v, values[k])),
              );
              return Object.keys(changed).length
                ? patchOne(props.resource.path, props.id, Number(props.record.version), { fields: changed })
                : Promise.resolve(props.record);
            }}
            submitLabel={i18n.t("form.submit")}
            onCancel={() => setOpen(false)}
            onDone={() => {
              setOpen(false);
              props.reload();
            }}
          />
        </Modal>
      )}
    </section>
  );
}
