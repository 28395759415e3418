/**
 * Configured fields at scale (issue 19): 40 configured fields defined through core (20 text, 8 number, 4 date,
 * 4 yes/no, 2 one-of, 2 many-of from a code list), then 100,000 individuals (`seedIndividuals`, FIELDS_BENCH_N)
 * written once with their 40 values and the configured-value index items core's registration writes in the same
 * transaction (42 per record), by raw BatchWriteItem with several in flight, on a private in-memory DynamoDB Local.
 *
 * Figures, through the real Hono app in this process (the API side of the grid; the browser side of the columns
 * is the grid benchmark's):
 * - first rows: `GET /api/individuals?limit=200` with all 40 values per row, cold definition cache, median of 3;
 * - the whole registry paged in 1,000-row requests (what the grid loads in the background);
 * - the one-time backfill of the configured-value index, apart, on a small second operation (FIELDS_BENCH_BACKFILL_N)
 *   whose records were written without their index items (records saved before the index existed);
 * - server filter on a configured value (`?field=<key>:<value>`, a value held by 10 % of the rows, answered from
 *   the configured-value index), p50/p95 of 20;
 * - the grid's own filter and sort over the 100,000 loaded rows on a configured column (the client-side row model
 *   does this in the browser; here the same work in Node, as a proxy: the sort is the grid's own `orderByKeys`,
 *   not AG Grid's comparator, see web/src/grid/keyedSort.ts), p50/p95 of 20; the browser's figures are the grid
 *   benchmark's (`GRID_BENCH_FIELDS=1`);
 * - bulk PATCH of 10,000 rows touching two configured fields, 1,000-row requests, vs the raw AWS SDK doing the
 *   same writes (conditional update of the `fields` map + version + timeUpdated/index keys, the audit put and the
 *   two configured-value index puts, one TransactWrite per row, 16 in flight) in the same run; rounds raw/app/raw/app, best of each. Target ≥ 70 %.
 */
import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { monotonicFactory } from "ulid";
import { CODES, defsToCreate, L, valuesFor } from "./support/fields.ts";
import { quietMachine } from "./support/quiet.ts";
import { orderByKeys } from "../../web/src/grid/keyedSort.ts";
import { benchStack, percentile } from "./support/registry.ts";

export const description =
  "Configured fields: 100,000 individuals × 40 fields: first rows, filter/sort p95, bulk PATCH vs raw SDK";

