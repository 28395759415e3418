/**
 * One reconciliation in a fresh process (as one Lambda invocation would run it), for payments.bench.ts: reads the
 * status file given by BENCH_FILE (as the API hands its body's text to core), runs Reconciliation.importFile and
 * prints JSON with the time spent in it, the process's RSS before and at its peak, and the report without its
 * listed rows (their count only). Environment: WAYPOINT_* as set by the parent, BENCH_ACTOR (JSON), BENCH_BATCH,
 * BENCH_FILE, BENCH_FORMAT (pain.002 or csv).
 */
import { readFileSync } from "node:fs";

// Only what a reconciliation needs, as a bundled Lambda would load.
const { Actor } = await import("@waypoint/core/actor");
const { Reconciliation } = await import("@waypoint/core/reconciliation/index");
const actor = JSON.parse(process.env.BENCH_ACTOR!);
const startRss = process.memoryUsage().rss;
let peakRss = startRss;
const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const t0 = performance.now();
const content = readFileSync(process.env.BENCH_FILE!, "utf8");
const r = await Actor.provide(actor, () =>
  Reconciliation.importFile(process.env.BENCH_BATCH!, {
    format: process.env.BENCH_FORMAT as "pain.002",
    content,
  }),
);
const ms = performance.now() - t0;
clearInterval(timer);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
const { rows, ...report } = r;
const listed: Record<string, number> = {};
for (const row of rows) listed[row.outcome] = (listed[row.outcome] ?? 0) + 1;
process.stdout.write(JSON.stringify({ ms, startRss, peakRss, report, listed, bytes: content.length }));
process.exit(0);
export {};
