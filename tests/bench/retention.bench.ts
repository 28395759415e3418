/**
 * The retention job over BENCH_CASES (default 100,000) closed cases past their policy, each with its person
 * (their duplicate-detection keys and registration-number claim) and three audit events carrying personal values,
 * run in its own Node process with a 128 MB old-generation cap (as one invocation of the scheduled Lambda; peak RSS measured there), beside the raw
 * AWS SDK doing the same writes (the same transaction per case, the same audit-event updates) on another
 * operation's copy of the data, with the keys known up front (no reads). The raw SDK runs half its cases before
 * the job and half after, so both see the same machine load on average.
 *
 * Targets (issue 21): job throughput ≥ 60 % of the raw SDK's; job peak RSS < 256 MB.
 */
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BatchWriteCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { benchStack } from "./support/registry.ts";

export const description = "Retention job over 100,000 closed cases vs the raw SDK (≥ 60 %, < 256 MB RSS)";

const here = dirname(fileURLToPath(import.meta.url));
const MB = 2 ** 20;
const N = Number(process.env.BENCH_CASES ?? 100_000);
const N_RAW = Number(process.env.BENCH_RAW_CASES ?? Math.min(N, 20_000));
const CONCURRENCY = 8;

type Item = Record<string, unknown> & { pk: string; sk: string };

