import {
  FieldCreate,
  FieldListQuery,
  FieldRecordType,
  FieldRetire,
  FieldUpdate,
  MAX_FIELDS_PER_TYPE,
  configuredValueSchema,
  type FieldDefinition,
  type MissingRequired,
} from "@waypoint/schema/fields";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { nowIso, transactWrite, type TxItem } from "../common/db.ts";
import { InvalidError, NotFoundError } from "../common/errors.ts";
import { toFieldIssues } from "../common/fn.ts";
import { writeVersioned } from "../common/record.ts";
import { FieldCache } from "./cache.ts";
import { FieldEntity } from "./field.entity.ts";
import { recordRows } from "./records.ts";
import { FieldRevisionEntity } from "./revision.entity.ts";
import { FieldValues } from "./values.ts";
import { FieldVersionEntity } from "./version.entity.ts";

/**
 * An operation's configured fields (issue 19): admins define them per record type, every change is a new version
 * of the definition kept in history, and a field is retired, never deleted (its key is never reused, its values
 * stay on the records). A field's ID is `<recordType>.<key>` (unique in the operation for ever).
 */
export namespace Fields {
  export type Definition = FieldDefinition;

  const MISSING_IDS = 100;

  function parse<S extends { safeParse: (v: unknown) => { success: boolean; data?: unknown; error?: unknown } }>(
    schema: S,
    input: unknown,
  ): ReturnType<S["safeParse"]> extends { data?: infer D } ? NonNullable<D> : never {
    const r = schema.safeParse(input);
    if (!r.success) throw new InvalidError(toFieldIssues(r.error as never));
    return r.data as never;
  }

  export function idOf(d: { recordType: string; key: string }) {
    return `${d.recordType}.${d.key}`;
  }

  function splitID(fieldID: string): { recordType: FieldRecordType; key: string } {
    const dot = fieldID.indexOf(".");
    const recordType = FieldRecordType.safeParse(fieldID.slice(0, dot));
    if (dot < 0 || !recordType.success) throw new NotFoundError("field", fieldID);
    return { recordType: recordType.data, key: fieldID.slice(dot + 1) };
  }

  const withID = (d: Record<string, unknown>) => {
    const { pk: _pk, sk: _sk, ...rest } = d;
    return { ...rest, fieldID: idOf(d as FieldDefinition) } as FieldDefinition;
  };

  /** The revision counter's +1, in the transaction of every definition or code-list change. */
  export function bumpRevision(operationID: string): TxItem {
    return { update: FieldRevisionEntity.update({ operationID }).add({ revision: 1 }).params() };
  }

  function versionItem(def: FieldDefinition): TxItem {
    return {
      put: FieldVersionEntity.create({
        operationID: def.operationID,
        recordType: def.recordType,
        key: def.key,
        version: def.version,
        definition: def,
        time: def.timeUpdated,
        actorID: Actor.id(),
      }).params(),
    };
  }

  async function load(operationID: string, fieldID: string): Promise<FieldDefinition | undefined> {
    const { recordType, key } = splitID(fieldID);
    const r = await FieldEntity.get({ operationID, recordType, key }).go({ consistent: true });
    return r.data ? withID(r.data as Record<string, unknown>) : undefined;
  }

  /** The operation's fields (of one record type), active ones unless `includeRetired`; every role reads them. */
  export async function list(input: FieldListQuery = {}) {
    Actor.assert("field.read");
    const q = parse(FieldListQuery, input);
    const entry = await FieldCache.load(Actor.operationID());
    const items = [...entry.byType.entries()]
      .filter(([t]) => !q.recordType || t === q.recordType)
      .flatMap(([, m]) => [...m.values()])
      .filter((d) => q.includeRetired || d.status === "active")
      .map((d) => withID(d as unknown as Record<string, unknown>));
    return { items, revision: entry.revision };
  }

