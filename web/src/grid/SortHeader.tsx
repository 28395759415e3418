import { useEffect, useLayoutEffect, useState, useSyncExternalStore } from "react";
import { createPortal } from "react-dom";
import type { ColDef, IHeaderParams } from "ag-grid-community";
import type { GridSort } from "./sortModel.ts";

const ARIA = { asc: "ascending", desc: "descending" } as const;

/**
 * The words of a sortable column's header (AG Grid's inner header component) and everything its sort needs from the
 * header: the arrow and, when several columns are sorted, the column's place among them (AG Grid's own icons and
 * classes, so they look the same), `aria-sort` on the header cell, a click on the header's label (Shift+click adds
 * the column to the others) and Enter on the focused header (Shift+Enter adds), as AG Grid's sortable headers do.
 * The model is the grid's `GridSort` (see sortModel.ts for why AG Grid does not keep it).
 */
export function SortHeader(p: IHeaderParams) {
  const { sort } = p.context as { sort: GridSort };
  const colId = p.column.getColId();
  const cell = p.eGridHeader;
  // the header's label (AG Grid's, around these words), where the arrow goes; AG Grid may attach these words to it
  // a frame after they are drawn
  const [label, setLabel] = useState<HTMLElement | null>(null);
  useLayoutEffect(() => {
    let frame = 0;
    const find = (tries: number) => {
      const el = cell.querySelector<HTMLElement>(".ag-header-cell-label");
      if (el) setLabel(el);
      else if (tries > 0) frame = requestAnimationFrame(() => find(tries - 1));
    };
    find(30);
    return () => cancelAnimationFrame(frame);
  }, [cell]);
  // the model is replaced, never changed in place: a new model redraws the headers
  useSyncExternalStore(sort.subscribe, () => sort.model);
  const { sort: direction, index, of } = sort.of(colId) ?? {};

  useEffect(() => {
    // a click on the label sorts (not on the filter or menu buttons beside it), as in AG Grid
    const onClick = (e: MouseEvent) => {
      if ((e.target as Element | null)?.closest(".ag-header-cell-label")) sort.toggle(colId, e.shiftKey);
    };
    const onKey = (e: KeyboardEvent) => {
      // Ctrl+Enter opens the column's filter (AG Grid's own key); Enter on a button inside the header is the button's
      if (e.key !== "Enter" || e.target !== cell || e.ctrlKey || e.metaKey || e.altKey) return;
      e.preventDefault();
      sort.toggle(colId, e.shiftKey);
    };
    cell.addEventListener("click", onClick);
    cell.addEventListener("keydown", onKey);
    return () => {
      cell.removeEventListener("click", onClick);
      cell.removeEventListener("keydown", onKey);
    };
  }, [sort, colId, cell]);

  // AG Grid clears `aria-sort` of a column it does not sort itself when it redraws the header's attributes
  // (new column definitions): the observer puts ours back.
  useLayoutEffect(() => {
    const apply = () => {
      const want = direction ? ARIA[direction] : "none";
      if (cell.getAttribute("aria-sort") !== want) cell.setAttribute("aria-sort", want);
    };
    apply();
    cell.classList.add("wp-sortable");
    cell.classList.toggle("ag-header-cell-sorted-asc", direction === "asc");
    cell.classList.toggle("ag-header-cell-sorted-desc", direction === "desc");
    const observer = new MutationObserver(apply);
    observer.observe(cell, { attributes: true, attributeFilter: ["aria-sort"] });
    return () => observer.disconnect();
  }, [cell, direction]);

  const icons = direction && (
    <span className="ag-sort-indicator-container wp-sort-indicator">
      {(of ?? 0) > 1 && (
        <span className="ag-sort-indicator-icon ag-sort-order" aria-hidden="true">
          {index}
        </span>
      )}
      <span
        className={`ag-sort-indicator-icon ${direction === "asc" ? "ag-sort-ascending-icon" : "ag-sort-descending-icon"}`}
        aria-hidden="true"
      >
        <span
          className={`ag-icon ${direction === "asc" ? "ag-icon-asc" : "ag-icon-desc"}`}
          role="presentation"
        />
      </span>
    </span>
  );
  return (
    <>
      {p.displayName}
      {icons && label && createPortal(icons, label)}
    </>
  );
}

/**
 * A column sorted by the grid's own model (GridSort): AG Grid is told it is not sortable (so it never sorts the rows
 * itself) and the header is `SortHeader`. A column defined `sortable: false` stays unsortable.
 */
export function ownSort<T>(def: ColDef<T>): ColDef<T> {
  if (def.sortable === false) return def;
  return {
    ...def,
    sortable: false,
    headerComponentParams: {
      ...(def.headerComponentParams as object | undefined),
      innerHeaderComponent: SortHeader,
    },
  };
}
