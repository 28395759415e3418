import { useEffect, useState } from "react";
import type { SignInConfig } from "@waypoint/schema";
import { ApiError, signInStep, takeSessionEndReason, type Session } from "../api/client.ts";
import { accountText, hasAccountText } from "../accounts/accountText.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { LanguagePicker } from "../components/LanguagePicker.tsx";
import { NewPasswordStep } from "../accounts/NewPasswordStep.tsx";
import { SecondFactorStep, SsoSignIn, isChallenge, type SignInAnswer } from "./SecondFactor.tsx";
import type { SecondFactorChallenge } from "@waypoint/schema";

export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const { t, lang } = useI18n();
  const [error, setError] = useState<string | null>(null);
  // why the last session ended (deactivated, revoked, expired), said once in the user's language
  const [ended] = useState(() => {
    const code = takeSessionEndReason();
    const key = `ended.${code ?? ""}`;
    return code && hasAccountText(key) ? key : null;
  });
  const [busy, setBusy] = useState(false);
  // Demo accounts come from the server, and only a local demo instance names them: nothing of the demo is in
  // the build, so a deployed stage never shows it.
  const [demo, setDemo] = useState<SignInConfig["demo"]>(null);
  useEffect(() => {
    let live = true;
    fetch("/auth/config")
      .then((r) => (r.ok ? (r.json() as Promise<SignInConfig>) : { demo: null }))
      .then((c) => live && setDemo(c.demo ?? null))
      .catch(() => undefined);
    return () => void (live = false);
  }, []);
  // the second step (code or enrolment) after a password or single sign-on that needs one
  const [pending, setPending] = useState<SecondFactorChallenge | null>(null);
  const answered = (a: SignInAnswer) => (isChallenge(a) ? setPending(a) : onSignedIn(a));
  if (pending)
    return (
      <main className="signin">
        <div className="card">
          {pending.secondFactor === "password" ? (
            <NewPasswordStep
              key={pending.challenge}
              challenge={pending.challenge}
              onSignedIn={onSignedIn}
              onChallenge={setPending}
              onCancel={() => setPending(null)}
            />
          ) : (
            <SecondFactorStep
              key={pending.challenge}
              challenge={pending}
              onSignedIn={onSignedIn}
              onCancel={() => setPending(null)}
            />
          )}
        </div>
      </main>
    );
  return (
    <main className="signin">
      <form
        className="card"
        aria-labelledby="signin-title"
        onSubmit={async (e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          setBusy(true);
          setError(null);
          try {
            answered(await signInStep(String(f.get("email")), String(f.get("password"))));
          } catch (err) {
            const p = err instanceof ApiError ? (err.problem as { code?: string; retryAfter?: number }) : {};
            if (p.code === "auth.locked")
              setError(
                accountText(lang, "signin.locked", {
                  minutes: Math.max(1, Math.ceil((p.retryAfter ?? 60) / 60)),
                }),
              );
            else if (err instanceof ApiError && err.status === 401)
              setError(accountText(lang, "signin.wrong"));
            else setError(err instanceof ApiError ? err.message : t("signin.failed"));
          } finally {
            setBusy(false);
          }
        }}
      >
        <div className="brand big">
          <span className="logo" aria-hidden>
            ◆
          </span>
          <div>
            <strong>{t("app.name")}</strong>
            <small>{t("app.tagline")}</small>
          </div>
        </div>
        <h1 id="signin-title">{t("signin.title")}</h1>
        {ended && !error && (
          <p role="status" className="notice" data-testid="session-ended">
            {accountText(lang, ended as Parameters<typeof accountText>[1])}
          </p>
        )}
        <label>
          {t("signin.email")}
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          {t("signin.password")}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {t("signin.submit")}
        </button>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <SsoSignIn onAnswer={answered} demo={!!demo} />
        {demo && (
          <div className="muted small" data-testid="demo-accounts">
            <p>{t("signin.demo", { password: demo.password })}</p>
            <ul>
              {demo.accounts.map((a) => (
                <li key={a}>{a}</li>
              ))}
            </ul>
          </div>
        )}
        <LanguagePicker />
      </form>
    </main>
  );
}
