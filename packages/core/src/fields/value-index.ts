import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { FieldRecordType } from "@waypoint/schema/fields";
import { nowIso, transactWrite, type TxItem } from "../common/db.ts";
import { UnavailableError } from "../common/errors.ts";
import { log } from "../common/log.ts";
import { config } from "../config.ts";
import { documentClient } from "../dynamo.ts";
import { Job } from "../job/index.ts";
import { FIELD_INDEX_BACKFILL_JOB, FieldIndexStateEntity, FieldValueEntity } from "./value-index.entity.ts";

type Rec = Record<string, unknown>;

/** Longest normalised value kept in a key; longer values are cut (the list re-checks every hit on the record). */
export const VALUE_MAX = 200;

export { FIELD_INDEX_BACKFILL_JOB };

/**
 * The configured-value index: a filter on a configured field (`GET /api/individuals?field=<key>:<value>`) is a
 * query on (operation, record type, key, normalised value) instead of a read of the register. Items are written
 * in the record's own create/update transaction (`diffItems`), so the index never lacks a committed value; they
 * are removed with the person's other keys on erasure and retention anonymisation (`removeAll`). A hit is always
 * checked again against the stored record, so an index item left over (a value cut to `VALUE_MAX`, a backfill
 * that raced an edit) can never add a wrong row, only cost a read.
 */
export namespace FieldIndex {
  /** A value as the filter compares it: accents and case folded, trimmed, cut to `VALUE_MAX` characters. */
  export function normalise(v: unknown): string {
    return String(v)
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .trim()
      .slice(0, VALUE_MAX);
  }

  type Slot = { key: string; slot: string; value: string };

  /** The index slots of a `fields` map: one per scalar value, one per code of a many-of; groups are skipped. */
  export function slots(fields: Rec | undefined): Map<string, Slot> {
    const out = new Map<string, Slot>();
    for (const [key, v] of Object.entries(fields ?? {})) {
      if (v === null || v === undefined) continue;
      if (Array.isArray(v)) {
        for (const x of v) {
          if (x === null || typeof x === "object") continue;
          const value = normalise(x);
          if (value !== "") out.set(`${key}\u0000${value}`, { key, slot: value, value });
        }
      } else if (typeof v !== "object") {
        const value = normalise(v);
        if (value !== "") out.set(`${key}\u0000-`, { key, slot: "-", value });
      }
    }
    return out;
  }

  const item = (kind: FieldRecordType, operationID: string, ownerID: string, s: Slot) => ({
    operationID,
    recordType: kind,
    ownerID,
    key: s.key,
    slot: s.slot,
    value: s.value,
  });

  /**
   * The index writes for a record whose configured values go from `before` to `after` (create: `before`
   * undefined), to add to the record's own transaction: a changed single value is one put (same item, new value),
   * a cleared one a delete, a many-of's removed codes deletes and its added codes puts.
   */
  export function diffItems(
    kind: FieldRecordType,
    operationID: string,
    ownerID: string,
    before: Rec | undefined,
    after: Rec | undefined,
  ): TxItem[] {
    const a = slots(before);
    const b = slots(after);
    const out: TxItem[] = [];
    for (const [id, s] of a)
      if (!b.has(id)) out.push({ delete: FieldValueEntity.delete({ ownerID, key: s.key, slot: s.slot }).params() });
    for (const [id, s] of b)
      if (a.get(id)?.value !== s.value)
        out.push({ put: FieldValueEntity.put(item(kind, operationID, ownerID, s)).params() });
    return out;
  }

  /** Every index item of one record (whatever values it held): erasure and anonymisation delete these keys. */
  export async function keysOf(ownerID: string): Promise<{ pk: string; sk: string }[]> {
    const res = await FieldValueEntity.query.primary({ ownerID }).go({ pages: "all", attributes: ["key", "slot"] });
    return res.data.map(
      (d) => (FieldValueEntity.delete({ ownerID, key: d.key, slot: d.slot }).params() as { Key: { pk: string; sk: string } }).Key,
    );
  }

  /** Deletes every index item of a record (idempotent: a run again finds nothing left). */
  export async function removeAll(ownerID: string): Promise<number> {
    const keys = await keysOf(ownerID);
    await batchWrite(keys.map((Key) => ({ DeleteRequest: { Key } })));
    return keys.length;
  }

