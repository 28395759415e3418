import type { Role } from "@waypoint/schema/common";
import {
  validateConfiguredValue,
  type FieldDefinition,
  type FieldRecordType,
  type ValueDefinition,
} from "@waypoint/schema/fields";
import { Actor } from "../actor.ts";
import { ForbiddenError, InvalidError, type FieldIssue } from "../common/errors.ts";
import { Areas } from "../operation/areas.ts";
import { FieldCache } from "./cache.ts";
import { recordExists } from "./records.ts";

type Rec = Record<string, unknown>;

/** Roles that see a sensitive configured field when the field names no roles itself (as the built-in ones). */
export const SENSITIVE_READERS: readonly Role[] = ["admin", "supervisor", "caseworker"];

/** An audit change of a configured value: the field's labels ride along, so history reads in any language. */
export interface FieldChange {
  before?: unknown;
  after?: unknown;
  label?: FieldDefinition["labels"];
}

/**
 * Configured values on records (`fields: {<key>: value}`): validated, merged and authorised like built-in fields,
 * and withheld from roles that may not see them (the record's `redacted` lists them as `fields.<key>`).
 */
export namespace FieldValues {
  /** May `actor` see values of `def`? System: yes; partners and the public: never through staff reads. */
  export function visible(def: FieldDefinition, actor: Actor.Any = Actor.use()): boolean {
    if (actor.type === "system") return true;
    if (actor.type !== "user") return false;
    if (def.visibleTo) return def.visibleTo.includes(actor.role);
    if (def.sensitive) return SENSITIVE_READERS.includes(actor.role);
    return true;
  }

  /** May `actor` change values of `def` (the record's own update right is checked by its module)? */
  export function editable(def: FieldDefinition, actor: Actor.Any = Actor.use()): boolean {
    if (actor.type === "system") return true;
    if (!visible(def, actor) || actor.type !== "user") return false;
    return !def.editableBy || def.editableBy.includes(actor.role);
  }

  /** Loads (or checks) the operation's definitions; sync helpers below read what this loaded. */
  export async function ready(operationID: string) {
    return FieldCache.load(operationID);
  }

  /** The definitions of a record type, in display order (after `ready`). */
  export function definitions(kind: FieldRecordType, operationID: string): FieldDefinition[] {
    return [...(FieldCache.peek(operationID)?.byType.get(kind)?.values() ?? [])];
  }

  /**
   * `fields.<key>` of every field of `kind` the actor may not see. Before any `ready` of the operation nothing is
   * known: `unknownHidesAll` is then returned as a marker and `view` drops every configured value (fails closed).
   */
  export function hidden(kind: FieldRecordType, operationID: string, actor: Actor.Any = Actor.use()): string[] {
    const entry = FieldCache.peek(operationID);
    if (!entry) return actor.type === "system" ? [] : [ALL];
    const out: string[] = [];
    for (const def of entry.byType.get(kind)?.values() ?? []) if (!visible(def, actor)) out.push(`fields.${def.key}`);
    return out;
  }
  const ALL = "fields.*";

  /**
   * The record with only the configured values the actor may see; the withheld ones are added to `redacted`.
   * Sync: call `ready(operationID)` first (every read path of a record type with configured fields does).
   */
  export function view<T extends Rec>(kind: FieldRecordType, record: T, actor: Actor.Any = Actor.use()): T {
    const operationID = record.operationID as string | undefined;
    if (!operationID) return record;
    const hide = hidden(kind, operationID, actor);
    const stored = record.fields as Rec | undefined;
    if (hide.length === 0) return record;
    const out: Rec = { ...record };
    if (hide.includes(ALL)) delete out.fields;
    else if (stored) {
      const kept: Rec = {};
      for (const [k, v] of Object.entries(stored)) if (!hide.includes(`fields.${k}`)) kept[k] = v;
      out.fields = kept;
    }
    const already = Array.isArray(record.redacted) ? (record.redacted as string[]) : [];
    out.redacted = [...already, ...hide.filter((h) => h !== ALL)];
    return out as T;
  }

  export interface Prepared {
    /** The whole `fields` map to store (merged per key), or undefined when the input named no configured value. */
    fields?: Rec;
    /** Audit changes, `fields.<key>` → before/after/label. */
    changes: Record<string, FieldChange>;
  }

