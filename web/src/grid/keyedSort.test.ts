import type { ColDef, Column, GridApi, IRowNode } from "ag-grid-community";
import { describe, expect, it } from "vitest";
import { keyedSort, orderByComparator, orderByKeys, type Key } from "./keyedSort.ts";
import type { SortEntry } from "./sortModel.ts";

type Row = { id: string; familyName?: string | null; fields?: { num?: number | null; code?: string } };

/** Just enough of AG Grid for keyedSort: the columns' definitions and the value service; the grid's sort model. */
function grid(defs: Record<string, ColDef>, model: SortEntry[]) {
  let valueServiceReads = 0;
  const column = (colId: string) =>
    ({ getColDef: () => defs[colId]!, getColId: () => colId }) as unknown as Column;
  const api = {
    getColumn: (colId: string) => (defs[colId] ? column(colId) : null),
    getCellValue: ({ rowNode, colKey }: { rowNode: IRowNode; colKey: Column }) => {
      valueServiceReads++;
      const def = colKey.getColDef();
      return typeof def.valueGetter === "function"
        ? def.valueGetter({ data: rowNode.data } as never)
        : undefined;
    },
  } as unknown as GridApi;
  return { api, model, reads: () => valueServiceReads };
}
const nodes = (rows: Row[]) => rows.map((data) => ({ data }) as IRowNode);
const ids = (ns: IRowNode[]) => ns.map((n) => (n.data as Row).id);

const rows: Row[] = [
  { id: "a", familyName: "Pérez", fields: { num: 3, code: "x" } },
  { id: "b", familyName: "Abad", fields: { num: null, code: "y" } },
  { id: "c", familyName: null, fields: { num: 1, code: "x" } },
  { id: "d", familyName: "Abad", fields: { num: 3, code: "y" } },
  { id: "e", familyName: "Zamora" },
];

describe("the grid's keyed sort", () => {
  it("orders a configured (dotted) column by the row's own values, empty first ascending, ties in load order", () => {
    const g = grid({ "fields.num": { field: "fields.num" } }, [{ colId: "fields.num", sort: "asc" }]);
    const ns = nodes(rows);
    keyedSort(g.api, ns, g.model);
    // b (null) and e (no fields) are empty: first, in load order; a and d tie on 3: load order
    expect(ids(ns)).toEqual(["b", "e", "c", "a", "d"]);
    expect(g.reads()).toBe(0); // read straight from the rows, not through the value service
  });

  it("descending reverses the values but keeps ties in load order", () => {
    const g = grid({ "fields.num": { field: "fields.num" } }, [{ colId: "fields.num", sort: "desc" }]);
    const ns = nodes(rows);
    keyedSort(g.api, ns, g.model);
    expect(ids(ns)).toEqual(["a", "d", "c", "b", "e"]);
  });

  it("sorts by several columns in their sort order, a value getter through the value service", () => {
    const g = grid(
      {
        familyName: { field: "familyName" },
        code: { valueGetter: (p) => (p.data as Row).fields?.code ?? "" },
      },
      [
        { colId: "code", sort: "desc" },
        { colId: "familyName", sort: "asc" },
      ],
    );
    const ns = nodes(rows);
    keyedSort(g.api, ns, g.model);
    // code y (b Abad, d Abad: tie, load order), then x (c null first, a Pérez), then "" (e)
    expect(ids(ns)).toEqual(["b", "d", "c", "a", "e"]);
    expect(g.reads()).toBe(rows.length); // once per row, not per comparison
  });

  it("applies a column's own comparator to the values read once", () => {
    const byLength = (x: unknown, y: unknown) => String(x ?? "").length - String(y ?? "").length;
    const g = grid({ familyName: { field: "familyName", comparator: byLength } }, [
      { colId: "familyName", sort: "asc" },
    ]);
    const ns = nodes(rows);
    keyedSort(g.api, ns, g.model);
    expect(ids(ns)).toEqual(["c", "b", "d", "a", "e"]);
  });

  it("passes over a sorted column the grid no longer has (a retired configured field in a saved view)", () => {
    const g = grid({ familyName: { field: "familyName" } }, [
      { colId: "fields.gone", sort: "asc" },
      { colId: "familyName", sort: "desc" },
    ]);
    const ns = nodes(rows);
    keyedSort(g.api, ns, g.model);
    expect(ids(ns)).toEqual(["e", "a", "b", "d", "c"]);
  });

  it("leaves the rows alone without a sort", () => {
    const g = grid({ familyName: { field: "familyName" } }, []);
    const ns = nodes(rows);
    keyedSort(g.api, ns, g.model);
    expect(ids(ns)).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("orderByKeys is the same ordering step on bare values", () => {
    expect(Array.from(orderByKeys([{ values: ["b", null, "a", "b"], direction: 1 }], 4))).toEqual([
      1, 2, 0, 3,
    ]);
    expect(Array.from(orderByKeys([{ values: [2, 10, 1], direction: -1 }], 3))).toEqual([1, 0, 2]);
  });

  it("ranking by distinct values gives exactly the comparator's order: strings, numbers, empty cells, both directions, several keys", () => {
    // a seeded generator: the same cases every run
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const strings = ["", "a", "B", "b", "ab", "Ab", "é", "e", "z", "Ω", "10", "9", "ا", "😀", "Zamora"];
    const numbers = [0, -0, -1, 1, 2.5, 10, 9, 1e9, -1e-9, Number.MAX_SAFE_INTEGER];
    for (let round = 0; round < 200; round++) {
      const n = 1 + Math.floor(rnd() * 60);
      const keys: Key[] = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => {
        const pool: unknown[] = rnd() < 0.5 ? strings : numbers;
        const emptiness = rnd() * 0.4;
        return {
          values: Array.from({ length: n }, () => (rnd() < emptiness ? pick([null, undefined]) : pick(pool))),
          direction: rnd() < 0.5 ? 1 : -1,
        };
      });
      expect(Array.from(orderByKeys(keys, n)), `round ${round}`).toEqual(orderByComparator(keys, n));
    }
  });

  it("values the ranking does not take (mixed types, lists, not-a-number) are ordered by the comparator", () => {
    const mixed: Key = { values: ["b", 2, null, "a", 1], direction: 1 };
    expect(Array.from(orderByKeys([mixed], 5))).toEqual(orderByComparator([mixed], 5));
    const lists: Key = { values: [["C2"], ["C1", "C3"], null, ["C1"]], direction: -1 };
    expect(Array.from(orderByKeys([lists], 4))).toEqual(orderByComparator([lists], 4));
    expect(Array.from(orderByKeys([lists], 4))).toEqual([0, 1, 3, 2]);
    const nan: Key = { values: [3, Number.NaN, 1], direction: 1 };
    expect(Array.from(orderByKeys([nan], 3))).toEqual(orderByComparator([nan], 3));
  });
});