  /** Records of `kind` whose `key` holds `value` (normalised), in ID order, one page. */
  export async function lookup(
    kind: FieldRecordType,
    operationID: string,
    key: string,
    value: string,
    opts: { cursor: string | null; limit: number },
  ): Promise<{ ids: string[]; cursor: string | null }> {
    const res = await FieldValueEntity.query
      .byValue({ operationID, recordType: kind, key, value: normalise(value) })
      .go({ cursor: opts.cursor, limit: opts.limit, attributes: ["ownerID"] });
    return { ids: res.data.map((d) => d.ownerID), cursor: res.cursor };
  }

  /** ElectroDB's cursor for "continue after this record" on the byValue index: the item's table and index keys. */
  export function cursorAfter(
    kind: FieldRecordType,
    operationID: string,
    key: string,
    value: string,
    ownerID: string,
    many: boolean,
  ): string {
    const v = normalise(value);
    const p = FieldValueEntity.put(
      item(kind, operationID, ownerID, { key, slot: many ? v : "-", value: v }),
    ).params() as { Item: Record<string, string> };
    const i = p.Item;
    const keys = { pk: i.pk, sk: i.sk, gsi1pk: i.gsi1pk, gsi1sk: i.gsi1sk };
    return Buffer.from(JSON.stringify(keys)).toString("base64url");
  }

  const ready = new Set<string>();

  /**
   * Whether the index covers every record of the operation. The first time an operation asks, the one-time
   * backfill job is started (a state item `pending` + the job, one transaction: two callers start it once) and
   * the answer is false until the job has indexed the records saved before the index existed.
   */
  export async function covers(operationID: string): Promise<boolean> {
    if (ready.has(operationID)) return true;
    const state = (await FieldIndexStateEntity.get({ operationID }).go()).data;
    if (state?.state === "done") {
      ready.add(operationID);
      return true;
    }
    if (!state) {
      const now = nowIso();
      const tx = await transactWrite([
        { put: FieldIndexStateEntity.create({ operationID, state: "pending", timeCreated: now, timeUpdated: now }).params() },
        Job.txItem({ kind: FIELD_INDEX_BACKFILL_JOB, ref: operationID, operationID }),
      ]);
      if (tx.ok) log.info({ operationID }, "configured-value index: backfill started");
    }
    return false;
  }

  /** Forgets what this process knows of operations' index state (tests that reset an operation's index). */
  export function forget(operationID?: string) {
    if (operationID) ready.delete(operationID);
    else ready.clear();
  }

  /**
   * The one-time backfill of an operation: every individual's configured values are written to the index (puts:
   * running again writes the same items), then the state is `done`. Records saved meanwhile write their own items.
   */
  export async function backfill(operationID: string): Promise<number> {
    const { IndividualEntity } = await import("../individual/individual.entity.ts");
    let cursor: string | null = null;
    let records = 0;
    do {
      const page: { data: Rec[]; cursor: string | null } = await IndividualEntity.query
        .byOperation({ operationID })
        .go({ cursor, limit: 1000, attributes: ["individualID", "operationID", "fields", "status"] });
      const puts: { PutRequest: { Item: Rec } }[] = [];
      for (const r of page.data) {
        records++;
        if (r.operationID !== operationID || r.status === "erased" || r.anonymisedAt) continue;
        for (const s of slots(r.fields as Rec | undefined).values()) {
          const p = FieldValueEntity.put(item("individual", operationID, r.individualID as string, s)).params() as {
            Item: Rec;
          };
          puts.push({ PutRequest: { Item: p.Item } });
        }
      }
      await batchWrite(puts);
      cursor = page.cursor;
    } while (cursor);
    const now = nowIso();
    await FieldIndexStateEntity.put({ operationID, state: "done", records, timeCreated: now, timeUpdated: now }).go();
    ready.add(operationID);
    log.info({ operationID, records }, "configured-value index: backfill done");
    return records;
  }

  async function batchWrite(requests: Rec[], concurrency = 8): Promise<void> {
    const table = config().tableName;
    const batches: Rec[][] = [];
    for (let i = 0; i < requests.length; i += 25) batches.push(requests.slice(i, i + 25));
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        let pending = batches[next++]!;
        for (let attempt = 0; pending.length > 0; attempt++) {
          if (attempt > 10) throw new UnavailableError("The database kept index writes unprocessed");
          if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(2000, 25 * 2 ** attempt)));
          const res = await documentClient().send(new BatchWriteCommand({ RequestItems: { [table]: pending as never } }));
          pending = (res.UnprocessedItems?.[table] ?? []) as Rec[];
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }
}
