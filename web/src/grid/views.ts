import type { ColumnState, FilterModel } from "ag-grid-community";
import { api } from "../api/client.ts";

/**
 * Saved views (columns, filters, sort, search) per user and list, kept on the server (`/api/views/{list}`), so
 * they follow the user to any browser. Views saved in this browser's localStorage by earlier versions are
 * moved to the server the first time the list is opened.
 */
export interface SavedView {
  name: string;
  columns: ColumnState[];
  filters: FilterModel;
  search: string;
}

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
  const res = await api<{ items: (SavedView & { search?: string })[] }>("GET", path(resource));
  return res.items.map((v) => ({ ...v, search: v.search ?? "" }));
}

export async function saveView(resource: string, view: SavedView): Promise<void> {
  await api("PUT", path(resource, view.name), {
    columns: view.columns,
    filters: view.filters,
    search: view.search,
  });
}

export async function deleteView(resource: string, name: string): Promise<void> {
  await api("DELETE", path(resource, name));
}
