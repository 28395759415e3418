import anyAscii from "any-ascii";

/** Characters that make a spreadsheet treat a cell as a formula (CSV injection); such cells get a leading `'`. */
const FORMULA = /^[=+\-@\t\r]/;

export function safeCell(value: string | undefined): string {
  const v = value ?? "";
  return FORMULA.test(v) ? `'${v}` : v;
}

/**
 * The ISO 20022 / EPC Latin character set (a-z A-Z 0-9 / - ? : ( ) . , ' + space): accents are removed,
 * anything else becomes a space, so a bank never rejects the file for a character in a name.
 */
const LATIN: Record<string, string> = {
  ß: "ss",
  æ: "ae",
  Æ: "AE",
  œ: "oe",
  Œ: "OE",
  ł: "l",
  Ł: "L",
  ø: "o",
  Ø: "O",
  đ: "d",
  Đ: "D",
  þ: "th",
  Þ: "TH",
};

export function isoText(value: string | undefined, max: number, fallback = "NOTPROVIDED"): string {
  const t = (value ?? "")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[ßæÆœŒłŁøØđĐþÞ]/g, (c) => LATIN[c] ?? " ")
    .replace(/[^A-Za-z0-9/\-?:().,'+ ]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, max)
    .trim();
  return t || fallback;
}

/**
 * A suggestion for the name a bank file can carry: transliterated to Latin letters (any-ascii, which knows Arabic,
 * Cyrillic, Persian and more), reduced to the ISO 20022 set, words capitalised. Empty when nothing usable is
 * left (a name of symbols): then a person must type it.
 */
export function bankNameOf(name: string): string {
  return isoText(anyAscii(name), 140, "").replace(/\b([a-z])/g, (c) => c.toUpperCase());
}

export function xml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!,
  );
}

/** MSISDN as mobile-money providers want it: digits only, no `+`. */
export function msisdnDigits(value: string | undefined): string {
  return (value ?? "").replace(/\D/g, "");
}
