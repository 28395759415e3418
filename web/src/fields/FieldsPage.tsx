import { useEffect, useState, type FormEvent } from "react";
import {
  CodedFieldTypes,
  FieldRecordTypes,
  FieldTypes,
  Roles,
  type CodeList,
  type FieldDefinition,
  type FieldRecordType,
  type FieldType,
  type Labels,
  type MissingRequired,
  type Role,
  type SubFieldDefinition,
} from "@waypoint/schema";
import { ApiError, api } from "../api/client.ts";
import { Modal } from "../components/Modal.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import type { MessageKey } from "../i18n/messages.ts";
import { navigate } from "../nav.ts";
import { refreshCatalogues } from "./catalogue.ts";
import { fieldsText, type FieldsTextKey } from "./fieldsText.ts";

const LANGS = ["en", "es", "fr", "ar"] as const;
type Lang4 = (typeof LANGS)[number];
const emptyLabels = (): Labels => ({ en: "", es: "", fr: "", ar: "" });
/** Types an admin builds here (every type; a repeating group's sub-fields are any type but a group). */
const FORM_TYPES = FieldTypes;
const SUB_TYPES = FieldTypes.filter((t) => t !== "group");

type Say = (k: FieldsTextKey, v?: Record<string, string | number>) => string;
type Errors = Record<string, string>;

function useSay(): Say {
  const { lang } = useI18n();
  return (k, v) => fieldsText(lang, k, v);
}

/** The field a problem's path belongs to in the form (`changes.labels.es` → `labels.es`, `options`, `key`…). */
function formPath(path: string): string {
  const p = path.replace(/^changes\./, "");
  const [head, second] = p.split(".");
  if (head === "labels" || head === "help") return `${head}.${second ?? "en"}`;
  // a repeating group's sub-field: its problems are shown on that sub-field
  if (head === "subFields") return second !== undefined && /^\d+$/.test(second) ? `subFields.${second}` : "subFields";
  return head ?? "form";
}

/** Problems of a definition as the page's sentences, by form field. */
function errorsOf(issues: { path: string; code?: string }[], say: Say): Errors {
  const out: Errors = {};
  for (const i of issues) {
    const at = formPath(i.path);
    const head = at.split(".")[0]!;
    out[at] ??=
      head === "key"
        ? i.code === "invalid.taken"
          ? say("fields.bad.keyTaken")
          : say("fields.bad.key")
        : head === "labels"
          ? say("fields.bad.label")
          : head === "options"
            ? say("fields.bad.options")
            : head === "hxl"
              ? say("fields.bad.hxl")
              : head === "min" || head === "max"
                ? say("fields.bad.range")
                : head === "referenceType"
                  ? say("fields.bad.referenceType")
                  : head === "subFields"
                    ? say(at === "subFields" ? "sub.none" : "sub.bad")
                    : say("fields.bad.other");
  }
  return out;
}

/**
 * Fields per record type (issue 19): the operation's own fields beside the built-in ones, added, edited (a new
 * version each time) and retired by admins (`field.manage`); retired fields are listed apart and can come back.
 */
