import type { ColumnState } from "ag-grid-community";
import { describe, expect, it } from "vitest";
import { GridSort, sortOf, withoutSort, withSort } from "./sortModel.ts";

describe("the grid's sort model", () => {
  it("a click cycles a column ascending, descending, unsorted, and sorts by it alone", () => {
    const s = new GridSort();
    let changes = 0;
    s.subscribe(() => changes++);
    s.toggle("familyName", false);
    expect(s.model).toEqual([{ colId: "familyName", sort: "asc" }]);
    s.toggle("familyName", false);
    expect(s.of("familyName")).toEqual({ sort: "desc", index: 1, of: 1 });
    s.toggle("givenName", false);
    expect(s.model).toEqual([{ colId: "givenName", sort: "asc" }]);
    s.toggle("givenName", false);
    s.toggle("givenName", false);
    expect(s.model).toEqual([]);
    expect(s.of("givenName")).toBeNull();
    expect(changes).toBe(5);
  });

  it("Shift adds a column after the others and cycles it in its place; unsorted, it leaves the others in order", () => {
    const s = new GridSort();
    s.toggle("a", true);
    s.toggle("b", true);
    s.toggle("c", true);
    s.toggle("b", true);
    expect(s.model).toEqual([
      { colId: "a", sort: "asc" },
      { colId: "b", sort: "desc" },
      { colId: "c", sort: "asc" },
    ]);
    expect(s.of("c")).toEqual({ sort: "asc", index: 3, of: 3 });
    s.toggle("b", true);
    expect(s.model.map((e) => e.colId)).toEqual(["a", "c"]);
    expect(s.of("c")?.index).toBe(2);
    // a click without Shift on one of several sorted columns: that column alone, in its next direction
    s.toggle("c", false);
    expect(s.model).toEqual([{ colId: "c", sort: "desc" }]);
  });

  it("setting the same model again tells no one", () => {
    const s = new GridSort();
    let changes = 0;
    s.subscribe(() => changes++);
    s.set([{ colId: "a", sort: "asc" }]);
    s.set([{ colId: "a", sort: "asc" }]);
    expect(changes).toBe(1);
  });

  it("a saved view's column state keeps the model as AG Grid wrote it, and gives it back", () => {
    const state: ColumnState[] = [
      { colId: "a", width: 100, sort: null, sortIndex: null },
      { colId: "b", width: 120 },
      { colId: "c", hide: true },
    ];
    const model = [
      { colId: "c", sort: "desc" as const },
      { colId: "a", sort: "asc" as const },
    ];
    const saved = withSort(state, model);
    expect(saved).toEqual([
      { colId: "a", width: 100, sort: "asc", sortIndex: 1 },
      { colId: "b", width: 120, sort: null, sortIndex: null },
      { colId: "c", hide: true, sort: "desc", sortIndex: 0 },
    ]);
    expect(sortOf(saved)).toEqual(model);
    // AG Grid is handed the columns without any sort (it never sorts itself)
    expect(withoutSort(saved).every((c) => c.sort === null && c.sortIndex === null)).toBe(true);
    expect(withoutSort(saved)[0]).toMatchObject({ colId: "a", width: 100 });
  });

  it("a view saved by AG Grid's own sort (a single sorted column without an index) is read the same way", () => {
    expect(sortOf([{ colId: "x" }, { colId: "y", sort: "desc" }])).toEqual([{ colId: "y", sort: "desc" }]);
  });
});
