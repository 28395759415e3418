import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import {
  config,
  Dedupe,
  documentClient,
  Identifier,
  RegistrationNumber,
  Actor,
  type TxItem,
} from "@waypoint/core";
import { HouseholdEntity } from "@waypoint/core/household/household.entity";
import { IndividualEntity } from "@waypoint/core/individual/individual.entity";
import { FieldIndex } from "@waypoint/core/fields/value-index";
import { SPECIFIC_NEEDS_VERSION } from "@waypoint/schema";
import { searchName } from "@waypoint/core/dedupe/phonetic";
import { DEMO_OFFICES, DEMO_OPERATION } from "./foundation.ts";
import { makeHousehold, seedFaker } from "./people.ts";

export interface ScaleOptions {
  operationID?: string;
  /** Offices to spread the registrations over (default: the demo offices). */
  officeIDs?: string[];
  /** Batch writes in flight. */
  concurrency?: number;
  seed?: number;
  /**
   * Configured values (`fields`) of the i-th individual written (0-based), already valid for the operation's
   * definitions. Their configured-value index items are written beside the record, as core's create writes them in
   * the registration's transaction (`FieldIndex.diffItems`), unless `indexFields` is false (records as saved
   * before the index existed: what the one-time backfill indexes).
   */
  fields?: (i: number) => Record<string, unknown>;
  indexFields?: boolean;
}

const itemOf = (t: TxItem) => ("put" in t ? (t.put as { Item: Record<string, unknown> }).Item : undefined);

/**
 * Synthetic individuals at scale for `npx waypoint seed --individuals N` and the benchmarks. Writes the same items
 * a registration writes (record, registration-number claim, duplicate-detection keys, household with its size)
 * with BatchWrite instead of one transaction per person, retrying unprocessed items; numbers come from the same
 * counters in blocks, so registrations made afterwards continue the sequence. No audit events: this is a load,
 * not anybody's action. Returns how many individuals were written.
 */
export async function seedIndividuals(
  n: number,
  progress: (done: number) => void,
  opts: ScaleOptions = {},
): Promise<number> {
  const operationID = opts.operationID ?? Actor.maybe()?.operationID ?? DEMO_OPERATION.operationID;
  const officeIDs = opts.officeIDs ?? DEMO_OFFICES.map((o) => o.officeID);
  const f = seedFaker(opts.seed ?? Date.now() % 100_000);
  const concurrency = opts.concurrency ?? 8;
  const createdBy = "system:seed";
  let done = 0;
  const CHUNK = 2000;
  while (done < n) {
    const groups: { officeID: string; g: ReturnType<typeof makeHousehold> }[] = [];
    let people = 0;
    while (people < Math.min(CHUNK, n - done)) {
      const g = makeHousehold(f);
      g.members = g.members.slice(0, n - done - people);
      groups.push({ officeID: f.helpers.arrayElement(officeIDs), g });
      people += g.members.length;
    }
    const start = done;
    const items = await Actor.provide({ type: "system", reason: "seed", operationID }, () =>
      build(operationID, groups, createdBy, opts.fields && ((k: number) => opts.fields!(start + k)), opts.indexFields ?? true),
    );
    await writeAll(items, concurrency);
    done += people;
    progress(done);
  }
  return done;
}

async function build(
  operationID: string,
  groups: { officeID: string; g: ReturnType<typeof makeHousehold> }[],
  createdBy: string,
  fieldsOf?: (k: number) => Record<string, unknown>,
  indexFields = true,
) {
  let k = 0;
  const offices = groups.map((x) => x.officeID);
  const people = RegistrationNumber.pool(
    "individual",
    operationID,
    groups.flatMap((x) => x.g.members.map(() => x.officeID)),
  );
  const households = RegistrationNumber.pool("household", operationID, offices);
  const items: Record<string, unknown>[] = [];
  for (const { officeID, g } of groups) {
    const now = new Date().toISOString();
    const householdID = Identifier.create("household");
    const hhNumber = await households.take(officeID);
    let headID: string | undefined;
    for (const { head, ...m } of g.members) {
      const individualID = Identifier.create("individual");
      if (head) headID = individualID;
      const fields = fieldsOf?.(k++);
      const record = {
        ...m,
        ...(fields && Object.keys(fields).length ? { fields } : {}),
        individualID,
        operationID,
        officeID,
        householdID,
        registrationNumber: await people.take(officeID),
        searchName: searchName(m.givenName, m.familyName),
        specificNeedsVersion: SPECIFIC_NEEDS_VERSION,
        status: "active",
        createdBy,
        version: 1,
        timeCreated: now,
        timeUpdated: now,
      };
      items.push(
        (IndividualEntity.create(record as never).params() as { Item: Record<string, unknown> }).Item,
      );
      items.push(itemOf(RegistrationNumber.claim(operationID, record.registrationNumber, individualID))!);
      for (const d of Dedupe.putItems(record as Dedupe.Person)) items.push(itemOf(d)!);
      if (fields && indexFields)
        for (const x of FieldIndex.diffItems("individual", operationID, individualID, undefined, fields))
          items.push(itemOf(x)!);
    }
    const household = {
      householdID,
      operationID,
      officeID,
      registrationNumber: hhNumber,
      headID,
      phone: g.phone,
      size: g.members.length,
      status: "active",
      createdBy,
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    items.push((HouseholdEntity.create(household).params() as { Item: Record<string, unknown> }).Item);
    items.push(itemOf(RegistrationNumber.claim(operationID, hhNumber, householdID))!);
  }
  return items;
}

/** BatchWrite in 25s with bounded concurrency; unprocessed items are retried with back-off until written. */
export async function writeAll(items: Record<string, unknown>[], concurrency = 8): Promise<void> {
  const table = config().tableName;
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let pending = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(2000, 25 * 2 ** attempt)));
        if (attempt > 12) throw new Error("DynamoDB kept items unprocessed after 12 retries");
        const res = await documentClient().send(
          new BatchWriteCommand({ RequestItems: { [table]: pending } }),
        );
        pending = (res.UnprocessedItems?.[table] ?? []) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
