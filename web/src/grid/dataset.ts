import type { GridApi } from "ag-grid-community";
import { api, onUserChange } from "../api/client.ts";
import type { Resource } from "../domains/resources.ts";
import { GridStore, type Delta, type Values } from "./store.ts";
import { fieldValidator } from "./fields.ts";
import { configuredCheck, recordTypeOf } from "../fields/catalogue.ts";

/** A small first page puts rows on screen quickly; later pages are as large as the API allows. */
const FIRST_PAGE = 200;
const PAGE = 1000;
const SYNC_MS = 30_000;

/**
 * The client-side copy of one collection (see docs/web.md, "Data strategy"): loaded page by page, the grid
 * showing the first page as soon as it arrives, then kept fresh by asking only for records updated since the
 * newest one seen. Kept per operation and collection for the whole session, so moving between grids is instant.
 */
export class Dataset {
  readonly store: GridStore;
  loading = false;
  loaded = false;
  error: string | null = null;
  private newest = "";
  private grid: GridApi | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private listeners = new Set<() => void>();
  revision = 0;
  private firstPageDone!: () => void;
  /** Resolves when the first page is in (secondary look-ups wait for it so they never delay the first rows). */
  readonly firstPage = new Promise<void>((r) => (this.firstPageDone = r));

  constructor(readonly resource: Resource) {
    const builtIn = fieldValidator(resource.changes);
    // configured values (`fields.<key>`, issue 19) are checked with their definitions, as core checks them
    const configured = configuredCheck(recordTypeOf(resource.key));
    this.store = new GridStore(resource.idField, (field, value, isNew) =>
      field.startsWith("fields.") ? configured(field, value, isNew) : builtIn(field, value, isNew),
    );
  }

  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  getRevision = () => this.revision;
  private changed() {
    this.revision++;
    for (const fn of this.listeners) fn();
  }

  get size() {
    return this.store.base.size;
  }

  /** Starts loading before the grid exists, so the first request runs while AG Grid initialises. */
  prefetch() {
    if (!this.loaded && !this.loading) void this.loadAll();
  }

  attach(grid: GridApi) {
    this.grid = grid;
    grid.setGridOption("rowData", this.rows());
    this.prefetch();
    if (!this.timer) this.timer = setInterval(() => void this.sync(), SYNC_MS);
  }

  detach(grid: GridApi) {
    if (this.grid === grid) this.grid = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  rows(): Values[] {
    const out: Values[] = [];
    for (const key of this.store.base.keys()) out.push(this.store.row(key)!);
    return out;
  }

  private track(items: Values[]) {
    for (const r of items) {
      const t = r.timeUpdated as string | undefined;
      if (t && t > this.newest) this.newest = t;
    }
  }

  /** Applies a store delta to the attached grid, re-rendering the touched rows' cells (dirty/invalid marks). */
  apply(delta: Delta, async = false) {
    const g = this.grid;
    if (!g) return;
    const rowOf = (k: string) => this.store.row(k);
    const tx = {
      update: delta.update.map(rowOf).filter(Boolean) as Values[],
      add: delta.add.map(rowOf).filter(Boolean) as Values[],
      remove: delta.remove.map((k) => ({ __key: k, [this.resource.idField]: k })),
    };
    if (async) {
      g.applyTransactionAsync(tx);
      return;
    }
    const res = g.applyTransaction(tx);
    if (res?.update.length) g.refreshCells({ rowNodes: res.update, force: true });
  }

  async loadAll() {
    this.loading = true;
    this.error = null;
    this.changed();
    try {
      let cursor: string | null = null;
      do {
        const first = this.size === 0;
        // the first page small (rows on screen sooner), the rest as large as the API allows
        const q = new URLSearchParams({ limit: String(first && !cursor ? FIRST_PAGE : PAGE) });
        if (cursor) q.set("cursor", cursor);
        const page: { items: Values[]; nextCursor: string | null } = await api(
          "GET",
          `${this.resource.path}?${q}`,
        );
        this.track(page.items);
        const delta = this.store.load(page.items);
        if (first && this.grid) this.grid.setGridOption("rowData", this.rows());
        else this.apply(delta, true);
        cursor = page.nextCursor;
        this.firstPageDone();
        this.changed();
      } while (cursor);
      this.loaded = true;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.firstPageDone();
      this.loading = false;
      this.changed();
    }
  }

  /** Fetches records changed since the newest one seen (by anyone) and merges them. */
  async sync() {
    if (!this.loaded || !this.newest) return;
    try {
      let cursor: string | null = null;
      do {
        const q = new URLSearchParams({ limit: String(PAGE), updatedSince: this.newest });
        if (cursor) q.set("cursor", cursor);
        const page: { items: Values[]; nextCursor: string | null } = await api(
          "GET",
          `${this.resource.path}?${q}`,
        );
        // A row with staged edits keeps the version the user edited: their save must meet the conflict.
        // Tombstones (deleted by someone else) always go through, for rows this grid holds.
        const fresh = page.items.filter((r) => {
          const id = r[this.resource.idField] as string;
          const mine = this.store.base.get(id);
          if (r.deleted) return Boolean(mine);
          return !mine || ((mine.version as number) < (r.version as number) && !this.store.edits.has(id));
        });
        this.track(page.items);
        if (fresh.length) this.apply(this.store.load(fresh));
        cursor = page.nextCursor;
      } while (cursor);
      this.changed();
    } catch {
      // a failed background sync is retried at the next tick
    }
  }

  /** Merges records the app itself saved or created. */
  merge(records: Values[]) {
    this.track(records);
    this.apply(this.store.load(records));
  }
}

/**
 * Datasets (rows and staged edits) of the signed-in user, per operation and collection. Keyed by user too, and
 * dropped whenever the session ends or another user signs in (`onUserChange`): the next person in the same tab
 * never sees the previous one's rows, nor saves their edits.
 */
const cache = new Map<string, Dataset>();
export function datasetFor(me: { userID: string; operationID: string }, resource: Resource): Dataset {
  const k = `${me.userID}:${me.operationID}:${resource.key}`;
  let d = cache.get(k);
  if (!d) cache.set(k, (d = new Dataset(resource)));
  return d;
}
export const clearDatasets = () => cache.clear();
onUserChange(clearDatasets);
