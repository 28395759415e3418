import type { ColumnState, FilterModel } from "ag-grid-community";
import type { SavedView as StoredView, SavedViewInput } from "@waypoint/schema";
import { api } from "../api/client.ts";

/**
 * Saved views (columns, filters, sort, search) per user and list, kept on the server (`/api/views/{list}`), so
 * they follow the user to any browser. Views saved in this browser's localStorage by earlier versions are
 * moved to the server the first time the list is opened.
 */
/** A saved view (the contract in @waypoint/schema), typed the way AG Grid takes it back. */
export type SavedView = Pick<StoredView, "name"> & {
  columns: ColumnState[];
  filters: FilterModel;
  search: string;
};

const legacyKey = (userID: string, resource: string) => `waypoint.views.${userID}.${resource}`;
const path = (resource: string, name?: string) =>
  `/api/views/${encodeURIComponent(resource)}${name === undefined ? "" : `/${encodeURIComponent(name)}`}`;

async function migrateLegacy(userID: string, resource: string) {
  let legacy: SavedView[] = [];
  try {
    legacy = JSON.parse(localStorage.getItem(legacyKey(userID, resource)) ?? "[]") as SavedView[];
  } catch {
    legacy = [];
  }
  if (legacy.length === 0) return;
  for (const v of legacy) await saveView(resource, v);
  localStorage.removeItem(legacyKey(userID, resource));
}

export async function listViews(userID: string, resource: string): Promise<SavedView[]> {
  await migrateLegacy(userID, resource).catch(() => undefined);
  const res = await api<{ items: StoredView[] }>("GET", path(resource));
  return res.items.map((v) => ({
    name: v.name,
    // JSON the grid itself produced: AG Grid types it as interfaces, the contract as open objects.
    columns: v.columns as unknown as ColumnState[],
    filters: v.filters as FilterModel,
    search: v.search ?? "",
  }));
}

export async function saveView(resource: string, view: SavedView): Promise<void> {
  const body = {
    columns: view.columns,
    filters: view.filters,
    search: view.search,
  } as unknown as SavedViewInput;
  await api("PUT", path(resource, view.name), body);
}

export async function deleteView(resource: string, name: string): Promise<void> {
  await api("DELETE", path(resource, name));
}