  /**
   * The JSON Schema of a record type's `fields` object in the caller's operation: each active field the caller may
   * see, typed by its definition (codes listed, ranges, formats), labels as titles. What the static OpenAPI document
   * cannot say (it is the same for every operation, where `fields` is an open object).
   */
  export async function jsonSchema(recordType: FieldRecordType): Promise<Record<string, unknown>> {
    Actor.assert("field.read");
    const operationID = Actor.operationID();
    const entry = await FieldCache.load(operationID);
    const shape: Record<string, z.ZodTypeAny> = {};
    for (const d of entry.byType.get(recordType)?.values() ?? []) {
      if (d.status !== "active" || !FieldValues.visible(d)) continue;
      const list = d.options ? entry.lists.get(d.options) : undefined;
      let s = configuredValueSchema(d, list, (k) => entry.lists.get(k));
      if (d.type === "oneOf" && list) s = z.enum(list.codes.filter((c) => !c.retired).map((c) => c.code) as [string, ...string[]]);
      if (d.type === "manyOf" && list)
        s = z.array(z.enum(list.codes.filter((c) => !c.retired).map((c) => c.code) as [string, ...string[]]));
      shape[d.key] = s.nullable().optional().meta({ title: d.labels.en, description: d.help?.en, ...(d.hxl ? { "x-hxl": d.hxl } : {}) });
    }
    return z.toJSONSchema(z.object(shape).strict(), { unrepresentable: "any", io: "input" }) as Record<string, unknown>;
  }

  export async function get(fieldID: string): Promise<FieldDefinition> {
    Actor.assert("field.read");
    const d = await load(Actor.operationID(), fieldID);
    if (!d) throw new NotFoundError("field", fieldID);
    return d;
  }

  /** Every version of a field, newest first. */
  export async function history(fieldID: string): Promise<{ items: FieldDefinition[] }> {
    Actor.assert("field.read");
    const operationID = Actor.operationID();
    const { recordType, key } = splitID(fieldID);
    const r = await FieldVersionEntity.query.primary({ operationID, recordType, key }).go({ pages: "all", order: "desc" });
    if (r.data.length === 0) throw new NotFoundError("field", fieldID);
    return { items: r.data.map((v) => withID(v.definition as Record<string, unknown>)) };
  }

  async function checkLists(operationID: string, d: { options?: string; subFields?: { options?: string }[] }) {
    const entry = await FieldCache.load(operationID);
    const issues = [];
    if (d.options && !entry.lists.has(d.options))
      issues.push({ path: "options", code: "invalid.code_list", message: "is not a code list of this operation" });
    d.subFields?.forEach((s, i) => {
      if (s.options && !entry.lists.has(s.options))
        issues.push({
          path: `subFields.${i}.options`,
          code: "invalid.code_list",
          message: "is not a code list of this operation",
        });
    });
    if (issues.length) throw new InvalidError(issues);
  }

  /** Records of the field's type that have no value for it (the required-field report), in the actor's reach. */
  export async function missingRequired(def: FieldDefinition): Promise<MissingRequired> {
    const rows = await recordRows(def.recordType, def.operationID);
    const ids = rows.filter((r) => !r.deleted && FieldValues.lacks(r as never, def.key)).map((r) => r.id);
    return { count: ids.length, ids: ids.slice(0, MISSING_IDS) };
  }

  /** Adds a field. Its key is taken for ever in this operation and record type (retired fields keep theirs). */
  export async function create(input: FieldCreate) {
    Actor.assert("field.manage");
    const v = parse(FieldCreate, input);
    const operationID = Actor.operationID();
    await checkLists(operationID, v);
    const entry = await FieldCache.load(operationID);
    if ((entry.byType.get(v.recordType)?.size ?? 0) >= MAX_FIELDS_PER_TYPE)
      throw InvalidError.field("recordType", "invalid.too_many", `At most ${MAX_FIELDS_PER_TYPE} fields per record type`);
    const now = nowIso();
    const def = {
      ...v,
      operationID,
      status: "active" as const,
      version: 1,
      timeCreated: now,
      timeUpdated: now,
      createdBy: Actor.id(),
    };
    const put = FieldEntity.create(def).params();
    const fieldID = idOf(def);
    const tx = await transactWrite([
      { put },
      versionItem({ ...def, fieldID }),
      bumpRevision(operationID),
      Audit.txItem({
        recordID: fieldID,
        recordType: "field",
        action: "create",
        operationID,
        changes: { definition: { after: def } },
      }),
    ]);
    FieldCache.forget(operationID);
    if (!tx.ok)
      throw InvalidError.field(
        "key",
        "invalid.taken",
        "is already the key of a field of this record type (keys are never reused, retired fields keep theirs)",
      );
    const field = { ...def, fieldID } as FieldDefinition;
    return { field, ...(field.required ? { missingRequired: await missingRequired(field) } : {}) };
  }

