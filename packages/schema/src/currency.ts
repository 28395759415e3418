import cc from "currency-codes";

/**
 * Minor-unit digits of an ISO 4217 currency, as ISO 4217 sets them (MXN 2, AFN 2, XOF 0, LYD 3, IQD 3): the one
 * scale amounts are stored in, on the server and in the browser. Browsers' Intl uses CLDR's display digits, which
 * differ for some currencies (AFN 0, IQD 0): scaling by those would store or show 100× or 1000× the amount.
 * Undefined for a code ISO 4217 does not have.
 */
export function currencyDigits(code: string): number | undefined {
  if (code === "XXX") return undefined;
  return cc.code(code)?.digits;
}
