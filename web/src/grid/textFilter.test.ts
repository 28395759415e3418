import { describe, expect, it } from "vitest";
import { compileTextModel, textFilterHandler, valueReader, type TextModel } from "./textFilter.ts";

// Which of these cell values pass a model: the answers AG Grid's own text filter gives (its text filter handler in
// ag-grid-community 36: lower-cased unless caseSensitive; a missing value passes only "does not contain", "does not
// equal" and "blank"; a string of spaces is blank; numbers and lists are compared as their text).
const cells: unknown[] = ["García", "garcia lópez", "Ana", "", "   ", null, undefined, 1990, ["GT", "MX"]];
const pass = (model: TextModel | null, opts?: Parameters<typeof compileTextModel>[1]) => {
  const test = compileTextModel(model, opts);
  return cells.filter((c) => test(c));
};

describe("the compiled text filter", () => {
  it("answers each option as AG Grid's text filter does", () => {
    expect(pass({ filterType: "text", type: "contains", filter: "GAR" })).toEqual(["García", "garcia lópez"]);
    expect(pass({ filterType: "text", type: "notContains", filter: "gar" })).toEqual([
      "Ana",
      "",
      "   ",
      null,
      undefined,
      1990,
      ["GT", "MX"],
    ]);
    expect(pass({ filterType: "text", type: "equals", filter: "ana" })).toEqual(["Ana"]);
    expect(pass({ filterType: "text", type: "notEqual", filter: "ana" })).toEqual(
      cells.filter((c) => c !== "Ana"),
    );
    expect(pass({ filterType: "text", type: "startsWith", filter: "gar" })).toEqual([
      "García",
      "garcia lópez",
    ]);
    expect(pass({ filterType: "text", type: "endsWith", filter: "PEZ" })).toEqual(["garcia lópez"]);
    expect(pass({ filterType: "text", type: "blank" })).toEqual(["", "   ", null, undefined]);
    expect(pass({ filterType: "text", type: "notBlank" })).toEqual([
      "García",
      "garcia lópez",
      "Ana",
      1990,
      ["GT", "MX"],
    ]);
    // numbers and lists by their text
    expect(pass({ filterType: "text", type: "contains", filter: "99" })).toEqual([1990]);
    expect(pass({ filterType: "text", type: "contains", filter: "t,m" })).toEqual([["GT", "MX"]]);
  });

  it("keeps accents (García is not garcia) and honours caseSensitive", () => {
    expect(pass({ filterType: "text", type: "contains", filter: "garcía" })).toEqual(["García"]);
    expect(pass({ filterType: "text", type: "contains", filter: "Gar" }, { caseSensitive: true })).toEqual([
      "García",
    ]);
  });

  it("combines two conditions with AND and OR", () => {
    const a = { filterType: "text", type: "contains", filter: "gar" };
    const b = { filterType: "text", type: "contains", filter: "lópez" };
    expect(pass({ filterType: "text", operator: "AND", conditions: [a, b] })).toEqual(["garcia lópez"]);
    expect(
      pass({
        filterType: "text",
        operator: "OR",
        conditions: [b, { filterType: "text", type: "equals", filter: "ANA" }],
      }),
    ).toEqual(["garcia lópez", "Ana"]);
  });

  it("passes every row without a model, and none for an option it does not know or an empty filter text", () => {
    expect(pass(null)).toEqual(cells);
    expect(pass({ filterType: "text", type: "fuzzy", filter: "ana" })).toEqual([]);
    expect(pass({ filterType: "text", type: null, filter: "ana" })).toEqual([]);
    // no text: AG Grid's matcher answers no for a value, the negative tests yes for a missing one
    expect(pass({ filterType: "text", type: "contains", filter: "" })).toEqual([]);
    expect(pass({ filterType: "text", type: "notContains", filter: "" })).toEqual([null, undefined]);
  });

  it("as a handler, reads each row's value through the column and compiles once per model", () => {
    const handler = textFilterHandler();
    const values = new Map<object, unknown>();
    const node = (v: unknown) => {
      const n = {};
      values.set(n, v);
      return n;
    };
    let reads = 0;
    const getValue = (n: object) => (reads++, values.get(n));
    handler.init!({ getValue, filterParams: {} } as never);
    const rows = ["García", "Ana", null].map(node);
    const model = { filterType: "text", type: "contains", filter: "an" };
    const run = (m: TextModel) =>
      rows.filter((n) => handler.doesFilterPass({ model: m, node: n, handlerParams: { getValue } } as never));
    expect(run(model).map((n) => values.get(n))).toEqual(["Ana"]);
    expect(reads).toBe(3);
    // a new model (the user typed more) is compiled anew
    expect(run({ ...model, filter: "gar" }).map((n) => values.get(n))).toEqual(["García"]);
  });

  it("reads a stored field straight from the row, and a column with a getter of its own through AG Grid", () => {
    const viaGrid = (node: object) => `grid:${(node as { id: string }).id}`;
    const node = { id: "n1" } as never;
    const data = { familyName: "García", fields: { progresId: "P-1", nested: { deep: 3 } } };
    expect(valueReader({ field: "familyName" }, viaGrid)(node, data)).toBe("García");
    expect(valueReader({ field: "fields.progresId" }, viaGrid)(node, data)).toBe("P-1");
    expect(valueReader({ field: "fields.nested.deep" }, viaGrid)(node, data)).toBe(3);
    expect(valueReader({ field: "fields.missing" }, viaGrid)(node, { familyName: "x" })).toBeUndefined();
    expect(valueReader({ field: "fields.progresId" }, viaGrid)(node, undefined)).toBeUndefined();
    // a label in the user's language, or a computed value: AG Grid's getValue
    expect(
      valueReader({ field: "nationality", filterValueGetter: () => "Honduras" }, viaGrid)(node, data),
    ).toBe("grid:n1");
    expect(valueReader({ field: "x", valueGetter: () => 1 }, viaGrid)(node, data)).toBe("grid:n1");
    expect(valueReader({}, viaGrid)(node, data)).toBe("grid:n1");
  });
});