  /**
   * Checks a create's or a patch's `fields` against the definitions of `kind` and merges it into the stored values
   * (`current`, undefined on create): unknown keys and retired fields are refused (422, `<prefix>fields.<key>`),
   * values are validated like the built-in fields, a field the role may not change is a 403. A key left out keeps
   * its value; `null` clears it. On create, every required field the actor may fill must be given; on a patch, a
   * required field may not be cleared, but records that lack it (made required later) keep saving other changes.
   */
  export async function prepare(
    kind: FieldRecordType,
    operationID: string,
    input: unknown,
    opts: { current?: Rec; create?: boolean; prefix?: string; actor?: Actor.Any } = {},
  ): Promise<Prepared> {
    const actor = opts.actor ?? Actor.use();
    const path = (key?: string) =>
      [opts.prefix, "fields", key].filter((x) => x !== undefined && x !== "").join(".");
    const entry = await ready(operationID);
    const defs = entry.byType.get(kind) ?? new Map<string, FieldDefinition>();
    const issues: FieldIssue[] = [];
    if (input !== undefined && (input === null || typeof input !== "object" || Array.isArray(input)))
      throw InvalidError.field(path(), "invalid.type", "must be an object of configured values");
    const given = (input ?? {}) as Rec;
    const keys = Object.keys(given);
    if (opts.create)
      for (const def of defs.values())
        if (def.status === "active" && def.required && editable(def, actor) && given[def.key] == null)
          issues.push({ path: path(def.key), code: "invalid.required", message: "is required" });
    if (keys.length === 0) {
      if (issues.length) throw new InvalidError(issues);
      return { changes: {} };
    }
    const refused: string[] = [];
    const checked: [FieldDefinition, unknown][] = [];
    for (const key of keys) {
      const def = defs.get(key);
      if (!def || (!visible(def, actor) && actor.type !== "system")) {
        // a field the reader cannot see answers like an unknown one: its existence is not revealed by a refusal
        issues.push({ path: path(key), code: "invalid.unknown_field", message: "is not a field of this record" });
        continue;
      }
      if (def.status === "retired") {
        issues.push({ path: path(key), code: "invalid.retired", message: "is retired and can no longer be changed" });
        continue;
      }
      if (!editable(def, actor)) {
        refused.push(key);
        continue;
      }
      checked.push([def, given[key]]);
    }
    if (issues.length) throw new InvalidError(issues);
    if (refused.length) {
      const names = refused.map((k) => defs.get(k)!.labels.en).join(", ");
      throw new ForbiddenError(`${kind}.update`, `Your role may not change ${names}.`);
    }
    const current = (opts.current?.fields ?? {}) as Rec;
    const next: Rec = { ...current };
    const changes: Record<string, FieldChange> = {};
    let areas: Awaited<ReturnType<typeof Areas.load>> | undefined;
    for (const [def, value] of checked) {
      const rules: ValueDefinition = { ...def, required: def.required && value === null };
      const r = validateConfiguredValue(rules, value, def.options ? entry.lists.get(def.options) : undefined, (k) =>
        entry.lists.get(k),
      );
      if (!r.ok) {
        for (const i of r.issues)
          issues.push({ path: [opts.prefix, i.path].filter(Boolean).join("."), code: "invalid.value", message: i.message });
        continue;
      }
      if (def.type === "area" && r.value !== null) {
        areas ??= await Areas.load(operationID);
        if (areas.size > 0 && !areas.has(r.value as string))
          issues.push({ path: path(def.key), code: "invalid.area", message: "is not an area of this operation" });
      }
      for (const ref of references(def, r.value))
        if (!(await recordExists(ref.type, ref.id, operationID)))
          issues.push({
            path: [path(def.key), ...ref.at].join("."),
            code: "invalid.reference",
            message: `no such ${ref.type} in this operation`,
          });
      if (r.value === null) delete next[def.key];
      else next[def.key] = r.value;
      if (JSON.stringify(current[def.key]) !== JSON.stringify(next[def.key]))
        changes[`fields.${def.key}`] = { before: current[def.key], after: next[def.key], label: def.labels };
    }
    if (issues.length) throw new InvalidError(issues);
    return { fields: next, changes };
  }

  /**
   * A list filter on a configured value, `<key>:<value>`: equality (case and accents of text ignored), contains
   * for many-of fields, yes/no as true/false. Only fields the reader may see can be filtered on.
   */
  export function matcher(
    kind: FieldRecordType,
    operationID: string,
    spec: string,
    actor: Actor.Any = Actor.use(),
  ): (r: { fields?: Rec }) => boolean {
    const colon = spec.indexOf(":");
    const key = spec.slice(0, colon);
    const raw = spec.slice(colon + 1);
    const def = FieldCache.peek(operationID)?.byType.get(kind)?.get(key);
    if (!def || !visible(def, actor))
      throw InvalidError.field("field", "invalid.unknown_field", "is not a field of this record you can filter on");
    const fold = (v: unknown) =>
      String(v)
        .normalize("NFD")
        .replace(/[\u0300-\u036f]/g, "")
        .toLowerCase()
        .trim();
    const want = fold(raw);
    return (r) => {
      const v = r.fields?.[key];
      if (v === undefined || v === null) return want === "";
      if (Array.isArray(v)) return v.some((x) => fold(x) === want);
      return fold(v) === want;
    };
  }

  /** The record IDs a value points to (a `reference`, or `reference` sub-fields of a group's rows), with where. */
  function references(def: FieldDefinition, value: unknown): { type: FieldRecordType; id: string; at: string[] }[] {
    if (value === null || value === undefined) return [];
    if (def.type === "reference" && def.referenceType && typeof value === "string")
      return [{ type: def.referenceType, id: value, at: [] }];
    if (def.type !== "group" || !Array.isArray(value)) return [];
    const out: { type: FieldRecordType; id: string; at: string[] }[] = [];
    value.forEach((row, i) => {
      for (const sub of def.subFields ?? []) {
        const v = (row as Rec | null)?.[sub.key];
        if (sub.type === "reference" && sub.referenceType && typeof v === "string")
          out.push({ type: sub.referenceType, id: v, at: [String(i), sub.key] });
      }
    });
    return out;
  }

  /** Configured values that lack a value for `key` (for the required-field report). */
  export function lacks(record: Rec, key: string): boolean {
    const v = (record.fields as Rec | undefined)?.[key];
    return v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);
  }
}
