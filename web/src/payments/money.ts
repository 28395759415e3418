import { currencyDigits } from "@waypoint/schema";

/**
 * How many minor units make one of a currency, as the server stores amounts (ISO 4217: AFN 2, IQD 3, XOF 0). Never
 * the browser's Intl digits: those are CLDR's display digits (AFN 0), and scaling by them stores or shows amounts
 * 100× off. Two for a code the server would refuse anyway.
 */
export const moneyDigits = (currency: string): number => currencyDigits(currency) ?? 2;

/** A formatter of major units in a currency and locale, with the currency's ISO digits. */
export function moneyFormat(locale: string, currency: string): Intl.NumberFormat {
  const digits = moneyDigits(currency);
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** Integer minor units in their currency, in the user's locale (150000 MXN → MX$1,500.00; 600000 AFN → AFN 6,000.00). */
export function formatMoney(locale: string, currency: string, minor: number): string {
  try {
    return moneyFormat(locale, currency).format(minor / 10 ** moneyDigits(currency));
  } catch {
    return `${minor} ${currency}`;
  }
}

/** Count and sum per currency of a list of payments. */
export function totalsByCurrency(rows: { amount?: unknown; currency?: unknown }[]) {
  const out = new Map<string, { count: number; total: number }>();
  for (const r of rows) {
    if (typeof r.amount !== "number" || typeof r.currency !== "string") continue;
    const t = out.get(r.currency) ?? { count: 0, total: 0 };
    t.count++;
    t.total += r.amount;
    out.set(r.currency, t);
  }
  return [...out].sort(([a], [b]) => a.localeCompare(b));
}
