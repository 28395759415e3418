import type { ColumnState, FilterModel } from "ag-grid-community";

/**
 * Saved views (columns, filters, sort, search) per user and collection. Stored in this browser's localStorage:
 * a server-side store is future work (see docs/web.md).
 */
export interface SavedView {
  name: string;
  columns: ColumnState[];
  filters: FilterModel;
  search: string;
}

const key = (userID: string, resource: string) => `waypoint.views.${userID}.${resource}`;

export function listViews(userID: string, resource: string): SavedView[] {
  try {
    return JSON.parse(localStorage.getItem(key(userID, resource)) ?? "[]") as SavedView[];
  } catch {
    return [];
  }
}

export function saveView(userID: string, resource: string, view: SavedView) {
  const views = listViews(userID, resource).filter((v) => v.name !== view.name);
  localStorage.setItem(key(userID, resource), JSON.stringify([...views, view]));
}

export function deleteView(userID: string, resource: string, name: string) {
  localStorage.setItem(
    key(userID, resource),
    JSON.stringify(listViews(userID, resource).filter((v) => v.name !== name)),
  );
}
