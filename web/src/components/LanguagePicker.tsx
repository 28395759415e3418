import { useI18n } from "../i18n/i18n.tsx";
import { LanguageNames, Languages, type Lang } from "../i18n/messages.ts";

export function LanguagePicker() {
  const { t, lang, setLang } = useI18n();
  return (
    <label className="inline">
      <span className="sr-only">{t("shell.language")}</span>
      <select aria-label={t("shell.language")} value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
        {Languages.map((l) => (
          <option key={l} value={l} lang={l}>
            {LanguageNames[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
