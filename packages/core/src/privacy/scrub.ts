/**
 * Finding and removing a person's values inside records that stay (a household, a payment, an audit event, a
 * shared case): the person's identifying values become terms, and every string that holds one loses it.
 */
export const ERASED = "[erased]";

export interface PersonTerms {
  /** Lower-cased identifying strings: names, phone numbers (as stored and digits only), document numbers. */
  terms: string[];
  /** IDs that name the person (their individual ID, payee IDs): kept, they are not personal values. */
  ids: string[];
}

const clean = (s: unknown): string | undefined =>
  typeof s === "string" && s.trim().length >= 3 ? s.trim().toLowerCase() : undefined;

/** The identifying values of a stored individual, as search terms. */
export function termsOf(rec: Record<string, unknown>): string[] {
  const out = new Set<string>();
  const add = (v: unknown) => {
    const c = clean(v);
    if (c) out.add(c);
  };
  add(rec.givenName);
  add(rec.familyName);
  if (typeof rec.givenName === "string" && typeof rec.familyName === "string")
    add(`${rec.givenName} ${rec.familyName}`);
  add(rec.searchName);
  if (typeof rec.phone === "string") {
    add(rec.phone);
    add(rec.phone.replace(/\D/g, ""));
    // the national number without the country code (how a form or an FSP file may carry it)
    const digits = rec.phone.replace(/\D/g, "");
    if (digits.length > 8) add(digits.slice(-8));
  }
  for (const d of (rec.documents as { number?: string }[] | undefined) ?? []) {
    add(d.number);
    if (d.number) add(d.number.replace(/[^0-9a-z]/gi, ""));
  }
  for (const t of (rec.transliterations as { givenName?: string; familyName?: string }[] | undefined) ?? []) {
    add(t.givenName);
    add(t.familyName);
  }
  return [...out].sort((a, b) => b.length - a.length);
}

function escape(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export class Scrubber {
  private readonly re: RegExp | undefined;
  constructor(terms: string[]) {
    this.re = terms.length ? new RegExp(terms.map(escape).join("|"), "giu") : undefined;
  }
  /** Whether a string (or any string inside a value) holds one of the terms. */
  holds(v: unknown): boolean {
    if (!this.re) return false;
    if (typeof v === "string") {
      this.re.lastIndex = 0;
      return this.re.test(v);
    }
    if (Array.isArray(v)) return v.some((x) => this.holds(x));
    if (v && typeof v === "object") return Object.values(v).some((x) => this.holds(x));
    return false;
  }
  /** The value with every term replaced, deep; the same reference when nothing changed. */
  scrub<T>(v: T): T {
    if (!this.re) return v;
    if (typeof v === "string") {
      this.re.lastIndex = 0;
      return (this.re.test(v) ? v.replace(this.re, ERASED) : v) as T;
    }
    if (Array.isArray(v)) {
      let changed = false;
      const out = v.map((x) => {
        const y = this.scrub(x);
        if (y !== x) changed = true;
        return y;
      });
      return (changed ? out : v) as T;
    }
    if (v && typeof v === "object") {
      let changed = false;
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const y = this.scrub(x);
        if (y !== x) changed = true;
        out[k] = y;
      }
      return (changed ? out : v) as T;
    }
    return v;
  }
}

/** An audit diff without values: which fields changed stays, what they held goes. */
export function blankDiff(changes: unknown): unknown {
  if (!changes || typeof changes !== "object") return changes;
  const out: Record<string, unknown> = {};
  for (const [field, c] of Object.entries(changes as Record<string, Record<string, unknown>>)) {
    out[field] =
      c && typeof c === "object"
        ? Object.fromEntries(
            Object.keys(c).map((k) => [k, c[k] === undefined || c[k] === null ? c[k] : ERASED]),
          )
        : ERASED;
  }
  return out;
}
