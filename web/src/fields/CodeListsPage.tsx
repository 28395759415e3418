import { useEffect, useState, type FormEvent } from "react";
import type { Code, CodeList, Labels } from "@waypoint/schema";
import { ApiError, api } from "../api/client.ts";
import { Modal } from "../components/Modal.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { navigate } from "../nav.ts";
import { refreshCatalogues } from "./catalogue.ts";
import { fieldsText, type FieldsTextKey } from "./fieldsText.ts";

const LANGS = ["en", "es", "fr", "ar"] as const;
const emptyLabels = (): Labels => ({ en: "", es: "", fr: "", ar: "" });
type Say = (k: FieldsTextKey, v?: Record<string, string | number>) => string;
type Errors = Record<string, string>;

function useSay(): Say {
  const { lang } = useI18n();
  return (k, v) => fieldsText(lang, k, v);
}

/** A refused code-list change as sentences by form field (`listKey`, `labels.es`, `codes.2.labels`, `code`…). */
function errorsOf(e: unknown, say: Say): Errors {
  if (!(e instanceof ApiError)) return { form: say("fields.bad.other") };
  if (e.status === 409) return { form: say("fields.bad.conflict") };
  if (e.status === 403) return { form: say("fields.refused") };
  const out: Errors = {};
  for (const i of e.problem.errors ?? []) {
    const p = i.path.replace(/^changes\./, "");
    const text =
      i.code === "invalid.built_in"
        ? say("lists.bad.builtIn")
        : /labels/.test(p)
          ? say("lists.bad.label")
          : /code|listKey/.test(p)
            ? i.code === "invalid.taken"
              ? say("fields.bad.keyTaken")
              : say("lists.bad.code")
            : say("fields.bad.other");
    out[p] ??= text;
    out.form ??= text;
  }
  if (!Object.keys(out).length) out.form = say("fields.bad.other");
  return out;
}

/**
 * Code lists of the operation (issue 19): the lists (built in or the operation's own) by name, and one list's
 * codes to translate, add and retire. Built-in codes (reports depend on them) are translatable, never retired.
 */
