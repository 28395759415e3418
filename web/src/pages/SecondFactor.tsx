import { useEffect, useState } from "react";
import QRCode from "qrcode";
import type {
  Enrolment,
  Role,
  SecondFactorChallenge,
  SsoConfigInfo,
  SsoProvider,
  SsoRoleMapping,
  StaffUser,
} from "@waypoint/schema";
import { ApiError, api, storeSession, type Session } from "../api/client.ts";
import { RecoveryCodes } from "../components/RecoveryCodes.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import type { Office } from "./Shell.tsx";
import { sfText, type SfKey } from "./secondFactorText.ts";
import "./secondFactor.css";

/** What the first step of a sign-in answers: a session, or the second-factor challenge. */
export type SignInAnswer = Session | SecondFactorChallenge;
export const isChallenge = (a: SignInAnswer): a is SecondFactorChallenge => "challenge" in a;

function refusal(err: unknown, say: (k: SfKey, v?: Record<string, string | number>) => string): string {
  if (!(err instanceof ApiError)) return say("sf.failed");
  // the stored authenticator cannot be opened any more (core auth/totp.ts SecondFactor.UNREADABLE)
  if (err.problem.code === "second_factor.unreadable") return say("sf.unreadable");
  if (err.status === 422) return say("sf.wrong");
  if (err.status === 429) {
    const retry = (err.problem as { retryAfter?: number }).retryAfter ?? 60;
    return say("sf.locked", { minutes: Math.max(1, Math.ceil(retry / 60)) });
  }
  if (err.status === 401) return say("sf.expired");
  return say("sf.failed");
}

/**
 * The second step of a sign-in: the code from the authenticator app (or a recovery code), or, for a role that
 * needs a second factor and has none, the enrolment (QR code and key, a first code, the recovery codes once).
 */
export function SecondFactorStep(props: {
  challenge: SecondFactorChallenge;
  onSignedIn: (s: Session) => void;
  onCancel: () => void;
}) {
  const { lang } = useI18n();
  const say = (k: SfKey, v?: Record<string, string | number>) => sfText(lang, k, v);
  const { challenge } = props.challenge;
  const enrol = props.challenge.secondFactor === "enrol";
  const [setup, setSetup] = useState<Enrolment | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ session: Session; codes: string[] } | null>(null);

  useEffect(() => {
    if (!enrol) return;
    let live = true;
    api<Enrolment>("POST", "/auth/second-factor/enrolment", { challenge })
      .then(async (e) => {
        if (!live) return;
        setSetup(e);
        setQr(await QRCode.toDataURL(e.uri, { margin: 1, width: 220 }));
      })
      .catch((err: unknown) => live && setError(refusal(err, say)));
    return () => void (live = false);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per challenge
  }, [challenge, enrol]);

  if (done)
    return (
      <RecoveryCodes
        className="second-factor"
        codes={done.codes}
        title={say("sf.recoveryTitle")}
        help={say("sf.recoveryHelp")}
        done={say("sf.recoveryDone")}
        onDone={() => {
          storeSession(done.session);
          props.onSignedIn(done.session);
        }}
      />
    );

  return (
    <form
      className="second-factor"
      aria-labelledby="sf-title"
      onSubmit={async (e) => {
        e.preventDefault();
        const code = String(new FormData(e.currentTarget).get("code") ?? "").trim();
        setBusy(true);
        setError(null);
        try {
          if (enrol) {
            const r = await api<Session & { recoveryCodes: string[] }>(
              "POST",
              "/auth/second-factor/enrolment/confirm",
              { challenge, code },
            );
            const { recoveryCodes, ...session } = r;
            setDone({ session, codes: recoveryCodes });
          } else {
            const session = await api<Session>("POST", "/auth/second-factor", { challenge, code });
            storeSession(session);
            props.onSignedIn(session);
          }
        } catch (err) {
          setError(refusal(err, say));
          if (err instanceof ApiError && err.status === 401) props.onCancel();
        } finally {
          setBusy(false);
        }
      }}
    >
      <h1 id="sf-title">{say(enrol ? "sf.enrolTitle" : "sf.verifyTitle")}</h1>
      <p>{say(enrol ? "sf.enrolHelp" : "sf.verifyHelp")}</p>
      {enrol && setup && (
        <div className="enrolment">
          {qr && <img src={qr} alt={say("sf.qr")} width={220} height={220} data-testid="totp-qr" />}
          <p>
            {say("sf.secret")}:{" "}
            <code dir="ltr" data-testid="totp-secret">
              {setup.secret.replace(/(.{4})/g, "$1 ").trim()}
            </code>
          </p>
          <p>{say("sf.confirmHelp")}</p>
        </div>
      )}
      <label>
        {say("sf.code")}
        <input
          name="code"
          required
          autoComplete="one-time-code"
          inputMode={enrol ? "numeric" : "text"}
          dir="ltr"
          maxLength={20}
          autoFocus
        />
      </label>
      <button type="submit" className="primary" disabled={busy || (enrol && !setup)}>
        {say(enrol ? "sf.confirm" : "sf.submit")}
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="button" className="link" onClick={props.onCancel}>
        {say("sf.back")}
      </button>
    </form>
  );
}

