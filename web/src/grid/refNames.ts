import type { ColDef, ValueFormatterParams } from "ag-grid-community";
import { RECORD_NAMES_MAX, type NamedRecordType, type RecordNamesResponse } from "@waypoint/schema";
import { api, loadSession, onUserChange } from "../api/client.ts";
import { isUserID, loadStaffName } from "../components/lookups.ts";
import type { I18n } from "../i18n/i18n.tsx";
import type { GridContext } from "./fields.ts";

type Row = Record<string, unknown>;

/** An internal record ID (`ind_01J…`): never the only thing a person sees. */
export const RAW_ID = /^[a-z]{2,5}_[0-9A-Z]{26}$/;
export const isRawID = (v: unknown): v is string => typeof v === "string" && RAW_ID.test(v);

/** How each kind of referenced record reads on screen: its name or readable number. */
export const NAMERS: Record<string, (r: Row, i18n: I18n) => string | undefined> = {
  individuals: (r) =>
    [r.givenName, r.familyName].filter(Boolean).join(" ") || (r.registrationNumber as string | undefined),
  households: (r) => r.registrationNumber as string | undefined,
  cases: (r) => r.caseNumber as string | undefined,
  payees: (r) => r.name as string | undefined,
  // colleagues (assignedTo, createdBy…): a name only, from GET /api/staff (no page of their own)
  staff: (r) => r.name as string | undefined,
  "payment-batches": (r) => (r.batchNumber ?? r.name) as string | undefined,
  "relocation-trips": (r, i18n) =>
    [(r.destination as Row | undefined)?.name, i18n.dateTime(r.departureAt as string | undefined)]
      .filter(Boolean)
      .join(", ") || undefined,
};
export type RefCollection = keyof typeof NAMERS;
export const namesRecords = (collection: string) => collection in NAMERS;

/** The permission needed to read each kind (core/permissions.ts): a record the user may not read is not asked for. */
const READ: Record<string, string> = {
  individuals: "individual.read",
  households: "household.read",
  cases: "case.read",
  payees: "payee.read",
  staff: "user.read",
  "payment-batches": "batch.read",
  "relocation-trips": "relocation.read",
};

/**
 * Kinds named many at once (POST /api/record-names, up to RECORD_NAMES_MAX a request): a grid column of
 * references filters and sorts by name over every row, not only the ones on screen. Colleagues have their own
 * batch (GET /api/staff); trips and batches, few in any grid, are read one by one.
 */
const BATCHED: Record<string, NamedRecordType> = {
  individuals: "individual",
  households: "household",
  cases: "case",
  payees: "payee",
};
/** Requests of names in flight at once (a registry's first filter by a reference asks for many chunks). */
const CONCURRENT = 4;

/** Records as they arrived, by `collection/id`: null when the user may not read it (or it is gone). */
const settled = new Map<string, Row | null>();
const asked = new Map<string, Promise<Row | undefined>>();
const queue = new Map<string, Map<string, (r: Row | undefined) => void>>();
let inFlight = 0;
const waiting: (() => Promise<void>)[] = [];
const arrived = new Set<() => void>();
const progress = new Set<() => void>();
let revision = 0;
// answers to a previous user's requests are dropped, not kept for the next one
let generation = 0;

onUserChange(() => {
  generation++;
  settled.clear();
  asked.clear();
  queue.clear();
});

const keyOf = (collection: string, id: string) => `${collection}/${id}`;

/** How many look-ups of names are asked for or under way. */
export function pendingNames(): number {
  let queued = 0;
  for (const ids of queue.values()) queued += ids.size;
  return queued + inFlight + waiting.length;
}

function changed() {
  revision++;
  for (const l of progress) l();
  // a grid re-filters and re-sorts once every name asked for is in, not once per chunk
  if (pendingNames() === 0) for (const l of arrived) l();
}

function settle(collection: string, id: string, r: Row | undefined, of = generation) {
  if (of === generation) settled.set(keyOf(collection, id), r ?? null);
}

/** Runs look-ups at most CONCURRENT at a time, the rest in order as earlier ones end. */
function run(job: () => Promise<void>) {
  if (inFlight >= CONCURRENT) return void waiting.push(job);
  inFlight++;
  void job().finally(() => {
    inFlight--;
    const next = waiting.shift();
    if (next) run(next);
    changed();
  });
}

function flush() {
  const of = generation;
  for (const [collection, ids] of queue) {
    queue.delete(collection);
    const type = BATCHED[collection]!;
    const all = [...ids.keys()];
    for (let i = 0; i < all.length; i += RECORD_NAMES_MAX) {
      const chunk = all.slice(i, i + RECORD_NAMES_MAX);
      run(async () => {
        const found = await api<RecordNamesResponse>("POST", "/api/record-names", { type, ids: chunk })
          .then((r) => new Map<string, Row>(r.items.map((x) => [x.id, x])))
          .catch(() => new Map<string, Row>());
        for (const id of chunk) {
          settle(collection, id, found.get(id), of);
          ids.get(id)!(found.get(id));
        }
      });
    }
  }
  changed();
}