export function CodeListsPage(props: { id?: string }) {
  const { lang } = useI18n();
  const say = useSay();
  const [lists, setLists] = useState<CodeList[] | null>(null);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    let live = true;
    api<{ items: CodeList[] }>("GET", "/api/code-lists")
      .then((r) => live && setLists(r.items))
      .catch(() => live && setLists([]));
    return () => {
      live = false;
    };
  }, [reloads]);
  const nameOf = (l: { labels: Labels }) => l.labels[lang] || l.labels.en;
  if (props.id) {
    const list = lists?.find((l) => l.listKey === props.id);
    return (
      <ListDetail
        listKey={props.id}
        initial={list}
        onChanged={() => {
          setReloads((n) => n + 1);
          refreshCatalogues();
        }}
      />
    );
  }
  const open = (key: string) => navigate(`/code-lists/${encodeURIComponent(key)}`);
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{say("lists.title")}</h1>
      <p className="muted">{say("lists.intro")}</p>
      {notice && (
        <div className="notice" role="status">
          {notice}
        </div>
      )}
      <div className="toolbar">
        <button aria-haspopup="dialog" type="button" className="primary" onClick={() => setCreating(true)}>
          {say("lists.new")}
        </button>
      </div>
      {lists && lists.length === 0 && <p className="muted">{say("lists.none")}</p>}
      {lists && lists.length > 0 && (
        <table className="plain">
          <thead>
            <tr>
              <th scope="col">{say("lists.col.name")}</th>
              <th scope="col" />
              <th scope="col">{say("lists.col.codes")}</th>
              <th scope="col">{say("lists.col.retired")}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {lists.map((l) => (
              <tr key={l.listKey}>
                <th scope="row">{nameOf(l)}</th>
                <td>{l.builtIn ? say("lists.builtIn") : say("lists.own")}</td>
                <td>{new Intl.NumberFormat(lang).format(l.codes.filter((c) => !c.retired).length)}</td>
                <td>{new Intl.NumberFormat(lang).format(l.codes.filter((c) => c.retired).length)}</td>
                <td>
                  <a
                    href={`/code-lists/${encodeURIComponent(l.listKey)}`}
                    aria-label={`${say("lists.open")}: ${nameOf(l)}`}
                    onClick={(e) => {
                      e.preventDefault();
                      open(l.listKey);
                    }}
                  >
                    {say("lists.open")}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {creating && (
        <NewList
          onClose={() => setCreating(false)}
          onCreated={(l) => {
            setCreating(false);
            setNotice(say("lists.created", { name: nameOf(l) }));
            setReloads((n) => n + 1);
            refreshCatalogues();
            open(l.listKey);
          }}
        />
      )}
    </section>
  );
}

function LabelInputs(props: {
  prefix: string;
  labels: Labels;
  errors: Errors;
  onChange: (l: Labels) => void;
}) {
  const say = useSay();
  return (
    <>
      {LANGS.map((l) => (
        <label key={l}>
          {say(`fields.lang.${l}` as FieldsTextKey)}
          <input
            name={`${props.prefix}${l}`}
            lang={l}
            dir={l === "ar" ? "rtl" : "ltr"}
            value={props.labels[l]}
            aria-invalid={props.errors[`labels.${l}`] ? true : undefined}
            onChange={(e) => props.onChange({ ...props.labels, [l]: e.target.value })}
          />
          {props.errors[`labels.${l}`] && <span className="error field-error">{props.errors[`labels.${l}`]}</span>}
        </label>
      ))}
    </>
  );
}

function NewList(props: { onClose: () => void; onCreated: (l: CodeList) => void }) {
  const say = useSay();
  const [listKey, setKey] = useState("");
  const [labels, setLabels] = useState<Labels>(emptyLabels);
  const [errors, setErrors] = useState<Errors>({});
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Errors = {};
    if (!/^[a-z][a-zA-Z0-9_]{1,39}$/.test(listKey)) local.listKey = say("fields.bad.key");
    for (const l of LANGS) if (!labels[l].trim()) local[`labels.${l}`] = say("fields.bad.label");
    if (Object.keys(local).length) return setErrors({ ...local, form: say("fields.bad.form") });
    try {
      props.onCreated(await api<CodeList>("POST", "/api/code-lists", { listKey, labels, codes: [] }));
    } catch (err) {
      setErrors(errorsOf(err, say));
    }
  };
  return (
    <Modal title={say("lists.new")} onClose={props.onClose}>
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        {errors.form && (
          <p role="alert" className="error">
            {errors.form}
          </p>
        )}
        <label>
          {say("lists.key")}
          <input
            name="listKey"
            dir="ltr"
            value={listKey}
            aria-invalid={errors.listKey ? true : undefined}
            onChange={(e) => setKey(e.target.value.trim())}
          />
          <span className="hint muted small">{say("fields.keyHint")}</span>
          {errors.listKey && <span className="error field-error">{errors.listKey}</span>}
        </label>
        <fieldset>
          <legend>{say("lists.name")}</legend>
          <LabelInputs prefix="labels." labels={labels} errors={errors} onChange={setLabels} />
        </fieldset>
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            {say("fields.cancel")}
          </button>
          <button type="submit" className="primary">
            {say("lists.create")}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** One list: its codes with their labels in the four languages (editable), retire / bring back, add a code. */
function ListDetail(props: { listKey: string; initial?: CodeList; onChanged: () => void }) {
  const { lang } = useI18n();
  const say = useSay();
  const [list, setList] = useState<CodeList | null>(props.initial ?? null);
  const [edits, setEdits] = useState<Record<string, Labels>>({});
  const [errors, setErrors] = useState<Errors>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [retiring, setRetiring] = useState<Code | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  useEffect(() => {
    api<CodeList>("GET", `/api/code-lists/${encodeURIComponent(props.listKey)}`)
      .then(setList)
      .catch((e) => setLoadError(e instanceof ApiError ? e.message : String(e)));
  }, [props.listKey]);
  const nameOf = (l: { labels: Labels }) => l.labels[lang] || l.labels.en;

  /** Sends code changes; answers null when saved, else the problems by `<code>:<path>` (also shown on the page). */
  const send = async (codes: { code: string; labels?: Labels; retired?: boolean }[]): Promise<Errors | null> => {
    if (!list) return {};
    try {
      const next = await api<CodeList>("PATCH", `/api/code-lists/${encodeURIComponent(list.listKey)}`, {
        version: list.version,
        changes: { codes },
      });
      setList(next);
      setErrors({});
      setNotice(say("lists.saved", { name: nameOf(next), version: next.version }));
      props.onChanged();
      return null;
    } catch (e) {
      // errors of `codes.<i>…` belong to the code sent at <i>
      const raw = errorsOf(e, say);
      const out: Errors = {};
      for (const [k, v] of Object.entries(raw)) {
        const m = /^codes\.(\d+)(?:\.(.*))?$/.exec(k);
        out[m ? `${codes[Number(m[1])]?.code ?? ""}:${m[2] ?? ""}` : k] = v;
      }
      setErrors(out);
      return out;
    }
  };
  const saveLabels = () =>
    void send(Object.entries(edits).map(([code, labels]) => ({ code, labels }))).then((bad) => !bad && setEdits({}));

  const back = (
    <a
      href="/code-lists"
      onClick={(e) => {
        e.preventDefault();
        navigate("/code-lists");
      }}
    >
      ← {say("lists.back")}
    </a>
  );
  if (!list)
    return (
      <section className="page">
        {back}
        {loadError && <p role="alert" className="error">{loadError}</p>}
      </section>
    );
  const pending = Object.keys(edits).length;
  return (
    <section className="page" aria-labelledby="page-title">
      {back}
      <h1 id="page-title">{nameOf(list)}</h1>
      <p className="muted">
        {list.builtIn ? say("lists.builtIn") : say("lists.own")} · {say("fields.versionOf", { version: list.version })}
      </p>
      {notice && (
        <div className="notice" role="status">
          {notice}
        </div>
      )}
      {errors.form && (
        <div className="notice error" role="alert">
          {errors.form}
        </div>
      )}
      <div className="toolbar">
        <button aria-haspopup="dialog" type="button" onClick={() => setAdding(true)}>
          {say("lists.addCode")}
        </button>
        <button type="button" className="primary" disabled={pending === 0} onClick={saveLabels}>
          {say("lists.saveCodes")}
          {pending > 0 && <span className="count">{pending}</span>}
        </button>
        {pending > 0 && <span className="muted">{say("lists.unsaved")}</span>}
      </div>
      <table className="plain code-list" aria-label={nameOf(list)}>
        <thead>
          <tr>
            <th scope="col">{say("lists.code")}</th>
            {LANGS.map((l) => (
              <th key={l} scope="col">
                {say(`fields.lang.${l}` as FieldsTextKey)}
              </th>
            ))}
            <th scope="col">{say("lists.status")}</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {list.codes.map((c) => {
            const labels = edits[c.code] ?? (c.labels as Labels);
            return (
              <tr key={c.code} data-code={c.code} className={c.retired ? "muted" : undefined}>
                <th scope="row" dir="ltr">
                  {c.code}
                </th>
                {LANGS.map((l) => (
                  <td key={l}>
                    <input
                      aria-label={`${c.code} · ${say(`fields.lang.${l}` as FieldsTextKey)}`}
                      lang={l}
                      dir={l === "ar" ? "rtl" : "ltr"}
                      value={labels[l]}
                      aria-invalid={errors[`${c.code}:labels`] || errors[`${c.code}:labels.${l}`] ? true : undefined}
                      onChange={(e) => setEdits({ ...edits, [c.code]: { ...labels, [l]: e.target.value } })}
                    />
                  </td>
                ))}
                <td>
                  {c.builtIn ? say("lists.builtInCode") : c.retired ? say("lists.retiredCode") : say("lists.active")}
                  {Object.entries(errors)
                    .filter(([k]) => k.startsWith(`${c.code}:`))
                    .slice(0, 1)
                    .map(([k, v]) => (
                      <span key={k} className="error field-error">
                        {" "}
                        {v}
                      </span>
                    ))}
                </td>
                <td>
                  {!c.builtIn &&
                    (c.retired ? (
                      <button type="button" onClick={() => void send([{ code: c.code, retired: false }])}>
                        {say("lists.restore")}
                      </button>
                    ) : (
                      <button aria-haspopup="dialog" type="button" onClick={() => setRetiring(c)}>
                        {say("lists.retire")}
                      </button>
                    ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {adding && (
        <NewCode
          taken={list.codes.map((c) => c.code.toLowerCase())}
          onClose={() => setAdding(false)}
          onAdd={async (code, labels) => {
            const bad = await send([{ code, labels }]);
            if (!bad) setAdding(false);
            return bad;
          }}
        />
      )}
      {retiring && (
        <Modal title={say("lists.retire")} onClose={() => setRetiring(null)}>
          <p>
            {say("lists.retireConfirm", {
              label: (retiring.labels as Labels)[lang] || retiring.labels.en,
            })}
          </p>
          <div className="actions">
            <button type="button" onClick={() => setRetiring(null)}>
              {say("fields.cancel")}
            </button>
            <button
              type="button"
              className="primary"
              onClick={() => void send([{ code: retiring.code, retired: true }]).then(() => setRetiring(null))}
            >
              {say("lists.retire")}
            </button>
          </div>
        </Modal>
      )}
    </section>
  );
}

function NewCode(props: {
  taken: string[];
  onClose: () => void;
  onAdd: (code: string, labels: Labels) => Promise<Errors | null>;
}) {
  const say = useSay();
  const [code, setCode] = useState("");
  const [labels, setLabels] = useState<Labels>(emptyLabels);
  const [errors, setErrors] = useState<Errors>({});
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Errors = {};
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/.test(code) || props.taken.includes(code.toLowerCase()))
      local.code = say("lists.bad.code");
    for (const l of LANGS) if (!labels[l].trim()) local[`labels.${l}`] = say("lists.bad.label");
    if (Object.keys(local).length) return setErrors(local);
    const bad = await props.onAdd(code, labels);
    if (bad) {
      // the API's words for this code (`<code>:code`, `<code>:labels…`), put back on the form's questions
      const mine = Object.entries(bad).filter(([k]) => k.startsWith(`${code}:`));
      const out: Errors = {};
      for (const [k, v] of mine) {
        const path = k.slice(code.length + 1);
        out[/^labels\.(en|es|fr|ar)$/.test(path) ? path : path.startsWith("labels") ? "labels.en" : "code"] = v;
      }
      setErrors(Object.keys(out).length ? out : { code: bad.form ?? say("fields.bad.other") });
    }
  };
  return (
    <Modal title={say("lists.newCode")} onClose={props.onClose}>
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        <label>
          {say("lists.code")}
          <input
            name="code"
            dir="ltr"
            value={code}
            aria-invalid={errors.code ? true : undefined}
            onChange={(e) => setCode(e.target.value.trim())}
          />
          {errors.code && <span className="error field-error">{errors.code}</span>}
        </label>
        <fieldset>
          <legend>{say("fields.labels")}</legend>
          <LabelInputs prefix="code.labels." labels={labels} errors={errors} onChange={setLabels} />
        </fieldset>
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            {say("fields.cancel")}
          </button>
          <button type="submit" className="primary">
            {say("lists.addCode")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
