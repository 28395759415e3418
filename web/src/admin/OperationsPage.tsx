import { useEffect, useMemo, useState, type FormEvent } from "react";
import type { AreaImportResult, AreaInfo, OfficeInfo, OperationInfo, StaffUser } from "@waypoint/schema";
import { loadSession as currentSession } from "../api/client.ts";
import { ApiError, api } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { Locales } from "../i18n/messages.ts";
import { navigate } from "../nav.ts";
import { operationsText, type OperationsTextKey } from "./operationsText.ts";

const LANGS = ["en", "es", "fr", "ar"] as const;
/** Row error codes of a gazetteer check that the page words (`areas.err.<code>`). */
const ERROR_CODES = [
  "invalid.duplicate",
  "invalid.unknown_parent",
  "invalid.level",
  "invalid.pcode",
  "invalid.pcode_country",
  "invalid.required",
  "invalid.too_big",
];

/**
 * Field errors of a refused request, as sentences of the page, by field (`country`, `languages.0` → languages). A
 * new operation's form says how its `code` was given (typed, or left to default to the name's first letters), so
 * that a code another operation holds (a 409 naming the field `code`) is said in those terms on the code field.
 */
function fieldErrors(
  e: unknown,
  say: (k: OperationsTextKey) => string,
  operationCode?: "typed" | "default",
): Record<string, string> {
  if (!(e instanceof ApiError) || !e.problem.errors?.length)
    return { form: e instanceof Error ? e.message : String(e) };
  const out: Record<string, string> = {};
  for (const i of e.problem.errors) {
    const field = i.path.split(".")[0] || "form";
    const key = `ops.bad.${field}` as OperationsTextKey;
    out[field] =
      i.code === "conflict.operation_code"
        ? say(operationCode === "default" ? "ops.taken.codeDefault" : "ops.taken.code")
        : ["country", "currency", "timeZone", "languages", "name"].includes(field) ||
            (field === "code" && operationCode)
          ? say(key)
          : say("ops.bad.other");
  }
  return out;
}

function useNames() {
  const { lang } = useI18n();
  return useMemo(() => {
    const region = new Intl.DisplayNames([Locales[lang]], { type: "region" });
    const language = new Intl.DisplayNames([Locales[lang]], { type: "language" });
    const safe = (f: () => string | undefined, code: string) => {
      try {
        return f() ?? code;
      } catch {
        return code;
      }
    };
    return {
      country: (c: string) => safe(() => region.of(c), c),
      language: (l: string) => safe(() => language.of(l), l),
    };
  }, [lang]);
}

/**
 * Operations an admin administers (list, new, details), and on one operation's page its administrative areas
 * (gazetteer CSV, checked first with the rows to correct) and its offices with their areas and rooms.
 */
