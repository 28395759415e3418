import { AG_GRID_LOCALE_EG, AG_GRID_LOCALE_EN, AG_GRID_LOCALE_ES, AG_GRID_LOCALE_FR } from "@ag-grid-community/locale";
import type { Lang } from "../i18n/messages.ts";

/**
 * AG Grid's own words (empty overlay, loading, filter menus, column menu) in the user's language, from AG Grid's
 * published translations; Arabic is its Egyptian-Arabic set, which is Modern Standard Arabic.
 */
export const GridLocale: Record<Lang, Record<string, string>> = {
  en: AG_GRID_LOCALE_EN,
  es: AG_GRID_LOCALE_ES,
  fr: AG_GRID_LOCALE_FR,
  ar: AG_GRID_LOCALE_EG,
};
