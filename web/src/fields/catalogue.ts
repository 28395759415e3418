import { useEffect, useState } from "react";
import {
  coerceConfiguredCell,
  validateConfiguredValue,
  type CodeList,
  type FieldDefinition,
  type FieldRecordType,
  type Labels,
  type Role,
} from "@waypoint/schema";
import { api, loadSession, onUserChange } from "../api/client.ts";
import { forgetFieldLabels, registerFieldLabels } from "./labels.ts";

/**
 * The operation's configured fields and code lists as the browser knows them (issue 19): loaded once per session
 * per record type from `GET /api/fields` and `GET /api/code-lists`, forgotten when the user changes. Grids, record
 * pages and forms draw their configured columns and questions from here.
 */
export interface Catalogue {
  recordType: FieldRecordType;
  /** Active definitions the signed-in role may see, in their order. */
  fields: FieldDefinition[];
  /** Every definition the role may see, retired ones too: their values stay readable in history. */
  all: FieldDefinition[];
  lists: Map<string, CodeList>;
}

/** Which record type a collection (a grid / record page key) holds. */
const RECORD_TYPES: Record<string, FieldRecordType> = {
  individuals: "individual",
  households: "household",
  cases: "case",
  assessments: "assessment",
  referrals: "referral",
  appointments: "appointment",
  incidents: "incident",
  hosts: "host",
  returns: "return",
  payees: "payee",
};
/** The permission to change records of a collection (who may edit configured values at all). */
const UPDATE_ACTIONS: Record<string, string> = {
  individuals: "individual.update",
  households: "household.update",
  cases: "case.update",
  assessments: "assessment.update",
  referrals: "referral.update",
  appointments: "appointment.update",
  incidents: "incident.update",
  hosts: "programme.update",
  returns: "programme.update",
  payees: "payee.update",
};
export const recordTypeOf = (resourceKey: string): FieldRecordType | undefined =>
  Object.hasOwn(RECORD_TYPES, resourceKey) ? RECORD_TYPES[resourceKey] : undefined;
export const updateActionOf = (resourceKey: string): string | undefined =>
  Object.hasOwn(UPDATE_ACTIONS, resourceKey) ? UPDATE_ACTIONS[resourceKey] : undefined;

/** The admin's order: by position, then in the order the fields were added (as the Fields page lists them). */
const byPosition = (a: FieldDefinition, b: FieldDefinition) =>
  (a.position ?? 1e9) - (b.position ?? 1e9) ||
  a.timeCreated.localeCompare(b.timeCreated) ||
  a.key.localeCompare(b.key);

/** Roles that see a sensitive field naming no roles itself (core's `SENSITIVE_READERS`, as the built-in ones). */
const SENSITIVE_READERS: readonly Role[] = ["admin", "supervisor", "caseworker"];

/** Whether a role sees a field's values: the roles it names; else, a sensitive one, only the sensitive readers. */
export function roleSees(def: Pick<FieldDefinition, "visibleTo" | "sensitive">, role: Role | undefined): boolean {
  if (!role) return false;
  if (def.visibleTo) return def.visibleTo.includes(role);
  if (def.sensitive) return SENSITIVE_READERS.includes(role);
  return true;
}
/**
 * Whether a role may change a field's values (beyond the record's own update permission), as core decides. A
 * repeating group is changed in forms and on the record page, never in a grid cell (the grid's columns say so).
 */
export function roleEdits(
  def: Pick<FieldDefinition, "visibleTo" | "sensitive" | "editableBy">,
  role: Role | undefined,
): boolean {
  if (!roleSees(def, role)) return false;
  return !def.editableBy || def.editableBy.includes(role!);
}

let listsP: Promise<Map<string, CodeList>> | null = null;
const catalogues = new Map<FieldRecordType, Promise<Catalogue>>();
const settled = new Map<FieldRecordType, Catalogue>();
const listeners = new Set<() => void>();
onUserChange(() => {
  listsP = null;
  catalogues.clear();
  settled.clear();
  forgetFieldLabels();
  listeners.forEach((l) => l());
});

function loadLists(): Promise<Map<string, CodeList>> {
  listsP ??= api<{ items: CodeList[] }>("GET", "/api/code-lists")
    .then((r) => new Map(r.items.map((l) => [l.listKey, l])))
    .catch(() => new Map<string, CodeList>());
  return listsP;
}

