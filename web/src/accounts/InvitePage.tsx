import { useEffect, useState } from "react";
import type { LinkInfo, Problem } from "@waypoint/schema";
import { useI18n } from "../i18n/i18n.tsx";
import { LanguagePicker } from "../components/LanguagePicker.tsx";
import { navigate } from "../nav.ts";
import { accountText } from "./accountText.ts";
import { PasswordFields, passwordRuleKey } from "./PasswordFields.tsx";

/**
 * `/invite/<token>`, signed out: the holder of a one-time link (invitation or password reset) chooses a password.
 * The server checks the rules (length, common and leaked passwords) and answers on the `password` field.
 */
export function InvitePage({ token }: { token: string }) {
  const { lang } = useI18n();
  const tx = (k: Parameters<typeof accountText>[1], v?: Record<string, string | number>) =>
    accountText(lang, k, v);
  const [info, setInfo] = useState<LinkInfo | null | "gone">(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const path = `/auth/links/${encodeURIComponent(token)}`;

  useEffect(() => {
    fetch(path)
      .then(async (r) => setInfo(r.ok ? ((await r.json()) as LinkInfo) : "gone"))
      .catch(() => setInfo("gone"));
  }, [path]);

  return (
    <main className="signin">
      <form
        className="card"
        aria-labelledby="invite-title"
        onSubmit={async (e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          const password = String(f.get("password"));
          if (password !== String(f.get("repeat"))) return setError(tx("invite.mismatch"));
          setBusy(true);
          setError(null);
          try {
            const r = await fetch(path, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ password }),
            });
            if (r.ok) return setDone(true);
            const p = (await r.json().catch(() => ({}))) as Problem;
            const rule = passwordRuleKey(p.errors?.[0]?.code);
            if (rule) setError(tx(rule));
            else if (p.code === "link.invalid") setInfo("gone");
            else setError(p.detail ?? String(r.status));
          } finally {
            setBusy(false);
          }
        }}
      >
        <h1 id="invite-title">{tx("invite.title")}</h1>
        {info === "gone" && (
          <p role="alert" className="error">
            {tx("invite.gone")}
          </p>
        )}
        {done && (
          <>
            <p role="status">{tx("invite.done")}</p>
            <button type="button" className="primary" onClick={() => navigate("/", { replace: true })}>
              {tx("invite.toSignIn")}
            </button>
          </>
        )}
        {info && info !== "gone" && !done && (
          <>
            <p>
              {info.purpose === "invite"
                ? tx("invite.welcome", { name: info.name, email: info.email })
                : tx("invite.reset", { email: info.email })}
            </p>
            <PasswordFields />
            <button type="submit" className="primary" disabled={busy}>
              {tx("invite.submit")}
            </button>
            {error && (
              <p role="alert" className="error">
                {error}
              </p>
            )}
          </>
        )}
        <LanguagePicker />
      </form>
    </main>
  );
}
