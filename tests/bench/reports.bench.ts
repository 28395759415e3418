/**
 * Dashboard and report export at 100,000 individuals (issue 9).
 *
 * Seeds 100,000 individuals (with their households) through `seedIndividuals`, then, through the real Hono app:
 * - the dashboard's first load (every projection read from the `byOperation` indexes), then warm loads (median of
 *   7; each one still delta-syncs every kind from DynamoDB), a warm load after 200 edits made since (the delta
 *   path), and an office-scoped supervisor's warm load;
 * - the `register` report (one row per person, 100,000 rows) streamed as CSV and as XLSX in a fresh process each
 *   (as one Lambda invocation would run it): time to the last byte and the process's RSS after the projection is
 *   loaded and at its peak while streaming, so the memory the streaming itself takes is visible.
 * Targets: dashboard < 1 s after the first load; export of 100,000 rows < 10 s with bounded memory.
 */
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchStack, percentile } from "./support/registry.ts";

export const description =
  "Dashboard (first load, warm, delta) and 100,000-row report export at 100,000 individuals";

const N = Number(process.env.BENCH_ROWS ?? 100_000);
const here = dirname(fileURLToPath(import.meta.url));
const MB = 1024 * 1024;

export default async function (): Promise<string> {
  const stack = await benchStack(`bench-reports-${Date.now()}`);
  const { core, op, offices, admin } = stack;
  try {
    const { seedIndividuals } = await import("../../packages/local/src/seed/scale.ts");
    const { app } = await import("@waypoint/functions");
    const t0 = performance.now();
    await seedIndividuals(N, () => undefined, {
      operationID: op.operationID,
      officeIDs: offices.map((o) => o.officeID),
      seed: 9,
    });
    const seedS = (performance.now() - t0) / 1000;

    const get = async (path: string, token: string) => {
      const t = performance.now();
      const res = await app.request(path, { headers: { authorization: `Bearer ${token}` } });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 300)}`);
      return { ms: performance.now() - t, json: JSON.parse(body) };
    };
    const first = await get("/api/dashboard", admin.token);
    if (first.json.individuals.total.value !== N)
      throw new Error(`dashboard counted ${first.json.individuals.total.value}, expected ${N}`);
    const warm: number[] = [];
    for (let i = 0; i < 7; i++) warm.push((await get("/api/dashboard", admin.token)).ms);

    // 200 edits since the last load: the next load picks them up through the timeUpdated index range
    const adminActor = await core.Auth.verify(admin.token);
    const page = await core.Actor.provide(adminActor, () => core.Individual.list({ limit: 200 }));
    await core.Actor.provide(adminActor, () =>
      core.Individual.bulkPatch(
        page.items.map((r) => ({ id: r.individualID, version: r.version, changes: { sex: "other" } })),
      ),
    );
    const delta = await get("/api/dashboard", admin.token);
    const other = delta.json.individuals.pyramid.reduce(
      (n: number, r: { other: { value: number } }) => n + r.other.value,
      0,
    );
    const before = first.json.individuals.pyramid.reduce(
      (n: number, r: { other: { value: number } }) => n + r.other.value,
      0,
    );

    const sup = await core.Actor.provide({ type: "system", reason: "bench" }, async () => {
      const u = await core.User.create({
        email: `sup-${Date.now()}@example.org`,
        name: "Sup",
        grants: [{ operationID: op.operationID, role: "supervisor", officeIDs: [offices[0]!.officeID] }],
      });
      return (await core.Auth.issue(u)).token;
    });
    await get("/api/dashboard", sup);
    const supWarm: number[] = [];
    for (let i = 0; i < 5; i++) supWarm.push((await get("/api/dashboard", sup)).ms);

    const child = (format: string) => {
      const out = execFileSync(process.execPath, ["--import", "tsx", join(here, "reports-export.child.ts")], {
        env: { ...process.env, BENCH_TOKEN: admin.token, BENCH_FORMAT: format },
        maxBuffer: 16 * MB,
      });
      return JSON.parse(out.toString()) as {
        loadMs: number;
        exportMs: number;
        bytes: number;
        lines: number;
        baseRss: number;
        loadedRss: number;
        peakRss: number;
      };
    };
    const csv = child("csv");
    const xlsx = child("xlsx");

    const warmMedian = percentile(warm, 50);
    const supMedian = percentile(supWarm, 50);
    const ok = (b: boolean) => (b ? "✅" : "❌");
    const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
    const mem = (x: typeof csv) =>
      `${(x.baseRss / MB).toFixed(0)} → ${(x.loadedRss / MB).toFixed(0)} → ${(x.peakRss / MB).toFixed(0)} MB (+${((x.peakRss - x.loadedRss) / MB).toFixed(0)} MB while streaming)`;
    return [
      `${N.toLocaleString("en")} individuals seeded with \`seedIndividuals\` in ${seedS.toFixed(0)} s (DynamoDB Local, in memory), 3 offices.`,
      "",
      "| figure | value | target |",
      "| --- | --: | --- |",
      `| dashboard first load (admin, full projection read) | ${fmt(first.ms)} | (first load pays the read) |`,
      `| dashboard warm, median of 7 (min–max) | ${fmt(warmMedian)} (${fmt(Math.min(...warm))}–${fmt(Math.max(...warm))}) | < 1 s ${ok(warmMedian < 1000)} |`,
      `| dashboard after 200 edits since the last load (delta sync) | ${fmt(delta.ms)} | < 1 s ${ok(delta.ms < 1000)} |`,
      `| dashboard warm, office-scoped supervisor, median of 5 | ${fmt(supMedian)} | < 1 s ${ok(supMedian < 1000)} |`,
      `| register export CSV, ${csv.lines - 1} rows, ${(csv.bytes / MB).toFixed(1)} MB (fresh process: projection load + stream) | ${fmt(csv.loadMs)} + ${fmt(csv.exportMs)} | < 10 s ${ok(csv.loadMs + csv.exportMs < 10_000)} |`,
      `| register export XLSX, ${(xlsx.bytes / MB).toFixed(1)} MB | ${fmt(xlsx.loadMs)} + ${fmt(xlsx.exportMs)} | < 10 s ${ok(xlsx.loadMs + xlsx.exportMs < 10_000)} |`,
      `| RSS CSV export: start → projection loaded → peak | ${mem(csv)} | bounded |`,
      `| RSS XLSX export: start → projection loaded → peak | ${mem(xlsx)} | bounded |`,
      "",
      `- the delta load saw the edits: people with sex "other" ${before} → ${other} (200 changed).`,
      `- projection rows after the first load: ${JSON.stringify(Object.fromEntries(Object.entries(first.json.freshness).map(([k, v]) => [k, (v as { rows: number }).rows])))}; individuals full read took ${first.json.freshness.individuals.fullLoadMs} ms.`,
    ].join("\n");
  } finally {
    await stack.stop();
  }
}
