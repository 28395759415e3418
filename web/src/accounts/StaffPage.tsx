import { useEffect, useState } from "react";
import { Roles, type OutboxMail, type Role, type StaffUser } from "@waypoint/schema";
import { ApiError, api, type Session } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import type { MessageKey } from "../i18n/messages.ts";
import { navigate } from "../nav.ts";
import type { Office } from "../pages/Shell.tsx";
import { problemSentence } from "../components/RecordForm.tsx";
import { accountText, hasAccountText } from "./accountText.ts";

type Tx = (k: Parameters<typeof accountText>[1], v?: Record<string, string | number>) => string;
function useTx(): Tx {
  const { lang } = useI18n();
  return (k, v) => accountText(lang, k, v);
}
const go = (href: string) => (e: React.MouseEvent) => {
  e.preventDefault();
  navigate(href);
};

/** A refusal's code in the user's words (`err.<code>`), else the app's general sentence for the problem. */
function sentence(i18n: ReturnType<typeof useI18n>, code: string | undefined, e?: unknown): string {
  const key = `err.${code ?? ""}`;
  if (hasAccountText(key)) return accountText(i18n.lang, key);
  return e ? problemSentence(i18n, e) : "";
}

/** Field errors of a refused save, by field, in the user's words. */
function fieldErrors(i18n: ReturnType<typeof useI18n>, e: unknown): Record<string, string> {
  if (!(e instanceof ApiError)) return {};
  return Object.fromEntries(
    (e.problem.errors ?? []).map((i) => [i.path.split(".")[0]!, sentence(i18n, i.code) || i.message]),
  );
}

/** `/staff`: the operation's staff accounts and the invitation form; `/staff/<id>`: one account. Admins only. */
export function StaffPage(props: { session: Session; offices: Office[]; id?: string }) {
  if (props.id) return <UserPage key={props.id} {...props} userID={props.id} />;
  return <StaffList {...props} />;
}

function officeNames(ids: string[], offices: Office[], all: string) {
  if (ids.length === 0) return all;
  return ids.map((id) => offices.find((o) => o.officeID === id)?.name ?? "—").join(", ");
}

/** The languages e-mails are written in, each named in itself. */
const MAIL_LANGUAGES = [
  { code: "en", name: "English" },
  { code: "es", name: "Español" },
  { code: "fr", name: "Français" },
  { code: "ar", name: "العربية" },
] as const;

function RoleSelect(props: { value: Role; onChange: (r: Role) => void; id?: string }) {
  const { t } = useI18n();
  return (
    <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value as Role)}>
      {Roles.map((r) => (
        <option key={r} value={r}>
          {t(`role.${r}` as MessageKey)}
        </option>
      ))}
    </select>
  );
}

function OfficeChecks(props: { offices: Office[]; value: string[]; onChange: (ids: string[]) => void }) {
  return (
    <div className="checks">
      {props.offices.map((o) => (
        <label key={o.officeID} className="inline">
          <input
            type="checkbox"
            checked={props.value.includes(o.officeID)}
            onChange={(e) =>
              props.onChange(
                e.target.checked ? [...props.value, o.officeID] : props.value.filter((x) => x !== o.officeID),
              )
            }
          />{" "}
          {o.name}
        </label>
      ))}
    </div>
  );
}

