/**
 * One retention run in a fresh process (as one invocation of the scheduled Lambda would run it), for
 * retention.bench.ts: prints JSON with the run's time, the process's RSS before and at its peak, and the run's
 * counts. Environment: WAYPOINT_* as set by the parent, BENCH_OPERATION.
 */
// Only what the job needs, as the bundled retention Lambda loads.
const { Actor } = await import("@waypoint/core/actor");
const { Retention } = await import("@waypoint/core/retention/index");
const { RetentionRunEntity } = await import("@waypoint/core/retention/retention.entity");
const operationID = process.env.BENCH_OPERATION!;
const startRss = process.memoryUsage().rss;
let peakRss = startRss;
const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const t0 = performance.now();
const out = await Actor.provide({ type: "system", reason: "bench" }, () =>
  Retention.runScheduled({ operations: [operationID] }),
);
const ms = performance.now() - t0;
clearInterval(timer);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
const run = (await RetentionRunEntity.get({ operationID, runID: out[0]!.runID! }).go()).data;
process.stdout.write(JSON.stringify({ ms, startRss, peakRss, state: out[0]!.state, run }));
process.exit(0);
export {};
