/**
 * Payments at the 121 platform's performance-suite size: 131,072 payees, one payment each; create the payments,
 * build one batch from a filter (conditional membership writes), submit, approve (two approvers: the total needs
 * them), export pain.001.001.09 and CSV. Each step's wall time and peak RSS, beside the raw AWS SDK doing the same
 * DynamoDB work in the same run on the same DynamoDB Local:
 * - creation: BatchWriteItem, 25 items per request, 8 requests in flight (what `putAll` does);
 * - batch: Query the approved-payments index 1,000 at a time + one conditional UpdateItem per payment, 24 in
 *   flight (what `assemble` does), then a Query over the batch index for the totals (what `submit` does);
 * - export: Query the batch index 1,000 at a time + BatchGetItem of the payees (what `Export.run` reads).
 * Targets (issue 6): each step ≥ 60 % of raw throughput; whole flow < 4 minutes; export RSS < 256 MB.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DynamoDBClient,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
  type QueryCommandOutput,
} from "@aws-sdk/client-dynamodb";
import { ensureTable } from "../../packages/local/src/bootstrap.ts";
import { freePort, startDynamoLocal } from "../../packages/local/src/dynamo-local.ts";

export const description =
  "131,072 payees: create payments, batch, approve, export pain.001 + CSV vs raw AWS SDK";

const N = Number(process.env.BENCH_PAYEES ?? 131_072);
const here = dirname(fileURLToPath(import.meta.url));
const MB = 2 ** 20;
setFlagsFromString("--expose_gc");
const gc = runInNewContext("gc") as () => void;

interface Step {
  name: string;
  ms: number;
  items: number;
  peakRss: number;
  startRss: number;
}

async function measure<T>(name: string, items: number, fn: () => Promise<T>, steps: Step[]): Promise<T> {
  gc();
  const startRss = process.memoryUsage().rss;
  let peakRss = startRss;
  const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    const ms = performance.now() - t0;
    clearInterval(timer);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    steps.push({ name, ms, items, peakRss, startRss });
    console.error(
      `bench payments: ${name} ${(ms / 1000).toFixed(1)} s, peak RSS ${(peakRss / MB).toFixed(0)} MB`,
    );
  }
}

async function limit<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

const S = (s: string): AttributeValue => ({ S: s });

/** The raw AWS SDK doing the same DynamoDB work as each step, with the same request sizes and concurrency. */
interface Hooks {
  create?: () => Promise<void>;
  batch?: () => Promise<void>;
  export?: () => Promise<void>;
  mark?: () => Promise<void>;
}

