import { useState } from "react";
import type { SecondFactorChallenge } from "@waypoint/schema";
import { ApiError, api, storeSession, type Session } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { accountText } from "./accountText.ts";
import { PasswordFields, passwordRuleKey } from "./PasswordFields.tsx";

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
            const rule = passwordRuleKey(err.problem.errors?.[0]?.code);
            if (rule) return setError(tx(rule));
          }
          // an expired or already used sign-in, or anything else: start again from the password
          setError(tx("temp.again"));
        } finally {
          setBusy(false);
        }
      }}
    >
      <h1 id="temp-title">{tx("temp.title")}</h1>
      <p>{tx("temp.help")}</p>
      <PasswordFields />
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