export function OperationsPage(props: { id?: string }) {
  const { lang } = useI18n();
  const say = (k: OperationsTextKey, v?: Record<string, string | number>) => operationsText(lang, k, v);
  const names = useNames();
  const [items, setItems] = useState<OperationInfo[] | null>(null);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    api<{ items: OperationInfo[] }>("GET", "/api/operations")
      .then((r) => setItems(r.items))
      .catch(() => setItems([]));
  }, [reloads]);

  if (props.id) return <OperationDetail operationID={props.id} />;
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{say("ops.title")}</h1>
      <p className="muted">{say("ops.intro")}</p>
      {notice && <p role="status">{notice}</p>}
      {!creating && (
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          {say("ops.new")}
        </button>
      )}
      {creating && (
        <NewOperation
          onCancel={() => setCreating(false)}
          onCreated={(op) => {
            setCreating(false);
            setNotice(say("ops.created", { name: op.name }));
            setReloads((n) => n + 1);
            navigate(`/operations/${op.operationID}`);
          }}
        />
      )}
      {items && (
        <table className="plain">
          <thead>
            <tr>
              <th scope="col">{say("ops.col.name")}</th>
              <th scope="col">{say("ops.col.code")}</th>
              <th scope="col">{say("ops.col.country")}</th>
              <th scope="col">{say("ops.col.currency")}</th>
              <th scope="col">{say("ops.col.zone")}</th>
              <th scope="col">{say("ops.col.languages")}</th>
              <th scope="col">{say("ops.areas")}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {items.map((o) => (
              <tr key={o.operationID}>
                <th scope="row">{o.name}</th>
                <td>{o.code}</td>
                <td>{names.country(o.country)}</td>
                <td>{o.currency}</td>
                <td>{o.timeZone}</td>
                <td>{o.languages.map(names.language).join(", ")}</td>
                <td>{o.areaCount ? say("ops.areaCount", { count: o.areaCount }) : say("ops.noAreas")}</td>
                <td>
                  <a
                    href={`/operations/${o.operationID}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(`/operations/${o.operationID}`);
                    }}
                  >
                    {say("ops.open")}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

type OperationValues = {
  name: string;
  code?: string;
  country?: string;
  currency: string;
  timeZone: string;
  languages: string[];
};

/** The operation's fields; a new operation's code and country too (both stay once it is created). */
function OperationFields(props: {
  values: OperationValues;
  errors: Record<string, string>;
  withCountry: boolean;
  onChange: (v: Partial<OperationValues>) => void;
}) {
  const { lang } = useI18n();
  const say = (k: OperationsTextKey) => operationsText(lang, k);
  const names = useNames();
  const zones = useMemo(() => {
    try {
      return Intl.supportedValuesOf("timeZone");
    } catch {
      return [];
    }
  }, []);
  const err = (f: string) =>
    props.errors[f] ? (
      <span className="error" role="alert">
        {props.errors[f]}
      </span>
    ) : null;
  return (
    <>
      <label>
        {say("ops.name")}
        <input
          name="name"
          value={props.values.name}
          onChange={(e) => props.onChange({ name: e.target.value })}
        />
        {err("name")}
      </label>
      {props.withCountry && (
        <>
          <label>
            {say("ops.code")}
            <input
              name="code"
              value={props.values.code ?? ""}
              maxLength={5}
              aria-describedby="operation-code-hint"
              aria-invalid={props.errors.code ? true : undefined}
              onChange={(e) => props.onChange({ code: e.target.value.toUpperCase() })}
            />
            {err("code")}
          </label>
          <p id="operation-code-hint" className="muted small">
            {say("ops.codeHint")}
          </p>
        </>
      )}
      {props.withCountry && (
        <label>
          {say("ops.country")}
          <input
            name="country"
            value={props.values.country ?? ""}
            maxLength={3}
            onChange={(e) => props.onChange({ country: e.target.value.toUpperCase() })}
          />
          {props.values.country && /^[A-Z]{2}$/.test(props.values.country) && (
            <span className="muted">{names.country(props.values.country)}</span>
          )}
          {err("country")}
        </label>
      )}
      <label>
        {say("ops.currency")}
        <input
          name="currency"
          value={props.values.currency}
          maxLength={4}
          onChange={(e) => props.onChange({ currency: e.target.value.toUpperCase() })}
        />
        {err("currency")}
      </label>
      <label>
        {say("ops.timeZone")}
        <input
          name="timeZone"
          list="time-zones"
          value={props.values.timeZone}
          onChange={(e) => props.onChange({ timeZone: e.target.value })}
        />
        <datalist id="time-zones">
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        {err("timeZone")}
      </label>
      <fieldset>
        <legend>{say("ops.languages")}</legend>
        {LANGS.map((l) => (
          <label key={l} className="inline">
            <input
              type="checkbox"
              name={`language-${l}`}
              checked={props.values.languages.includes(l)}
              onChange={(e) =>
                props.onChange({
                  languages: e.target.checked
                    ? [...props.values.languages, l]
                    : props.values.languages.filter((x) => x !== l),
                })
              }
            />
            {names.language(l)}
          </label>
        ))}
        {err("languages")}
      </fieldset>
    </>
  );
}

function NewOperation(props: { onCancel: () => void; onCreated: (op: OperationInfo) => void }) {
  const { lang } = useI18n();
  const say = (k: OperationsTextKey) => operationsText(lang, k);
  const [values, setValues] = useState({
    name: "",
    code: "",
    country: "",
    currency: "",
    timeZone: "",
    languages: [lang] as string[],
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const { code, ...rest } = values;
    try {
      props.onCreated(await api<OperationInfo>("POST", "/api/operations", code.trim() ? values : rest));
    } catch (err) {
      setErrors(fieldErrors(err, say, code.trim() ? "typed" : "default"));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form card" aria-label={say("ops.newTitle")} onSubmit={submit}>
      <h2>{say("ops.newTitle")}</h2>
      <OperationFields
        values={values}
        errors={errors}
        withCountry
        onChange={(v) => setValues((x) => ({ ...x, ...v }))}
      />
      {errors.form && (
        <p role="alert" className="error">
          {errors.form}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {say("ops.create")}
        </button>
        <button type="button" onClick={props.onCancel}>
          {say("ops.cancel")}
        </button>
      </div>
    </form>
  );
}

function OperationDetail(props: { operationID: string }) {
  const { lang } = useI18n();
  const say = (k: OperationsTextKey, v?: Record<string, string | number>) => operationsText(lang, k, v);
  const names = useNames();
  const base = `/api/operations/${encodeURIComponent(props.operationID)}`;
  const [op, setOp] = useState<OperationInfo | null>(null);
  const [values, setValues] = useState({ name: "", currency: "", timeZone: "", languages: [] as string[] });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [areas, setAreas] = useState<AreaInfo[]>([]);
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    api<OperationInfo>("GET", base)
      .then((o) => {
        setOp(o);
        setValues({ name: o.name, currency: o.currency, timeZone: o.timeZone, languages: o.languages });
      })
      .catch((e) => setErrors({ form: e instanceof Error ? e.message : String(e) }));
    api<{ items: AreaInfo[] }>("GET", `${base}/areas`)
      .then((r) => setAreas(r.items))
      .catch(() => setAreas([]));
  }, [base, reloads]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!op) return;
    try {
      const next = await api<OperationInfo>("PATCH", base, { version: op.version, changes: values });
      setOp(next);
      setErrors({});
      setNotice(say("ops.saved"));
    } catch (err) {
      setErrors(fieldErrors(err, say));
    }
  };

  return (
    <section className="page" aria-labelledby="page-title">
      <p>
        <a
          href="/operations"
          onClick={(e) => {
            e.preventDefault();
            navigate("/operations");
          }}
        >
          {say("ops.title")}
        </a>
      </p>
      <h1 id="page-title">{op ? `${op.name} · ${names.country(op.country)}` : say("ops.title")}</h1>
      {op && (
        <form className="form card" aria-label={say("ops.details")} onSubmit={save}>
          <h2>{say("ops.details")}</h2>
          <p className="muted">{say("ops.codeFixed", { code: op.code })}</p>
          <OperationFields
            values={values}
            errors={errors}
            withCountry={false}
            onChange={(v) => setValues((x) => ({ ...x, ...v }))}
          />
          {errors.form && (
            <p role="alert" className="error">
              {errors.form}
            </p>
          )}
          {notice && <p role="status">{notice}</p>}
          <div className="actions">
            <button type="submit" className="primary">
              {say("ops.save")}
            </button>
          </div>
        </form>
      )}
      {op && <AreaImport base={base} onImported={() => setReloads((n) => n + 1)} count={areas.length} />}
      {op && <Offices base={base} areas={areas} />}
    </section>
  );
}

function AreaImport(props: { base: string; count: number; onImported: () => void }) {
  const { lang } = useI18n();
  const say = (k: OperationsTextKey, v?: Record<string, string | number>) => operationsText(lang, k, v);
  const [csv, setCsv] = useState("");
  const [result, setResult] = useState<AreaImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async (dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api<AreaImportResult>("POST", `${props.base}/areas/import`, { csv, dryRun });
      setResult(r);
      if (r.stored) props.onImported();
    } catch (e) {
      setResult(null);
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="areas-title">
      <h2 id="areas-title">{say("areas.title")}</h2>
      <p className="muted">
        {props.count ? say("ops.areaCount", { count: props.count }) : say("ops.noAreas")}.{" "}
        {say("areas.intro")}
      </p>
      <label>
        {say("areas.file")}
        <input
          type="file"
          accept=".csv,text/csv"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            if (f) {
              setCsv(await f.text());
              setResult(null);
            }
          }}
        />
      </label>
      <label>
        {say("areas.paste")}
        <textarea
          name="csv"
          rows={4}
          value={csv}
          onChange={(e) => {
            setCsv(e.target.value);
            setResult(null);
          }}
        />
      </label>
      <div className="actions">
        <button type="button" disabled={busy || !csv.trim()} onClick={() => send(true)}>
          {say("areas.check")}
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy || !csv.trim() || !result || !result.dryRun || result.errors.length > 0}
          onClick={() => send(false)}
        >
          {say("areas.import")}
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {result && (
        <div data-testid="area-check">
          <p role="status">
            {result.stored
              ? say("areas.stored", { rows: result.rows })
              : `${say("areas.summary", { rows: result.rows, created: result.created, updated: result.updated })} ${
                  result.errors.length ? say("areas.notStored") : say("areas.ready")
                }`}
          </p>
          {result.errors.length > 0 && (
            <table className="plain" aria-label={say("areas.errors")}>
              <caption>{say("areas.errors")}</caption>
              <thead>
                <tr>
                  <th scope="col">{say("areas.col.line")}</th>
                  <th scope="col">{say("areas.col.pcode")}</th>
                  <th scope="col">{say("areas.col.problem")}</th>
                </tr>
              </thead>
              <tbody>
                {result.errors.map((e, i) => {
                  const key = `areas.err.${e.code}` as OperationsTextKey;
                  const known = ERROR_CODES.includes(e.code);
                  const parent = /^(\S+)/.exec(e.message)?.[1] ?? "";
                  return (
                    <tr key={i}>
                      <td>{e.line}</td>
                      <td>{e.pcode ?? ""}</td>
                      <td>{known ? say(key, { parent }) : say("ops.bad.other")}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          {result.errors.length === 0 && !result.stored && result.preview.length > 0 && (
            <table className="plain">
              <thead>
                <tr>
                  <th scope="col">{say("areas.col.pcode")}</th>
                  <th scope="col">{say("offices.name")}</th>
                  <th scope="col">{say("areas.col.level")}</th>
                  <th scope="col">{say("areas.col.parent")}</th>
                </tr>
              </thead>
              <tbody>
                {result.preview.map((a) => (
                  <tr key={a.pcode}>
                    <td>{a.pcode}</td>
                    <td>{a.name}</td>
                    <td>{a.level}</td>
                    <td>{a.parent ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}

function Offices(props: { base: string; areas: AreaInfo[] }) {
  const { lang } = useI18n();
  const say = (k: OperationsTextKey, v?: Record<string, string | number>) => operationsText(lang, k, v);
  const [items, setItems] = useState<OfficeInfo[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const [editing, setEditing] = useState<OfficeInfo | null>(null);
  useEffect(() => {
    api<{ items: OfficeInfo[] }>("GET", `${props.base}/offices`)
      .then((r) => setItems(r.items))
      .catch(() => setItems([]));
  }, [props.base, reloads]);
  const areaName = new Map(props.areas.map((a) => [a.pcode, a.name]));
  const saved = (key: "offices.created" | "office.saved") => (office: OfficeInfo | null) => {
    if (!office) return;
    setNotice(say(key, { name: office.name }));
    setReloads((n) => n + 1);
  };
  return (
    <section className="card" aria-labelledby="offices-title">
      <h2 id="offices-title">{say("offices.title")}</h2>
      <p className="muted">{say("offices.interpreters")}</p>
      {items.length === 0 ? (
        <p className="muted">{say("offices.none")}</p>
      ) : (
        <table className="plain" aria-label={say("offices.title")}>
          <thead>
            <tr>
              <th scope="col">{say("offices.col.code")}</th>
              <th scope="col">{say("offices.name")}</th>
              <th scope="col">{say("offices.col.area")}</th>
              <th scope="col">{say("offices.col.rooms")}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {items.map((o) => (
              <tr key={o.officeID} data-office={o.code}>
                <td>{o.code}</td>
                <th scope="row">{o.name}</th>
                <td>
                  {[o.adm2, o.adm1]
                    .filter(Boolean)
                    .map((c) => areaName.get(c!) ?? c)
                    .join(", ")}
                </td>
                <td>
                  {(o.rooms ?? []).map((r) => (r.capacity ? `${r.name} (${r.capacity})` : r.name)).join(", ")}
                </td>
                <td>
                  <button type="button" onClick={() => setEditing(o)}>
                    {say("office.edit")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && (
        <OfficeForm
          key={editing.officeID}
          base={props.base}
          office={editing}
          areas={props.areas}
          onDone={(office) => {
            setEditing(null);
            saved("office.saved")(office);
          }}
        />
      )}
      <OfficeForm base={props.base} areas={props.areas} onDone={saved("offices.created")} />
      {notice && <p role="status">{notice}</p>}
    </section>
  );
}

/** An interpreter of the operation as the office form edits it: works here or not, and their languages. */
type InterpreterRow = { user: StaffUser; here: boolean; languages: string };
type RoomRow = { name: string; capacity: string };

const splitList = (s: string, by: RegExp) =>
  s
    .split(by)
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * One office, new or edited: its code (new only, it never changes), name, region and district (from the
 * operation's areas) and rooms; a new office's rooms are typed in one line, an edited office's one by one with
 * their seats, beside the interpreters who work in it with the languages they interpret (ISO 639-3). An edited
 * office is saved at the version read (a colleague's change in between is refused and shown); each interpreter whose
 * office or languages changed is saved at their own version. Every change is audited by the server.
 */
function OfficeForm(props: {
  base: string;
  areas: AreaInfo[];
  /** the office to edit; none for a new one */
  office?: OfficeInfo;
  /** the saved office, or null when an edit is cancelled */
  onDone: (saved: OfficeInfo | null) => void;
}) {
  const { lang } = useI18n();
  const say = (k: OperationsTextKey, v?: Record<string, string | number>) => operationsText(lang, k, v);
  const o = props.office;
  const blank = {
    code: "",
    name: o?.name ?? "",
    adm1: o?.adm1 ?? "",
    adm2: o?.adm2 ?? "",
    roomList: "",
  };
  const [values, setValues] = useState(blank);
  const [rooms, setRooms] = useState<RoomRow[]>(
    (o?.rooms ?? []).map((r) => ({
      name: r.name,
      capacity: r.capacity ? String(r.capacity) : "",
    })),
  );
  const [interpreters, setInterpreters] = useInterpreters(o);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (v: Partial<typeof values>) => setValues((x) => ({ ...x, ...v }));
  const level1 = props.areas.filter((a) => a.level === 1);
  const level2 = props.areas.filter((a) => a.level === 2 && (!values.adm1 || a.parent === values.adm1));
  const title = o ? say("office.editTitle", { name: o.name }) : say("offices.new");

  const create = () =>
    api<OfficeInfo>("POST", `${props.base}/offices`, {
      code: values.code,
      name: values.name,
      ...(values.adm1 ? { adm1: values.adm1 } : {}),
      ...(values.adm2 ? { adm2: values.adm2 } : {}),
      rooms: splitList(values.roomList, /,/).map((name) => ({ name })),
    });
  const update = async (office: OfficeInfo) => {
    const saved = await api<OfficeInfo>("PATCH", `/api/offices/${encodeURIComponent(office.officeID)}`, {
      version: office.version,
      changes: {
        name: values.name,
        adm1: values.adm1 || null,
        adm2: values.adm2 || null,
        rooms: rooms
          .filter((r) => r.name.trim())
          .map((r) => ({
            name: r.name.trim(),
            ...(r.capacity ? { capacity: Number(r.capacity) } : {}),
          })),
      },
    });
    await saveInterpreters(office.officeID, interpreters ?? [], say);
    return saved;
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = o ? await update(o) : await create();
      if (!o) setValues(blank);
      props.onDone(saved);
    } catch (err) {
      if (o && err instanceof ApiError && err.status === 409) setError(say("office.conflict"));
      else if (err instanceof ApiError) setError(Object.values(fieldErrors(err, say)).join(" "));
      else setError(err instanceof Error ? err.message : say("ops.bad.other"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className={o ? "form card" : "form"} aria-label={title} onSubmit={save}>
      <h3>{title}</h3>
      {!o && (
        <label>
          {say("offices.code")}
          <input
            name="code"
            value={values.code}
            maxLength={5}
            onChange={(e) => set({ code: e.target.value.toUpperCase() })}
          />
        </label>
      )}
      <label>
        {say("offices.name")}
        <input
          name="officeName"
          value={values.name}
          onChange={(e) => set({ name: e.target.value })}
          required={!!o}
        />
      </label>
      <label>
        {say("offices.adm1")}
        <select name="adm1" value={values.adm1} onChange={(e) => set({ adm1: e.target.value, adm2: "" })}>
          <option value="">{say("offices.choose")}</option>
          {level1.map((a) => (
            <option key={a.pcode} value={a.pcode}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {say("offices.adm2")}
        <select name="adm2" value={values.adm2} onChange={(e) => set({ adm2: e.target.value })}>
          <option value="">{say("offices.choose")}</option>
          {level2.map((a) => (
            <option key={a.pcode} value={a.pcode}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      {o ? (
        <RoomRows rooms={rooms} onChange={setRooms} />
      ) : (
        <label>
          {say("offices.rooms")}
          <input name="rooms" value={values.roomList} onChange={(e) => set({ roomList: e.target.value })} />
        </label>
      )}
      {interpreters && <InterpreterRows rows={interpreters} onChange={setInterpreters} />}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {say(o ? "ops.save" : "offices.create")}
        </button>
        {o && (
          <button type="button" onClick={() => props.onDone(null)}>
            {say("ops.cancel")}
          </button>
        )}
      </div>
    </form>
  );
}

/**
 * The operation's interpreters as rows of an edited office's form: null for a new office, and for an office of
 * another operation than the signed-in one (interpreters are staff of the signed-in operation).
 */
function useInterpreters(office: OfficeInfo | undefined) {
  const [rows, setRows] = useState<InterpreterRow[] | null>(null);
  const officeID = office && currentSession()?.me.operationID === office.operationID ? office.officeID : null;
  useEffect(() => {
    if (!officeID) return;
    api<{ items: StaffUser[] }>("GET", "/api/users")
      .then((r) =>
        setRows(
          r.items
            .filter((u) => u.role === "interpreter" && u.status !== "disabled")
            .map((u) => ({
              user: u,
              here: u.officeIDs.includes(officeID),
              languages: (u.languages ?? []).join(", "),
            })),
        ),
      )
      .catch(() => setRows([]));
  }, [officeID]);
  return [officeID ? rows : null, setRows] as const;
}

/** Each interpreter whose office or languages changed, saved at the version read. */
async function saveInterpreters(
  officeID: string,
  rows: InterpreterRow[],
  say: (k: OperationsTextKey, v?: Record<string, string | number>) => string,
) {
  for (const row of rows) {
    const u = row.user;
    const wasHere = u.officeIDs.includes(officeID);
    const languages = splitList(row.languages, /[\s,]+/).map((l) => l.toLowerCase());
    const sameLanguages = languages.join(",") === (u.languages ?? []).join(",");
    if (row.here === wasHere && sameLanguages) continue;
    const officeIDs = row.here
      ? [...new Set([...u.officeIDs, officeID])]
      : u.officeIDs.filter((id) => id !== officeID);
    await api<StaffUser>("PATCH", `/api/users/${encodeURIComponent(u.userID)}`, {
      expectedVersion: u.version,
      ...(row.here !== wasHere ? { officeIDs } : {}),
      ...(sameLanguages ? {} : { languages }),
    }).catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 422)
        throw new Error(say("office.badLanguages", { name: u.name }));
      throw err;
    });
  }
}

function RoomRows(props: { rooms: RoomRow[]; onChange: (rooms: RoomRow[]) => void }) {
  const { lang } = useI18n();
  const say = (k: OperationsTextKey) => operationsText(lang, k);
  const { rooms } = props;
  const change = (i: number, v: Partial<RoomRow>) =>
    props.onChange(rooms.map((x, j) => (j === i ? { ...x, ...v } : x)));
  return (
    <fieldset>
      <legend>{say("offices.col.rooms")}</legend>
      {rooms.map((r, i) => (
        <div className="inline" key={i}>
          <label>
            {say("office.roomName")}
            <input value={r.name} onChange={(e) => change(i, { name: e.target.value })} />
          </label>
          <label>
            {say("office.roomCapacity")}
            <input
              type="number"
              min={1}
              max={500}
              value={r.capacity}
              onChange={(e) => change(i, { capacity: e.target.value })}
            />
          </label>
          <button type="button" onClick={() => props.onChange(rooms.filter((_, j) => j !== i))}>
            {say("office.roomRemove")}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => props.onChange([...rooms, { name: "", capacity: "" }])}>
        {say("office.roomAdd")}
      </button>
    </fieldset>
  );
}

function InterpreterRows(props: { rows: InterpreterRow[]; onChange: (rows: InterpreterRow[]) => void }) {
  const { lang } = useI18n();
  const say = (k: OperationsTextKey) => operationsText(lang, k);
  const names = useNames();
  const { rows } = props;
  const change = (i: number, v: Partial<InterpreterRow>) =>
    props.onChange(rows.map((x, j) => (j === i ? { ...x, ...v } : x)));
  return (
    <fieldset>
      <legend>{say("office.interpreters")}</legend>
      <p className="muted small">{say("office.interpretersHelp")}</p>
      {rows.length === 0 && <p className="muted">{say("office.noInterpreters")}</p>}
      {rows.map((row, i) => (
        <div className="inline" key={row.user.userID} data-interpreter={row.user.name}>
          <label className="inline">
            <input
              type="checkbox"
              checked={row.here}
              onChange={(e) => change(i, { here: e.target.checked })}
            />
            {row.user.name}
          </label>
          <label>
            {say("office.languages")}
            <input
              dir="ltr"
              value={row.languages}
              onChange={(e) => change(i, { languages: e.target.value })}
            />
          </label>
          <span className="muted small">
            {row.languages
              .split(/[\s,]+/)
              .filter((l) => /^[a-z]{3}$/.test(l))
              .map(names.language)
              .join(" · ")}
          </span>
        </div>
      ))}
    </fieldset>
  );
}