export function FieldsPage() {
  const i18n = useI18n();
  const { lang } = i18n;
  const say = useSay();
  const [recordType, setRecordType] = useState<FieldRecordType>("individual");
  const [items, setItems] = useState<FieldDefinition[] | null>(null);
  const [lists, setLists] = useState<CodeList[]>([]);
  const [editing, setEditing] = useState<FieldDefinition | "new" | null>(null);
  const [retiring, setRetiring] = useState<FieldDefinition | null>(null);
  const [notice, setNotice] = useState<{ text: string; missing?: MissingRequired; label?: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    let live = true;
    setItems(null);
    api<{ items: FieldDefinition[] }>("GET", `/api/fields?recordType=${recordType}&includeRetired=true`)
      .then((r) => live && setItems(r.items.filter((d) => d.recordType === recordType)))
      .catch((e) => live && (setItems([]), setError(e instanceof ApiError ? e.message : String(e))));
    api<{ items: CodeList[] }>("GET", "/api/code-lists")
      .then((r) => live && setLists(r.items))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [recordType, reloads]);

  const labelOf = (d: { labels: Labels }) => d.labels[lang] || d.labels.en;
  const listName = (key?: string) => {
    const l = lists.find((x) => x.listKey === key);
    return l ? labelOf(l) : "";
  };
  const roles = (rs: Role[] | undefined, everyone: string) =>
    rs ? rs.map((r) => i18n.t(`role.${r}` as MessageKey)).join(", ") : everyone;
  const typeText = (d: FieldDefinition) =>
    say(`type.${d.type}` as FieldsTextKey) + (d.options ? ` (${listName(d.options)})` : "");
  const changed = (text: string, missing?: MissingRequired, label?: string) => {
    setNotice({ text, missing, label });
    setReloads((n) => n + 1);
    refreshCatalogues();
  };
  const active = (items ?? []).filter((d) => d.status === "active");
  const retired = (items ?? []).filter((d) => d.status === "retired");

  const restore = async (d: FieldDefinition) => {
    try {
      await api("POST", `/api/fields/${encodeURIComponent(d.fieldID)}/restore`, { version: d.version });
      changed(say("fields.restored.done", { label: labelOf(d) }));
    } catch (e) {
      setError(e instanceof ApiError && e.status === 409 ? say("fields.bad.conflict") : say("fields.bad.other"));
    }
  };

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{say("fields.title")}</h1>
      <p className="muted">{say("fields.intro")}</p>
      <div className="toolbar">
        <label>
          {say("fields.recordType")}{" "}
          <select
            value={recordType}
            onChange={(e) => (setRecordType(e.target.value as FieldRecordType), setNotice(null), setError(null))}
          >
            {FieldRecordTypes.map((t) => (
              <option key={t} value={t}>
                {say(`rt.${t}` as FieldsTextKey)}
              </option>
            ))}
          </select>
        </label>
        <button aria-haspopup="dialog" type="button" className="primary" onClick={() => setEditing("new")}>
          {say("fields.add")}
        </button>
        <a
          href="/code-lists"
          onClick={(e) => {
            e.preventDefault();
            navigate("/code-lists");
          }}
        >
          {say("fields.manageLists")}
        </a>
      </div>
      {notice && (
        <div className="notice" role="status" data-testid="fields-notice">
          {notice.text}
          {notice.missing && notice.missing.count > 0 && (
            <>
              {" "}
              {say("fields.missing", {
                count: notice.missing.count,
                label: notice.label ?? "",
              })}{" "}
              <a
                href="/data-quality"
                onClick={(e) => {
                  e.preventDefault();
                  navigate("/data-quality");
                }}
              >
                {say("fields.missingLink")}
              </a>
            </>
          )}
        </div>
      )}
      {error && (
        <div className="notice error" role="alert">
          {error}
        </div>
      )}
      <section className="card" aria-labelledby="active-fields">
        <h2 id="active-fields">{say("fields.active")}</h2>
        {items && active.length === 0 && <p className="muted">{say("fields.none")}</p>}
        {active.length > 0 && (
          <table className="plain" aria-labelledby="active-fields">
            <thead>
              <tr>
                <th scope="col">{say("fields.col.label")}</th>
                <th scope="col">{say("fields.col.type")}</th>
                <th scope="col">{say("fields.col.required")}</th>
                <th scope="col">{say("fields.col.seenBy")}</th>
                <th scope="col">{say("fields.col.editedBy")}</th>
                <th scope="col">{say("fields.col.hxl")}</th>
                <th scope="col">{say("fields.col.version")}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {active.map((d) => (
                <tr key={d.fieldID} data-field={d.key}>
                  <th scope="row">{labelOf(d)}</th>
                  <td>{typeText(d)}</td>
                  <td>{i18n.t(d.required ? "common.yes" : "common.no")}</td>
                  <td>
                    {roles(d.visibleTo, say("fields.everyone"))}
                    {d.sensitive && <span className="muted"> · {say("fields.sensitiveMark")}</span>}
                  </td>
                  <td>{roles(d.editableBy, say("fields.everyoneEdits"))}</td>
                  <td dir="ltr">{d.hxl ?? ""}</td>
                  <td>{i18n.number(d.version)}</td>
                  <td className="actions">
                    <button aria-haspopup="dialog" type="button" onClick={() => setEditing(d)}>
                      {say("fields.edit")}
                    </button>
                    <button aria-haspopup="dialog" type="button" onClick={() => setRetiring(d)}>
                      {say("fields.retire")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card" aria-labelledby="retired-fields">
        <h2 id="retired-fields">{say("fields.retired")}</h2>
        {retired.length === 0 ? (
          <p className="muted">{say("fields.noRetired")}</p>
        ) : (
          <table className="plain" aria-labelledby="retired-fields">
            <thead>
              <tr>
                <th scope="col">{say("fields.col.label")}</th>
                <th scope="col">{say("fields.col.type")}</th>
                <th scope="col">{say("fields.col.version")}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {retired.map((d) => (
                <tr key={d.fieldID} data-field={d.key}>
                  <th scope="row">{labelOf(d)}</th>
                  <td>{typeText(d)}</td>
                  <td>{i18n.number(d.version)}</td>
                  <td>
                    <button type="button" onClick={() => void restore(d)}>
                      {say("fields.restore")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {editing && (
        <FieldForm
          recordType={recordType}
          field={editing === "new" ? undefined : editing}
          lists={lists}
          onClose={() => setEditing(null)}
          onSaved={(d, missing) => {
            setEditing(null);
            changed(say("fields.saved", { label: labelOf(d), version: d.version }), missing, labelOf(d));
          }}
        />
      )}
      {retiring && (
        <RetireDialog
          field={retiring}
          label={labelOf(retiring)}
          onClose={() => setRetiring(null)}
          onDone={() => {
            const label = labelOf(retiring);
            setRetiring(null);
            changed(say("fields.retired.done", { label }));
          }}
        />
      )}
    </section>
  );
}

function RetireDialog(props: { field: FieldDefinition; label: string; onClose: () => void; onDone: () => void }) {
  const say = useSay();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const retire = async () => {
    setBusy(true);
    try {
      await api("POST", `/api/fields/${encodeURIComponent(props.field.fieldID)}/retire`, {
        version: props.field.version,
      });
      props.onDone();
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 409
          ? say("fields.bad.conflict")
          : e instanceof ApiError && e.status === 403
            ? say("fields.refused")
            : say("fields.bad.other"),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={say("fields.retire")} onClose={props.onClose}>
      <p>{say("fields.retireConfirm", { label: props.label })}</p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={props.onClose}>
          {say("fields.cancel")}
        </button>
        <button type="button" className="primary" disabled={busy} onClick={() => void retire()}>
          {say("fields.retire")}
        </button>
      </div>
    </Modal>
  );
}

interface Draft {
  key: string;
  type: FieldType;
  options: string;
  labels: Labels;
  help: Labels;
  required: boolean;
  visibleTo: Role[];
  editableBy: Role[];
  sensitive: boolean;
  hxl: string;
  min: string;
  max: string;
  integer: boolean;
  referenceType: FieldRecordType | "";
  subFields: SubDraft[];
}

/** One sub-field of a repeating group as the form holds it. */
interface SubDraft {
  key: string;
  type: Exclude<FieldType, "group">;
  labels: Labels;
  required: boolean;
  options: string;
  min: string;
  max: string;
  integer: boolean;
}
const subDraftOf = (s?: SubFieldDefinition): SubDraft => ({
  key: s?.key ?? "",
  type: (s?.type ?? "text") as SubDraft["type"],
  labels: s ? { ...(s.labels as Labels) } : emptyLabels(),
  required: s?.required ?? false,
  options: s?.options ?? "",
  min: s?.min === undefined ? "" : String(s.min),
  max: s?.max === undefined ? "" : String(s.max),
  integer: s?.integer ?? false,
});
const subBody = (s: SubDraft) => ({
  key: s.key.trim(),
  type: s.type,
  labels: Object.fromEntries(LANGS.map((l) => [l, s.labels[l].trim()])) as Labels,
  required: s.required,
  ...(CodedFieldTypes.includes(s.type) ? { options: s.options || undefined } : {}),
  ...(s.type === "number" ? { min: num(s.min), max: num(s.max), integer: s.integer } : {}),
});

function draftOf(d: FieldDefinition | undefined): Draft {
  return {
    key: d?.key ?? "",
    type: d?.type ?? "text",
    options: d?.options ?? "",
    labels: d ? { ...(d.labels as Labels) } : emptyLabels(),
    help: { ...emptyLabels(), ...(d?.help ?? {}) },
    required: d?.required ?? false,
    visibleTo: d?.visibleTo ?? [],
    editableBy: d?.editableBy ?? [],
    sensitive: d?.sensitive ?? false,
    hxl: d?.hxl ?? "",
    min: d?.min === undefined ? "" : String(d.min),
    max: d?.max === undefined ? "" : String(d.max),
    integer: d?.integer ?? false,
    referenceType: d?.referenceType ?? "",
    subFields: (d?.subFields ?? []).map((x) => subDraftOf(x as SubFieldDefinition)),
  };
}

const num = (s: string) => (s.trim() === "" ? undefined : Number(s.replace(",", ".")));
const helpOf = (h: Labels) => {
  const out = Object.fromEntries(LANGS.filter((l) => h[l].trim()).map((l) => [l, h[l].trim()]));
  return Object.keys(out).length ? out : undefined;
};

/** Add or edit a field: key and type only when adding; every change saves a new version. */
function FieldForm(props: {
  recordType: FieldRecordType;
  field?: FieldDefinition;
  lists: CodeList[];
  onClose: () => void;
  onSaved: (d: FieldDefinition, missing?: MissingRequired) => void;
}) {
  const i18n = useI18n();
  const { lang } = i18n;
  const say = useSay();
  const [d, setD] = useState<Draft>(() => draftOf(props.field));
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const isNew = !props.field;
  const set = (patch: Partial<Draft>, ...paths: string[]) => {
    setD((cur) => ({ ...cur, ...patch }));
    if (paths.length)
      setErrors((cur) => Object.fromEntries(Object.entries(cur).filter(([k]) => !paths.includes(k) && k !== "form")));
  };
  const coded = CodedFieldTypes.includes(d.type);

  const body = () => {
    const common = {
      labels: Object.fromEntries(LANGS.map((l) => [l, d.labels[l].trim()])) as Labels,
      help: helpOf(d.help),
      required: d.required,
      visibleTo: d.visibleTo.length ? d.visibleTo : undefined,
      editableBy: d.editableBy.length ? d.editableBy : undefined,
      sensitive: d.sensitive,
      hxl: d.hxl.trim() || undefined,
      ...(coded ? { options: d.options || undefined } : {}),
      ...(d.type === "number" ? { min: num(d.min), max: num(d.max), integer: d.integer } : {}),
      ...(d.type === "reference" ? { referenceType: d.referenceType || undefined } : {}),
      ...(d.type === "group" ? { subFields: d.subFields.map(subBody) } : {}),
    };
    return common;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const b = body();
    // what the browser can tell at once (the same words as the API's refusals)
    const local: { path: string; code?: string }[] = [];
    if (isNew && !/^[a-z][a-zA-Z0-9_]{1,39}$/.test(d.key)) local.push({ path: "key" });
    for (const l of LANGS) if (!b.labels[l]) local.push({ path: `labels.${l}` });
    if (coded && !d.options) local.push({ path: "options" });
    if (b.hxl && !/^#[a-z][a-z0-9_]*(\s*\+[a-z][a-z0-9_]*)*$/.test(b.hxl)) local.push({ path: "hxl" });
    if (d.type === "number" && [b.min, b.max].some((n) => n !== undefined && !Number.isFinite(n)))
      local.push({ path: "min" });
    if (d.type === "reference" && !d.referenceType) local.push({ path: "referenceType" });
    if (d.type === "group") {
      if (d.subFields.length === 0) local.push({ path: "subFields" });
      d.subFields.forEach((x, i) => {
        const keys = d.subFields.map((y) => y.key.trim());
        if (
          !/^[a-z][a-zA-Z0-9_]{1,39}$/.test(x.key.trim()) ||
          keys.indexOf(x.key.trim()) !== i ||
          LANGS.some((l) => !x.labels[l].trim()) ||
          (CodedFieldTypes.includes(x.type) && !x.options)
        )
          local.push({ path: `subFields.${i}` });
      });
    }
    if (local.length) return setErrors({ ...errorsOf(local, say), form: say("fields.bad.form") });
    setBusy(true);
    try {
      let res: { field: FieldDefinition; missingRequired?: MissingRequired };
      if (isNew) {
        res = await api("POST", "/api/fields", { recordType: props.recordType, key: d.key, type: d.type, ...b });
      } else {
        const f = props.field!;
        const before = draftOf(f);
        const changes: Record<string, unknown> = {};
        const differs = (a: unknown, c: unknown) => JSON.stringify(a ?? null) !== JSON.stringify(c ?? null);
        if (differs(b.labels, f.labels)) changes.labels = b.labels;
        if (differs(b.help, f.help && helpOf({ ...emptyLabels(), ...f.help }))) changes.help = b.help ?? null;
        if (d.required !== before.required) changes.required = d.required;
        if (differs(b.visibleTo, f.visibleTo)) changes.visibleTo = b.visibleTo ?? null;
        if (differs(b.editableBy, f.editableBy)) changes.editableBy = b.editableBy ?? null;
        if (d.sensitive !== before.sensitive) changes.sensitive = d.sensitive;
        if (differs(b.hxl, f.hxl)) changes.hxl = b.hxl ?? null;
        if (coded && d.options !== before.options) changes.options = d.options;
        if (d.type === "number") {
          if (differs(num(d.min), f.min)) changes.min = num(d.min) ?? null;
          if (differs(num(d.max), f.max)) changes.max = num(d.max) ?? null;
          if (d.integer !== before.integer) changes.integer = d.integer;
        }
        if (d.type === "group" && differs(b.subFields, f.subFields?.map((x) => subBody(subDraftOf(x as SubFieldDefinition)))))
          changes.subFields = b.subFields;
        if (Object.keys(changes).length === 0) return props.onClose();
        res = await api("PATCH", `/api/fields/${encodeURIComponent(f.fieldID)}`, { version: f.version, changes });
      }
      props.onSaved(res.field, res.missingRequired);
    } catch (err) {
      if (err instanceof ApiError && err.problem.errors?.length)
        setErrors({ ...errorsOf(err.problem.errors, say), form: say("fields.bad.form") });
      else if (err instanceof ApiError && err.status === 409) setErrors({ form: say("fields.bad.conflict") });
      else if (err instanceof ApiError && err.status === 403) setErrors({ form: say("fields.refused") });
      else setErrors({ form: say("fields.bad.other") });
    } finally {
      setBusy(false);
    }
  };

  const err = (path: string) =>
    errors[path] ? (
      <span className="error field-error" id={`fe-${path.replace(".", "-")}`}>
        {errors[path]}
      </span>
    ) : null;
  const invalid = (path: string) =>
    errors[path] ? { "aria-invalid": true as const, "aria-describedby": `fe-${path.replace(".", "-")}` } : {};
  const roleBoxes = (name: "visibleTo" | "editableBy") => (
    <div className="checks">
      {Roles.map((r) => (
        <label key={r} className="check">
          <input
            type="checkbox"
            checked={d[name].includes(r)}
            onChange={(e) =>
              set({ [name]: e.target.checked ? [...d[name], r] : d[name].filter((x) => x !== r) } as Partial<Draft>)
            }
          />
          {i18n.t(`role.${r}` as MessageKey)}
        </label>
      ))}
    </div>
  );
  const title = props.field
    ? say("fields.editTitle", { label: props.field.labels[lang] || props.field.labels.en })
    : say("fields.newTitle");
  return (
    <Modal title={title} onClose={props.onClose} wide>
      <form className="form" noValidate onSubmit={(e) => void submit(e)} aria-label={title}>
        {errors.form && (
          <p role="alert" className="error">
            {errors.form}
          </p>
        )}
        {props.field && <p className="muted">{say("fields.versionOf", { version: props.field.version })}</p>}
        <label>
          {say("fields.key")}
          <input
            name="key"
            dir="ltr"
            value={d.key}
            disabled={!isNew}
            onChange={(e) => set({ key: e.target.value.trim() }, "key")}
            {...invalid("key")}
          />
          <span className="hint muted small">{say("fields.keyHint")}</span>
          {err("key")}
        </label>
        <label>
          {say("fields.type")}
          <select
            name="type"
            value={d.type}
            disabled={!isNew}
            onChange={(e) => set({ type: e.target.value as FieldType }, "options", "min", "max", "referenceType")}
          >
            {(isNew ? FORM_TYPES : FieldTypes).map((t) => (
              <option key={t} value={t}>
                {say(`type.${t}` as FieldsTextKey)}
              </option>
            ))}
          </select>
        </label>
        {coded && (
          <label>
            {say("fields.codeList")}
            <select
              name="options"
              value={d.options}
              onChange={(e) => set({ options: e.target.value }, "options")}
              {...invalid("options")}
            >
              <option value="">{say("fields.chooseList")}</option>
              {props.lists.map((l) => (
                <option key={l.listKey} value={l.listKey}>
                  {l.labels[lang] || l.labels.en}
                </option>
              ))}
            </select>
            {err("options")}
          </label>
        )}
        {d.type === "number" && (
          <>
            <label>
              {say("fields.min")}
              <input inputMode="decimal" value={d.min} onChange={(e) => set({ min: e.target.value }, "min", "max")} />
              {err("min")}
            </label>
            <label>
              {say("fields.max")}
              <input inputMode="decimal" value={d.max} onChange={(e) => set({ max: e.target.value }, "min", "max")} />
              {err("max")}
            </label>
            <label className="check">
              <input type="checkbox" checked={d.integer} onChange={(e) => set({ integer: e.target.checked })} />
              {say("fields.integer")}
            </label>
          </>
        )}
        {d.type === "reference" && (
          <label>
            {say("fields.referenceType")}
            <select
              value={d.referenceType}
              disabled={!isNew}
              onChange={(e) => set({ referenceType: e.target.value as FieldRecordType }, "referenceType")}
              {...invalid("referenceType")}
            >
              <option value="" />
              {FieldRecordTypes.map((t) => (
                <option key={t} value={t}>
                  {say(`rt.${t}` as FieldsTextKey)}
                </option>
              ))}
            </select>
            {err("referenceType")}
          </label>
        )}
        {d.type === "group" && (
          <SubFieldsEditor
            subs={d.subFields}
            lists={props.lists}
            errors={errors}
            onChange={(subFields, i) => set({ subFields }, "subFields", ...(i === undefined ? [] : [`subFields.${i}`]))}
          />
        )}
        <fieldset>
          <legend>{say("fields.labels")}</legend>
          {LANGS.map((l: Lang4) => (
            <label key={l}>
              {say(`fields.lang.${l}` as FieldsTextKey)}
              <input
                name={`labels.${l}`}
                dir={l === "ar" ? "rtl" : "ltr"}
                lang={l}
                value={d.labels[l]}
                onChange={(e) => set({ labels: { ...d.labels, [l]: e.target.value } }, `labels.${l}`)}
                {...invalid(`labels.${l}`)}
              />
              {err(`labels.${l}`)}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{say("fields.help")}</legend>
          {LANGS.map((l: Lang4) => (
            <label key={l}>
              {say(`fields.lang.${l}` as FieldsTextKey)}
              <input
                name={`help.${l}`}
                dir={l === "ar" ? "rtl" : "ltr"}
                lang={l}
                value={d.help[l]}
                onChange={(e) => set({ help: { ...d.help, [l]: e.target.value } }, `help.${l}`)}
              />
              {err(`help.${l}`)}
            </label>
          ))}
        </fieldset>
        <label className="check">
          <input type="checkbox" name="required" checked={d.required} onChange={(e) => set({ required: e.target.checked })} />
          {say("fields.requiredBox")}
        </label>
        <fieldset>
          <legend>{say("fields.seenByTitle")}</legend>
          <p className="hint muted small">{say("fields.seenByHint")}</p>
          {roleBoxes("visibleTo")}
          <label className="check">
            <input type="checkbox" checked={d.sensitive} onChange={(e) => set({ sensitive: e.target.checked })} />
            {say("fields.sensitiveBox")}
          </label>
        </fieldset>
        <fieldset>
          <legend>{say("fields.editedByTitle")}</legend>
          <p className="hint muted small">{say("fields.editedByHint")}</p>
          {roleBoxes("editableBy")}
        </fieldset>
        <label>
          {say("fields.hxl")}
          <input
            name="hxl"
            dir="ltr"
            placeholder={say("fields.hxlHint")}
            value={d.hxl}
            onChange={(e) => set({ hxl: e.target.value }, "hxl")}
            {...invalid("hxl")}
          />
          {err("hxl")}
        </label>
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            {say("fields.cancel")}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {say("fields.save")}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** A repeating group's sub-fields (what each entry records): key, type, labels in four languages, required, list. */
function SubFieldsEditor(props: {
  subs: SubDraft[];
  lists: CodeList[];
  errors: Errors;
  onChange: (subs: SubDraft[], changed?: number) => void;
}) {
  const { lang } = useI18n();
  const say = useSay();
  const setSub = (i: number, patch: Partial<SubDraft>) =>
    props.onChange(
      props.subs.map((x, j) => (j === i ? { ...x, ...patch } : x)),
      i,
    );
  return (
    <fieldset className="sub-fields" data-testid="sub-fields">
      <legend>{say("sub.title")}</legend>
      {props.errors.subFields && (
        <span className="error field-error" role="alert">
          {props.errors.subFields}
        </span>
      )}
      {props.subs.map((x, i) => {
        const bad = props.errors[`subFields.${i}`];
        const errID = `fe-subFields-${i}`;
        const aria = bad ? { "aria-invalid": true as const, "aria-describedby": errID } : {};
        return (
          <fieldset key={i} className="sub-field" data-sub={i}>
            <legend>{say("sub.n", { n: i + 1 })}</legend>
            {bad && (
              <span className="error field-error" id={errID}>
                {bad}
              </span>
            )}
            <label>
              {say("fields.key")}
              <input name={`subFields.${i}.key`} dir="ltr" value={x.key} onChange={(e) => setSub(i, { key: e.target.value.trim() })} {...aria} />
            </label>
            <label>
              {say("fields.type")}
              <select
                name={`subFields.${i}.type`}
                value={x.type}
                onChange={(e) => setSub(i, { type: e.target.value as SubDraft["type"] })}
              >
                {SUB_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {say(`type.${t}` as FieldsTextKey)}
                  </option>
                ))}
              </select>
            </label>
            {CodedFieldTypes.includes(x.type) && (
              <label>
                {say("fields.codeList")}
                <select name={`subFields.${i}.options`} value={x.options} onChange={(e) => setSub(i, { options: e.target.value })} {...aria}>
                  <option value="">{say("fields.chooseList")}</option>
                  {props.lists.map((l) => (
                    <option key={l.listKey} value={l.listKey}>
                      {l.labels[lang] || l.labels.en}
                    </option>
                  ))}
                </select>
              </label>
            )}
            {x.type === "number" && (
              <>
                <label>
                  {say("fields.min")}
                  <input inputMode="decimal" value={x.min} onChange={(e) => setSub(i, { min: e.target.value })} />
                </label>
                <label>
                  {say("fields.max")}
                  <input inputMode="decimal" value={x.max} onChange={(e) => setSub(i, { max: e.target.value })} />
                </label>
              </>
            )}
            {LANGS.map((l: Lang4) => (
              <label key={l}>
                {say("fields.labels")} · {say(`fields.lang.${l}` as FieldsTextKey)}
                <input
                  name={`subFields.${i}.labels.${l}`}
                  dir={l === "ar" ? "rtl" : "ltr"}
                  lang={l}
                  value={x.labels[l]}
                  onChange={(e) => setSub(i, { labels: { ...x.labels, [l]: e.target.value } })}
                  {...aria}
                />
              </label>
            ))}
            <label className="check">
              <input type="checkbox" checked={x.required} onChange={(e) => setSub(i, { required: e.target.checked })} />
              {say("fields.requiredBox")}
            </label>
            <button type="button" onClick={() => props.onChange(props.subs.filter((_, j) => j !== i))}>
              {say("sub.remove", { n: i + 1 })}
            </button>
          </fieldset>
        );
      })}
      <button type="button" onClick={() => props.onChange([...props.subs, subDraftOf()])}>
        {say("sub.add")}
      </button>
    </fieldset>
  );
}
