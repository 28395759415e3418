/** Integer minor units in their currency, in the user's locale (150000 MXN → MX$1,500.00). */
export function formatMoney(locale: string, currency: string, minor: number): string {
  try {
    const nf = new Intl.NumberFormat(locale, { style: "currency", currency });
    const digits = nf.resolvedOptions().maximumFractionDigits ?? 2;
    return nf.format(minor / 10 ** digits);
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