/**
 * "Sign in with <name>" for each operation that set up single sign-on, and the end of that sign-in: the
 * callback leaves `#sso=<ticket>` (exchanged here for a session or a second-factor challenge) or
 * `#sso-error=<reason>` (said in a sentence).
 */
export function SsoSignIn(props: { onAnswer: (a: SignInAnswer) => void; demo: boolean }) {
  const { lang } = useI18n();
  const say = (k: SfKey, v?: Record<string, string | number>) => sfText(lang, k, v);
  const [providers, setProviders] = useState<SsoProvider[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const hash = new URLSearchParams(window.location.hash.slice(1));
    const ticket = hash.get("sso");
    const failed = hash.get("sso-error");
    if (ticket || failed) history.replaceState(null, "", window.location.pathname + window.location.search);
    if (failed) {
      const key = `sso.error.${failed}` as SfKey;
      setError(sfText(lang, key) === key ? say("sso.error.failed") : sfText(lang, key));
    }
    if (ticket)
      api<SignInAnswer>("POST", "/auth/sso/ticket", { ticket })
        .then((a) => {
          if (!isChallenge(a)) storeSession(a);
          if (live) props.onAnswer(a);
        })
        .catch(() => live && setError(say("sso.error.ticket")));
    fetch("/auth/sso")
      .then((r) => (r.ok ? (r.json() as Promise<{ providers: SsoProvider[] }>) : { providers: [] }))
      .then((r) => live && setProviders(r.providers))
      .catch(() => undefined);
    return () => void (live = false);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the sign-in page opens
  }, []);
  return (
    <div className="sso" data-testid="sso">
      {providers.length > 0 && <p className="muted small">{say("sso.or")}</p>}
      {providers.map((p) => (
        <a key={p.operationID} className="button" href={`/auth/sso/${encodeURIComponent(p.operationID)}/start`}>
          {say("sso.with", { name: p.name })}
        </a>
      ))}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {props.demo && <p className="muted small">{say("sf.demoNote")}</p>}
    </div>
  );
}

type AdminView = { config: SsoConfigInfo | null; redirectURI: string };
const ROLES: Role[] = ["admin", "supervisor", "caseworker", "finance", "finance_approver", "viewer", "interpreter"];

