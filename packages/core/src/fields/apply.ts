import type { FieldRecordType } from "@waypoint/schema/fields";
import { Actor } from "../actor.ts";
import { FieldValues, type FieldChange } from "./values.ts";

type Rec = Record<string, unknown>;

/**
 * Configured values on a record module's create / patch / read paths, in one place so every record type handles
 * them the same way (`FieldValues` decides; these only put its answer on the record, the write and the audit).
 */
export namespace ConfiguredOn {
  /**
   * A create's `fields`: checked against the definitions (required ones included) and ready to put (`fields`
   * undefined when none is given); `changes` go into the create's audit event.
   */
  export async function create(
    kind: FieldRecordType,
    operationID: string,
    given: unknown,
    prefix = "",
  ): Promise<{ fields?: Rec; changes: Record<string, FieldChange> }> {
    const p = await FieldValues.prepare(kind, operationID, given, { create: true, prefix });
    return { fields: p.fields && Object.keys(p.fields).length ? p.fields : undefined, changes: p.changes };
  }

  /**
   * A patch's `changes.fields` merged into the stored values per key. `stored` must be the record as stored, never
   * a reader's view (values the reader may not see would otherwise be dropped by the write). Gives what to add to
   * the update's `set` / `remove`, the record's new `fields` and the audit changes (`fields.<key>` with labels).
   */
  export async function patch(
    kind: FieldRecordType,
    stored: { operationID: string; fields?: unknown },
    given: unknown,
    prefix = "changes",
  ): Promise<{ set: Rec; remove: string[]; fields?: Rec; changes: Record<string, FieldChange> }> {
    const p = await FieldValues.prepare(kind, stored.operationID, given, { current: stored as Rec, prefix });
    const set: Rec = {};
    const remove: string[] = [];
    let fields = stored.fields as Rec | undefined;
    if (p.fields) {
      if (Object.keys(p.fields).length) {
        set.fields = p.fields;
        fields = p.fields;
      } else {
        if (stored.fields !== undefined) remove.push("fields");
        fields = undefined;
      }
    }
    return { set, remove, fields, changes: p.changes };
  }

  /** The record with its new configured values (none: no `fields` key). */
  export function put<T extends object>(record: T, fields: Rec | undefined): T {
    const out = { ...record } as T & { fields?: Rec };
    if (fields && Object.keys(fields).length) out.fields = fields;
    else delete out.fields;
    return out;
  }

  /** One record as the actor may see it (configured values it may not see withheld and listed in `redacted`). */
  export async function view<T extends object>(kind: FieldRecordType, record: T): Promise<T> {
    const operationID = (record as Rec).operationID as string | undefined;
    if (!operationID) return record;
    await FieldValues.ready(operationID);
    return FieldValues.view(kind, record as Rec) as T;
  }

  /** A page of records of the actor's operation as the actor may see them. */
  export async function viewAll<T extends object>(kind: FieldRecordType, records: T[]): Promise<T[]> {
    if (records.length === 0) return records;
    await FieldValues.ready(Actor.operationID());
    return records.map((r) => FieldValues.view(kind, r as Rec) as T);
  }
}
