import { describe, expect, it } from "vitest";
import { neutraliseFormula, parseDelimited, toBlock, writeDelimited } from "./delimited.ts";

describe("clipboard and CSV parsing", () => {
  it("reads a block copied from Excel, with its trailing line break", () => {
    expect(parseDelimited("a\tb\tc\r\n1\t2\t3\r\n")).toEqual([
      ["a", "b", "c"],
      ["1", "2", "3"],
    ]);
  });

  it("keeps tabs, line breaks and doubled quotes inside a quoted cell", () => {
    const text = 'Ana\t"line one\nline two\twith tab"\tx\n"say ""hola"""\t\t\n';
    expect(parseDelimited(text)).toEqual([
      ["Ana", "line one\nline two\twith tab", "x"],
      ['say "hola"', "", ""],
    ]);
  });

  it("takes quotes in the middle of a cell literally", () => {
    expect(parseDelimited('5" screen\tok')).toEqual([['5" screen', "ok"]]);
  });

  it("keeps empty cells at the end of a row and empty rows in the middle", () => {
    expect(parseDelimited("a\t\n\nb\t")).toEqual([["a", ""], [""], ["b", ""]]);
  });

  it("reads old Mac line endings and a single cell", () => {
    expect(parseDelimited("x\ry")).toEqual([["x"], ["y"]]);
    expect(parseDelimited("solo")).toEqual([["solo"]]);
    expect(parseDelimited("")).toEqual([]);
  });

  it("reads CSV with commas inside quotes", () => {
    expect(parseDelimited('name,note\n"Pérez, Ana","a ""b"""\n', ",")).toEqual([
      ["name", "note"],
      ["Pérez, Ana", 'a "b"'],
    ]);
  });

  it("pads ragged rows into a rectangle", () => {
    expect(toBlock([["a"], ["b", "c"]])).toEqual([
      ["a", ""],
      ["b", "c"],
    ]);
  });

  it("round-trips what it writes, and neutralises formulas", () => {
    const rows = [['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "\tx", "plain", 'a,"b"\nc']];
    const back = parseDelimited(writeDelimited(rows), ",");
    expect(back).toEqual([['\'=HYPERLINK("x")', "'+1", "'-2", "'@SUM(A1)", "'\tx", "plain", 'a,"b"\nc']]);
    expect(neutraliseFormula("safe=1")).toBe("safe=1");
  });
});