/** Admin screen: the operation's single sign-on (issuer, client, group rules) and resetting a colleague's authenticator. */
export function SsoAdminPage(props: { offices: Office[] }) {
  const { lang, t } = useI18n();
  const say = (k: SfKey, v?: Record<string, string | number>) => sfText(lang, k, v);
  const [cfg, setCfg] = useState<SsoConfigInfo | null>(null);
  const [redirectURI, setRedirectURI] = useState("");
  const [loaded, setLoaded] = useState(false);
  const [rules, setRules] = useState<SsoRoleMapping[]>([{ value: "", role: "caseworker", officeIDs: [] }]);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [staff, setStaff] = useState<StaffUser[]>([]);
  const [resetMsg, setResetMsg] = useState<string | null>(null);

  useEffect(() => {
    api<AdminView>("GET", "/api/sso-config")
      .then((v) => {
        setRedirectURI(v.redirectURI);
        setCfg(v.config);
        if (v.config) setRules(v.config.mappings);
      })
      .catch(() => undefined)
      .finally(() => setLoaded(true));
    api<{ items: StaffUser[] }>("GET", "/api/users")
      .then((r) => setStaff(r.items))
      .catch(() => undefined);
  }, []);
  if (!loaded) return null;
  const roleLabel = (r: Role) => t(`role.${r}` as never);

  return (
    <section className="page sso-admin">
      <h1>{say("ssoAdmin.title")}</h1>
      <p>{say("ssoAdmin.intro")}</p>
      {!cfg && <p className="muted">{say("ssoAdmin.notYet")}</p>}
      <form
        className="form card"
        onSubmit={async (e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          setMessage(null);
          setError(null);
          const secret = String(f.get("clientSecret") ?? "");
          try {
            const saved = await api<AdminView>("PUT", "/api/sso-config", {
              name: String(f.get("name")),
              issuer: String(f.get("issuer")),
              clientID: String(f.get("clientID")),
              ...(secret ? { clientSecret: secret } : {}),
              claim: String(f.get("claim") || "groups"),
              enabled: f.get("enabled") === "on",
              mappings: rules.filter((r) => r.value.trim()),
              ...(cfg ? { version: cfg.version } : {}),
            });
            setCfg(saved.config);
            if (saved.config) setRules(saved.config.mappings);
            setMessage(say("ssoAdmin.saved"));
          } catch (err) {
            setError(err instanceof ApiError ? err.message : t("signin.failed" as never));
          }
        }}
      >
        <label>
          {say("ssoAdmin.name")}
          <input name="name" required defaultValue={cfg?.name ?? ""} maxLength={80} />
        </label>
        <label>
          {say("ssoAdmin.issuer")}
          <input name="issuer" type="url" required dir="ltr" defaultValue={cfg?.issuer ?? ""} />
        </label>
        <label>
          {say("ssoAdmin.clientID")}
          <input name="clientID" required dir="ltr" defaultValue={cfg?.clientID ?? ""} />
        </label>
        <label>
          {say("ssoAdmin.clientSecret")}
          <input
            name="clientSecret"
            type="password"
            autoComplete="off"
            required={!cfg?.hasClientSecret}
            placeholder={cfg?.hasClientSecret ? say("ssoAdmin.secretKept") : ""}
          />
        </label>
        <label>
          {say("ssoAdmin.claim")}
          <input name="claim" dir="ltr" defaultValue={cfg?.claim ?? "groups"} />
        </label>
        <label className="inline">
          <input name="enabled" type="checkbox" defaultChecked={cfg?.enabled ?? true} />
          {say("ssoAdmin.enabled")}
        </label>
        {redirectURI && (
          <p>
            {say("ssoAdmin.redirect")}: <code dir="ltr">{redirectURI}</code>
          </p>
        )}
        <fieldset>
          <legend>{say("ssoAdmin.rules")}</legend>
          <p className="muted small">{say("ssoAdmin.rulesHelp")}</p>
          {rules.map((r, i) => (
            <div className="sso-rule" key={i}>
              <label>
                {say("ssoAdmin.group")}
                <input
                  dir="ltr"
                  value={r.value}
                  onChange={(e) => setRules(rules.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
                />
              </label>
              <label>
                {say("ssoAdmin.role")}
                <select
                  value={r.role}
                  onChange={(e) =>
                    setRules(rules.map((x, j) => (j === i ? { ...x, role: e.target.value as Role } : x)))
                  }
                >
                  {ROLES.map((role) => (
                    <option key={role} value={role}>
                      {roleLabel(role)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {say("ssoAdmin.offices")}
                <select
                  multiple
                  value={r.officeIDs}
                  onChange={(e) =>
                    setRules(
                      rules.map((x, j) =>
                        j === i ? { ...x, officeIDs: [...e.target.selectedOptions].map((o) => o.value) } : x,
                      ),
                    )
                  }
                >
                  {props.offices.map((o) => (
                    <option key={o.officeID} value={o.officeID}>
                      {o.name}
                    </option>
                  ))}
                </select>
                <small className="muted">{r.officeIDs.length === 0 ? say("ssoAdmin.allOffices") : ""}</small>
              </label>
              <button type="button" onClick={() => setRules(rules.filter((_, j) => j !== i))}>
                {say("ssoAdmin.removeRule")}
              </button>
            </div>
          ))}
          <button type="button" onClick={() => setRules([...rules, { value: "", role: "caseworker", officeIDs: [] }])}>
            {say("ssoAdmin.addRule")}
          </button>
        </fieldset>
        <p className="muted small">{say("ssoAdmin.mfaNote")}</p>
        <button type="submit" className="primary">
          {say("ssoAdmin.save")}
        </button>
        {message && <p role="status">{message}</p>}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </form>

      <form
        className="form card"
        onSubmit={async (e) => {
          e.preventDefault();
          const userID = String(new FormData(e.currentTarget).get("userID") ?? "");
          const who = staff.find((s) => s.userID === userID);
          setResetMsg(null);
          try {
            await api("DELETE", `/api/second-factors/${encodeURIComponent(userID)}`);
            setResetMsg(say("ssoAdmin.resetDone", { email: who?.name ?? "" }));
          } catch {
            setResetMsg(say("ssoAdmin.resetNone"));
          }
        }}
      >
        <h2>{say("ssoAdmin.resetTitle")}</h2>
        <p className="muted small">{say("ssoAdmin.resetHelp")}</p>
        <label>
          {say("ssoAdmin.resetEmail")}
          <select name="userID" required>
            {staff.map((s) => (
              <option key={s.userID} value={s.userID}>
                {s.name} ({s.email})
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{say("ssoAdmin.reset")}</button>
        {resetMsg && <p role="status">{resetMsg}</p>}
      </form>
    </section>
  );
}
