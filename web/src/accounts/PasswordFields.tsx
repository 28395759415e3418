import { useI18n } from "../i18n/i18n.tsx";
import { accountText, hasAccountText, type AccountKey } from "./accountText.ts";

/** The rules and the two inputs of a new password (invitation or reset link, temporary password replaced). */
export function PasswordFields() {
  const { lang } = useI18n();
  return (
    <>
      <p className="muted small">{accountText(lang, "invite.rules")}</p>
      <label>
        {accountText(lang, "invite.password")}
        <input name="password" type="password" autoComplete="new-password" minLength={12} required />
      </label>
      <label>
        {accountText(lang, "invite.repeat")}
        <input name="repeat" type="password" autoComplete="new-password" minLength={12} required />
      </label>
    </>
  );
}

/** The sentence for a password rule the server refused (`password.too_short` …), if it is one. */
export function passwordRuleKey(code: string | undefined): AccountKey | undefined {
  const key = (code ?? "").replace("password.", "pw.");
  return hasAccountText(key) ? key : undefined;
}