const N = Number(process.env.FIELDS_BENCH_N ?? 100_000);
const PATCH_ROWS = Math.min(N, Number(process.env.FIELDS_BENCH_PATCH ?? 10_000));
const PER_REQUEST = 1000;
const SEED_CONCURRENCY = Number(process.env.FIELDS_BENCH_SEED_CONCURRENCY ?? 12);
/** The JVM's maximum heap as DynamoDB Local gets it (no -Xmx is passed: the JVM's default, a quarter of RAM). */
function maxHeap(): string {
  try {
    const out = execFileSync("java", ["-XX:+PrintFlagsFinal", "-version"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const m = out.match(/MaxHeapSize\s*=\s*(\d+)/);
    return m ? `${(Number(m[1]) / 2 ** 30).toFixed(1)} GiB` : "unknown";
  } catch {
    return "unknown";
  }
}
const BACKFILL_N = Number(process.env.FIELDS_BENCH_BACKFILL_N ?? 1000);
const CONCURRENCY = 16;
const ulid = monotonicFactory();
const ms = (x: number) => `${Math.round(x)} ms`;
/** Which request (1-based) of a series was the slowest: a cold first one and a pause later read differently. */
const slowest = (xs: number[]) => xs.indexOf(Math.max(...xs)) + 1;

/** Resident memory of a process (DynamoDB Local's JVM), MiB; NaN when unreadable. */
function rssMiB(pid: number | undefined): number {
  try {
    const m = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

export default async function (): Promise<string> {
  const stack = await benchStack(`bench-fields-${Date.now()}`);
  const { core, op, offices, admin } = stack;
  const load0 = loadavg();
  let releaseQuiet = () => undefined as void;
  try {
    const { seedIndividuals } = await import("../../packages/local/src/seed/scale.ts");
    const { app } = await import("@waypoint/functions");
    const { FieldCache } = await import("../../packages/core/src/fields/cache.ts");
    const { FieldIndex } = await import("../../packages/core/src/fields/value-index.ts");
    const { FieldIndexStateEntity } = await import("../../packages/core/src/fields/value-index.entity.ts");

    // the 40 definitions first (through core), so the seeded values are ones core accepts
    const adminActor = await core.Auth.verify(admin.token);
    const defs = defsToCreate();
    await core.Actor.provide(adminActor, async () => {
      await core.CodeLists.create({
        listKey: "benchCodes",
        labels: L("Bench codes"),
        codes: CODES.map((code) => ({ code, labels: L(`Code ${code}`) })),
      });
      for (const d of defs)
        await core.Fields.create({ recordType: "individual", labels: L(d.key), ...d } as never);
    });
    // one record's values through core's own check: the generated ones are valid configured values
    await core.Actor.provide(adminActor, () =>
      core.FieldValues.prepare("individual", op.operationID, valuesFor(defs, 7), { create: true }),
    );

    // every individual written once, with its 40 values and the configured-value index items core's registration
    // writes in the same transaction (`FieldIndex.diffItems`), by raw BatchWriteItem, SEED_CONCURRENCY in flight
    const t0 = performance.now();
    let lastLog = 0;
    await seedIndividuals(
      N,
      (done) => {
        if (done - lastLog >= 10_000 || done === N) {
          lastLog = done;
          const s = (performance.now() - t0) / 1000;
          console.error(
            `fields bench: ${done} individuals written in ${s.toFixed(0)} s (load ${loadavg()[0]!.toFixed(1)})`,
          );
        }
      },
      {
        operationID: op.operationID,
        officeIDs: offices.map((o) => o.officeID),
        seed: 19,
        concurrency: SEED_CONCURRENCY,
        fields: (i) => valuesFor(defs, i),
      },
    );
    const seedSeconds = (performance.now() - t0) / 1000;
    // the operation's records all carry their index items (as if saved through core since the index existed): its
    // index state is what the backfill leaves behind, so the filter reads the index at once
    {
      const now = new Date().toISOString();
      await FieldIndexStateEntity.put({
        operationID: op.operationID,
        state: "done",
        records: N,
        timeCreated: now,
        timeUpdated: now,
      }).go();
    }
    // the seeding may share the machine; the figures are taken with it alone (BENCH_QUIET_LOCK)
    const quiet = await quietMachine();
    releaseQuiet = quiet.release;
    const loadMeasure = loadavg();
    // a fresh session for the measuring: the one issued before an hour or more of seeding has expired (a 100,000
    // run seeded for 100 minutes, then every request was refused with session.expired)
    admin.token = (
      await core.Actor.provide({ type: "system", reason: "bench" }, () => core.Auth.issue(admin.user))
    ).token;
    if (quiet.waitedMs > 1000)
      console.error(`fields bench: waited ${(quiet.waitedMs / 1000).toFixed(0)} s for a quiet machine`);
    const dynamoRss = rssMiB(stack.dynamo.child!.pid);
    // the index holds exactly the seeded values: every record holding one0 = C3, counted through the index
    {
      let want = 0;
      for (let i = 0; i < N; i++) if (valuesFor(defs, i).one0 === "C3") want++;
      let got = 0;
      let cursor: string | null = null;
      do {
        const page: { ids: string[]; cursor: string | null } = await FieldIndex.lookup(
          "individual",
          op.operationID,
          "one0",
          "C3",
          { cursor, limit: 1000 },
        );
        got += page.ids.length;
        cursor = page.cursor;
      } while (cursor);
      if (got !== want) throw new Error(`index holds ${got} records with one0 = C3, seeded ${want}`);
    }

    // the one-time backfill, measured apart on a small operation whose records were saved before the index existed
    let backfillSeconds = NaN;
    if (BACKFILL_N > 0) {
      const op2 = await core.Actor.provide({ type: "system", reason: "bench" }, async () => {
        const o = await core.Operation.create({
          code: "BEB",
          name: "Bench backfill",
          country: "MX",
          currency: "MXN",
        });
        const office = await core.Operation.createOffice({
          operationID: o.operationID,
          code: "TAP",
          name: "TAP",
        });
        return { operationID: o.operationID, officeID: office.officeID };
      });
      await seedIndividuals(BACKFILL_N, () => undefined, {
        operationID: op2.operationID,
        officeIDs: [op2.officeID],
        seed: 20,
        concurrency: SEED_CONCURRENCY,
        fields: (i) => valuesFor(defs, i),
        indexFields: false,
      });
      const tb = performance.now();
      const indexed = await core.Actor.provide(adminActor, () => FieldIndex.backfill(op2.operationID));
      backfillSeconds = (performance.now() - tb) / 1000;
      if (indexed !== BACKFILL_N) throw new Error(`backfill indexed ${indexed} of ${BACKFILL_N}`);
    }

    const table = core.config().tableName;
    const doc = core.documentClient();

    const get = async (path: string) => {
      const t = performance.now();
      const res = await app.request(path, { headers: { authorization: `Bearer ${admin.token}` } });
      const body = (await res.json()) as { items: Record<string, unknown>[]; nextCursor: string | null };
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - t, body };
    };

    // first rows (the definition cache is cold for the first one: forget it before each)
    const first: number[] = [];
    for (let i = 0; i < 3; i++) {
      FieldCache.forget(op.operationID);
      const r = await get("/api/individuals?limit=200");
      if (r.body.items.length !== 200 || Object.keys((r.body.items[0]!.fields as object) ?? {}).length !== 40)
        throw new Error("first page lacks its rows or their 40 values");
      first.push(r.ms);
    }

    // the whole registry, as the grid loads it
    const t2 = performance.now();
    const rows: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    do {
      const r: { body: { items: Record<string, unknown>[]; nextCursor: string | null } } = await get(
        `/api/individuals?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      rows.push(...r.body.items);
      cursor = r.body.nextCursor;
    } while (cursor);
    const wholeSeconds = (performance.now() - t2) / 1000;
    if (rows.length !== N) throw new Error(`paged ${rows.length} of ${N}`);

    // server filter on a configured value held by 10 % of the rows
    // (interleaved with the same page unfiltered: the machine is shared, so the baseline is taken in the same moments)
    const filterMs: number[] = [];
    const plainMs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await get(`/api/individuals?limit=200&field=text0:V${i % 10}`);
      if (r.body.items.length !== 200) throw new Error(`filter V${i % 10}: ${r.body.items.length} rows`);
      filterMs.push(r.ms);
      plainMs.push((await get("/api/individuals?limit=200")).ms);
    }

    // the grid's client-side filter and sort over the loaded rows (proxy in Node)
    const localFilter: number[] = [];
    const localSort: number[] = [];
    for (let i = 0; i < 20; i++) {
      const want = `v${i % 10}`;
      let t = performance.now();
      const hits = rows.filter((r) =>
        String((r.fields as Record<string, unknown>)?.[`text${(i % 19) + 1}`] ?? "")
          .toLowerCase()
          .includes(want),
      );
      localFilter.push(performance.now() - t);
      if (hits.length === 0) throw new Error("local filter found nothing");
      const key = i % 2 ? `num${i % 8}` : `text${i % 20}`;
      t = performance.now();
      // the grid's own sort step (web/src/grid/keyedSort.ts): each row's value read once, an index array ordered
      const values = rows.map((r) => (r.fields as Record<string, unknown> | undefined)?.[key]);
      const order = orderByKeys([{ values, direction: i % 4 < 2 ? 1 : -1 }], rows.length);
      const sorted = Array.from(order, (k) => rows[k]!);
      localSort.push(performance.now() - t);
      if (sorted.length !== N) throw new Error("sort lost rows");
    }

    // bulk PATCH of configured values vs the raw SDK
    const target = rows.slice(0, PATCH_ROWS).map((r) => ({
      id: r.individualID as string,
      version: r.version as number,
      officeID: r.officeID as string,
      fields: { ...(r.fields as Record<string, unknown>) },
    }));
    let flip = false;
    const appRound = async () => {
      flip = !flip;
      const t = performance.now();
      for (let i = 0; i < target.length; i += PER_REQUEST) {
        const slice = target.slice(i, i + PER_REQUEST);
        const res = await app.request("/api/individuals", {
          method: "PATCH",
          headers: { authorization: `Bearer ${admin.token}`, "content-type": "application/json" },
          body: JSON.stringify({
            rows: slice.map((r) => ({
              id: r.id,
              version: r.version,
              changes: { fields: { text1: flip ? "edited" : "again", num1: flip ? 1 : 2 } },
            })),
          }),
        });
        const body = (await res.json()) as { summary: Record<string, number> };
        if (res.status !== 200 || body.summary.saved !== slice.length)
          throw new Error(`app round: ${res.status} ${JSON.stringify(body.summary ?? body)}`);
        for (const r of slice)
          ((r.version += 1),
            Object.assign(r.fields, { text1: flip ? "edited" : "again", num1: flip ? 1 : 2 }));
      }
      return (performance.now() - t) / 1000;
    };
    const rawRound = async () => {
      flip = !flip;
      const t = performance.now();
      await core.mapLimit(target, CONCURRENCY, async (r) => {
        const now = new Date().toISOString();
        const sk = `$individual_1#timeUpdated_${now}#individualID_${r.id}`;
        const auditID = `aud_${ulid()}`;
        const before = { text1: r.fields.text1, num1: r.fields.num1 };
        const after = { text1: flip ? "edited" : "again", num1: flip ? 1 : 2 };
        const fields = { ...r.fields, ...after };
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: table,
                  Key: { pk: `$waypoint#individualID_${r.id}`, sk: "$individual_1" },
                  UpdateExpression: "SET #f = :f, #tu = :tu, #g1 = :g1, #g2 = :g2 ADD #v :one",
                  ConditionExpression: "attribute_exists(#pk) AND #v = :v",
                  ExpressionAttributeNames: {
                    "#pk": "pk",
                    "#f": "fields",
                    "#tu": "timeUpdated",
                    "#g1": "gsi1sk",
                    "#g2": "gsi2sk",
                    "#v": "version",
                  },
                  ExpressionAttributeValues: {
                    ":f": fields,
                    ":tu": now,
                    ":g1": sk,
                    ":g2": sk,
                    ":one": 1,
                    ":v": r.version,
                  },
                },
              },
              {
                Put: {
                  TableName: table,
                  Item: {
                    pk: `$waypoint#recordID_${r.id}`,
                    sk: `$audit_1#time_${now}#auditID_${auditID}`,
                    gsi1pk: `$waypoint#operationID_${op.operationID}`,
                    gsi1sk: `$audit_1#time_${now}#auditID_${auditID}`,
                    gsi2pk: `$waypoint#actorID_${admin.user.userID}`,
                    gsi2sk: `$audit_1#time_${now}#auditID_${auditID}`,
                    auditID,
                    operationID: op.operationID,
                    recordID: r.id,
                    recordType: "individual",
                    action: "update",
                    actorID: admin.user.userID,
                    time: now,
                    officeID: r.officeID,
                    changes: {
                      "fields.text1": { before: before.text1, after: after.text1, label: L("text1") },
                      "fields.num1": { before: before.num1, after: after.num1, label: L("num1") },
                    },
                    __edb_e__: "audit",
                    __edb_v__: "1",
                  },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
              // the configured-value index items of the two changed values (what the app writes too)
              ...Object.entries(after).map(([key, v]) => ({
                Put: {
                  TableName: table,
                  Item: {
                    pk: `$waypoint#ownerID_${r.id}`,
                    sk: `$fieldvalue_1#key_${key}#slot_-`,
                    gsi1pk: `$waypoint#operationID_${op.operationID}#recordType_individual#key_${key}#value_${String(v)}`,
                    gsi1sk: `$fieldvalue_1#ownerID_${r.id}`,
                    operationID: op.operationID,
                    recordType: "individual",
                    key,
                    slot: "-",
                    value: String(v),
                    ownerID: r.id,
                    __edb_e__: "fieldvalue",
                    __edb_v__: "1",
                  },
                },
              })),
            ],
          }),
        );
        r.version += 1;
        Object.assign(r.fields, after);
      });
      return (performance.now() - t) / 1000;
    };
    const rounds: { kind: "raw" | "app"; seconds: number }[] = [];
    for (const kind of ["raw", "app", "raw", "app"] as const)
      rounds.push({ kind, seconds: kind === "raw" ? await rawRound() : await appRound() });
    const best = (k: "raw" | "app") => Math.min(...rounds.filter((r) => r.kind === k).map((r) => r.seconds));
    const ratio = best("raw") / best("app");

    const sample = await core.Actor.provide(adminActor, () =>
      core.Individual.get(target[PATCH_ROWS - 1]!.id),
    );
    if (
      sample.version !== target[PATCH_ROWS - 1]!.version ||
      (sample.fields as Record<string, unknown>).num1 !== 2
    )
      throw new Error("stored state after the rounds is not what they wrote");
    if (Object.keys(sample.fields ?? {}).length !== 40)
      throw new Error("a PATCH of two keys lost the others");

    const med = [...first].sort((a, b) => a - b)[1]!;
    const load1 = loadavg();
    const ok = (b: boolean) => (b ? "✅ meets" : "❌ misses");
    return [
      `${N.toLocaleString("en")} individuals with 40 configured values each seeded in ${seedSeconds.toFixed(0)} s: one pass of raw BatchWriteItem (${SEED_CONCURRENCY} in flight) writing each record with its values, its registration items and the ${(N * 42).toLocaleString("en")} configured-value index items core's registration writes in the same transaction (\`FieldIndex.diffItems\`). DynamoDB Local in memory (JVM default heap, max ${maxHeap()}; resident ${Math.round(dynamoRss).toLocaleString("en")} MiB after seeding), app in process.`,
      `Machine load average at start / when the measuring began / end (1 min): ${load0[0]!.toFixed(1)} / ${loadMeasure[0]!.toFixed(1)} / ${load1[0]!.toFixed(1)} on 2 cores${process.env.BENCH_QUIET_LOCK ? " (seeding shared the machine; the measuring had it alone: test runs waited)" : " shared with other engineers' runs"}.`,
      "",
      "| figure | value | target | verdict |",
      "| ------ | ----- | ------ | ------- |",
      `| first rows: GET /api/individuals?limit=200 with 40 values each, cold definition cache (median of 3: ${first.map(ms).join(", ")}) | ${ms(med)} | < 1,500 ms | ${ok(med < 1500)} |`,
      `| whole registry paged in 1,000-row requests | ${wholeSeconds.toFixed(1)} s | — | — |`,
      `| one-time backfill of the configured-value index, measured apart: ${BACKFILL_N.toLocaleString("en")} records saved before the index (× 42 values) on a second operation | ${backfillSeconds.toFixed(1)} s | — | — |`,
      `| server filter on a configured value (10 % of rows), first 200, through the value index, p50 / p95 (n=20; p95 of 20 is the slowest: request ${slowest(filterMs)} of 20) | ${ms(percentile(filterMs, 50))} / ${ms(percentile(filterMs, 95))} | p95 < 300 ms | ${ok(percentile(filterMs, 95) < 300)} |`,
      `| baseline: the same 200-row page unfiltered, interleaved with the filter requests, p50 / p95 (n=20; slowest: request ${slowest(plainMs)} of 20) | ${ms(percentile(plainMs, 50))} / ${ms(percentile(plainMs, 95))} | — | — |`,
      `| grid-side filter over ${N.toLocaleString("en")} loaded rows on a configured column (Node proxy), p50 / p95 | ${ms(percentile(localFilter, 50))} / ${ms(percentile(localFilter, 95))} | p95 < 300 ms | ${ok(percentile(localFilter, 95) < 300)} |`,
      `| grid-side sort of ${N.toLocaleString("en")} loaded rows on a configured column (Node proxy), p50 / p95 | ${ms(percentile(localSort, 50))} / ${ms(percentile(localSort, 95))} | p95 < 300 ms | ${ok(percentile(localSort, 95) < 300)} |`,
      ...rounds.map(
        (r, i) =>
          `| bulk PATCH round ${i + 1}: ${r.kind === "app" ? "app, PATCH /api/individuals 1,000-row requests" : "raw SDK TransactWrite (update + audit + 2 index puts)"} | ${r.seconds.toFixed(1)} s (${Math.round(PATCH_ROWS / r.seconds)} rows/s) | — | — |`,
      ),
      `| bulk PATCH of ${PATCH_ROWS.toLocaleString("en")} rows touching configured fields: best app / best raw | ${(ratio * 100).toFixed(0)} % | ≥ 70 % | ${ok(ratio >= 0.7)} |`,
    ].join("\n");
  } finally {
    releaseQuiet();
    await stack.stop();
  }
}
