import { useEffect, useState, type ReactNode } from "react";
import { api, signIn, storeSession, type Session } from "../api/client.ts";
import { Modal } from "../components/Modal.tsx";
import { LanguagePicker } from "../components/LanguagePicker.tsx";
import { homeFor, may as mayDo, resources } from "../domains/resources.ts";
import { clearDatasets } from "../grid/dataset.ts";
import { useI18n } from "../i18n/i18n.tsx";
import type { MessageKey } from "../i18n/messages.ts";
import { navigate, usePath } from "../nav.ts";
import { operationZone, zoneName } from "../i18n/zone.ts";
import { accountText } from "../accounts/accountText.ts";
import { leadingGroups, pages, trailingGroups, type PageGroup } from "./pages.tsx";

export interface Office {
  officeID: string;
  code: string;
  name: string;
}

export function Shell(props: {
  session: Session;
  offices: Office[];
  officeID: string | null;
  setOfficeID: (id: string | null) => void;
  onSession: (s: Session | null) => void;
  children: ReactNode;
}) {
  const { t, lang } = useI18n();
  const path = usePath();
  const { me } = props.session;
  const [operations, setOperations] = useState<{ operationID: string; name: string }[]>([]);
  const [switchTo, setSwitchTo] = useState<string | null>(null);
  useEffect(() => {
    api<{ items: { operationID: string; name: string }[] }>("GET", "/api/operations")
      .then((r) => setOperations(r.items))
      .catch(() => setOperations([]));
  }, [props.session.token]);

  const groups = [...new Set(resources.map((r) => r.group))].filter(
    (g) => !leadingGroups.includes(g as PageGroup) && !trailingGroups.includes(g as PageGroup),
  );
  const may = (action: string) => mayDo(me, action);
  return (
    <div className="shell">
      <header className="topbar">
        <a
          className="brand"
          href="/"
          onClick={(e) => {
            e.preventDefault();
            navigate(homeFor(me));
          }}
        >
          <span className="logo" aria-hidden>
            ◆
          </span>
          <strong>{t("app.name")}</strong>
        </a>
        <label className="inline">
          <span>{t("shell.operation")}</span>
          <select
            aria-label={t("shell.operation")}
            value={me.operationID}
            onChange={(e) => e.target.value !== me.operationID && setSwitchTo(e.target.value)}
          >
            {/* until the operations' names arrive (or if they cannot be read), the one option says so, not the ID */}
            {(operations.length
              ? operations
              : [{ operationID: me.operationID, name: t("related.loading") }]
            ).map((o) => (
              <option key={o.operationID} value={o.operationID}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          <span>{t("shell.office")}</span>
          <select
            aria-label={t("shell.office")}
            value={props.officeID ?? ""}
            onChange={(e) => props.setOfficeID(e.target.value || null)}
          >
            <option value="">{t("shell.allOffices")}</option>
            {props.offices
              .filter((o) => me.officeIDs.length === 0 || me.officeIDs.includes(o.officeID))
              .map((o) => (
                <option key={o.officeID} value={o.officeID}>
                  {o.name}
                </option>
              ))}
          </select>
        </label>
        <span className="spacer" />
        <LanguagePicker />
        <ZoneNote />
        <span className="who" title={me.email}>
          {me.name} · <em>{t(`role.${me.role}` as MessageKey)}</em>
        </span>
        <button
          type="button"
          onClick={() => {
            if (!navigate("/")) return;
            storeSession(null);
            clearDatasets();
            props.onSession(null);
          }}
        >
          {t("shell.signout")}
        </button>
        <button
          type="button"
          className="link"
          onClick={async () => {
            // every session of this user ends (other devices too); then this one, as a plain sign-out
            if (!navigate("/")) return;
            await api("POST", "/api/sessions/end-all").catch(() => undefined);
            storeSession(null);
            clearDatasets();
            props.onSession(null);
          }}
        >
          {accountText(lang, "signin.everywhere")}
        </button>
      </header>
      <nav className="sidenav" aria-label="Main">
        {[...leadingGroups, ...groups, ...trailingGroups].map((g) => (
          <NavGroup key={g} group={g as PageGroup} may={may} me={me} path={path} />
        ))}
      </nav>
      <main className="content">{props.children}</main>
      {switchTo && (
        <Modal title={t("shell.operation")} onClose={() => setSwitchTo(null)}>
          <form
            className="form"
            onSubmit={async (e) => {
              e.preventDefault();
              const pw = String(new FormData(e.currentTarget).get("password"));
              const s = await signIn(me.email, pw, switchTo);
              clearDatasets();
              setSwitchTo(null);
              props.onSession(s);
            }}
          >
            <label>
              {t("signin.password")}
              <input name="password" type="password" required autoFocus />
            </label>
            <div className="actions">
              <button type="button" onClick={() => setSwitchTo(null)}>
                {t("common.cancel")}
              </button>
              <button className="primary" type="submit">
                {t("signin.submit")}
              </button>
            </div>
          </form>
        </Modal>
      )}
    </div>
  );
}

/** One menu group: its registry grids, then its pages; only what the role may use, nothing if that is none. */
function NavGroup(props: {
  group: PageGroup;
  may: (action: string) => boolean;
  me: Session["me"];
  path: string;
}) {
  const { t, lang } = useI18n();
  const entries = [
    ...resources
      .filter((r) => r.group === props.group && props.may(r.readAction))
      .map((r) => ({ key: r.key, label: t(r.nav as MessageKey) })),
    ...pages
      .filter((p) => p.group === props.group && !p.hidden && p.shown(props.may, props.me))
      .map((p) => ({ key: p.key, label: p.label(lang, t as (key: never) => string) })),
  ];
  if (entries.length === 0) return null;
  return (
    <div className="navgroup">
      <div className="navtitle">{t(props.group as MessageKey)}</div>
      {entries.map((e) => (
        <a
          key={e.key}
          href={`/${e.key}`}
          aria-current={props.path.split("/")[1] === e.key ? "page" : undefined}
          onClick={(ev) => {
            ev.preventDefault();
            navigate(`/${e.key}`);
          }}
        >
          {e.label}
        </a>
      ))}
    </div>
  );
}

/**
 * Says so when the operation's time zone (in which every time is shown and entered) is not the device's: a
 * caseworker on a laptop set to another zone must not read 09:00 as their own 09:00.
 */
function ZoneNote() {
  const { t, locale } = useI18n();
  const zone = operationZone();
  const device = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const now = new Date();
  const offset = (z: string) =>
    new Intl.DateTimeFormat("en", { timeZone: z, timeZoneName: "longOffset" })
      .formatToParts(now)
      .find((p) => p.type === "timeZoneName")?.value;
  if (zone === device || offset(zone) === offset(device)) return null;
  const name = zoneName(locale, zone, now);
  return (
    <span
      className="zone-note"
      role="note"
      title={t("shell.zoneNote", { zone: name })}
      aria-label={t("shell.zoneNote", { zone: name })}
    >
      <span aria-hidden>🕓</span> {name}
    </span>
  );
}