function StaffList(props: { offices: Office[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const tx = useTx();
  const [items, setItems] = useState<StaffUser[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [hasOutbox, setHasOutbox] = useState(false);
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("caseworker");
  const [officeIDs, setOfficeIDs] = useState<string[]>([]);
  const [language, setLanguage] = useState("");
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const load = () =>
    api<{ items: StaffUser[] }>("GET", "/api/users")
      .then((r) => setItems(r.items))
      .catch((e) => setError(problemSentence(i18n, e)));
  useEffect(() => {
    void load();
    api("GET", "/api/outbox")
      .then(() => setHasOutbox(true))
      .catch(() => setHasOutbox(false));
  }, []);

  const invite = async () => {
    setBusy(true);
    setError(null);
    setFields({});
    setNotice(null);
    try {
      const r = await api<{ user: StaffUser; mailed: boolean }>("POST", "/api/users", {
        email: email.trim(),
        name: name.trim(),
        role,
        officeIDs,
        ...(language ? { language } : {}),
      });
      setNotice(r.mailed ? tx("staff.invited", { email: r.user.email }) : tx("staff.notMailed"));
      setEmail("");
      setName("");
      setOfficeIDs([]);
      await load();
    } catch (e) {
      const f = fieldErrors(i18n, e);
      if (Object.keys(f).length) setFields(f);
      else setError(sentence(i18n, e instanceof ApiError ? e.problem.code : undefined, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="page staff" aria-labelledby="page-title">
      <h1 id="page-title">{tx("staff.title")}</h1>
      <p className="muted">{tx("staff.intro")}</p>
      {hasOutbox && (
        <p>
          <a href="/outbox" onClick={go("/outbox")}>
            {tx("staff.outbox")}
          </a>
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {items && (
        <table className="plain" aria-label={tx("staff.title")}>
          <thead>
            <tr>
              <th scope="col">{tx("staff.name")}</th>
              <th scope="col">{tx("staff.email")}</th>
              <th scope="col">{tx("staff.role")}</th>
              <th scope="col">{tx("staff.offices")}</th>
              <th scope="col">{tx("staff.status")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((u) => (
              <tr key={u.userID} data-user={u.email}>
                <td>
                  <a href={`/staff/${u.userID}`} onClick={go(`/staff/${u.userID}`)}>
                    {u.name}
                  </a>
                </td>
                <td>{u.email}</td>
                <td>{t(`role.${u.role}` as MessageKey)}</td>
                <td>{officeNames(u.officeIDs, props.offices, tx("staff.allOffices"))}</td>
                <td>{tx(`status.${u.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="card form"
        aria-labelledby="invite-heading"
        onSubmit={(e) => {
          e.preventDefault();
          void invite();
        }}
      >
        <h2 id="invite-heading">{tx("staff.invite")}</h2>
        <label>
          {tx("staff.name")}
          <input name="name" value={name} onChange={(e) => setName(e.target.value)} required />
          {fields.name && <span className="error">{fields.name}</span>}
        </label>
        <label>
          {tx("staff.email")}
          <input
            name="email"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
          />
          {fields.email && (
            <span className="error" role="alert">
              {fields.email}
            </span>
          )}
        </label>
        <label>
          {tx("staff.role")}
          <RoleSelect value={role} onChange={setRole} />
        </label>
        <label>
          {tx("staff.language")}
          <select name="language" value={language} onChange={(e) => setLanguage(e.target.value)}>
            <option value="">{tx("staff.languageDefault")}</option>
            {MAIL_LANGUAGES.map((l) => (
              <option key={l.code} value={l.code} lang={l.code}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>{tx("staff.offices")}</legend>
          <OfficeChecks offices={props.offices} value={officeIDs} onChange={setOfficeIDs} />
          {fields.officeIDs && <span className="error">{fields.officeIDs}</span>}
        </fieldset>
        <button type="submit" className="primary" disabled={busy}>
          {tx("staff.inviteSend")}
        </button>
        {notice && <p role="status">{notice}</p>}
      </form>
    </section>
  );
}

function UserPage(props: { session: Session; offices: Office[]; userID: string }) {
  const i18n = useI18n();
  const tx = useTx();
  const [u, setU] = useState<StaffUser | null>(null);
  const [role, setRole] = useState<Role>("caseworker");
  const [officeIDs, setOfficeIDs] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const self = props.session.me.userID === props.userID;
  // the colleague's authenticator: asked only where the role may reset it (admins: user.manage)
  const mayReset = props.session.me.permissions?.includes("user.manage") ?? false;
  const [factor, setFactor] = useState<boolean | null>(null);
  useEffect(() => {
    if (!mayReset || self) return;
    api<{ enrolled: boolean }>("GET", `/api/second-factors/${encodeURIComponent(props.userID)}`)
      .then((r) => setFactor(r.enrolled))
      .catch(() => setFactor(null));
  }, [props.userID, mayReset, self]);

  const show = (x: StaffUser) => {
    setU(x);
    setRole(x.role);
    setOfficeIDs(x.officeIDs);
  };
  useEffect(() => {
    api<StaffUser>("GET", `/api/users/${encodeURIComponent(props.userID)}`)
      .then(show)
      .catch((e) => setError(problemSentence(i18n, e)));
  }, [props.userID]);

  const act = async (fn: () => Promise<StaffUser | { user: StaffUser }>, done: string) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const r = await fn();
      show("user" in r ? r.user : r);
      setNotice(done);
    } catch (e) {
      setError(sentence(i18n, e instanceof ApiError ? e.problem.code : undefined, e));
      if (e instanceof ApiError && e.status === 409)
        void api<StaffUser>("GET", `/api/users/${encodeURIComponent(props.userID)}`).then(show);
    } finally {
      setBusy(false);
    }
  };
  if (!u)
    return (
      <section className="page">
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </section>
    );
  const path = `/api/users/${encodeURIComponent(u.userID)}`;
  return (
    <section className="page staff-user" aria-labelledby="page-title">
      <p>
        <a href="/staff" onClick={go("/staff")}>
          {tx("user.back")}
        </a>
      </p>
      <h1 id="page-title">{u.name}</h1>
      <p>
        {u.email} · <strong data-testid="user-status">{tx(`status.${u.status}`)}</strong>
      </p>
      {u.linkExpiresAt && (
        <p className="muted">{tx("user.linkOpen", { time: i18n.dateTime(u.linkExpiresAt) })}</p>
      )}
      {self && <p className="muted">{tx("user.you")}</p>}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {notice && <p role="status">{notice}</p>}
      <form
        className="card form"
        onSubmit={(e) => {
          e.preventDefault();
          void act(
            () => api<StaffUser>("PATCH", path, { expectedVersion: u.version, role, officeIDs }),
            tx("user.saved"),
          );
        }}
      >
        <label>
          {tx("staff.role")}
          <RoleSelect value={role} onChange={setRole} />
        </label>
        <fieldset>
          <legend>{tx("staff.offices")}</legend>
          <OfficeChecks offices={props.offices} value={officeIDs} onChange={setOfficeIDs} />
          {officeIDs.length === 0 && <p className="muted small">{tx("staff.allOffices")}</p>}
        </fieldset>
        <p className="muted small">{tx("user.rightsNote")}</p>
        <button type="submit" className="primary" disabled={busy || self}>
          {tx("user.save")}
        </button>
      </form>
      {!self && (
        <div className="actions">
          {u.status !== "disabled" ? (
            <>
              <button
                type="button"
                disabled={busy}
                onClick={() => {
                  if (!window.confirm(tx("user.deactivateConfirm", { name: u.name }))) return;
                  void act(
                    () => api<StaffUser>("POST", `${path}/deactivate`, { expectedVersion: u.version }),
                    tx("status.disabled"),
                  );
                }}
              >
                {tx("user.deactivate")}
              </button>
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  void act(
                    () => api<{ user: StaffUser }>("POST", `${path}/link`, { expectedVersion: u.version }),
                    tx("user.linkSent"),
                  )
                }
              >
                {u.status === "invited" ? tx("user.linkInvite") : tx("user.link")}
              </button>
            </>
          ) : (
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void act(
                  () => api<StaffUser>("POST", `${path}/reactivate`, { expectedVersion: u.version }),
                  tx("status.active"),
                )
              }
            >
              {tx("user.reactivate")}
            </button>
          )}
          {mayReset && factor && (
            <button
              type="button"
              disabled={busy}
              onClick={() => {
                if (!window.confirm(tx("user.factorResetConfirm", { name: u.name }))) return;
                void act(async () => {
                  await api("DELETE", `/api/second-factors/${encodeURIComponent(u.userID)}`);
                  setFactor(false);
                  return u;
                }, tx("user.factorResetDone", { name: u.name }));
              }}
            >
              {tx("user.factorReset")}
            </button>
          )}
        </div>
      )}
      {!self && mayReset && factor !== null && (
        <p className="muted small" data-testid="second-factor-status">
          {factor ? tx("user.factorOn") : tx("user.factorOff")}
        </p>
      )}
    </section>
  );
}

/** `/outbox` (local instances only): the messages the instance kept instead of e-mailing them. */
export function OutboxPage() {
  const i18n = useI18n();
  const tx = useTx();
  const [items, setItems] = useState<OutboxMail[] | null | "none">(null);
  useEffect(() => {
    api<{ items: OutboxMail[] }>("GET", "/api/outbox")
      .then((r) => setItems(r.items))
      .catch(() => setItems("none"));
  }, []);
  return (
    <section className="page outbox" aria-labelledby="page-title">
      <h1 id="page-title">{tx("outbox.title")}</h1>
      {items === "none" ? (
        <p className="muted">{tx("outbox.unavailable")}</p>
      ) : (
        <>
          <p className="muted">{tx("outbox.intro")}</p>
          {items?.length === 0 && <p className="muted">{tx("outbox.empty")}</p>}
          {items && items.length > 0 && (
            <table className="plain" aria-label={tx("outbox.title")}>
              <thead>
                <tr>
                  <th scope="col">{tx("outbox.time")}</th>
                  <th scope="col">{tx("outbox.to")}</th>
                  <th scope="col">{tx("outbox.subject")}</th>
                  <th scope="col">{tx("outbox.link")}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((m) => (
                  <tr key={m.mailID} data-to={m.to}>
                    <td>{i18n.dateTime(m.time)}</td>
                    <td>{m.to}</td>
                    <td lang={m.language} dir={m.language === "ar" ? "rtl" : "auto"}>
                      <details>
                        <summary>{m.subject}</summary>
                        <pre className="outbox-text">{m.text}</pre>
                      </details>
                    </td>
                    <td>
                      {m.link && (
                        <a href={m.link} target="_blank" rel="noreferrer" className="outbox-link">
                          {tx("staff.open")}
                        </a>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