/** The catalogue of a record type (cached for the session; `fresh` asks again, after an admin's change). */
export function loadCatalogue(recordType: FieldRecordType, fresh = false): Promise<Catalogue> {
  if (fresh) {
    catalogues.delete(recordType);
    listsP = null;
  }
  let p = catalogues.get(recordType);
  if (!p) {
    const me = loadSession()?.me;
    const role = me?.role;
    // a session without the right to read definitions asks nothing (no refused request): no configured field
    if (me?.permissions && !me.permissions.includes("field.read")) {
      const none: Catalogue = { recordType, fields: [], all: [], lists: new Map() };
      settled.set(recordType, none);
      return Promise.resolve(none);
    }
    p = Promise.all([
      api<{ items: FieldDefinition[] }>("GET", `/api/fields?recordType=${recordType}&includeRetired=true`).catch(() => ({
        items: [] as FieldDefinition[],
      })),
      loadLists(),
    ]).then(([defs, lists]) => {
      const all = defs.items.filter((d) => d.recordType === recordType && roleSees(d, role)).sort(byPosition);
      const fields = all.filter((d) => d.status === "active");
      registerFieldLabels(all.map((d) => [d.key, d.labels as Labels] as [string, Labels]));
      const c: Catalogue = { recordType, fields, all, lists };
      settled.set(recordType, c);
      listeners.forEach((l) => l());
      return c;
    });
    catalogues.set(recordType, p);
  }
  return p;
}

/** Forget every catalogue: the next screen asks again (after an admin added, changed or retired a field). */
export function refreshCatalogues() {
  catalogues.clear();
  settled.clear();
  listsP = null;
  listeners.forEach((l) => l());
}

/** The catalogue of a collection's record type as it arrives (undefined while loading or for other collections). */
export function useCatalogue(resourceKey: string): Catalogue | undefined {
  const recordType = recordTypeOf(resourceKey);
  const [, bump] = useState(0);
  useEffect(() => {
    const l = () => bump((n) => n + 1);
    listeners.add(l);
    if (recordType) void loadCatalogue(recordType);
    return () => void listeners.delete(l);
  }, [recordType]);
  return recordType ? settled.get(recordType) : undefined;
}

/** An already loaded catalogue (the grid's cell checks read it synchronously). */
export const catalogueNow = (recordType: FieldRecordType | undefined) =>
  recordType ? settled.get(recordType) : undefined;

/** The definition behind a column / form field `fields.<key>` of a record type. */
export function definitionOf(recordType: FieldRecordType | undefined, field: string): FieldDefinition | undefined {
  if (!field.startsWith("fields.")) return undefined;
  const key = field.slice(7);
  return catalogueNow(recordType)?.fields.find((d) => d.key === key);
}

/** Labels of a code list as a table (`code → labels`), retired codes included (old values still read). */
export function codeTable(list: CodeList | undefined, activeOnly = false): Record<string, Labels> {
  const out: Record<string, Labels> = {};
  for (const c of list?.codes ?? []) if (!activeOnly || !c.retired) out[c.code] = c.labels as Labels;
  return out;
}

/**
 * The store's check of a configured cell (`fields.<key>`), with the contract's own rule: the same result as core.
 * A new row's empty cell is not an error yet (the create check decides).
 */
export function configuredCheck(recordType: FieldRecordType | undefined) {
  return (field: string, value: unknown, isNew: boolean): string | undefined => {
    const def = definitionOf(recordType, field);
    if (!def) return undefined;
    if (isNew && (value === null || value === undefined)) return undefined;
    const list = def.options ? catalogueNow(recordType)?.lists.get(def.options) : undefined;
    const r = validateConfiguredValue(def, value, list, (k) => catalogueNow(recordType)?.lists.get(k));
    return r.ok ? undefined : (r.issues[0]?.message ?? "invalid");
  };
}

/** A cell's text read for a configured field (labels of codes in any language, dates day first…). */
export function configuredCell(
  recordType: FieldRecordType | undefined,
  field: string,
  raw: string,
): { ok: true; value: unknown } | { ok: false; value: unknown; message: string } | undefined {
  const def = definitionOf(recordType, field);
  if (!def) return undefined;
  const list = def.options ? catalogueNow(recordType)?.lists.get(def.options) : undefined;
  const r = coerceConfiguredCell(def, raw, list);
  return r.ok ? r : { ok: false, value: raw.trim(), message: r.message };
}
