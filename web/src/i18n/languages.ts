import { Locales, type Lang } from "./messages.ts";

/** ISO 639-3 codes whose 639-1 code a browser's language names know better (older ICU data). */
const TWO: Record<string, string> = {
  spa: "es", eng: "en", fra: "fr", ara: "ar", hat: "ht", pus: "ps", wol: "wo", por: "pt", fas: "fa", tir: "ti",
  amh: "am", som: "so", hau: "ha", ful: "ff", bam: "bm", swa: "sw", rus: "ru", ukr: "uk", tur: "tr", kur: "ku",
};

const cache = new Map<Lang, Intl.DisplayNames>();

/**
 * A language's name in the UI language (Spanish, espagnol, الإسبانية) from its ISO 639-3 or 639-1 code, from the
 * browser's own names (no list to keep); the code itself only when no name is known.
 */
export function languageName(code: string, lang: Lang): string {
  if (!code) return "";
  try {
    let names = cache.get(lang);
    if (!names) cache.set(lang, (names = new Intl.DisplayNames([Locales[lang]], { type: "language" })));
    const n = names.of(TWO[code] ?? code);
    return n && n !== code ? n : code;
  } catch {
    return code;
  }
}
