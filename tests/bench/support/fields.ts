/**
 * The 40 configured fields of the configured-field benchmarks (fields.bench.ts, and grid.bench.ts with
 * GRID_BENCH_FIELDS=1): 20 text, 8 number, 4 date, 4 yes/no, 2 one-of and 2 many-of from a ten-code list, and the
 * values of the i-th individual (each text value's first two characters, `V0`…`V9`, split the rows in tenths).
 */
export const L = (en: string) => ({ en, es: `${en} es`, fr: `${en} fr`, ar: `${en} ar` });

export type Def = { key: string; type: string; options?: string; min?: number; max?: number; integer?: boolean };

export function defsToCreate(): Def[] {
  const defs: Def[] = [];
  for (let i = 0; i < 20; i++) defs.push({ key: `text${i}`, type: "text" });
  for (let i = 0; i < 8; i++) defs.push({ key: `num${i}`, type: "number", min: 0, max: 1000, integer: true });
  for (let i = 0; i < 4; i++) defs.push({ key: `day${i}`, type: "date" });
  for (let i = 0; i < 4; i++) defs.push({ key: `flag${i}`, type: "yesNo" });
  for (let i = 0; i < 2; i++) defs.push({ key: `one${i}`, type: "oneOf", options: "benchCodes" });
  for (let i = 0; i < 2; i++) defs.push({ key: `many${i}`, type: "manyOf", options: "benchCodes" });
  return defs;
}

/** The list the coded fields draw from. */
export const CODES = Array.from({ length: 10 }, (_, i) => `C${i}`);
export const codeList = () => ({
  listKey: "benchCodes",
  labels: L("Bench codes"),
  codes: CODES.map((code) => ({ code, labels: L(`Code ${code}`) })),
});

export function valuesFor(defs: Def[], i: number): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  for (const [j, d] of defs.entries()) {
    if (d.type === "text") v[d.key] = `V${(i + j) % 10}-${(i * 7 + j) % 997}`.slice(0, j === 0 ? 2 : 12);
    else if (d.type === "number") v[d.key] = (i * 13 + j) % 1000;
    else if (d.type === "date") v[d.key] = `20${10 + ((i + j) % 16)}-0${1 + ((i + j) % 9)}-1${(i + j) % 9}`;
    else if (d.type === "yesNo") v[d.key] = (i + j) % 2 === 0;
    else if (d.type === "oneOf") v[d.key] = CODES[(i + j) % 10];
    else v[d.key] = [CODES[(i + j) % 10], CODES[(i + j + 3) % 10]];
  }
  return v;
}
