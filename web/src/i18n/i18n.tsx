import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { FieldLabels, Locales, Messages, isRtl, type Lang, type MessageKey } from "./messages.ts";
import { operationZone, wallTime } from "./zone.ts";
import { configuredLabel } from "../fields/labels.ts";

export interface I18n {
  lang: Lang;
  locale: string;
  dir: "ltr" | "rtl";
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  field: (name: string) => string;
  date: (iso: string | undefined | null) => string;
  dateTime: (iso: string | undefined | null) => string;
  number: (n: number | undefined | null) => string;
  setLang: (lang: Lang) => void;
}

const STORAGE = "waypoint.lang";

export function makeI18n(lang: Lang, setLang: (l: Lang) => void = () => undefined): I18n {
  const locale = Locales[lang];
  const d = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  // instants read in the operation's time zone (me.timeZone), whatever the browser's; one formatter per zone
  const dts = new Map<string, Intl.DateTimeFormat>();
  const dt = () => {
    const zone = operationZone();
    let f = dts.get(zone);
    if (!f) dts.set(zone, (f = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: zone })));
    return f;
  };
  const nf = new Intl.NumberFormat(locale);
  const dict = Messages[lang];
  return {
    lang,
    locale,
    dir: isRtl(lang) ? "rtl" : "ltr",
    t: (key, vars) => {
      let s: string = dict[key] ?? Messages.en[key] ?? key;
      if (vars)
        for (const [k, v] of Object.entries(vars))
          s = s.replaceAll(`{${k}}`, typeof v === "number" ? nf.format(v) : v);
      return s;
    },
    // an operation's configured fields (`fields.<key>`) are named by their definitions' labels
    field: (name) => FieldLabels[name]?.[lang] ?? FieldLabels[name]?.en ?? configuredLabel(name, lang) ?? name,
    date: (iso) => {
      if (!iso) return "";
      // a calendar date is that date; an instant is the date it is in the operation
      const t = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : `${wallTime(iso).date}T00:00:00Z`);
      return Number.isNaN(t.getTime()) ? String(iso) : d.format(t);
    },
    dateTime: (iso) => {
      if (!iso) return "";
      const t = new Date(iso);
      return Number.isNaN(t.getTime()) ? String(iso) : dt().format(t);
    },
    number: (n) => (n === undefined || n === null || Number.isNaN(n) ? "" : nf.format(n)),
    setLang,
  };
}

const Ctx = createContext<I18n>(makeI18n("en"));

function initialLang(): Lang {
  const stored = localStorage.getItem(STORAGE);
  if (stored && stored in Messages) return stored as Lang;
  const nav = navigator.language.slice(0, 2);
  return nav in Messages ? (nav as Lang) : "en";
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLang] = useState<Lang>(initialLang);
  const value = useMemo(
    () =>
      makeI18n(lang, (l) => {
        localStorage.setItem(STORAGE, l);
        setLang(l);
      }),
    [lang],
  );
  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dir = value.dir;
  }, [lang, value.dir]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export const useI18n = () => useContext(Ctx);