  async function change(
    fieldID: string,
    expectedVersion: number,
    action: string,
    set: Record<string, unknown>,
    remove: string[] = [],
  ) {
    const operationID = Actor.operationID();
    const current = await load(operationID, fieldID);
    if (!current) throw new NotFoundError("field", fieldID);
    const after: Record<string, unknown> = { ...current, ...set };
    for (const k of remove) delete after[k];
    const next = { ...after, version: expectedVersion + 1, timeUpdated: nowIso(), updatedBy: Actor.id() } as FieldDefinition;
    const changes = Audit.diff(current as never, after, [...Object.keys(set), ...remove]);
    const res = await writeVersioned(
      {
        entity: FieldEntity,
        key: { operationID, recordType: current.recordType, key: current.key },
        expectedVersion,
        set: { ...set, updatedBy: Actor.id() },
        remove,
        audit: { recordID: fieldID, recordType: "field", action, operationID, changes },
        with: [versionItem(next), bumpRevision(operationID)],
      },
      () => load(operationID, fieldID),
    );
    FieldCache.forget(operationID);
    const field = { ...next, ...res } as FieldDefinition;
    const nowRequired = field.required && field.status === "active" && (!current.required || current.status !== "active");
    return { field, ...(nowRequired ? { missingRequired: await missingRequired(field) } : {}) };
  }

  /**
   * Changes a field's definition (a new version). Making it required answers how many records lack a value; those
   * records keep saving their other changes.
   */
  export async function update(fieldID: string, input: FieldUpdate) {
    Actor.assert("field.manage");
    const { version, changes } = parse(FieldUpdate, input);
    const operationID = Actor.operationID();
    const current = await load(operationID, fieldID);
    if (!current) throw new NotFoundError("field", fieldID);
    const merged = { ...current } as Record<string, unknown>;
    const set: Record<string, unknown> = {};
    const remove: string[] = [];
    for (const [k, val] of Object.entries(changes)) {
      if (val === null) {
        delete merged[k];
        if (current[k as keyof FieldDefinition] !== undefined) remove.push(k);
      } else {
        merged[k] = val;
        set[k] = val;
      }
    }
    // the whole definition must still hold (a coded field keeps a list, a range stays ordered…)
    const whole = FieldCreate.safeParse({
      recordType: merged.recordType,
      key: merged.key,
      type: merged.type,
      labels: merged.labels,
      help: merged.help,
      required: merged.required,
      visibleTo: merged.visibleTo,
      editableBy: merged.editableBy,
      sensitive: merged.sensitive,
      hxl: merged.hxl,
      position: merged.position,
      subFields: merged.subFields,
      options: merged.options,
      min: merged.min,
      max: merged.max,
      integer: merged.integer,
      referenceType: merged.referenceType,
    });
    if (!whole.success) throw new InvalidError(toFieldIssues(whole.error, "changes"));
    await checkLists(operationID, merged);
    return change(fieldID, version, "update", set, remove);
  }

  /** Retires a field: it leaves forms and grids, its values stay readable on records and in history. */
  export async function retire(fieldID: string, input: { version: number }) {
    Actor.assert("field.manage");
    const { version } = parse(FieldRetire, input);
    return change(fieldID, version, "retire", { status: "retired" });
  }

  /** Brings a retired field back (same key, same stored values). */
  export async function restore(fieldID: string, input: { version: number }) {
    Actor.assert("field.manage");
    const { version } = parse(FieldRetire, input);
    return change(fieldID, version, "restore", { status: "active" });
  }
}
