import type { Column, GridApi, IRowNode } from "ag-grid-community";
import { pathReader } from "./path.ts";
import type { SortEntry } from "./sortModel.ts";

/**
 * Column sort for large registries (issue 4, then 19: p95 < 300 ms at 100,000 rows).
 *
 * AG Grid's client-side sort calls a comparator for each of the ~1.7 million comparisons 100,000 rows need, and
 * reads both cell values through its value service inside every one. Here AG Grid never sorts: the sort model is
 * the grid's own (`GridSort`, sortModel.ts), AG Grid knows every column as unsorted, and the ordering happens in
 * `postSortRows` (AG Grid's documented hook to reorder the rows of its sort step in place, which it runs with or
 * without a sort of its own): each sorted column's value is read once per row, and an index array is sorted on those
 * keys. The order is the same as AG Grid's default: its `_defaultComparator` semantics (null and undefined first
 * when ascending, `<`/`>` otherwise, no locale collation because `accentedSort` is off), multi-column by the
 * model's order, and ties keep the previous order (stable), which is the order the rows were loaded in. A column
 * that shows codes by their names (a country, a code list's value) sorts by those names in the user's language
 * (`FieldSpec.sortLabel`, asked once per distinct code), as a person reading the column expects.
 */
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

/** A code's label to sort by (`FieldSpec.sortLabel`), given the grid's context. */
type SortLabelOf = (value: unknown, context: never) => string;

const collators = new Map<string, Intl.Collator>();
function collatorFor(lang = "en"): Intl.Collator {
  let c = collators.get(lang);
  if (!c) collators.set(lang, (c = new Intl.Collator(lang)));
  return c;
}

/** A column's sort key of a stored value (`FieldSpec.sortKey`), given the row and the grid's context. */
type SortKeyOf = (value: unknown, data: unknown, context: never) => unknown;

export interface Key {
  values: unknown[];
  direction: 1 | -1;
  /**
   * What a value sorts by when the cell shows it as a label (a code by its name), asked once per distinct value;
   * labels are ordered by `collator` (the user's language), codes without a label by the code.
   */
  label?: (value: unknown) => string;
  collator?: Intl.Collator;
  /** A column's own comparator (not ours), applied to the pre-read values. */
  custom?: SortFn;
}

function readKey(api: GridApi, column: Column, nodes: IRowNode[], descending: boolean): Key {
  const def = column.getColDef();
  // a plain or dotted field (`fields.<key>`: configured values) is read straight from the row, as AG Grid reads it
  // (dots are nested properties); a value getter goes through the grid's value service
  const read = !def.valueGetter && typeof def.field === "string" ? pathReader(def.field) : null;
  const n = nodes.length;
  const values = new Array<unknown>(n);
  if (read) for (let i = 0; i < n; i++) values[i] = read(nodes[i]!.data);
  else for (let i = 0; i < n; i++) values[i] = api.getCellValue({ rowNode: nodes[i]!, colKey: column });
  // a column that sorts by what it shows instead of the stored value (a reference by its record's name) says how
  const by = (def.context as { sortKey?: SortKeyOf } | undefined)?.sortKey;
  if (by) {
    const context = api.getGridOption("context") as never;
    for (let i = 0; i < n; i++) values[i] = by(values[i], nodes[i]!.data, context);
  }
  // big-number values (`toNumber()`) are compared as numbers
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === "object" && hasToNumber(v)) values[i] = v.toNumber();
  }
  const own = def.comparator;
  const custom = (typeof own === "function" ? own : own?.default) as SortFn | undefined;
  const sortLabel = (def.context as { sortLabel?: SortLabelOf } | undefined)?.sortLabel;
  if (sortLabel) {
    const context = api.getGridOption("context") as { i18n?: { lang?: string } } | undefined;
    return {
      values,
      direction: descending ? -1 : 1,
      custom,
      label: (v) => sortLabel(v, context as never),
      collator: collatorFor(context?.i18n?.lang),
    };
  }
  return { values, direction: descending ? -1 : 1, custom };
}

/**
 * Each row's place among a column's distinct values (0 = first in the column's direction), or null when the
 * values are not all strings or all numbers (then the comparator path decides). Strings are compared by UTF-16 code
 * units, as `<` compares them and as the native sort without a comparator orders them; numbers numerically. Empty
 * (null or undefined) comes first ascending and last descending, as in `compareValues`.
 */
