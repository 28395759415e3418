/**
 * One export in a fresh process (as one Lambda invocation would run it), for payments.bench.ts: prints JSON with
 * the time spent in Export.run and the process's RSS before and at its peak. Environment: WAYPOINT_* as set by the
 * parent, BENCH_ACTOR (JSON), BENCH_BATCH, BENCH_FORMAT.
 */
// Only what an export needs (the payments module), as a bundled export Lambda would load.
const { Actor } = await import("@waypoint/core/actor");
const { Export } = await import("@waypoint/core/payments");
const actor = JSON.parse(process.env.BENCH_ACTOR!);
const startRss = process.memoryUsage().rss;
let peakRss = startRss;
const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const t0 = performance.now();
const e = await Actor.provide(actor, () =>
  Export.run(process.env.BENCH_BATCH!, { format: process.env.BENCH_FORMAT as "csv" }),
);
const ms = performance.now() - t0;
clearInterval(timer);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
process.stdout.write(JSON.stringify({ ms, startRss, peakRss, export: e }));
process.exit(0);
export {};
