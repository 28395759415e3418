import { useState } from "react";
import {
  configuredValueSchema,
  type CodeList,
  type FieldDefinition,
  type Labels,
  type SubFieldDefinition,
} from "@waypoint/schema";
import { z } from "zod";
import { isoToParts } from "../components/DateInput.tsx";
import type { FormField } from "../components/formFields.ts";
import { useMe } from "../components/lookups.ts";
import { Modal } from "../components/Modal.tsx";
import { patchOne } from "../components/patchOne.ts";
import { RecordForm } from "../components/RecordForm.tsx";
import { useRefName } from "../grid/RefCell.tsx";
import { useI18n, type I18n } from "../i18n/i18n.tsx";
import { codeTable, roleEdits, updateActionOf, useCatalogue, type Catalogue } from "./catalogue.ts";
import { groupToRaw } from "./GroupRows.tsx";
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
function questionOf(def: FieldDefinition, list: CodeList | undefined, lang: keyof Labels, catalogue: Catalogue): FormField {
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
    case "group":
      // entries added and removed, an input per sub-field (GroupRows)
      return {
        ...base,
        kind: "group",
        group: { subFields: (def.subFields ?? []) as SubFieldDefinition[], lists: (k) => catalogue.lists.get(k) },
      };
    case "reference":
      return def.referenceType === "individual" ? { ...base, kind: "ref", ref: "individuals" } : { ...base, kind: "text" };
    default:
      return { ...base, kind: "text" };
  }
}

/** A stored value as the form holds it (date parts, numbers as text, a group's entries as their inputs hold them). */
function toRaw(def: FieldDefinition, v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  if (def.type === "group") return groupToRaw((def.subFields ?? []) as SubFieldDefinition[], v);
  if (def.type === "date") return isoToParts(String(v));
  if (def.type === "number") return String(v);
  return v;
}

/** A collection whose records carry configured values: its key (record type) and its API path (bulk PATCH). */
type Collection = { key: string; path: string };

/**
 * The configured questions of a form over `defs` (fields the role may fill): their questions in the user's
 * language, the rules of their values (a required field is asked for on create, and on edit where the record
 * holds a value: a record that still lacks one saves its other changes, issue 19, 5.), their starting answers and
 * the `fields` object to send (on edit a cleared answer as null).
 */
function formOf(catalogue: Catalogue, defs: FieldDefinition[], lang: keyof Labels, values: Row, create: boolean) {
  // a code the record already holds stays acceptable (and offered) even once retired: the form re-sends it unchanged
  const listFor = (d: FieldDefinition): CodeList | undefined => {
    const list = d.options ? catalogue.lists.get(d.options) : undefined;
    const held = values[d.key];
    const keep = new Set(Array.isArray(held) ? held : held != null ? [held] : []);
    return list && { ...list, codes: list.codes.map((c) => (keep.has(c.code) ? { ...c, retired: false } : c)) };
  };
  const shape: Record<string, z.ZodType> = {};
  for (const d of defs) {
    const s = configuredValueSchema(d, listFor(d), (k) => catalogue.lists.get(k));
    shape[d.key] = d.required && (create || values[d.key] != null) ? s : s.nullable().optional();
  }
  return {
    questions: defs.map((d) => questionOf(d, listFor(d), lang, catalogue)),
    schema: z.object(shape),
    initial: Object.fromEntries(defs.map((d) => [`fields.${d.key}`, toRaw(d, values[d.key])])),
    /** Every answer, a cleared one as null (only where the record held a value). */
    fieldsOf: (body: Row): Row => {
      const given = (body.fields as Row | undefined) ?? {};
      return Object.fromEntries(
        defs
          .map((d) => [d.key, given[d.key] ?? (values[d.key] != null ? null : undefined)] as const)
          .filter(([, v]) => v !== undefined),
      );
    },
  };
}

/**
 * The configured fields a new record of a collection asks for (an assessment, an incident…): the questions the
 * role may fill, the create schema extended with their rules (required marks, the contract's checks before
 * sending) and the body's `fields`. Server errors at `fields.<key>` land on their question (RecordForm's paths).
 */
export function useConfiguredCreate(resourceKey: string) {
  const { lang } = useI18n();
  const catalogue = useCatalogue(resourceKey);
  const { me } = useMe();
  const defs = (catalogue?.fields ?? []).filter((d) => roleEdits(d, me?.role));
  const form = catalogue && defs.length ? formOf(catalogue, defs, lang, {}, true) : undefined;
  return {
    questions: form?.questions ?? [],
    /** The configured values' rules added to a create schema (the schema itself when there are none). */
    schema: <T extends z.ZodObject>(base: T): z.ZodType => (form ? base.extend({ fields: form.schema }) : base),
    /** The checked body with its configured values in `fields` (an empty object when none was given). */
    transform: (body: Row): Row => (form ? { ...body, fields: form.fieldsOf(body) } : body),
    /** Checks and sends nothing when none applies: for a form of its own (`FormQuestion`s). */
    check: (answers: Row) => form?.schema.safeParse(form.fieldsOf({ fields: answers })),
    fieldsOf: (answers: Row): Row | undefined => {
      const f = form?.fieldsOf({ fields: answers });
      return f && Object.keys(f).length ? f : undefined;
    },
  };
}