async function raw(
  client: DynamoDBClient,
  table: string,
  run: string,
  steps: Step[],
  N: number,
  hooks: Hooks = {},
) {
  const pad = (i: number) => String(i).padStart(8, "0");
  const put = async (items: Record<string, AttributeValue>[]) => {
    const chunks: Record<string, AttributeValue>[][] = [];
    for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
    await limit(chunks, 8, async (chunk) => {
      let req: Record<string, AttributeValue>[] = chunk;
      while (req.length) {
        const res = await client.send(
          new BatchWriteItemCommand({
            RequestItems: { [table]: req.map((Item) => ({ PutRequest: { Item } })) },
          }),
        );
        req = (res.UnprocessedItems?.[table] ?? []).map((r) => r.PutRequest!.Item!);
      }
    });
  };
  const payees = Array.from({ length: N }, (_, i) => ({
    pk: S(`rawpye#${run}#${pad(i)}`),
    sk: S("x"),
    name: S(`Payee ${i}`),
    channel: { M: { type: S("bank"), iban: S("DE89370400440532013000"), bic: S("COBADEFFXXX") } },
  }));
  await put(payees);
  const payments = Array.from({ length: N }, (_, i) => ({
    pk: S(`rawpay#${run}#${pad(i)}`),
    sk: S("x"),
    gsi2pk: S(`rawstatus#${run}#approved`),
    gsi2sk: S(pad(i)),
    payeeID: S(`rawpye#${run}#${pad(i)}`),
    amount: { N: String(10000 + (i % 500)) },
    currency: S("MXN"),
    status: S("approved"),
    version: { N: "1" },
  }));
  await hooks.create?.();
  await measure("raw: create payments (BatchWriteItem)", N, () => put(payments), steps);
  const batch = `rawbat#${run}`;
  await hooks.batch?.();
  await measure(
    "raw: batch (Query + conditional UpdateItem)",
    N,
    async () => {
      let key: QueryCommandOutput["LastEvaluatedKey"];
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: table,
            IndexName: "gsi2",
            KeyConditionExpression: "gsi2pk = :p",
            ExpressionAttributeValues: { ":p": S(`rawstatus#${run}#approved`) },
            Limit: 1000,
            ExclusiveStartKey: key,
          }),
        );
        await limit(page.Items ?? [], 24, async (item) => {
          await client.send(
            new UpdateItemCommand({
              TableName: table,
              Key: { pk: item.pk!, sk: item.sk! },
              UpdateExpression:
                "SET #s = :in, gsi2pk = :g2, gsi3pk = :b, gsi3sk = :k, batchID = :b ADD version :one",
              ConditionExpression: "#s = :ap",
              ExpressionAttributeNames: { "#s": "status" },
              ExpressionAttributeValues: {
                ":in": S("in_batch"),
                ":g2": S(`rawstatus#${run}#in_batch`),
                ":b": S(batch),
                ":k": item.gsi2sk!,
                ":ap": S("approved"),
                ":one": { N: "1" },
              },
            }),
          );
        });
        key = page.LastEvaluatedKey;
      } while (key);
      // totals, as submit does
      let count = 0;
      await scanBatch(async (items) => void (count += items.length));
      if (count !== N) throw new Error(`raw batch holds ${count}, expected ${N}`);
    },
    steps,
  );
  async function scanBatch(each: (items: Record<string, AttributeValue>[]) => Promise<void>) {
    let key: QueryCommandOutput["LastEvaluatedKey"];
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: table,
          IndexName: "gsi3",
          KeyConditionExpression: "gsi3pk = :b",
          ExpressionAttributeValues: { ":b": S(batch) },
          Limit: 1000,
          ExclusiveStartKey: key,
        }),
      );
      await each(page.Items ?? []);
      key = page.LastEvaluatedKey;
    } while (key);
  }
  const exportRead = async () => {
    let rows = 0;
    await scanBatch(async (items) => {
      for (let i = 0; i < items.length; i += 100) {
        let keys = items.slice(i, i + 100).map((p) => ({ pk: p.payeeID!, sk: S("x") }));
        while (keys.length) {
          const res = await client.send(
            new BatchGetItemCommand({ RequestItems: { [table]: { Keys: keys } } }),
          );
          rows += res.Responses?.[table]?.length ?? 0;
          keys = (res.UnprocessedKeys?.[table]?.Keys ?? []) as typeof keys;
        }
      }
    });
    if (rows !== N) throw new Error(`raw export read ${rows}, expected ${N}`);
  };
  await hooks.export?.();
  await measure("raw: export read (Query + BatchGetItem)", N, exportRead, steps);
  // after the file went out: every payment of the batch in_batch → exported, conditionally (what markExported does)
  await hooks.mark?.();
  await measure(
    "raw: mark exported (Query + conditional UpdateItem)",
    N,
    async () => {
      let moved = 0;
      await scanBatch(async (items) => {
        await limit(items, 32, async (item) => {
          await client.send(
            new UpdateItemCommand({
              TableName: table,
              Key: { pk: item.pk!, sk: item.sk! },
              UpdateExpression: "SET #s = :ex, gsi2pk = :g2, timeUpdated = :t ADD version :one",
              ConditionExpression: "#s = :in AND batchID = :b",
              ExpressionAttributeNames: { "#s": "status" },
              ExpressionAttributeValues: {
                ":ex": S("exported"),
                ":g2": S(`rawstatus#${run}#exported`),
                ":t": S(new Date().toISOString()),
                ":in": S("in_batch"),
                ":b": S(batch),
                ":one": { N: "1" },
              },
            }),
          );
          moved++;
        });
      });
      if (moved !== N) throw new Error(`raw marked ${moved}, expected ${N}`);
    },
    steps,
  );
}

