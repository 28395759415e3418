import { describe, expect, it } from "vitest";
import { compileTextModel, directReader, textFilterHandler, type TextModel } from "./textFilter.ts";

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

  it("as a handler, reads a stored field from the row, a column with a getter through AG Grid, and follows a new model", () => {
    const model = { filterType: "text", type: "contains", filter: "an" };
    const pass = (
      handler: ReturnType<typeof textFilterHandler>,
      m: TextModel,
      rows: unknown[],
      getValue: never,
    ) =>
      rows.filter((data) =>
        handler.doesFilterPass({ model: m, node: {}, data, handlerParams: { getValue } } as never),
      );
    // a stored field: the row's own value, AG Grid's getValue not called
    const stored = textFilterHandler({ colDef: { field: "fields.progresId" } });
    stored.init!({ filterParams: {} } as never);
    const rows = [{ fields: { progresId: "Ana-1" } }, { fields: { progresId: "GAR-2" } }, { fields: {} }];
    const never = (() => {
      throw new Error("read through AG Grid");
    }) as never;
    expect(pass(stored, model, rows, never)).toEqual([rows[0]]);
    // a new model (the user typed more) is compiled anew
    expect(pass(stored, { ...model, filter: "gar" }, rows, never)).toEqual([rows[1]]);
    // a label in the user's language: AG Grid's getValue
    const labelled = textFilterHandler({ colDef: { field: "nationality", filterValueGetter: () => "" } });
    labelled.init!({ filterParams: {} } as never);
    const people = [{ nationality: "HND" }, { nationality: "GTM" }];
    const label = ((n: unknown, i = people.indexOf(n as never)) => ["Honduras", "Guatemala"][i]) as never;
    const byNode = (handler: ReturnType<typeof textFilterHandler>, m: TextModel) =>
      people.filter((p) =>
        handler.doesFilterPass({ model: m, node: p, data: p, handlerParams: { getValue: label } } as never),
      );
    expect(byNode(labelled, { ...model, filter: "hondu" })).toEqual([people[0]]);
  });

  it("reads a stored field straight from the row, and a column with a getter of its own through AG Grid", () => {
    const data = { familyName: "García", fields: { progresId: "P-1", nested: { deep: 3 } } };
    expect(directReader({ field: "familyName" })!(data)).toBe("García");
    expect(directReader({ field: "fields.progresId" })!(data)).toBe("P-1");
    expect(directReader({ field: "fields.nested.deep" })!(data)).toBe(3);
    expect(directReader({ field: "fields.missing" })!({ familyName: "x" })).toBeUndefined();
    expect(directReader({ field: "fields.progresId" })!(undefined)).toBeUndefined();
    expect(directReader({ field: "fields.progresId" })!({ fields: "text" })).toBeUndefined();
    // a label in the user's language, or a computed value: AG Grid's getValue
    expect(directReader({ field: "nationality", filterValueGetter: () => "Honduras" })).toBeNull();
    expect(directReader({ field: "x", valueGetter: () => 1 })).toBeNull();
    expect(directReader({})).toBeNull();
  });
});