function ask(collection: string, id: string): Promise<Row | undefined> {
  const permissions = loadSession()?.me.permissions;
  if (!namesRecords(collection) || (permissions && !permissions.includes(READ[collection] ?? ""))) {
    settle(collection, id, undefined);
    return Promise.resolve(undefined);
  }
  if (BATCHED[collection]) {
    if (queue.size === 0) queueMicrotask(flush);
    let ids = queue.get(collection);
    if (!ids) queue.set(collection, (ids = new Map()));
    const wanted = ids;
    return new Promise((resolve) => wanted.set(id, resolve));
  }
  const p =
    collection === "staff"
      ? loadStaffName(id).then((name) => (name ? { name } : undefined))
      : api<Row>("GET", `/api/${collection}/${encodeURIComponent(id)}`).catch(() => undefined);
  const of = generation;
  run(() => p.then((r) => settle(collection, id, r, of)));
  return p;
}

/** One referenced record by kind and ID, asked once per session; IDs of one kind asked together go in one request. */
export function loadRef(collection: string, id: string): Promise<Row | undefined> {
  const key = keyOf(collection, id);
  let p = asked.get(key);
  if (!p) asked.set(key, (p = ask(collection, id)));
  return p;
}

/**
 * A referenced record's name now, for a filter or a sort over many rows: the name, null when it cannot be read,
 * undefined while it is not known yet (it is then asked for; `onNamesArrived` listeners hear when all are in).
 */
export function refName(collection: string, id: string, i18n: I18n): string | null | undefined {
  let r = settled.get(keyOf(collection, id));
  if (r === undefined) {
    void loadRef(collection, id);
    r = settled.get(keyOf(collection, id));
    if (r === undefined) return undefined;
  }
  return r === null ? null : (NAMERS[collection]!(r, i18n) ?? null);
}

// the search box read a row's text without a name not known yet: its cached texts are stale once it comes
let searchMissed = false;
/** Whether the search box read rows without names since the last call (then its cache is to be read again). */
export function takeSearchMissed(): boolean {
  const missed = searchMissed;
  searchMissed = false;
  return missed;
}

/** Called once the names asked for have all arrived (after a burst of requests, not after each). */
export function onNamesArrived(listener: () => void): () => void {
  arrived.add(listener);
  return () => void arrived.delete(listener);
}

/** For useSyncExternalStore: `namesRevision` changes whenever a look-up is asked for, starts or ends. */
export const namesRevision = () => revision;
export function subscribeNames(listener: () => void): () => void {
  progress.add(listener);
  return () => void progress.delete(listener);
}

/** A name the rows carry themselves (a payment's payee): field of the name, and of whether the reader may open it. */
export type Carried = { name: string; readable: string };

/**
 * The text a reference cell shows, for its column's text filter, sort and search: the record's name (the row's own
 * when it carries one), a list's names joined; null when there is none or it cannot be read, undefined while a name
 * is not known yet (it is then asked for).
 */
export function shownRef(collection: RefCollection, carried?: Carried) {
  const one = (id: unknown, i18n: I18n): string | null | undefined => {
    if (id === null || id === undefined || id === "") return null;
    const raw = collection === "staff" ? isUserID(id) : isRawID(id);
    return raw ? refName(collection, id as string, i18n) : String(id);
  };
  return (value: unknown, data: unknown, i18n: I18n): string | null | undefined => {
    const own = carried ? (data as Row | undefined)?.[carried.name] : undefined;
    if (typeof own === "string") return own;
    if (!Array.isArray(value)) return one(value, i18n);
    const names = value.map((id) => one(id, i18n));
    if (names.includes(undefined)) return undefined;
    const known = names.filter((n) => n !== null);
    return known.length ? known.join(", ") : null;
  };
}

/**
 * What a column of references reads besides its renderer (RefCell.tsx `refColumn`): the names it shows, for every
 * row, not only those on screen. The column's builder in fields.ts turns the formatter into its filter value
 * (`byShown`); keyedSort sorts by `sortKey`; the grid filters and sorts again when names arrive (EditableGrid, `ref`).
 */
export function refText(
  collection: RefCollection,
  carried?: Carried,
): Pick<ColDef, "valueFormatter" | "getQuickFilterText" | "context"> {
  const shown = shownRef(collection, carried);
  const text = (p: { value?: unknown; data?: unknown; context: unknown }) =>
    shown(p.value, p.data, (p.context as GridContext).i18n) ?? "";
  return {
    valueFormatter: text as (p: ValueFormatterParams) => string,
    // the search box keeps each row's text (cacheQuickFilter): a row read before its name arrived is read again
    getQuickFilterText: (p) => {
      const name = shown(p.value, p.data, (p.context as GridContext).i18n);
      if (name === undefined) searchMissed = true;
      return name ?? "";
    },
    context: {
      ref: collection,
      sortKey: (value: unknown, data: unknown, ctx: GridContext) => shown(value, data, ctx.i18n) ?? null,
    },
  };
}