/**
 * "Edit these fields" of one record: a RecordForm of the configured fields the role may change on it, saved
 * through the collection's bulk PATCH at the version read as `changes: {fields: {…}}` (only what changed). Nothing
 * is drawn when the role may change none. The record page's section and the rows of a case's related lists
 * (assessments, incidents) use it.
 */
export function ConfiguredEdit(props: {
  collection: Collection;
  id: string;
  record: Row;
  onSaved: () => void;
  /** The catalogue, when the caller has it already. */
  catalogue?: Catalogue;
}) {
  const i18n = useI18n();
  const { lang } = i18n;
  const own = useCatalogue(props.collection.key);
  const catalogue = props.catalogue ?? own;
  const { me, mayOn } = useMe();
  const [open, setOpen] = useState(false);
  if (!catalogue) return null;
  const values = (props.record.fields as Row | undefined) ?? {};
  const action = updateActionOf(props.collection.key);
  const editable = catalogue.fields.filter(
    (d) => action && mayOn(action, props.record) && roleEdits(d, me?.role),
  );
  if (editable.length === 0) return null;
  const form = formOf(catalogue, editable, lang, values, false);
  return (
    <>
      <button aria-haspopup="dialog" type="button" onClick={() => setOpen(true)}>
        {fieldsText(lang, "fields.sectionEdit")}
      </button>
      {open && (
        <Modal title={fieldsText(lang, "fields.sectionEdit")} onClose={() => setOpen(false)} wide>
          <RecordForm
            schema={z.object({ fields: form.schema })}
            fields={form.questions}
            initial={form.initial}
            // every answer, a cleared one as null: the schema checks the whole set, `send` keeps what changed
            transform={(body) => ({ fields: form.fieldsOf(body) })}
            send={(body) => {
              const changed = Object.fromEntries(
                Object.entries(body.fields as Row).filter(([k, v]) => !same(v, values[k])),
              );
              return Object.keys(changed).length
                ? patchOne(props.collection.path, props.id, Number(props.record.version), { fields: changed })
                : Promise.resolve(props.record);
            }}
            submitLabel={i18n.t("form.submit")}
            onCancel={() => setOpen(false)}
            onDone={() => {
              setOpen(false);
              props.onSaved();
            }}
          />
        </Modal>
      )}
    </>
  );
}

/**
 * A record's configured values as a short list (label: value, in the user's language; references by name): the
 * read view of records listed on another record's page (a case's assessments and incidents). Only the fields the
 * role may see are in the catalogue; the server withholds the others' values.
 */
export function ConfiguredValues(props: { resourceKey: string; record: Row }) {
  const { lang } = useI18n();
  const catalogue = useCatalogue(props.resourceKey);
  if (!catalogue) return null;
  const values = (props.record.fields as Row | undefined) ?? {};
  const held = catalogue.fields.filter((d) => {
    const v = values[d.key];
    return v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0);
  });
  if (held.length === 0) return <>—</>;
  return (
    <dl className="fields compact">
      {held.map((d) => (
        <div key={d.key} data-field={`fields.${d.key}`}>
          <dt>{d.labels[lang] || d.labels.en}</dt>
          <dd>
            <ValueOf def={d} value={values[d.key]} catalogue={catalogue} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Whether a collection has configured fields the signed-in role sees (a related list adds their column then). */
export function useHasConfigured(resourceKey: string): boolean {
  return (useCatalogue(resourceKey)?.fields.length ?? 0) > 0;
}

/**
 * The record page's section of the operation's configured fields (issue 19): each field the role may see, by its
 * label, and the section's one action, "Edit these fields" (`ConfiguredEdit`), when the role may change the record
 * and at least one field. A repeating group's entries are added, removed and changed in that form too (its
 * problems on the entry's input and in the form's error summary), like every other section's action.
 */
export function ConfiguredSection(props: { resource: Collection; id: string; record: Row; reload: () => void }) {
  const { lang } = useI18n();
  const say = (k: Parameters<typeof fieldsText>[1]) => fieldsText(lang, k);
  const catalogue = useCatalogue(props.resource.key);
  if (!catalogue || catalogue.fields.length === 0) return null;
  const values = (props.record.fields as Row | undefined) ?? {};
  return (
    <section className="card" aria-labelledby="configured-fields">
      <h2 id="configured-fields">{say("fields.section")}</h2>
      <dl className="fields">
        {catalogue.fields.map((d) => (
          <div key={d.key} data-field={`fields.${d.key}`}>
            <dt>{d.labels[lang] || d.labels.en}</dt>
            <dd>
              <ValueOf def={d} value={values[d.key]} catalogue={catalogue} />
            </dd>
          </div>
        ))}
      </dl>
      <div className="actions">
        <ConfiguredEdit
          collection={props.resource}
          id={props.id}
          record={props.record}
          catalogue={catalogue}
          onSaved={props.reload}
        />
      </div>
    </section>
  );
}
