import { describe, expect, it } from "vitest";
import { formatMoney, moneyDigits } from "./money.ts";

describe("money in the browser uses the server's scale (ISO 4217 digits), not the browser's display digits", () => {
  it("reads Afghan afghani and Iraqi dinar amounts as the server stores them", () => {
    // CLDR shows AFN with 0 decimals and IQD with 0; ISO 4217 (and the server) store 2 and 3
    expect(moneyDigits("AFN")).toBe(2);
    expect(moneyDigits("IQD")).toBe(3);
    expect(moneyDigits("XOF")).toBe(0);
    expect(formatMoney("en-GB", "AFN", 600_000)).toMatch(/6,000\.00/);
    expect(formatMoney("en-GB", "IQD", 250_000)).toMatch(/250\.000/);
    expect(formatMoney("en-GB", "MXN", 150_000)).toMatch(/1,500\.00/);
    expect(formatMoney("fr-FR", "XOF", 25_000)).toMatch(/25\s000/);
  });
});
