/**
 * The retention job over BENCH_CASES (default 100,000) closed cases past their policy, each with its person
 * (their duplicate-detection keys and registration-number claim) and three audit events carrying personal values;
 * one case in ten was changed lately (a corrected note) and counts from its closing event in the stage history.
 * Beside every case one record of the newer policies, in turn: a person registered who never had a case, the
 * case's household, a protection incident, a settled payee with two paid payments (each with its audit event);
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
  const { HouseholdEntity } = await import("@waypoint/core/household/household.entity");
  const { IncidentEntity } = await import("@waypoint/core/incident/incident.entity");
  const { PayeeEntity } = await import("@waypoint/core/payee/payee.entity");
  const { PaymentEntity } = await import("@waypoint/core/payment/payment.entity");
  const job = await import("@waypoint/core/retention/job");
  const PERSONAL = job.PERSONAL_FIELDS;
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
    // older than every default policy (closed cases 5 years, payments 7)
    const closedAt = new Date(Date.now() - 8 * 365 * 86_400_000);

    const recent = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const pad = (operationID: string, i: number) => `${operationID.slice(-6)}${String(i).padStart(17, "0")}`;
    /** The extra record beside case i: the four newer policies in turn. */
    const extraOf = (i: number) => (["person", "household", "incident", "payee"] as const)[i % 4]!;

    /** The items of one closed case and its extra record: the case, its member link, the person, their keys, audit events. */
    const itemsOf = (operationID: string, officeID: string, i: number) => {
      const t = new Date(closedAt.getTime() - (i % 1000) * 60_000).toISOString();
      const individualID = `ind_BENCH${pad(operationID, i)}`;
      const caseID = `cas_BENCH${pad(operationID, i)}`;
      const extra = extraOf(i);
      const householdID = extra === "household" ? `hh_BENCH${pad(operationID, i)}` : undefined;
      const personOf = (id: string, n: number, hh?: string) => ({
        individualID: id,
        operationID,
        officeID,
        ...(hh ? { householdID: hh } : {}),
        registrationNumber: `BEN-TAP-20-${String(n).padStart(7, "0")}`,
        givenName: `Given${n}`,
        familyName: `Family${n}`,
        searchName: `family${n} given${n}`,
        sex: (n % 2 ? "female" : "male") as "female",
        dateOfBirth: `19${50 + (n % 50)}-0${1 + (n % 9)}-1${n % 10}`,
        nationality: "HND",
        legalStatus: "asylum_seeker",
        phone: `+52559${String(n).padStart(7, "0")}`,
        adm1: "MX07",
        status: "active",
        createdBy: "usr_BENCH",
        version: 1,
        timeCreated: t,
        timeUpdated: t,
      });
      const person = personOf(individualID, i, householdID);
      const keysOf = (p: typeof person) => [
        UniqueEntity.put({ namespace: `regno:${operationID}`, value: p.registrationNumber, ownerID: p.individualID })
          .params().Item as Item,
        ...Dedupe.putItems(p as never).map((x) => (x as { put: { Item: Item } }).put.Item),
      ];
      // one case in ten had a note corrected last month: its time counts from the closing event (stage history)
      const caseTime = i % 10 === 5 ? recent : t;
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
          timeUpdated: caseTime,
        }).params().Item as Item,
        CaseMemberEntity.put({ individualID, caseID, operationID }).params().Item as Item,
        ...keysOf(person),
      ];
      let auditN = 0;
      const audit = (recordID: string, recordType: string, action: string, changes: unknown) =>
        AuditEntity.put({
          auditID: `aud_BENCH${pad(operationID, i * 8 + auditN++)}`,
          operationID,
          recordID,
          recordType,
          action,
          actorID: "usr_BENCH",
          time: t,
          changes,
        }).params().Item as Item;
      items.push(
        audit(individualID, "individual", "create", { givenName: { after: `Given${i}` }, phone: { after: person.phone } }),
        audit(caseID, "case", "create", { summary: { after: `Given${i} Family${i} came to the office` } }),
        audit(caseID, "case", "update", { stage: { before: "follow_up", after: "closed" }, closedReason: { after: `Given${i} moved on` } }),
      );
      /** The extra record (its item to update, the fields it loses, its audited personal fields). */
      let other: { item: Item; type: string; personal: string[]; payments: Item[]; person?: typeof person } | undefined;
      if (extra === "person") {
        // registered, never had a case (the inactive-registration policy)
        const p = personOf(`ind_BENCHX${pad(operationID, i)}`, 5_000_000 + i);
        const item = IndividualEntity.put(p).params().Item as Item;
        items.push(item, ...keysOf(p), audit(p.individualID, "individual", "create", { givenName: { after: p.givenName }, phone: { after: p.phone } }));
        other = { item, type: "individual", personal: PERSONAL.individual!, payments: [], person: p };
      } else if (extra === "household") {
        const item = HouseholdEntity.put({
          householdID: householdID!,
          operationID,
          officeID,
          registrationNumber: `HH-${i}`,
          headID: individualID,
          phone: person.phone,
          address: `Calle ${i}, Tapachula`,
          size: 1,
          status: "active",
          createdBy: "usr_BENCH",
          version: 1,
          timeCreated: t,
          timeUpdated: t,
        }).params().Item as Item;
        items.push(item, audit(householdID!, "household", "create", { address: { after: `Calle ${i}, Tapachula` }, size: { after: 1 } }));
        other = { item, type: "household", personal: PERSONAL.household!, payments: [] };
      } else if (extra === "incident") {
        const incidentID = `inc_BENCH${pad(operationID, i)}`;
        const item = IncidentEntity.put({
          incidentID,
          operationID,
          officeID,
          kind: "extortion",
          dateOfIncident: `20${10 + (i % 9)}-0${1 + (i % 9)}-1${i % 10}`,
          caseID,
          individualIDs: [individualID],
          description: `Given${i} was threatened at the market`,
          perpetratorType: "armed_group",
          survivorSex: "female",
          survivorAgeGroup: "18-59",
          restricted: true,
          createdBy: "usr_BENCH",
          version: 1,
          timeCreated: t,
          timeUpdated: t,
        }).params().Item as Item;
        items.push(item, audit(incidentID, "incident", "create", { description: { after: `Given${i} was threatened` }, kind: { after: "extortion" } }));
        other = { item, type: "incident", personal: PERSONAL.incident!, payments: [] };
      } else {
        const payeeID = `pye_BENCH${pad(operationID, i)}`;
        const item = PayeeEntity.put({
          payeeID,
          operationID,
          officeID,
          kind: "individual",
          name: `Given${i} Family${i}`,
          individualID,
          channel: { type: "mobile_money", msisdn: person.phone },
          note: `Given${i} collects on Fridays`,
          active: true,
          timeAccountChanged: t,
          createdBy: "usr_BENCH",
          version: 1,
          timeCreated: t,
          timeUpdated: t,
        }).params().Item as Item;
        const payments = [0, 1].map(
          (n) =>
            PaymentEntity.put({
              paymentID: `pay_BENCH${pad(operationID, i * 2 + n)}`,
              operationID,
              officeID,
              payeeID,
              purpose: "cash_for_protection",
              amount: 150_000,
              currency: "MXN",
              status: "paid",
              note: `Given${i} signed`,
              createdBy: "usr_BENCH",
              version: 2,
              timeCreated: t,
              timeUpdated: t,
            }).params().Item as Item,
        );
        items.push(item, ...payments, audit(payeeID, "payee", "create", { name: { after: `Given${i} Family${i}` }, channel: { after: { type: "mobile_money" } } }));
        other = { item, type: "payee", personal: PERSONAL.payee!, payments };
      }
      return { items, person, caseID, other };
    };

    /** Setup (not timed): raw BatchWriteItem, 25 items a request, 16 requests in flight, cases generated as they go. */
    const seed = async (op: { operationID: string; officeID: string }, n: number) => {
      const started = performance.now();
      let count = 0;
      let i = 0;
      let buffer: Item[] = [];
      const nextBatch = (): Item[] | undefined => {
        while (buffer.length < 25 && i < n) buffer.push(...itemsOf(op.operationID, op.officeID, i++).items);
        if (!buffer.length) return undefined;
        const b = buffer.slice(0, 25);
        buffer = buffer.slice(25);
        return b;
      };
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let b = nextBatch(); b; b = nextBatch()) {
            let RequestItems: Record<string, unknown[]> = { [table]: b.map((Item) => ({ PutRequest: { Item } })) };
            for (let attempt = 0; (RequestItems[table]?.length ?? 0) > 0; attempt++) {
              if (attempt) await new Promise((r) => setTimeout(r, Math.min(1000, 10 * 2 ** attempt)));
              const res = await client.send(new BatchWriteCommand({ RequestItems: RequestItems as never }));
              RequestItems = (res.UnprocessedItems ?? {}) as Record<string, unknown[]>;
            }
            count += b.length;
          }
        }),
      );
      return { items: count, ms: performance.now() - started };
    };

    // the one-time sealing of narratives stored before encryption existed is behind this operation (it ran while
    // the operation was empty), so the job's time is the retention policies' alone
    const { sealStoredNarrativesOnce } = await import("@waypoint/core/privacy/seal-stored");
    await core.Actor.provide({ type: "system", reason: "bench", operationID: jobOp.operationID }, () =>
      sealStoredNarrativesOnce(jobOp.operationID),
    );

    console.error(`bench retention: seeding ${N} cases (job) and ${N_RAW} (raw SDK)…`);
    const seededJob = await seed(jobOp, N);
    const seededRaw = await seed(rawOp, N_RAW);
    console.error(
      `bench retention: seeded ${seededJob.items + seededRaw.items} items in ${((seededJob.ms + seededRaw.ms) / 1000).toFixed(0)} s`,
    );

    /** An audit event's values of personal fields blanked, as the job leaves them. */
    const blanked = (e: Item, personal: string[]) =>
      Object.fromEntries(
        Object.entries(e.changes as Record<string, Record<string, unknown>>).map(([f, v]) => [
          f,
          personal.includes(f) ? Object.fromEntries(Object.keys(v).map((x) => [x, job.ANON])) : v,
        ]),
      );
    const personalOf: Record<string, string[]> = { individual: PERSONAL.individual!, case: PERSONAL.case! };
    /** A record anonymised in place (household, incident): what the job sets, conditional on the version. */
    const inPlace = (rec: Item, now: string, extra: Record<string, unknown>, remove: string[]) => {
      const set: Record<string, unknown> = {
        ...extra,
        timeCreated: job.monthOfTime(String(rec.timeCreated)),
        timeUpdated: now,
        anonymisedAt: now,
        version: Number(rec.version) + 1,
      };
      Object.assign(set, job.rekey(rec, { timeCreated: set.timeCreated as string, timeUpdated: now }));
      return job.updateInput(rec, set, remove, { version: Number(rec.version), also: "attribute_not_exists(anonymisedAt)" });
    };

    /** The raw SDK: for each case and its extra record the same writes the job does, keys known, no reads. */
    const raw = async (from: number, to: number) => {
      const now = new Date().toISOString();
      const started = performance.now();
      const ids = Array.from({ length: to - from }, (_, k) => from + k);
      await mapLimit(ids, CONCURRENCY, async (i) => {
        const { items, person, other } = itemsOf(rawOp.operationID, rawOp.officeID, i);
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
        if (other?.person) {
          const x = job.anonymisedIndividual(other.item, now);
          await client.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Update: job.updateInput(other.item, x.set, x.remove, {
                    version: 1,
                    also: "attribute_not_exists(anonymisedAt)",
                  }) as never,
                },
                ...job.releaseKeys(rawOp.operationID, other.person as never).map((Key) => ({ Delete: { TableName: table, Key } })),
              ],
            }),
          );
        } else if (other?.type === "household") {
          await client.send(new UpdateCommand(inPlace(other.item, now, { registrationNumber: job.ANON }, ["phone", "address"]) as never));
        } else if (other?.type === "incident") {
          const dateOfIncident = job.monthOfDate(String(other.item.dateOfIncident));
          await client.send(new UpdateCommand(inPlace(other.item, now, { description: job.ANON, individualIDs: [], dateOfIncident }, []) as never));
        } else if (other) {
          const set: Record<string, unknown> = {
            name: job.ANON,
            nameLatin: job.ANON,
            channel: { type: "mobile_money", anonymised: true },
            active: false,
            timeUpdated: now,
            anonymisedAt: now,
            version: 2,
            ...job.rekey(other.item, { timeUpdated: now }),
          };
          await client.send(
            new UpdateCommand(
              job.updateInput(other.item, set, ["note"], { version: 1, also: "attribute_not_exists(anonymisedAt)" }) as never,
            ),
          );
          for (const x of other.payments)
            await client.send(
              new UpdateCommand({
                TableName: table,
                Key: { pk: x.pk, sk: x.sk },
                UpdateExpression: "REMOVE note",
                ConditionExpression: "attribute_exists(pk)",
              }),
            );
        }
        for (const e of items.filter((x) => x.__edb_e__ === "audit")) {
          const type = String(e.recordType);
          const personal = personalOf[type] ?? (type === other?.type ? other.personal : []);
          await client.send(new UpdateCommand(job.updateInput(e, { changes: blanked(e, personal) }, [])));
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
    const counts = child.run.counts;
    const expected = (k: number) => Math.floor((N - k + 3) / 4); // how many i < N have i % 4 === k
    const anonymised = counts.case?.anonymised ?? 0;
    const people = counts.individual?.anonymised ?? 0;
    const want: [string, number, number][] = [
      ["cases", anonymised, N],
      ["people (their case's, and those who never had one)", people, N + expected(0)],
      ["households", counts.household?.anonymised ?? 0, expected(1)],
      ["incidents", counts.incident?.anonymised ?? 0, expected(2)],
      ["payees", counts.payee?.anonymised ?? 0, expected(3)],
      ["payments (notes removed)", counts.payment?.anonymised ?? 0, 2 * expected(3)],
    ];
    const allDone = want.every(([, got, w]) => got === w);
    const errors = Object.values(counts).reduce((n, c) => n + c.errors, 0);
    const skipped = Object.values(counts).reduce((n, c) => n + c.skipped, 0);
    const ok = ratio >= 0.6 && child.peakRss < 256 * MB && allDone && errors === 0;
    return [
      `Retention job over ${N.toLocaleString("en")} closed cases (each: the case, its person with duplicate keys and registration-number claim, 3 audit events with personal values; one in ten changed last month, so counted from its closing event) and, beside each case in turn, a person who never had a case, the case's household, a protection incident or a settled payee with two paid payments (each with an audit event); seeding ${(seededJob.items + seededRaw.items).toLocaleString("en")} items took ${((seededJob.ms + seededRaw.ms) / 1000).toFixed(0)} s (not timed); DynamoDB Local in memory; load average (1/5/15 min): ${loads.join("; ")}.`,
      "",
      "| | cases (+ their extra record) | time | cases/s |",
      "| --- | --- | --- | --- |",
      `| raw AWS SDK, same writes, keys known, ${CONCURRENCY} in flight (two halves around the job: ${half.toLocaleString("en")} in ${(raw1 / 1000).toFixed(1)} s, ${(N_RAW - half).toLocaleString("en")} in ${(raw2 / 1000).toFixed(1)} s) | ${N_RAW.toLocaleString("en")} | ${((raw1 + raw2) / 1000).toFixed(1)} s | ${rawRate.toFixed(0)} |`,
      `| retention job (own process with a 128 MB old-generation cap: reads each index a page at a time, checks each person's other cases, a recent case's stage history, households' members and payees' payments, blanks the audit trails) | ${N.toLocaleString("en")} | ${(child.ms / 1000).toFixed(1)} s | ${jobRate.toFixed(0)} |`,
      "",
      `- Throughput: ${(ratio * 100).toFixed(0)} % of the raw SDK (target ≥ 60 %) ${ratio >= 0.6 ? "✅" : "❌"}`,
      `- Job process peak RSS ${(child.peakRss / MB).toFixed(0)} MB, of which ${(child.startRss / MB).toFixed(0)} MB before the run (Node + tsx + core) (target < 256 MB) ${child.peakRss < 256 * MB ? "✅" : "❌"}`,
      `- Anonymised: ${want.map(([what, got, w]) => `${what} ${got.toLocaleString("en")}/${w.toLocaleString("en")}`).join(", ")}; ${child.run.auditEventsBlanked.toLocaleString("en")} audit events blanked; skipped ${skipped}, errors ${errors} ${allDone && errors === 0 ? "✅" : "❌"}`,
      `- Verdict: ${ok ? "✅ pass" : "❌ fail"}`,
    ].join("\n");
  } finally {
    await stack.stop();
  }
}
