/**
 * Pause after the last keystroke in a column filter before it applies (measured by tests/bench/grid.bench.ts:
 * the column filter figure includes it, and the typing figure shows what applying sooner costs the keys).
 *
 * Short, as the search box (which filters every column on each keystroke, without a pause): it only gathers a
 * burst of keys (a fast typist, a held key, a pasted word) into one filter pass. AG Grid's own default is 500 ms.
 */
export const FILTER_DEBOUNCE_MS = 50;
