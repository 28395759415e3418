/**
 * Small-count suppression for tables shared outside the operation.
 *
 * Primary: every count from 1 to `below - 1` is withheld (zero is published: it reveals no one).
 * Secondary (complementary): a table with margins is a set of linear lines (each row with its total, each column
 * with its total, the totals row with the grand total). A line with exactly one withheld entry gives it away by
 * subtraction, so another entry of that line is withheld too (the smallest non-zero one, else the smallest), and
 * this repeats until no line has exactly one withheld entry. This closes single-line differencing; it does not
 * solve the full linear-programming attack across many lines (documented in docs/reports.md).
 */
export interface Grid {
  /** Inner cells [row][col]. */
  cells: number[][];
  rowTotals: number[];
  /** Present when the table has a totals row. */
  colTotals?: number[];
  grand?: number;
}

export interface Mask {
  cells: boolean[][];
  rowTotals: boolean[];
  colTotals: boolean[];
  grand: boolean;
}

type Ref = { get: () => number; hidden: () => boolean; hide: () => void; inner: boolean };

export function suppress(g: Grid, below: number): Mask {
  const mask: Mask = {
    cells: g.cells.map((r) => r.map(() => false)),
    rowTotals: g.rowTotals.map(() => false),
    colTotals: (g.colTotals ?? []).map(() => false),
    grand: false,
  };
  if (below <= 1) return mask;
  const small = (v: number) => v > 0 && v < below;
  g.cells.forEach((r, i) => r.forEach((v, j) => (mask.cells[i]![j] = small(v))));
  g.rowTotals.forEach((v, i) => (mask.rowTotals[i] = small(v)));
  (g.colTotals ?? []).forEach((v, j) => (mask.colTotals[j] = small(v)));
  if (g.grand !== undefined) mask.grand = small(g.grand);

  const cell = (i: number, j: number): Ref => ({
    get: () => g.cells[i]![j]!,
    hidden: () => mask.cells[i]![j]!,
    hide: () => (mask.cells[i]![j] = true),
    inner: true,
  });
  const rowT = (i: number): Ref => ({
    get: () => g.rowTotals[i]!,
    hidden: () => mask.rowTotals[i]!,
    hide: () => (mask.rowTotals[i] = true),
    inner: false,
  });
  const colT = (j: number): Ref => ({
    get: () => g.colTotals![j]!,
    hidden: () => mask.colTotals[j]!,
    hide: () => (mask.colTotals[j] = true),
    inner: false,
  });
  const grandT: Ref = {
    get: () => g.grand!,
    hidden: () => mask.grand,
    hide: () => (mask.grand = true),
    inner: false,
  };

  const cols = g.cells[0]?.length ?? 0;
  const lines: Ref[][] = g.cells.map((r, i) => [...r.map((_, j) => cell(i, j)), rowT(i)]);
  if (g.colTotals) {
    for (let j = 0; j < cols; j++) lines.push([...g.cells.map((_, i) => cell(i, j)), colT(j)]);
    lines.push([...g.colTotals.map((_, j) => colT(j)), grandT]);
    lines.push([...g.rowTotals.map((_, i) => rowT(i)), grandT]);
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines) {
      if (line.filter((r) => r.hidden()).length !== 1) continue;
      const open = line.filter((r) => !r.hidden());
      if (open.length === 0) continue;
      const rank = (r: Ref) => [r.get() > 0 ? 0 : 1, r.inner ? 0 : 1, r.get()] as const;
      open.sort((a, b) => {
        const x = rank(a);
        const y = rank(b);
        return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
      });
      open[0]!.hide();
      changed = true;
    }
  }
  return mask;
}
