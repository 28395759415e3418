import type { CodeList, FieldDefinition, FieldRecordType } from "@waypoint/schema/fields";
import { CodeListEntity } from "../codelist/codelist.entity.ts";
import { builtInList, BuiltInListKeys } from "../codelist/builtin.ts";
import { FieldEntity } from "./field.entity.ts";
import { FieldRevisionEntity } from "./revision.entity.ts";

/**
 * An operation's field definitions and code lists, held per process so a record write does not read them item by
 * item. Fresh for `TTL_MS`; after that one read of the operation's revision says whether anything changed (then
 * the definitions and lists are read again, two queries). A change made in this process forgets the entry at once.
 */
export namespace FieldCache {
  export interface Entry {
    revision: number;
    at: number;
    fields: FieldDefinition[];
    byType: Map<FieldRecordType, Map<string, FieldDefinition>>;
    lists: Map<string, CodeList>;
  }
  const TTL_MS = 5_000;
  const cache = new Map<string, Entry>();
  const loading = new Map<string, Promise<Entry>>();

  export function forget(operationID: string) {
    cache.delete(operationID);
  }

  async function revisionOf(operationID: string): Promise<number> {
    const r = await FieldRevisionEntity.get({ operationID }).go({ attributes: ["revision"] });
    return (r.data?.revision as number | undefined) ?? 0;
  }

  async function read(operationID: string, revision: number): Promise<Entry> {
    const [f, l] = await Promise.all([
      FieldEntity.query.primary({ operationID }).go({ pages: "all" }),
      CodeListEntity.query.primary({ operationID }).go({ pages: "all" }),
    ]);
    const fields = f.data as unknown as FieldDefinition[];
    const byType = new Map<FieldRecordType, Map<string, FieldDefinition>>();
    for (const d of [...fields].sort(
      (a, b) => (a.position ?? 1e9) - (b.position ?? 1e9) || a.timeCreated.localeCompare(b.timeCreated),
    )) {
      const m = byType.get(d.recordType) ?? new Map<string, FieldDefinition>();
      m.set(d.key, d);
      byType.set(d.recordType, m);
    }
    const lists = new Map<string, CodeList>();
    for (const k of BuiltInListKeys) lists.set(k, builtInList(operationID, k)!);
    for (const s of l.data as unknown as CodeList[]) lists.set(s.listKey, s);
    return { revision, at: Date.now(), fields, byType, lists };
  }

  /** The operation's definitions, fresh within `TTL_MS` (or just checked against the stored revision). */
  export async function load(operationID: string): Promise<Entry> {
    const hit = cache.get(operationID);
    if (hit && Date.now() - hit.at < TTL_MS) return hit;
    const pending = loading.get(operationID);
    if (pending) return pending;
    const p = (async () => {
      const revision = await revisionOf(operationID);
      if (hit && hit.revision === revision) {
        hit.at = Date.now();
        return hit;
      }
      const entry = await read(operationID, revision);
      cache.set(operationID, entry);
      return entry;
    })().finally(() => loading.delete(operationID));
    loading.set(operationID, p);
    return p;
  }

  /** What is held for the operation now, even past its TTL (sync callers after a `load`); undefined if nothing. */
  export function peek(operationID: string): Entry | undefined {
    return cache.get(operationID);
  }
}
