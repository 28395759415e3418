import { useCallback, useEffect, useState } from "react";
import {
  LeadFields,
  PartnerScopes,
  SharedRecordFields,
  WebhookEventTypeList,
  type OrganisationAdmin,
} from "@waypoint/schema";
import { ApiError, api, loadSession, type Session } from "../api/client.ts";
import { Modal } from "../components/Modal.tsx";
import { may as mayDo } from "../domains/resources.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { FieldLabels, Locales, type Lang } from "../i18n/messages.ts";
import { navigate } from "../nav.ts";
import { partnerText, type PartnerTextKey } from "./partnerText.ts";

type Tx = (k: PartnerTextKey, v?: Record<string, string | number>) => string;
type Issued = { keyID: string; key: string; revokedKeyID?: string; webhookRemoved?: boolean };

function useTx(): {
  tx: Tx;
  lang: Lang;
  when: (iso?: string | null) => string;
  zone: string;
  field: (f: string) => string;
} {
  const { lang, field } = useI18n();
  // the operation's time zone when the session gives one, otherwise the browser's
  const zone = loadSession()?.me.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const f = new Intl.DateTimeFormat(Locales[lang], {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: zone,
  });
  return {
    tx: (k, v) => partnerText(lang, k, v),
    lang,
    zone,
    when: (iso) => (iso ? f.format(new Date(iso)) : ""),
    field: (name) =>
      FieldLabels[name] ? field(name) : partnerText(lang, `lead.${name}` as PartnerTextKey) || name,
  };
}

const message = (e: unknown) => (e instanceof ApiError ? e.message : String(e));

/** One partner organisation: its API keys, data-sharing agreement, webhook with deliveries, Kobo forms, history. */
export function OrganisationPage(props: { session: Session; organisationID: string }) {
  const { tx, zone } = useTx();
  const may = (a: string) => mayDo(props.session.me, a);
  const [org, setOrg] = useState<OrganisationAdmin | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const [tick, setTick] = useState(0);
  const base = `/api/organisations/${props.organisationID}`;
  const reload = useCallback(() => {
    api<OrganisationAdmin>("GET", base)
      .then((o) => (setOrg(o), setTick((t) => t + 1)))
      .catch((e) => (e instanceof ApiError && e.status === 404 ? setMissing(true) : setError(message(e))));
  }, [base]);
  useEffect(reload, [reload]);
  const back = (
    <p>
      <a
        href="/partners"
        onClick={(e) => {
          e.preventDefault();
          navigate("/partners");
        }}
      >
        ← {tx("back")}
      </a>
    </p>
  );
  if (missing)
    return (
      <section className="page partners">
        {back}
        <p role="alert">{tx("notFound")}</p>
      </section>
    );
  return (
    <section className="page partners" aria-labelledby="page-title">
      {back}
      <h1 id="page-title">{org?.name ?? "…"}</h1>
      {org && <p className="muted">{tx(`kind.${org.kind}` as PartnerTextKey)}</p>}
      <p className="muted small">{tx("zone", { zone })}</p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {org && (
        <>
          <Keys org={org} base={base} reload={reload} />
          <Sharing org={org} base={base} reload={reload} />
          <Webhook org={org} base={base} reload={reload} tick={tick} />
          {may("intake.manage") && <KoboForms organisationID={org.organisationID} />}
          {may("audit.read") && <History org={org} base={base} tick={tick} />}
        </>
      )}
    </section>
  );
}

