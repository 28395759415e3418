import { Locales, type Lang } from "./messages.ts";

/** Every screen dictionary made by `textFrom` (the screen crawl reads them to spot English shown in another language). */
export const dictionaries: Record<Lang, Partial<Record<string, string>>>[] = [];

/**
 * A screen's own words in the four languages, read like the app's messages: the user's language, English when a
 * word is missing, `{name}` filled in (numbers in the language's digits and separators).
 */
export function textFrom<K extends string>(
  dicts: Record<Lang, Partial<Record<K, string>>> & { en: Record<K, string> },
) {
  dictionaries.push(dicts);
  return (lang: Lang, key: K, vars: Record<string, string | number> = {}): string => {
    const nf = new Intl.NumberFormat(Locales[lang]);
    let s: string = dicts[lang][key] ?? dicts.en[key];
    for (const [k, v] of Object.entries(vars))
      s = s.replaceAll(`{${k}}`, typeof v === "number" ? nf.format(v) : v);
    return s;
  };
}
