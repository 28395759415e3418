import type { ColDef, Column, GridApi, IRowNode } from "ag-grid-community";

/**
 * Column sort for large registries (issue 4: p95 < 300 ms at 100,000 rows).
 *
 * AG Grid's client-side sort calls a comparator for each of the ~1.7 million comparisons 100,000 rows need, and
 * reads both cell values through its value service inside every one. Here the grid's own pass is handed a
 * comparator that says "equal" (`deferToKeyedSort`): its stable sort then returns after one linear scan. The
 * real ordering happens in `postSortRows` (AG Grid's documented hook to reorder the sorted nodes in place): each
 * sorted column's value is read once per row, and an index array is sorted on those keys. The order is the same
 * as AG Grid's default: its `_defaultComparator` semantics (null and undefined first when ascending, `<`/`>`
 * otherwise, no locale collation because `accentedSort` is off), multi-column by sort index, and ties keep the
 * previous order (stable), which is the order the rows were loaded in.
 */
export const deferToKeyedSort: NonNullable<ColDef["comparator"]> = () => 0;

type SortFn = (a: unknown, b: unknown, nodeA: IRowNode, nodeB: IRowNode, descending: boolean) => number;

function compareValues(a: unknown, b: unknown): number {
  if (a == null) return b == null ? 0 : -1;
  if (b == null) return 1;
  if ((a as never) > (b as never)) return 1;
  if ((a as never) < (b as never)) return -1;
  return 0;
}

const hasToNumber = (v: unknown): v is { toNumber(): number } =>
  typeof v === "object" && v !== null && typeof (v as { toNumber?: unknown }).toNumber === "function";

export interface Key {
  values: unknown[];
  direction: 1 | -1;
  /** A column's own comparator (not ours), applied to the pre-read values. */
  custom?: SortFn;
}

function readKey(api: GridApi, column: Column, nodes: IRowNode[], descending: boolean): Key {
  const def = column.getColDef();
  // a plain or dotted field (`fields.<key>`: configured values) is read straight from the row, as AG Grid reads it
  // (dots are nested properties); a value getter goes through the grid's value service
  const path = !def.valueGetter && typeof def.field === "string" ? def.field.split(".") : null;
  const values = new Array<unknown>(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    let v: unknown;
    if (path) {
      v = node.data;
      for (let j = 0; j < path.length && v != null; j++) v = (v as Record<string, unknown>)[path[j]!];
    } else v = api.getCellValue({ rowNode: node, colKey: column });
    if (hasToNumber(v)) v = v.toNumber();
    values[i] = v;
  }
  const own = def.comparator === deferToKeyedSort ? undefined : def.comparator;
  const custom = (typeof own === "function" ? own : own?.default) as SortFn | undefined;
  return { values, direction: descending ? -1 : 1, custom };
}

/**
 * The order of `n` rows by pre-read sort keys (the rows' values of each sorted column, in sort-index order): an
 * index array sorted once. `nodes` are handed to a column's own comparator. Exported for the configured-fields
 * benchmark, which times this same step in Node.
 */
export function orderByKeys(keys: Key[], n: number, nodes: readonly IRowNode[] = []): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => {
    for (const k of keys) {
      const r = k.custom
        ? k.custom(k.values[a], k.values[b], nodes[a]!, nodes[b]!, k.direction === -1)
        : compareValues(k.values[a], k.values[b]);
      if (r) return r * k.direction;
    }
    return a - b;
  });
  return order;
}

/** `postSortRows` handler: orders `nodes` in place by the grid's current sort model. */
export function keyedSort(api: GridApi, nodes: IRowNode[]): void {
  const sorted = api
    .getColumnState()
    .filter((c) => c.sort === "asc" || c.sort === "desc")
    .sort((a, b) => (a.sortIndex ?? 0) - (b.sortIndex ?? 0));
  if (sorted.length === 0 || nodes.length < 2) return;
  const keys: Key[] = [];
  for (const state of sorted) {
    const column = api.getColumn(state.colId);
    if (column) keys.push(readKey(api, column, nodes, state.sort === "desc"));
  }
  const order = orderByKeys(keys, nodes.length, nodes);
  const before = nodes.slice();
  for (let i = 0; i < order.length; i++) nodes[i] = before[order[i]!]!;
}
