/**
 * Sustained `POST /v1/referrals` from partners (issue 5): 32 concurrent connections (autocannon) against the
 * local stack (`startLocal({ memory: true })`: DynamoDB Local + the real Hono app under @hono/node-server),
 * beside the raw AWS SDK issuing the DynamoDB writes one referral needs, at the same concurrency, same run.
 *
 * One referral writes: the readable-number counter (atomic ADD) and one transaction of three items (the
 * referral, its number's constraint item, its audit event). The raw baseline builds exactly those items (same
 * entities, same sizes) and sends them with the DocumentClient, nothing else: no HTTP, auth, validation,
 * rate limit, call audit, duplicate detection or idempotency. Targets: ≥ 70 % of raw throughput, p99 < 150 ms.
 */
import { TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { cpus, loadavg } from "node:os";
import autocannon from "autocannon";
import { freePort } from "../../packages/local/src/dynamo-local.ts";
import { startLocal } from "../../packages/local/src/runtime.ts";

export const description = "POST /v1/referrals at 32 connections vs raw DynamoDB writes of one referral";

const CONNECTIONS = 32;
/** Seconds per phase; phases are interleaved over ROUNDS rounds so drifting machine load hits all three alike. */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

const body = JSON.stringify({
  person: {
    givenName: "Amina",
    familyName: "Haddad",
    sex: "female",
    estimatedAge: 34,
    nationality: "SYR",
    phone: "+525512345678",
    languages: ["ara"],
  },
  consent: { dataSharing: true, date: "2026-11-20" },
  serviceCategory: "legal",
  urgency: "urgent",
  narrative: "Needs legal counselling on her asylum claim before the hearing.",
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function http(url: string, key: string, idempotent: boolean) {
  let n = 0;
  const result = await autocannon({
    url: `${url}/v1/referrals`,
    connections: CONNECTIONS,
    duration: SECONDS,
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body,
    requests: idempotent
      ? [
          {
            setupRequest: (req: Record<string, unknown>) => ({
              ...req,
              headers: { ...(req.headers as object), "idempotency-key": `bench-${process.pid}-${n++}` },
            }),
          },
        ]
      : undefined,
  });
  const non2xx = result.non2xx + result.errors + result.timeouts;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx,
  };
}

async function raw(core: typeof import("@waypoint/core"), operationID: string, officeID: string) {
  const { ReferralEntity } = await import("@waypoint/core/referral/referral.entity");
  const { CounterEntity } = await import("@waypoint/core/common/counter");
  const doc = core.documentClient();
  const latencies: number[] = [];
  const scope = `R:bench:${officeID}`;
  const end = performance.now() + SECONDS * 1000;
  const one = async () => {
    const inc = CounterEntity.update({ scope })
      .add({ value: 1 })
      .params({ response: "updated_new" }) as Record<string, unknown>;
    const counter = await doc.send(new UpdateCommand(inc as never));
    const n = (counter.Attributes as { value?: number } | undefined)?.value ?? 1;
    const now = core.nowIso();
    const referralID = core.Identifier.create("referral");
    const referralNumber = `RAW-TAP-26-R${String(n).padStart(5, "0")}`;
    const items = await core.Actor.provide({ type: "system", reason: "bench" }, () => [
      {
        put: ReferralEntity.create({
          referralID,
          referralNumber,
          operationID,
          officeID,
          direction: "incoming",
          fromOrganisationID: "org_bench",
          serviceCategory: "legal",
          urgency: "urgent",
          reason: "Needs legal counselling on her asylum claim before the hearing.",
          consent: { given: true, date: "2026-11-20", scope: "dataSharing" },
          person: JSON.parse(body).person,
          status: "pending",
          restricted: false,
          createdBy: "org_bench/key",
          version: 1,
          timeCreated: now,
          timeUpdated: now,
        }).params(),
      },
      core.Unique.claim("number", `${operationID}#${referralNumber}`, referralID),
      core.Audit.txItem({
        recordID: referralID,
        recordType: "referral",
        action: "create",
        operationID,
        officeID,
      }),
    ]);
    await doc.send(
      new TransactWriteCommand({
        TransactItems: items.map((i) => ({ Put: (i as { put: Record<string, unknown> }).put as never })),
      }),
    );
  };
  let count = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        await one();
        latencies.push(performance.now() - t);
        count++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    rps: count / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    total: count,
  };
}

export default async function run(): Promise<string> {
  process.env.WAYPOINT_LOG_LEVEL ??= "warn";
  const stack = await startLocal({ memory: true, port: await freePort(), seed: false, buildWeb: false });
  try {
    const core = await import("@waypoint/core");
    core.log.level = "warn";
    const { operationID, officeID, key } = await core.Actor.provide(
      { type: "system", reason: "bench" },
      async () => {
        const op = await core.Operation.create({
          code: "BEN",
          name: "Bench",
          country: "MX",
          currency: "MXN",
        });
        const office = await core.Operation.createOffice({
          operationID: op.operationID,
          code: "TAP",
          name: "Tapachula",
        });
        const org = await core.Organisation.create({ operationID: op.operationID, name: "Bench partner" });
        const k = await core.Organisation.createKey({
          organisationID: org.organisationID,
          name: "bench",
          scopes: ["referrals:write", "referrals:read"],
          rateLimitPerMinute: 100_000,
        });
        return { operationID: op.operationID, officeID: office.officeID, key: k.key };
      },
    );
    // warm-up: JIT, connection pools, table partitions
    await autocannon({
      url: `${stack.url}/v1/referrals`,
      connections: 8,
      amount: 200,
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body,
    });
    type R = { rps: number; p50: number; p99: number; total: number; non2xx?: number };
    const rounds: { raw: R[]; api: R[]; idem: R[] } = { raw: [], api: [], idem: [] };
    for (let i = 0; i < ROUNDS; i++) {
      rounds.raw.push(await raw(core, operationID, officeID));
      rounds.api.push(await http(stack.url, key, false));
      rounds.idem.push(await http(stack.url, key, true));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const combine = (rs: R[]): R => ({
      rps: rs.reduce((n, r) => n + r.rps, 0) / rs.length,
      p50: median(rs.map((r) => r.p50)),
      p99: median(rs.map((r) => r.p99)),
      total: rs.reduce((n, r) => n + r.total, 0),
      non2xx: rs.reduce((n, r) => n + (r.non2xx ?? 0), 0),
    });
    const rawResult = combine(rounds.raw);
    const api = combine(rounds.api);
    const apiIdem = combine(rounds.idem);
    const ratio = api.rps / rawResult.rps;
    const ratioIdem = apiIdem.rps / rawResult.rps;
    const ok = (b: boolean) => (b ? "✅" : "❌");
    const row = (name: string, r: { rps: number; p50: number; p99: number; total: number }, extra = "") =>
      `| ${name} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} ms | ${r.p99.toFixed(1)} ms | ${r.total} | ${extra} |`;
    return [
      `${CONNECTIONS} concurrent connections/workers; ${ROUNDS} interleaved rounds of ${SECONDS} s per load (requests/s = mean of rounds, p50/p99 = median of rounds); DynamoDB Local in memory (startLocal), same process and run; log level warn. Machine load average at start: ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores.`,
      "",
      "| load | requests/s | p50 | p99 | requests | non-2xx |",
      "| --- | --: | --: | --: | --: | --: |",
      row("raw SDK: counter ADD + 3-item transaction", rawResult, "0"),
      row("POST /v1/referrals", api, String(api.non2xx)),
      row("POST /v1/referrals with Idempotency-Key", apiIdem, String(apiIdem.non2xx)),
      "",
      `- API / raw: ${(ratio * 100).toFixed(0)} % (target ≥ 70 %) ${ok(ratio >= 0.7)}; with Idempotency-Key ${(ratioIdem * 100).toFixed(0)} %`,
      `- API p99: ${api.p99.toFixed(1)} ms (target < 150 ms) ${ok(api.p99 < 150)}; with Idempotency-Key ${apiIdem.p99.toFixed(1)} ms`,
    ].join("\n");
  } finally {
    await stack.stop();
  }
}
