import { useState } from "react";
import type { SecondFactorChallenge } from "@waypoint/schema";
import { ApiError, api, storeSession, type Session } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { accountText, hasAccountText } from "./accountText.ts";

/**
 * The first sign-in of an account created with a temporary password (the first admin of a stage): the person
 * chooses their own before anything else. The server checks the rules and refuses the temporary one again; the
 * answer is a session, or the second factor's step when the role needs one.
 */
export function NewPasswordStep(props: {
  challenge: string;
  onSignedIn: (s: Session) => void;
  onChallenge: (c: SecondFactorChallenge) => void;
  onCancel: () => void;
}) {
  const { lang } = useI18n();
  const tx = (k: Parameters<typeof accountText>[1]) => accountText(lang, k);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="second-factor"
      aria-labelledby="temp-title"
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const password = String(f.get("password"));
        if (password !== String(f.get("repeat"))) return setError(tx("invite.mismatch"));
        setBusy(true);
        setError(null);
        try {
          const answer = await api<Session | SecondFactorChallenge>("POST", "/auth/new-password", {
            challenge: props.challenge,
            password,
          });
          if ("challenge" in answer) props.onChallenge(answer);
          else {
            storeSession(answer);
            props.onSignedIn(answer);
          }
        } catch (err) {
          if (err instanceof ApiError) {
            const code = err.problem.errors?.[0]?.code?.replace("password.", "pw.") ?? "";
            if (hasAccountText(code)) return setError(tx(code));
            if (err.status === 401 || err.problem.code === "password.notTemporary") {
              setError(tx("temp.again"));
              return;
            }
          }
          setError(tx("temp.again"));
        } finally {
          setBusy(false);
        }
      }}
    >
      <h1 id="temp-title">{tx("temp.title")}</h1>
      <p>{tx("temp.help")}</p>
      <p className="muted small">{tx("invite.rules")}</p>
      <label>
        {tx("invite.password")}
        <input name="password" type="password" autoComplete="new-password" minLength={12} required />
      </label>
      <label>
        {tx("invite.repeat")}
        <input name="repeat" type="password" autoComplete="new-password" minLength={12} required />
      </label>
      <button type="submit" className="primary" disabled={busy}>
        {tx("invite.submit")}
      </button>
      <button type="button" onClick={props.onCancel}>
        {tx("temp.cancel")}
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}
