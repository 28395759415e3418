/**
 * One report export in a fresh process (as one Lambda invocation would run it), for reports.bench.ts: loads the
 * register projection, then streams `GET /api/reports/register` to the end, counting bytes and lines. Prints JSON
 * with the times and the RSS at start, after the projection is loaded and at its peak. Environment: WAYPOINT_* as
 * set by the parent, BENCH_TOKEN, BENCH_FORMAT.
 */
const { app } = await import("@waypoint/functions");
const headers = { authorization: `Bearer ${process.env.BENCH_TOKEN}` };
const baseRss = process.memoryUsage().rss;
let peakRss = baseRss;
const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const t0 = performance.now();
const warm = await app.request("/api/reports/individuals-nationality?format=json", { headers });
if (warm.status !== 200) throw new Error(`load: ${warm.status} ${await warm.text()}`);
await warm.text();
const loadMs = performance.now() - t0;
const loadedRss = process.memoryUsage().rss;
peakRss = loadedRss;
const t1 = performance.now();
const res = await app.request(`/api/reports/register?format=${process.env.BENCH_FORMAT}&hxl=true`, {
  headers,
});
if (res.status !== 200 || !res.body) throw new Error(`export: ${res.status} ${await res.text()}`);
let bytes = 0;
let lines = 0;
const reader = res.body.getReader();
for (;;) {
  const { done, value } = await reader.read();
  if (done) break;
  bytes += value.byteLength;
  for (let i = value.indexOf(10); i !== -1; i = value.indexOf(10, i + 1)) lines++;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
const exportMs = performance.now() - t1;
clearInterval(timer);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
process.stdout.write(JSON.stringify({ loadMs, exportMs, bytes, lines, baseRss, loadedRss, peakRss }));
process.exit(0);
export {};