function Confirm(props: {
  title: string;
  text: string;
  yes: string;
  onYes: () => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  return (
    <Modal title={props.title} onClose={props.onClose}>
      <p>{props.text}</p>
      <div className="actions">
        <button type="button" onClick={props.onClose}>
          {t("common.cancel")}
        </button>
        <button type="button" className="primary" onClick={props.onYes}>
          {props.yes}
        </button>
      </div>
    </Modal>
  );
}

/** A secret shown once: read-only, with a copy button; closing it forgets it (nothing keeps it). */
function SecretDialog(props: { title: string; text: string; value: string; onClose: () => void }) {
  const { tx } = useTx();
  const [copied, setCopied] = useState(false);
  return (
    <Modal title={props.title} onClose={props.onClose}>
      <p>{props.text}</p>
      <div className="secret">
        <input
          readOnly
          value={props.value}
          aria-label={props.title}
          data-secret
          onFocus={(e) => e.target.select()}
        />
        <button
          type="button"
          onClick={() => {
            void navigator.clipboard?.writeText(props.value).then(
              () => setCopied(true),
              () => setCopied(false),
            );
          }}
        >
          {copied ? tx("secret.copied") : tx("secret.copy")}
        </button>
      </div>
      <div className="actions">
        <button type="button" className="primary" onClick={props.onClose}>
          {tx("secret.done")}
        </button>
      </div>
    </Modal>
  );
}

function ScopeChecks(props: { value: string[]; onChange: (v: string[]) => void; legend: string }) {
  const { tx } = useTx();
  return (
    <fieldset className="checks">
      <legend>{props.legend}</legend>
      {PartnerScopes.map((s) => (
        <label key={s} className="check">
          <input
            type="checkbox"
            checked={props.value.includes(s)}
            onChange={(e) =>
              props.onChange(e.target.checked ? [...props.value, s] : props.value.filter((x) => x !== s))
            }
          />{" "}
          {tx(`scope.${s}` as PartnerTextKey)}
        </label>
      ))}
    </fieldset>
  );
}

function Keys(props: { org: OrganisationAdmin; base: string; reload: () => void }) {
  const { tx, when } = useTx();
  const { t } = useI18n();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<string[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [confirm, setConfirm] = useState<{ kind: "rotate" | "revoke"; keyID: string; name: string } | null>(
    null,
  );
  const [editing, setEditing] = useState<{ keyID: string; scopes: string[] } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const create = async () => {
    if (!name.trim()) return setFormError(t("ask.required"));
    if (scopes.length === 0) return setFormError(tx("keys.pickScope"));
    setFormError(null);
    try {
      const k = await api<Issued>("POST", `${props.base}/keys`, { name: name.trim(), scopes });
      setName("");
      setScopes([]);
      setIssued(k);
      props.reload();
    } catch (e) {
      setFormError(message(e));
    }
  };
  const act = async () => {
    if (!confirm) return;
    const c = confirm;
    setConfirm(null);
    setError(null);
    try {
      if (c.kind === "rotate") {
        const k = await api<Issued>("POST", `${props.base}/keys/${c.keyID}/rotate`);
        setIssued(k);
        setNotice(k.webhookRemoved ? tx("revoke.webhookGone") : null);
      } else {
        const r = await api<{ webhookRemoved: boolean }>("POST", `${props.base}/keys/${c.keyID}/revoke`);
        setNotice(
          tx("revoke.done", { name: c.name }) + (r.webhookRemoved ? ` ${tx("revoke.webhookGone")}` : ""),
        );
      }
    } catch (e) {
      setError(message(e));
    }
    props.reload();
  };
  const saveScopes = async () => {
    if (!editing) return;
    if (editing.scopes.length === 0) return setError(tx("keys.pickScope"));
    try {
      await api("PUT", `${props.base}/keys/${editing.keyID}/scopes`, { scopes: editing.scopes });
      setEditing(null);
      setNotice(tx("key.scopesSaved"));
      props.reload();
    } catch (e) {
      setError(message(e));
    }
  };

  return (
    <section className="part" aria-labelledby="keys-title">
      <h2 id="keys-title">{tx("keys.title")}</h2>
      <p className="muted">{tx("keys.intro")}</p>
      {notice && <p role="status">{notice}</p>}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {props.org.keys.length === 0 ? (
        <p className="muted">{tx("keys.none")}</p>
      ) : (
        <table className="plain keys">
          <thead>
            <tr>
              <th scope="col">{tx("name")}</th>
              <th scope="col">{tx("keys.scopes")}</th>
              <th scope="col">{tx("deliveries.state")}</th>
              <th scope="col">
                <span className="sr-only">{tx("confirm")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.org.keys.map((k) => (
              <tr key={k.keyID} data-key-name={k.name}>
                <td>
                  <strong>{k.name}</strong>
                  <div className="muted small">{tx("key.created", { time: when(k.timeCreated) })}</div>
                  {k.replaces && <div className="muted small">{tx("key.replaces")}</div>}
                </td>
                <td>
                  {editing?.keyID === k.keyID ? (
                    <form
                      className="form"
                      onSubmit={(e) => {
                        e.preventDefault();
                        void saveScopes();
                      }}
                    >
                      <ScopeChecks
                        legend={tx("keys.scopes")}
                        value={editing.scopes}
                        onChange={(v) => setEditing({ ...editing, scopes: v })}
                      />
                      <div className="actions">
                        <button type="button" onClick={() => setEditing(null)}>
                          {t("common.cancel")}
                        </button>
                        <button type="submit" className="primary">
                          {tx("key.saveScopes")}
                        </button>
                      </div>
                    </form>
                  ) : (
                    <ul>
                      {k.scopes.map((s) => (
                        <li key={s}>{tx(`scope.${s}` as PartnerTextKey)}</li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>
                  {k.revoked ? (
                    <>
                      <span className="status-revoked">{tx("key.revoked")}</span>
                      {k.timeRevoked && (
                        <div className="muted small">
                          {tx("key.revokedAt", { time: when(k.timeRevoked) })}
                        </div>
                      )}
                    </>
                  ) : (
                    <span className="status-live">{tx("key.live")}</span>
                  )}
                </td>
                <td>
                  {!k.revoked && editing?.keyID !== k.keyID && (
                    <div className="key-actions">
                      <button
                        aria-haspopup="dialog"
                        type="button"
                        onClick={() => setEditing({ keyID: k.keyID, scopes: k.scopes })}
                      >
                        {tx("key.editScopes")}
                      </button>
                      <button
                        aria-haspopup="dialog"
                        type="button"
                        onClick={() => setConfirm({ kind: "rotate", keyID: k.keyID, name: k.name })}
                      >
                        {tx("key.rotate")}
                      </button>
                      <button
                        aria-haspopup="dialog"
                        type="button"
                        className="danger"
                        onClick={() => setConfirm({ kind: "revoke", keyID: k.keyID, name: k.name })}
                      >
                        {tx("key.revoke")}
                      </button>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="form card"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <h3>{tx("keys.new")}</h3>
        <label>
          {tx("keys.name")}
          <input value={name} onChange={(e) => (setName(e.target.value), setFormError(null))} />
        </label>
        <ScopeChecks
          legend={tx("keys.scopes")}
          value={scopes}
          onChange={(v) => (setScopes(v), setFormError(null))}
        />
        {formError && (
          <p role="alert" className="error">
            {formError}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary">
            {tx("keys.create")}
          </button>
        </div>
      </form>
      {issued && (
        <SecretDialog
          title={tx("secret.title")}
          text={tx("secret.once")}
          value={issued.key}
          onClose={() => setIssued(null)}
        />
      )}
      {confirm && (
        <Confirm
          title={tx(confirm.kind === "rotate" ? "rotate.title" : "revoke.title", { name: confirm.name })}
          text={tx(confirm.kind === "rotate" ? "rotate.text" : "revoke.text")}
          yes={tx(confirm.kind === "rotate" ? "rotate.yes" : "revoke.yes")}
          onYes={() => void act()}
          onClose={() => setConfirm(null)}
        />
      )}
    </section>
  );
}

function Sharing(props: { org: OrganisationAdmin; base: string; reload: () => void }) {
  const { tx, when, field } = useTx();
  const [fields, setFields] = useState<string[]>(props.org.sharing.fields.referral_person);
  const [note, setNote] = useState("");
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setFields(props.org.sharing.fields.referral_person), [props.org]);
  const save = async () => {
    setError(null);
    try {
      const o = await api<OrganisationAdmin>("PUT", `${props.base}/sharing`, {
        version: props.org.version,
        fields: { referral_person: fields },
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      setNote("");
      setStatus(tx("sharing.saved", { n: o.sharing.agreementVersion }));
      props.reload();
    } catch (e) {
      setError(e instanceof ApiError && e.status === 409 ? tx("conflict") : message(e));
      props.reload();
    }
  };
  return (
    <section className="part" aria-labelledby="sharing-title">
      <h2 id="sharing-title">{tx("sharing.title")}</h2>
      <p className="muted">{tx("sharing.intro")}</p>
      <p className="small">
        {tx("sharing.version", {
          n: props.org.sharing.agreementVersion,
          time: when(props.org.sharing.timeAgreed ?? props.org.timeCreated),
        })}
      </p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <fieldset className="checks">
          <legend>{tx("sharing.record.referral_person")}</legend>
          {SharedRecordFields.referral_person.map((f) => (
            <label key={f} className="check">
              <input
                type="checkbox"
                checked={fields.includes(f)}
                onChange={(e) => setFields(e.target.checked ? [...fields, f] : fields.filter((x) => x !== f))}
              />{" "}
              {field(f)}
            </label>
          ))}
        </fieldset>
        <label>
          {tx("sharing.note")}
          <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
        </label>
        {status && <p role="status">{status}</p>}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary">
            {tx("sharing.save")}
          </button>
        </div>
      </form>
    </section>
  );
}

interface Delivery {
  eventID: string;
  type: string;
  state: "pending" | "delivered" | "failed";
  attempts: number;
  log: { time: string; status?: number; error?: string; ms?: number }[];
  timeCreated: string;
}

function Webhook(props: { org: OrganisationAdmin; base: string; reload: () => void; tick: number }) {
  const { tx, when } = useTx();
  const { t, number } = useI18n();
  const hook = props.org.webhook;
  const [url, setUrl] = useState("");
  const [secret, setSecret] = useState<string | null>(null);
  const [events, setEvents] = useState<string[]>(hook?.events ?? []);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [deliveries, setDeliveries] = useState<Delivery[] | null>(null);
  useEffect(() => setEvents(props.org.webhook?.events ?? []), [props.org]);
  useEffect(() => {
    api<{ items: Delivery[] }>("GET", `${props.base}/webhook/deliveries?limit=20`)
      .then((r) => setDeliveries(r.items))
      .catch(() => setDeliveries([]));
  }, [props.base, props.tick]);
  const keyName = hook?.keyID ? props.org.keys.find((k) => k.keyID === hook.keyID)?.name : undefined;
  const run = async (f: () => Promise<unknown>) => {
    setError(null);
    setNotice(null);
    try {
      await f();
    } catch (e) {
      setError(e instanceof ApiError && e.status === 409 ? tx("conflict") : message(e));
    }
    props.reload();
  };
  const setAddress = () =>
    run(async () => {
      if (!url.trim()) throw new Error(t("ask.required"));
      const r = await api<{ secret: string }>("PUT", `${props.base}/webhook`, { url: url.trim() });
      setUrl("");
      setSecret(r.secret);
    });
  const settings = (enabled: boolean, evs: string[]) =>
    run(() =>
      api("PUT", `${props.base}/webhook/settings`, {
        version: props.org.version,
        enabled,
        ...(evs.length ? { events: evs } : {}),
      }),
    );
  const lastAnswer = (d: Delivery) => {
    const last = d.log[d.log.length - 1];
    if (!last) return "—";
    if (last.status !== undefined) return tx("deliveries.http", { status: String(last.status) });
    return last.ms === 0 ? tx("deliveries.stopped") : tx("deliveries.noAnswer");
  };
  return (
    <section className="part" aria-labelledby="webhook-title">
      <h2 id="webhook-title">{tx("webhook.title")}</h2>
      <p className="muted">{tx("webhook.intro")}</p>
      {notice && <p role="status">{notice}</p>}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {hook ? (
        <>
          <p>
            <code dir="ltr">{hook.url}</code> ·{" "}
            <strong>{hook.enabled ? tx("webhook.sending") : tx("webhook.paused")}</strong>
          </p>
          {keyName && <p className="muted small">{tx("webhook.byKey", { name: keyName })}</p>}
          <div className="row-actions">
            <button type="button" onClick={() => void settings(!hook.enabled, hook.events)}>
              {hook.enabled ? tx("webhook.pause") : tx("webhook.resume")}
            </button>
            <button
              aria-haspopup="dialog"
              type="button"
              className="danger"
              onClick={() => setConfirmRemove(true)}
            >
              {tx("webhook.remove")}
            </button>
          </div>
          <form
            className="form"
            onSubmit={(e) => {
              e.preventDefault();
              void settings(hook.enabled, events);
            }}
          >
            <fieldset className="checks">
              <legend>{tx("webhook.events")}</legend>
              {WebhookEventTypeList.map((ev) => (
                <label key={ev} className="check">
                  <input
                    type="checkbox"
                    checked={events.length === 0 || events.includes(ev)}
                    onChange={(e) => {
                      const cur = events.length === 0 ? [...WebhookEventTypeList] : events;
                      const next = e.target.checked ? [...cur, ev] : cur.filter((x) => x !== ev);
                      setEvents(next.length === WebhookEventTypeList.length ? [] : next);
                    }}
                  />{" "}
                  {tx(`event.${ev}` as PartnerTextKey)}
                </label>
              ))}
            </fieldset>
            <div className="actions">
              <button type="submit">{tx("webhook.saveEvents")}</button>
            </div>
          </form>
        </>
      ) : (
        <p className="muted">{tx("webhook.none")}</p>
      )}
      <form
        className="form inline"
        onSubmit={(e) => {
          e.preventDefault();
          void setAddress();
        }}
      >
        <label>
          {tx("webhook.url")}
          <input type="url" dir="ltr" value={url} onChange={(e) => setUrl(e.target.value)} />
        </label>
        <button type="submit">{hook ? tx("webhook.change") : tx("webhook.set")}</button>
      </form>
      <h3>{tx("deliveries.title")}</h3>
      {deliveries && deliveries.length === 0 && <p className="muted">{tx("deliveries.none")}</p>}
      {deliveries && deliveries.length > 0 && (
        <table className="plain deliveries">
          <thead>
            <tr>
              <th scope="col">{tx("deliveries.event")}</th>
              <th scope="col">{tx("deliveries.when")}</th>
              <th scope="col">{tx("deliveries.state")}</th>
              <th scope="col">{tx("deliveries.attempts")}</th>
              <th scope="col">{tx("deliveries.last")}</th>
              <th scope="col">
                <span className="sr-only">{tx("deliveries.retry")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => (
              <tr key={d.eventID}>
                <td>
                  {(WebhookEventTypeList as readonly string[]).includes(d.type)
                    ? tx(`event.${d.type}` as PartnerTextKey)
                    : tx("history.other")}
                </td>
                <td>{when(d.timeCreated)}</td>
                <td>{tx(`state.${d.state}` as PartnerTextKey)}</td>
                <td>{number(d.attempts)}</td>
                <td>{lastAnswer(d)}</td>
                <td>
                  {d.state !== "pending" && (
                    <button
                      type="button"
                      onClick={() =>
                        void run(async () => {
                          await api("POST", `${props.base}/webhook/deliveries/${d.eventID}/retry`);
                          setNotice(tx("deliveries.queued"));
                        })
                      }
                    >
                      {tx("deliveries.retry")}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {secret && (
        <SecretDialog
          title={tx("webhook.secretTitle")}
          text={tx("webhook.secretOnce")}
          value={secret}
          onClose={() => setSecret(null)}
        />
      )}
      {confirmRemove && (
        <Confirm
          title={tx("webhook.removeTitle")}
          text={tx("webhook.removeText")}
          yes={tx("webhook.removeTitle")}
          onClose={() => setConfirmRemove(false)}
          onYes={() => {
            setConfirmRemove(false);
            void run(() => api("DELETE", `${props.base}/webhook`));
          }}
        />
      )}
    </section>
  );
}

interface KoboForm {
  formID: string;
  name: string;
  fields: Record<string, { field: string; values?: Record<string, string> }>;
  phoneCountry?: string;
  programme?: string;
  organisationID?: string;
  version: number;
}
type Row = { path: string; field: string; values?: Record<string, string> };

function KoboForms(props: { organisationID: string }) {
  const { tx } = useTx();
  const [forms, setForms] = useState<KoboForm[] | null>(null);
  const [editing, setEditing] = useState<KoboForm | "new" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(() => {
    api<{ items: KoboForm[] }>("GET", `/api/organisations/${props.organisationID}/kobo-forms`)
      .then((r) => setForms(r.items))
      .catch(() => setForms([]));
  }, [props.organisationID]);
  useEffect(load, [load]);
  return (
    <section className="part" aria-labelledby="kobo-title">
      <h2 id="kobo-title">{tx("kobo.title")}</h2>
      <p className="muted">{tx("kobo.intro")}</p>
      {notice && <p role="status">{notice}</p>}
      {forms && forms.length === 0 && <p className="muted">{tx("kobo.none")}</p>}
      {forms && forms.length > 0 && (
        <ul>
          {forms.map((f) => (
            <li key={f.formID}>
              <strong>{f.name}</strong>{" "}
              <span className="muted small">
                ({f.formID}, {tx("kobo.questions", { n: Object.keys(f.fields).length })})
              </span>{" "}
              <button type="button" onClick={() => (setNotice(null), setEditing(f))}>
                {tx("kobo.edit")}
              </button>
            </li>
          ))}
        </ul>
      )}
      {editing === null ? (
        <button type="button" onClick={() => (setNotice(null), setEditing("new"))}>
          {tx("kobo.new")}
        </button>
      ) : (
        <MappingEditor
          key={editing === "new" ? "new" : editing.formID}
          organisationID={props.organisationID}
          form={editing === "new" ? undefined : editing}
          onDone={(saved) => {
            setEditing(null);
            if (saved) setNotice(tx("kobo.saved"));
            load();
          }}
        />
      )}
    </section>
  );
}

function MappingEditor(props: { organisationID: string; form?: KoboForm; onDone: (saved: boolean) => void }) {
  const { tx, field } = useTx();
  const { t } = useI18n();
  const [formID, setFormID] = useState(props.form?.formID ?? "");
  const [name, setName] = useState(props.form?.name ?? "");
  const [phoneCountry, setPhoneCountry] = useState(props.form?.phoneCountry ?? "");
  const [rows, setRows] = useState<Row[]>(
    props.form
      ? Object.entries(props.form.fields).map(([path, m]) => ({ path, field: m.field, values: m.values }))
      : [{ path: "", field: "givenName" }],
  );
  const [sample, setSample] = useState("");
  const [preview, setPreview] = useState<{
    lead: Record<string, unknown>;
    issues: { path: string; message: string }[];
  } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const mapping = () => ({
    name: name.trim(),
    organisationID: props.organisationID,
    ...(phoneCountry.trim() ? { phoneCountry: phoneCountry.trim().toUpperCase() } : {}),
    ...(props.form?.programme ? { programme: props.form.programme } : {}),
    fields: Object.fromEntries(
      rows
        .filter((r) => r.path.trim())
        .map((r) => [r.path.trim(), { field: r.field, ...(r.values ? { values: r.values } : {}) }]),
    ),
  });
  const save = async () => {
    setError(null);
    if (!formID.trim() || !name.trim()) return setError(t("ask.required"));
    try {
      await api("PUT", `/api/kobo-forms/${encodeURIComponent(formID.trim())}`, {
        ...mapping(),
        ...(props.form ? { version: props.form.version } : {}),
      });
      props.onDone(true);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 409 ? tx("conflict") : message(e));
    }
  };
  const tryIt = async () => {
    setError(null);
    setPreview(null);
    let submission: unknown;
    try {
      submission = JSON.parse(sample);
    } catch {
      return setError(tx("kobo.badJson"));
    }
    try {
      setPreview(
        await api("POST", "/api/kobo-forms/preview", {
          mapping: { ...mapping(), name: name.trim() || "—" },
          submission,
        }),
      );
    } catch (e) {
      setError(message(e));
    }
  };
  return (
    <form
      className="form card"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label>
        {tx("kobo.formID")}
        <input
          dir="ltr"
          value={formID}
          disabled={Boolean(props.form)}
          onChange={(e) => setFormID(e.target.value)}
        />
      </label>
      <label>
        {tx("kobo.name")}
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        {tx("kobo.phoneCountry")}
        <input
          dir="ltr"
          maxLength={2}
          value={phoneCountry}
          onChange={(e) => setPhoneCountry(e.target.value)}
        />
      </label>
      <table className="plain mapping">
        <thead>
          <tr>
            <th scope="col">{tx("kobo.question")}</th>
            <th scope="col">{tx("kobo.field")}</th>
            <th scope="col">
              <span className="sr-only">{tx("kobo.removeRow")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <td>
                <input
                  dir="ltr"
                  aria-label={tx("kobo.question")}
                  value={r.path}
                  onChange={(e) =>
                    setRows(rows.map((x, j) => (j === i ? { ...x, path: e.target.value } : x)))
                  }
                />
              </td>
              <td>
                <select
                  aria-label={tx("kobo.field")}
                  value={r.field}
                  onChange={(e) =>
                    setRows(rows.map((x, j) => (j === i ? { ...x, field: e.target.value } : x)))
                  }
                >
                  {LeadFields.map((f) => (
                    <option key={f} value={f}>
                      {field(f)}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <button type="button" onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                  {tx("kobo.removeRow")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => setRows([...rows, { path: "", field: "givenName" }])}>
        {tx("kobo.addRow")}
      </button>
      <label>
        {tx("kobo.sample")}
        <textarea className="sample" dir="ltr" value={sample} onChange={(e) => setSample(e.target.value)} />
      </label>
      <button type="button" onClick={() => void tryIt()} disabled={!sample.trim()}>
        {tx("kobo.try")}
      </button>
      {preview && (
        <div role="status">
          <h4>{tx("kobo.result")}</h4>
          <dl>
            {Object.entries(preview.lead).map(([k, v]) => (
              <div key={k}>
                <dt>{field(k)}</dt>
                <dd>{Array.isArray(v) ? v.join(", ") : String(v)}</dd>
              </div>
            ))}
          </dl>
          {preview.issues.length === 0 ? (
            <p>{tx("kobo.ok")}</p>
          ) : (
            <>
              <p>{tx("kobo.issues")}</p>
              <ul>
                {preview.issues.map((i, n) => (
                  <li key={n}>
                    <code dir="ltr">{i.path || "—"}</code>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={() => props.onDone(false)}>
          {t("common.cancel")}
        </button>
        <button type="submit" className="primary">
          {tx("kobo.save")}
        </button>
      </div>
    </form>
  );
}

interface AuditEvent {
  auditID: string;
  action: string;
  actorID: string;
  actorName?: string;
  time: string;
  changes?: Record<string, unknown>;
}

function History(props: { org: OrganisationAdmin; base: string; tick: number }) {
  const { tx, when } = useTx();
  const [items, setItems] = useState<AuditEvent[] | null>(null);
  useEffect(() => {
    api<{ items: AuditEvent[] }>("GET", `${props.base}/history`)
      .then((r) => setItems(r.items))
      .catch(() => setItems([]));
  }, [props.base, props.tick]);
  const keyName = (e: AuditEvent) => {
    const id = Object.keys(e.changes ?? {})
      .find((c) => c.startsWith("apiKey."))
      ?.split(".")[1];
    return props.org.keys.find((k) => k.keyID === id)?.name ?? "—";
  };
  const what = (e: AuditEvent) => {
    const k = `history.${e.action}` as PartnerTextKey;
    return partnerTextHas(k) ? tx(k, { key: keyName(e) }) : tx("history.other");
  };
  return (
    <section className="part" aria-labelledby="history-title">
      <h2 id="history-title">{tx("history.title")}</h2>
      {items && items.length === 0 && <p className="muted">{tx("history.none")}</p>}
      {items && items.length > 0 && (
        <table className="plain">
          <thead>
            <tr>
              <th scope="col">{tx("history.when")}</th>
              <th scope="col">{tx("history.who")}</th>
              <th scope="col">{tx("history.what")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.auditID}>
                <td>{when(e.time)}</td>
                <td>{e.actorName ?? (e.actorID.startsWith("system:") ? tx("history.system") : "—")}</td>
                <td>{what(e)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const HISTORY_ACTIONS = [
  "create",
  "apiKey.create",
  "apiKey.rotate",
  "apiKey.revoke",
  "apiKey.scopes",
  "sharing.update",
  "webhook.configure",
  "webhook.remove",
  "webhook.settings",
];
const partnerTextHas = (k: string) => HISTORY_ACTIONS.some((a) => k === `history.${a}`);
