/**
 * Grid bulk edit: PATCH /api/individuals with 1,000-row requests over 10,000 individuals, through the real Hono
 * app and core (validation, scope checks, batch preload, per-row conditional transaction with the audit event),
 * beside the raw AWS SDK doing the same writes: one TransactWrite per row holding the conditional update (version
 * check, version + 1, the same attributes and the same re-computed index keys) and the same audit put, at the
 * same concurrency (16 rows in flight), in the same run against the same DynamoDB Local. Rounds alternate
 * raw / app twice and the better round of each is reported. Target (issue 3): app ≥ 70 % of raw.
 */
import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { monotonicFactory } from "ulid";
import { benchStack } from "./support/registry.ts";

export const description =
  "Bulk PATCH of 10,000 individuals (1,000-row requests) vs raw AWS SDK transactions";

const N = Number(process.env.BENCH_ROWS ?? 10_000);
const PER_REQUEST = 1000;
const CONCURRENCY = 16;
const TARGET = 0.7;
const ulid = monotonicFactory();

export default async function (): Promise<string> {
  const stack = await benchStack(`bench-bulk-${Date.now()}`);
  const { core, op, offices, admin } = stack;
  try {
    const { seedIndividuals } = await import("../../packages/local/src/seed/scale.ts");
    const { app } = await import("@waypoint/functions");
    const seedStart = performance.now();
    await seedIndividuals(N, () => undefined, {
      operationID: op.operationID,
      officeIDs: offices.map((o) => o.officeID),
      seed: 7,
    });
    const seedSeconds = (performance.now() - seedStart) / 1000;

    const adminActor = await core.Auth.verify(admin.token);
    const rows: { id: string; version: number; officeID: string }[] = [];
    await core.Actor.provide(adminActor, async () => {
      let cursor: string | undefined;
      do {
        const page = await core.Individual.list({ limit: 1000, cursor });
        for (const r of page.items)
          rows.push({ id: r.individualID, version: r.version, officeID: r.officeID });
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    });
    if (rows.length !== N) throw new Error(`expected ${N} individuals, listed ${rows.length}`);

    let flip = false;
    const appRound = async () => {
      flip = !flip;
      const t = performance.now();
      for (let i = 0; i < rows.length; i += PER_REQUEST) {
        const slice = rows.slice(i, i + PER_REQUEST);
        const res = await app.request("/api/individuals", {
          method: "PATCH",
          headers: { authorization: `Bearer ${admin.token}`, "content-type": "application/json" },
          body: JSON.stringify({
            rows: slice.map((r) => ({
              id: r.id,
              version: r.version,
              changes: { legalStatus: flip ? "refugee" : "asylum_seeker", interpreterNeeded: flip },
            })),
          }),
        });
        const body = (await res.json()) as { summary: Record<string, number> };
        if (res.status !== 200 || body.summary.saved !== slice.length)
          throw new Error(`app round: ${res.status} ${JSON.stringify(body.summary ?? body)}`);
        for (const r of slice) r.version += 1;
      }
      return (performance.now() - t) / 1000;
    };

    const table = core.config().tableName;
    const doc = core.documentClient();
    const rawRound = async () => {
      flip = !flip;
      const t = performance.now();
      await core.mapLimit(rows, CONCURRENCY, async (r) => {
        const now = new Date().toISOString();
        const sk = `$individual_1#timeUpdated_${now}#individualID_${r.id}`;
        const auditID = `aud_${ulid()}`;
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: table,
                  Key: { pk: `$waypoint#individualID_${r.id}`, sk: "$individual_1" },
                  UpdateExpression:
                    "SET #ls = :ls, #in = :in, #tu = :tu, #g1 = :g1, #g2 = :g2, #op = :op, #of = :of ADD #v :one",
                  ConditionExpression: "attribute_exists(#pk) AND #v = :v",
                  ExpressionAttributeNames: {
                    "#pk": "pk",
                    "#ls": "legalStatus",
                    "#in": "interpreterNeeded",
                    "#tu": "timeUpdated",
                    "#g1": "gsi1sk",
                    "#g2": "gsi2sk",
                    "#op": "operationID",
                    "#of": "officeID",
                    "#v": "version",
                  },
                  ExpressionAttributeValues: {
                    ":ls": flip ? "refugee" : "asylum_seeker",
                    ":in": flip,
                    ":tu": now,
                    ":g1": sk,
                    ":g2": sk,
                    ":op": op.operationID,
                    ":of": r.officeID,
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
                      legalStatus: {
                        before: flip ? "asylum_seeker" : "refugee",
                        after: flip ? "refugee" : "asylum_seeker",
                      },
                      interpreterNeeded: { before: !flip, after: flip },
                    },
                    __edb_e__: "audit",
                    __edb_v__: "1",
                  },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
            ],
          }),
        );
        r.version += 1;
      });
      return (performance.now() - t) / 1000;
    };

    const rounds: { kind: "raw" | "app"; seconds: number }[] = [];
    for (const kind of ["raw", "app", "raw", "app"] as const)
      rounds.push({ kind, seconds: kind === "raw" ? await rawRound() : await appRound() });
    const best = (k: "raw" | "app") => Math.min(...rounds.filter((r) => r.kind === k).map((r) => r.seconds));
    const rawRate = N / best("raw");
    const appRate = N / best("app");
    const ratio = appRate / rawRate;

    // the stored state is what the rounds said: every row at version 5
    const sample = await core.Actor.provide(adminActor, () => core.Individual.get(rows[N - 1]!.id));
    if (sample.version !== 5)
      throw new Error(`expected version 5 after four rounds, found ${sample.version}`);

    return [
      `${N.toLocaleString("en")} individuals seeded with \`seedIndividuals\` in ${seedSeconds.toFixed(1)} s (${Math.round(N / seedSeconds)} individuals/s, batch writes incl. dedupe keys and number claims); DynamoDB Local in memory; ${CONCURRENCY} rows in flight in both paths.`,
      "",
      "| round | path | seconds | rows/s |",
      "| ----- | ---- | ------: | -----: |",
      ...rounds.map(
        (r, i) =>
          `| ${i + 1} | ${r.kind === "app" ? "app: PATCH /api/individuals, 1,000-row requests" : "raw SDK: TransactWrite (conditional update + audit put)"} | ${r.seconds.toFixed(1)} | ${Math.round(N / r.seconds)} |`,
      ),
      "",
      `- best app ${Math.round(appRate)} rows/s vs best raw ${Math.round(rawRate)} rows/s: **${(ratio * 100).toFixed(0)} %** of raw`,
      `- target ≥ ${TARGET * 100} % of raw: ${ratio >= TARGET ? "✅" : "❌"}`,
    ].join("\n");
  } finally {
    await stack.stop();
  }
}
