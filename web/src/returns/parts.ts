import { codeLabel, type Labels } from "@waypoint/schema";
import { useI18n } from "../i18n/i18n.tsx";
import { returnsText, type ReturnsTextKey } from "./returnsText.ts";
import { formatMoney, moneyDigits } from "../payments/money.ts";

/** The return screens' words in the user's language, and code labels. */
export function useRT() {
  const i18n = useI18n();
  const rt = (k: ReturnsTextKey, v?: Record<string, string | number>) => returnsText(i18n.lang, k, v);
  return {
    ...i18n,
    rt,
    label: (table: Record<string, Labels>, code: unknown) => codeLabel(table, String(code ?? ""), i18n.lang),
  };
}

/** Money in minor units, in its currency and the user's locale. */
export function money(locale: string, minor: unknown, currency: unknown): string {
  if (typeof minor !== "number" || !currency) return "—";
  return formatMoney(locale, String(currency), minor);
}

/** Minor units from what a person typed in major units ("1 500,50" → 150050 in a two-decimal currency). */
export function toMinor(locale: string, text: string, currency: string): number | undefined {
  const t = text.replace(/\s/g, "").replace(",", ".");
  if (!t) return undefined;
  const n = Number(t);
  if (!Number.isFinite(n)) return undefined;
  // the currency's ISO digits, as the server stores amounts (the API refuses an unknown currency)
  return Math.round(n * 10 ** moneyDigits(currency));
}

/** Major units of a minor amount, for an input. */
export function fromMinor(locale: string, minor: unknown, currency: string): string {
  if (typeof minor !== "number") return "";
  return String(minor / 10 ** moneyDigits(currency));
}

export const MONTHLY_HEADERS: Record<"en" | "es" | "fr" | "ar", string[]> = {
  en: [
    "Country of return",
    "Returned cases",
    "Returned people",
    "Women and girls",
    "Men and boys",
    "Children",
    "Under monitoring",
    "Visits in the month",
    "High vulnerability",
    "Plans approved",
    "Economic items delivered",
    "Social items delivered",
    "Psychosocial items delivered",
  ],
  es: [
    "País de retorno",
    "Casos retornados",
    "Personas retornadas",
    "Mujeres y niñas",
    "Hombres y niños",
    "Niños",
    "En seguimiento",
    "Visitas del mes",
    "Vulnerabilidad alta",
    "Planes aprobados",
    "Apoyos económicos entregados",
    "Apoyos sociales entregados",
    "Apoyos psicosociales entregados",
  ],
  fr: [
    "Pays de retour",
    "Dossiers rentrés",
    "Personnes rentrées",
    "Femmes et filles",
    "Hommes et garçons",
    "Enfants",
    "En suivi",
    "Visites du mois",
    "Vulnérabilité élevée",
    "Plans approuvés",
    "Aides économiques livrées",
    "Aides sociales livrées",
    "Aides psychosociales livrées",
  ],
  ar: [
    "بلد العودة",
    "الحالات العائدة",
    "الأشخاص العائدون",
    "النساء والفتيات",
    "الرجال والفتيان",
    "الأطفال",
    "قيد المتابعة",
    "زيارات الشهر",
    "هشاشة عالية",
    "الخطط الموافق عليها",
    "مساعدات اقتصادية مُسلَّمة",
    "مساعدات اجتماعية مُسلَّمة",
    "مساعدات نفسية اجتماعية مُسلَّمة",
  ],
};