export default async function bench(): Promise<string> {
  const dynamo = await startDynamoLocal({ port: await freePort() });
  const files = mkdtempSync(join(tmpdir(), "wp-bench-pay-"));
  try {
    const table = "waypoint-bench-payments";
    const client = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: "local",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxAttempts: 5,
    });
    await ensureTable(client, table);
    process.env.WAYPOINT_DYNAMO_ENDPOINT = dynamo.endpoint;
    process.env.WAYPOINT_TABLE = table;
    process.env.WAYPOINT_FILES = files;
    process.env.WAYPOINT_LOG_LEVEL = "warn";
    process.env.WAYPOINT_AUTH_SECRET = "bench-secret-0123456789abcdef0123456789abcdef";
    // core reads the table name when its entities are built: import it after the environment is set
    const core = await import("@waypoint/core");
    core.resetConfig();
    const { Actor, Operation, User, Payee, Payment, FspProfile, Batch } = core;
    const steps: Step[] = [];
    const system = { type: "system" as const, reason: "bench" };
    const op = await Actor.provide(system, () =>
      Operation.create({ code: "BEN", name: "Bench", country: "MX", currency: "MXN" }),
    );
    const mkUser = async (role: "finance" | "finance_approver", email: string) => {
      const u = await Actor.provide(system, () =>
        User.create({
          email,
          name: role,
          password: "bench-pw",
          grants: [{ operationID: op.operationID, role, officeIDs: [] }],
        }),
      );
      return {
        type: "user" as const,
        userID: u.userID,
        email,
        operationID: op.operationID,
        role,
        officeIDs: [],
      };
    };
    const finance = await mkUser("finance", "finance@bench.example.org");
    const approver1 = await mkUser("finance_approver", "approver1@bench.example.org");
    const approver2 = await mkUser("finance_approver", "approver2@bench.example.org");
    const as = <R>(a: typeof finance, fn: () => Promise<R>) => Actor.provide(a, fn);

    // DynamoDB Local is a JVM: warm it up with the raw workload (discarded) so neither side pays the JIT
    await raw(client, table, `warm${Date.now()}`, [], Math.min(N, 3_000));
    const fsp = await as(finance, () =>
      FspProfile.create({
        name: "Bench bank",
        kind: "bank",
        currency: "MXN",
        defaultFormat: "pain.001.001.09",
        debtor: { name: "Bench Operation", iban: "FI9250009420108078", bic: "NDEAFIHH" },
      }),
    );
    const payeeIDs = await measure(
      "setup: create payees (not in the flow)",
      N,
      async () => {
        const ids: string[] = [];
        for (let i = 0; i < N; i += 16384) {
          const rows = Array.from({ length: Math.min(16384, N - i) }, (_, j) => ({
            kind: "individual" as const,
            name: `Persona Núñez ${i + j}`,
            channel: { type: "bank" as const, iban: "DE89370400440532013000", bic: "COBADEFFXXX" },
          }));
          const res = await as(finance, () => Payee.createMany(rows));
          ids.push(...(res.payeeIDs as string[]));
        }
        return ids;
      },
      steps,
    );

    let batch!: Awaited<ReturnType<typeof Batch.submit>>;
    let pain!: Awaited<ReturnType<typeof core.Export.run>>;
    let csv!: Awaited<ReturnType<typeof core.Export.run>>;
    const child = (format: string, name: string) => {
      const out = execFileSync(
        process.execPath,
        ["--max-old-space-size=96", "--import", "tsx", join(here, "payments-export.child.ts")],
        {
          env: {
            ...process.env,
            BENCH_ACTOR: JSON.stringify(finance),
            BENCH_BATCH: batch.batchID,
            BENCH_FORMAT: format,
          },
          encoding: "utf8",
          maxBuffer: 16 * MB,
        },
      );
      const r = JSON.parse(out) as {
        ms: number;
        startRss: number;
        peakRss: number;
        export: Awaited<ReturnType<typeof core.Export.run>>;
      };
      steps.push({ name, ms: r.ms, items: N, peakRss: r.peakRss, startRss: r.startRss });
      console.error(
        `bench payments: ${name} ${(r.ms / 1000).toFixed(1)} s, peak RSS ${(r.peakRss / MB).toFixed(0)} MB (own process)`,
      );
      return r.export;
    };
    // Waypoint and the raw SDK alternate step by step, so both see the same machine load
    await raw(client, table, `r${Date.now()}`, steps, N, {
      create: async () => {
        await measure(
          "create payments",
          N,
          async () => {
            for (let i = 0; i < N; i += 16384) {
              const rows = payeeIDs.slice(i, i + 16384).map((payeeID, j) => ({
                values: {
                  payeeID,
                  purpose: "cash_for_protection",
                  amount: 10000 + ((i + j) % 500),
                  currency: "MXN",
                },
              }));
              const res = await as(finance, () => Payment.createMany(rows));
              if (res.summary.created !== rows.length)
                throw new Error(`created ${JSON.stringify(res.summary)}`);
            }
          },
          steps,
        );
      },
      batch: async () => {
        batch = await measure(
          "batch (create from filter + submit)",
          N,
          async () => {
            const b = await as(finance, () =>
              Batch.create({ fspProfileID: fsp.fspProfileID, currency: "MXN", filter: {} }),
            );
            return as(finance, () => Batch.submit(b.batchID));
          },
          steps,
        );
        if (batch.count !== N) throw new Error(`batch holds ${batch.count}`);
        await measure(
          "approve (two approvers)",
          2,
          async () => {
            await as(approver1, () => Batch.approve(batch.batchID));
            await as(approver2, () => Batch.approve(batch.batchID));
          },
          steps,
        );
      },
      export: async () => {
        pain = child("pain.001.001.09", "export pain.001.001.09");
        csv = child("csv", "export CSV");
      },
      mark: async () => {
        // the job the export's transaction enqueued: the batch's payments move to `exported`
        const { markExported } = await import("@waypoint/core/export/mark");
        const moved = await measure("mark exported (the export's job)", N, () => markExported(batch.batchID), steps);
        if (moved !== N) throw new Error(`marked ${moved} of ${N}`);
      },
    });
    client.destroy();

    const get = (n: string) => steps.find((s) => s.name === n)!;
    const rate = (s: Step) => s.items / (s.ms / 1000);
    const flow = [
      "create payments",
      "batch (create from filter + submit)",
      "approve (two approvers)",
      "export pain.001.001.09",
      "export CSV",
      "mark exported (the export's job)",
    ].map(get);
    const flowMs = flow.reduce((a, s) => a + s.ms, 0);
    const pairs: [string, string][] = [
      ["create payments", "raw: create payments (BatchWriteItem)"],
      ["batch (create from filter + submit)", "raw: batch (Query + conditional UpdateItem)"],
      ["export pain.001.001.09", "raw: export read (Query + BatchGetItem)"],
      ["export CSV", "raw: export read (Query + BatchGetItem)"],
      ["mark exported (the export's job)", "raw: mark exported (Query + conditional UpdateItem)"],
    ];
    const lines = [
      `${N.toLocaleString("en")} payees, one payment each (MXN), one batch; DynamoDB Local ${"3.x"} in memory on this machine, same run for Waypoint and raw SDK.`,
      "",
      "| step | time | items/s | peak RSS | RSS at start |",
      "| --- | ---: | ---: | ---: | ---: |",
      ...steps.map(
        (s) =>
          `| ${s.name} | ${(s.ms / 1000).toFixed(1)} s | ${Math.round(rate(s)).toLocaleString("en")} | ${(s.peakRss / MB).toFixed(0)} MB | ${(s.startRss / MB).toFixed(0)} MB |`,
      ),
      "",
      ...pairs.map(([ours, base]) => {
        const r = rate(get(ours)) / rate(get(base));
        return `- ${ours} vs ${base}: ${(r * 100).toFixed(0)} % of raw throughput (target ≥ 60 %) ${r >= 0.6 ? "✅" : "❌"}`;
      }),
      `- whole flow (create payments → batch → approve → pain.001 + CSV → payments exported): ${(flowMs / 1000).toFixed(1)} s (target < 240 s) ${flowMs < 240_000 ? "✅" : "❌"}`,
      ...["export pain.001.001.09", "export CSV"].map((n) => {
        const s = get(n);
        return `- ${n} (its own Node process with a 96 MB old-generation cap, like one Lambda invocation) peak RSS ${(s.peakRss / MB).toFixed(0)} MB, of which ${(s.startRss / MB).toFixed(0)} MB before the export started (Node + tsx + the payments module imported) (target < 256 MB) ${s.peakRss < 256 * MB ? "✅" : "❌"}`;
      }),
      `- files: pain.001 ${(pain.bytes / MB).toFixed(1)} MB sha256 ${pain.sha256.slice(0, 12)}…, CSV ${(csv.bytes / MB).toFixed(1)} MB; NbOfTxs ${pain.count}, CtrlSum ${core.formatMinor(pain.total, "MXN")} MXN`,
    ];
    return lines.join("\n");
  } finally {
    await dynamo.stop();
    rmSync(files, { recursive: true, force: true });
  }
}