function ranksOf(key: Key, n: number): { ranks: Int32Array; count: number } | null {
  const { values } = key;
  const idOf = new Map<unknown, number>();
  const distinct: unknown[] = [];
  const ids = new Int32Array(n);
  let kind: "string" | "number" | undefined;
  let empty = false;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      ids[i] = -1;
      empty = true;
      continue;
    }
    const t = typeof v;
    if (t !== "string" && (t !== "number" || Number.isNaN(v))) return null;
    if (kind !== t) {
      if (kind) return null;
      kind = t as "string" | "number";
    }
    let id = idOf.get(v);
    if (id === undefined) {
      id = distinct.length;
      idOf.set(v, id);
      distinct.push(v);
    }
    ids[i] = id;
  }
  // the distinct values in order: natively, without a comparator called per comparison; codes by their labels
  const ordered: ArrayLike<unknown> = key.label
    ? byLabel(distinct, key.label, key.collator)
    : kind === "number"
      ? new Float64Array(distinct as number[]).sort()
      : (distinct as string[]).slice().sort();
  const u = ordered.length;
  const place = new Int32Array(u);
  const asc = key.direction === 1;
  for (let r = 0; r < u; r++) place[idOf.get(ordered[r])!] = asc ? r + (empty ? 1 : 0) : u - 1 - r;
  const emptyPlace = asc ? 0 : u;
  const ranks = new Int32Array(n);
  for (let i = 0; i < n; i++) ranks[i] = ids[i]! < 0 ? emptyPlace : place[ids[i]!]!;
  return { ranks, count: u + (empty ? 1 : 0) };
}

/** Distinct codes ordered by their labels in the user's language, ties (two codes, one label) by the code. */
function byLabel(distinct: unknown[], label: (v: unknown) => string, collator = collatorFor()): unknown[] {
  const labelled = distinct.map((v) => ({ v, l: label(v) }));
  labelled.sort((a, b) => collator.compare(a.l, b.l) || compareValues(a.v, b.v));
  return labelled.map((x) => x.v);
}

/** Stable counting sort of `order` by `ranks` (indexed by row). */
function countingSort(order: Int32Array, ranks: Int32Array, count: number): Int32Array {
  const starts = new Int32Array(count + 1);
  for (let i = 0; i < order.length; i++) starts[ranks[order[i]!]! + 1]!++;
  for (let r = 0; r < count; r++) starts[r + 1]! += starts[r]!;
  const out = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const row = order[i]!;
    out[starts[ranks[row]!]!++] = row;
  }
  return out;
}

/**
 * The order of `n` rows by pre-read sort keys (the rows' values of each sorted column, in sort-index order): first
 * column first, ties by the next, remaining ties in load order. `nodes` are handed to a column's own comparator.
 * Exported for the configured-fields benchmark, which times this same step in Node.
 *
 * When every key is all strings or all numbers (besides empty cells) and has no comparator of its own, the rows are
 * ranked by their column's distinct values and placed by stable counting sorts, last key first: a few linear passes
 * and one native sort of the distinct values, instead of about 1.7 million comparator calls at 100,000 rows. Any
 * other key (mixed types, lists, a column's own comparator) takes the comparator path; both give the same order.
 */
export function orderByKeys(keys: Key[], n: number, nodes: readonly IRowNode[] = []): ArrayLike<number> {
  if (keys.every((k) => !k.custom)) {
    const ranked = keys.map((k) => ranksOf(k, n));
    if (ranked.every((r) => r !== null)) {
      let order: Int32Array = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      for (let k = ranked.length - 1; k >= 0; k--)
        order = countingSort(order, ranked[k]!.ranks, ranked[k]!.count);
      // the typed array itself: `Array.from` would walk it with an iterator, one result object per row (about
      // 3.5 MB of garbage per sort at 100,000 rows in an allocation profile, collected during the next frames)
      return order;
    }
  }
  // codes shown by their labels compare by the labels here too (values the ranking does not take, e.g. mixed)
  const labelled = keys.map((k) =>
    k.label ? { ...k, values: k.values.map((v) => (v == null ? v : k.label!(v))), label: undefined } : k,
  );
  return orderByComparator(labelled, n, nodes);
}

/** The same order by comparing the keys pairwise (any values, a column's own comparator). */
export function orderByComparator(keys: Key[], n: number, nodes: readonly IRowNode[] = []): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => {
    for (const k of keys) {
      const va = k.values[a];
      const vb = k.values[b];
      const r = k.custom
        ? k.custom(va, vb, nodes[a]!, nodes[b]!, k.direction === -1)
        : k.collator && typeof va === "string" && typeof vb === "string"
          ? k.collator.compare(va, vb)
          : compareValues(va, vb);
      if (r) return r * k.direction;
    }
    return a - b;
  });
  return order;
}

/** `postSortRows` handler: orders `nodes` in place by the grid's sort model (first key first). */
export function keyedSort(api: GridApi, nodes: IRowNode[], model: readonly SortEntry[]): void {
  if (model.length === 0 || nodes.length < 2) return;
  const keys: Key[] = [];
  for (const entry of model) {
    const column = api.getColumn(entry.colId);
    if (column) keys.push(readKey(api, column, nodes, entry.sort === "desc"));
  }
  if (keys.length === 0) return;
  const order = orderByKeys(keys, nodes.length, nodes);
  const before = nodes.slice();
  for (let i = 0; i < order.length; i++) nodes[i] = before[order[i]!]!;
}