export default async function (): Promise<string> {
  const stack = await benchStack(`bench-retention-${Date.now()}`);
  const { core } = stack;
  const { documentClient } = await import("@waypoint/core/dynamo");
  const { IndividualEntity } = await import("@waypoint/core/individual/individual.entity");
  const { CaseEntity, CaseMemberEntity } = await import("@waypoint/core/case/case.entity");
  const { AuditEntity } = await import("@waypoint/core/audit/audit.entity");
  const { UniqueEntity } = await import("@waypoint/core/common/unique");
  const { Dedupe } = await import("@waypoint/core/dedupe/index");
  const job = await import("@waypoint/core/retention/job");
  const { mapLimit } = await import("@waypoint/core/common/concurrency");
  const client = documentClient();
  const table = core.config().tableName;
  const loads: string[] = [];
  const load = (when: string) => loads.push(`${when}: ${loadavg().map((l) => l.toFixed(1)).join(" / ")}`);

  try {
    // a second operation holds the raw SDK's copy
    const rawOp = await core.Actor.provide({ type: "system", reason: "bench" }, async () => {
      const op = await core.Operation.create({ code: "RAW", name: "Raw", country: "MX", currency: "MXN" });
      const office = await core.Operation.createOffice({ operationID: op.operationID, code: "TAP", name: "TAP" });
      return { operationID: op.operationID, officeID: office.officeID };
    });
    const jobOp = { operationID: stack.op.operationID, officeID: stack.office.officeID };
    const closedAt = new Date(Date.now() - 6 * 365 * 86_400_000);

    /** The items of one closed case: the case, its member link, the person, their keys, three audit events. */
    const itemsOf = (operationID: string, officeID: string, i: number) => {
      const t = new Date(closedAt.getTime() - (i % 1000) * 60_000).toISOString();
      const individualID = `ind_BENCH${operationID.slice(-6)}${String(i).padStart(17, "0")}`;
      const caseID = `cas_BENCH${operationID.slice(-6)}${String(i).padStart(17, "0")}`;
      const person = {
        individualID,
        operationID,
        officeID,
        registrationNumber: `BEN-TAP-20-${String(i).padStart(6, "0")}`,
        givenName: `Given${i}`,
        familyName: `Family${i}`,
        searchName: `family${i} given${i}`,
        sex: (i % 2 ? "female" : "male") as "female",
        dateOfBirth: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
        nationality: "HND",
        legalStatus: "asylum_seeker",
        phone: `+52559${String(i).padStart(7, "0")}`,
        adm1: "MX07",
        status: "active",
        createdBy: "usr_BENCH",
        version: 1,
        timeCreated: t,
        timeUpdated: t,
      };
      const items: Item[] = [
        IndividualEntity.put(person).params().Item as Item,
        CaseEntity.put({
          caseID,
          caseNumber: `C-${i}`,
          operationID,
          officeID,
          type: "protection",
          stage: "closed",
          riskLevel: "medium",
          individualIDs: [individualID],
          summary: `Given${i} Family${i} came to the office`,
          closedReason: `Given${i} moved on`,
          restricted: false,
          createdBy: "usr_BENCH",
          version: 3,
          timeCreated: t,
          timeUpdated: t,
        }).params().Item as Item,
        CaseMemberEntity.put({ individualID, caseID, operationID }).params().Item as Item,
        UniqueEntity.put({ namespace: `regno:${operationID}`, value: person.registrationNumber, ownerID: individualID })
          .params().Item as Item,
        ...Dedupe.putItems(person as never).map((x) => (x as { put: { Item: Item } }).put.Item),
      ];
      const audit = (recordID: string, recordType: string, action: string, changes: unknown, n: number) =>
        AuditEntity.put({
          auditID: `aud_BENCH${operationID.slice(-6)}${String(i * 3 + n).padStart(17, "0")}`,
          operationID,
          recordID,
          recordType,
          action,
          actorID: "usr_BENCH",
          time: t,
          changes,
        }).params().Item as Item;
      items.push(
        audit(individualID, "individual", "create", { givenName: { after: `Given${i}` }, phone: { after: person.phone } }, 0),
        audit(caseID, "case", "create", { summary: { after: `Given${i} Family${i} came to the office` } }, 1),
        audit(caseID, "case", "update", { stage: { before: "follow_up", after: "closed" }, closedReason: { after: `Given${i} moved on` } }, 2),
      );
      return { items, person, caseID };
    };

    const seed = async (op: { operationID: string; officeID: string }, n: number) => {
      const started = performance.now();
      let count = 0;
      const BLOCK = 200;
      for (let from = 0; from < n; from += BLOCK) {
        const items = [];
        for (let i = from; i < Math.min(n, from + BLOCK); i++) items.push(...itemsOf(op.operationID, op.officeID, i).items);
        const batches: Item[][] = [];
        for (let k = 0; k < items.length; k += 25) batches.push(items.slice(k, k + 25));
        await mapLimit(batches, 8, async (b) => {
          let RequestItems: Record<string, unknown[]> = { [table]: b.map((Item) => ({ PutRequest: { Item } })) };
          while ((RequestItems[table]?.length ?? 0) > 0) {
            const res = await client.send(new BatchWriteCommand({ RequestItems: RequestItems as never }));
            RequestItems = (res.UnprocessedItems ?? {}) as Record<string, unknown[]>;
          }
        });
        count += items.length;
      }
      return { items: count, ms: performance.now() - started };
    };

    console.error(`bench retention: seeding ${N} cases (job) and ${N_RAW} (raw SDK)…`);
    const seededJob = await seed(jobOp, N);
    const seededRaw = await seed(rawOp, N_RAW);
    console.error(
      `bench retention: seeded ${seededJob.items + seededRaw.items} items in ${((seededJob.ms + seededRaw.ms) / 1000).toFixed(0)} s`,
    );

    /** The raw SDK: for each case the same transaction and audit updates the job writes, keys known. */
    const raw = async (from: number, to: number) => {
      const now = new Date().toISOString();
      const started = performance.now();
      const ids = Array.from({ length: to - from }, (_, k) => from + k);
      await mapLimit(ids, CONCURRENCY, async (i) => {
        const { items, person } = itemsOf(rawOp.operationID, rawOp.officeID, i);
        const [p, c] = [items[0]!, items[1]!];
        const a = job.anonymisedIndividual(p, now);
        const k = job.anonymisedCase(c, now);
        const caseUpdate = job.updateInput(c, k.set, k.remove, {
          version: 3,
          also: "#stage = :closed AND attribute_not_exists(anonymisedAt)",
          values: { ":closed": "closed" },
        });
        (caseUpdate.ExpressionAttributeNames as Record<string, string>)["#stage"] = "stage";
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              { Update: caseUpdate as never },
              {
                Update: job.updateInput(p, a.set, a.remove, {
                  version: 1,
                  also: "attribute_not_exists(anonymisedAt)",
                }) as never,
              },
              ...job.releaseKeys(rawOp.operationID, person as never).map((Key) => ({ Delete: { TableName: table, Key } })),
            ],
          }),
        );
        for (const e of items.filter((x) => x.__edb_e__ === "audit")) {
          const changes = Object.fromEntries(
            Object.entries(e.changes as Record<string, Record<string, unknown>>).map(([f, v]) => [
              f,
              f === "stage" ? v : Object.fromEntries(Object.keys(v).map((x) => [x, job.ANON])),
            ]),
          );
          await client.send(new UpdateCommand(job.updateInput(e, { changes }, [])));
        }
      });
      return performance.now() - started;
    };

    load("before the raw SDK, first half");
    const half = Math.floor(N_RAW / 2);
    const raw1 = await raw(0, half);
    console.error(`bench retention: raw SDK ${half} cases in ${(raw1 / 1000).toFixed(1)} s`);

    load("before the job");
    const out = execFileSync(process.execPath, ["--max-old-space-size=128", "--import", "tsx", join(here, "retention.child.ts")], {
      env: { ...process.env, BENCH_OPERATION: jobOp.operationID },
      encoding: "utf8",
      maxBuffer: 16 * MB,
    });
    const child = JSON.parse(out) as {
      ms: number;
      startRss: number;
      peakRss: number;
      run: { counts: Record<string, { anonymised: number; skipped: number; errors: number }>; auditEventsBlanked: number };
    };
    console.error(`bench retention: job ${N} cases in ${(child.ms / 1000).toFixed(1)} s, peak RSS ${(child.peakRss / MB).toFixed(0)} MB`);

    load("before the raw SDK, second half");
    const raw2 = await raw(half, N_RAW);
    load("end");
    console.error(`bench retention: raw SDK ${N_RAW - half} cases in ${(raw2 / 1000).toFixed(1)} s`);

    const rawRate = N_RAW / ((raw1 + raw2) / 1000);
    const jobRate = N / (child.ms / 1000);
    const ratio = jobRate / rawRate;
    const anonymised = child.run.counts.case?.anonymised ?? 0;
    const people = child.run.counts.individual?.anonymised ?? 0;
    const ok = ratio >= 0.6 && child.peakRss < 256 * MB && anonymised === N && people === N;
    return [
      `Retention job over ${N.toLocaleString("en")} closed cases (each: the case, its person with duplicate keys and registration-number claim, 3 audit events with personal values); DynamoDB Local in memory; load average (1/5/15 min): ${loads.join("; ")}.`,
      "",
      "| | cases | time | cases/s |",
      "| --- | --- | --- | --- |",
      `| raw AWS SDK, same writes, keys known (two halves around the job) | ${N_RAW.toLocaleString("en")} | ${((raw1 + raw2) / 1000).toFixed(1)} s | ${rawRate.toFixed(0)} |`,
      `| retention job (own process: reads the index a page at a time, checks each person's other cases, blanks the audit trails) | ${N.toLocaleString("en")} | ${(child.ms / 1000).toFixed(1)} s | ${jobRate.toFixed(0)} |`,
      "",
      `- Throughput: ${(ratio * 100).toFixed(0)} % of the raw SDK (target ≥ 60 %) ${ratio >= 0.6 ? "✅" : "❌"}`,
      `- Job process peak RSS ${(child.peakRss / MB).toFixed(0)} MB, of which ${(child.startRss / MB).toFixed(0)} MB before the run (Node + tsx + core) (target < 256 MB) ${child.peakRss < 256 * MB ? "✅" : "❌"}`,
      `- Anonymised: ${anonymised.toLocaleString("en")} cases, ${people.toLocaleString("en")} people, ${child.run.auditEventsBlanked.toLocaleString("en")} audit events blanked; skipped ${child.run.counts.case?.skipped ?? 0}, errors ${child.run.counts.case?.errors ?? 0} ${anonymised === N && people === N ? "✅" : "❌"}`,
      `- Verdict: ${ok ? "✅ pass" : "❌ fail"}`,
    ].join("\n");
  } finally {
    await stack.stop();
  }
}
