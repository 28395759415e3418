import { Alpha3ToAlpha2, LabelLanguages, label, type Labels } from "@waypoint/schema";
import { Locales, type Lang } from "./messages.ts";

/** The codes with no country (travel documents' stateless and refugee codes, and "unspecified"). */
const NO_COUNTRY: Record<string, Labels> = {
  XXA: label("Stateless", "Apátrida", "Apatride", "عديم الجنسية"),
  XXB: label(
    "Refugee (1951 Convention)",
    "Refugiado (Convención de 1951)",
    "Réfugié (Convention de 1951)",
    "لاجئ (اتفاقية 1951)",
  ),
  XXC: label("Refugee (other)", "Refugiado (otro)", "Réfugié (autre)", "لاجئ (غير ذلك)"),
  XXX: label("Unspecified", "Sin especificar", "Non précisée", "غير محددة"),
};

/**
 * Every nationality code as a code list: the country's name in each UI language (from the browser's own
 * Intl.DisplayNames, so no name list to keep), sorted by nothing (pickers sort by the shown label).
 */
export const CountryLabels: Record<string, Labels> = (() => {
  const names = Object.fromEntries(
    LabelLanguages.map((l) => [l, new Intl.DisplayNames([Locales[l]], { type: "region", fallback: "code" })]),
  ) as Record<Lang, Intl.DisplayNames>;
  const table: Record<string, Labels> = {};
  for (const [a3, a2] of Object.entries(Alpha3ToAlpha2))
    table[a3] = Object.fromEntries(LabelLanguages.map((l) => [l, names[l].of(a2) ?? a3])) as Labels;
  return { ...table, ...NO_COUNTRY };
})();

/** A country's name in the UI language (the code itself only for a code no list knows). */
export function countryName(lang: Lang, code: string | undefined): string {
  if (!code) return "";
  return CountryLabels[code]?.[lang] ?? code;
}
