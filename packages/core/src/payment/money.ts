import { currencyDigits } from "@waypoint/schema/currency";
import { InvalidError } from "../common/errors.ts";

/** Minor-unit digits of an ISO 4217 currency (MXN 2, JPY 0, KWD 3); unknown codes are refused. */
export function minorDigits(currency: string, path = "currency"): number {
  const digits = currencyDigits(currency);
  if (digits === undefined)
    throw InvalidError.field(path, "invalid.currency", `${currency} is not an ISO 4217 currency`);
  return digits;
}

/** Renders integer minor units as a decimal string with the currency's digits: 12345 MXN → "123.45". No floats. */
export function formatMinor(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = amount < 0 ? "-" : "";
  const s = String(Math.abs(amount)).padStart(digits + 1, "0");
  return digits === 0 ? `${sign}${s}` : `${sign}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** Parses a decimal amount ("1,5" or "1.50" or "90.08000") to integer minor units without floats; undefined if bad. */
export function parseMinor(text: string, currency: string): number | undefined {
  const t = text.trim().replace(",", ".");
  const m = /^(\d+)(?:\.(\d+))?$/.exec(t);
  if (!m) return undefined;
  const digits = minorDigits(currency);
  const frac = (m[2] ?? "").replace(/0+$/, "");
  if (frac.length > digits) return undefined;
  return Number(m[1]) * 10 ** digits + Number(frac.padEnd(digits, "0") || "0");
}
