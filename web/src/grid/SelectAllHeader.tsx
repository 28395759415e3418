import { useCallback, useEffect, useState } from "react";
import type { GridApi, IHeaderParams } from "ag-grid-community";
import type { GridContext } from "./fields.ts";

/** Whether all rows shown are selected (true), none (false) or some (null). */
export function selectAllState(
  api: Pick<GridApi, "getSelectedNodes" | "forEachNodeAfterFilter">,
): boolean | null {
  // nothing selected (the usual case): no pass over the rows
  if (api.getSelectedNodes().length === 0) return false;
  let selected = 0;
  let other = 0;
  api.forEachNodeAfterFilter((node) => {
    if (node.isSelected()) selected++;
    else if (node.selectable) other++;
  });
  return other === 0 && selected > 0 ? true : selected === 0 ? false : null;
}

/**
 * The selection column's header: one box that selects every row the filters show, or clears them when all are
 * selected, as AG Grid's own header box does. AG Grid's box recounts every shown row on each sort or filter (two
 * passes over all 100,000 rows of a large registry, about 35 ms each time); this one counts only while a row is
 * selected.
 */
export function SelectAllHeader(p: IHeaderParams) {
  const { api } = p;
  const { i18n } = p.context as GridContext;
  const [state, setState] = useState<boolean | null>(() => selectAllState(api));
  useEffect(() => {
    const update = () => setState(selectAllState(api));
    api.addEventListener("selectionChanged", update);
    api.addEventListener("modelUpdated", update);
    update();
    return () => {
      if (api.isDestroyed()) return;
      api.removeEventListener("selectionChanged", update);
      api.removeEventListener("modelUpdated", update);
    };
  }, [api]);
  const toggle = useCallback(() => {
    if (selectAllState(api) === true) api.deselectAll("filtered");
    else api.selectAll("filtered");
  }, [api]);
  // the header cell, not the box, has the keyboard focus when moving through the headers: Space toggles, as in AG Grid
  useEffect(() => {
    const cell = p.eGridHeader;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== " " || e.target !== cell) return;
      e.preventDefault();
      toggle();
    };
    cell.addEventListener("keydown", onKey);
    return () => cell.removeEventListener("keydown", onKey);
  }, [p.eGridHeader, toggle]);
  const label = i18n.t("grid.selectAll");
  return (
    <div className="ag-checkbox ag-input-field" role="presentation">
      <div
        className={`ag-wrapper ag-input-wrapper ag-checkbox-input-wrapper${state === true ? " ag-checked" : state === null ? " ag-indeterminate" : ""}`}
        role="presentation"
      >
        <input
          className="ag-input-field-input ag-checkbox-input"
          type="checkbox"
          tabIndex={-1}
          aria-label={label}
          title={label}
          checked={state === true}
          ref={(el) => {
            if (el) el.indeterminate = state === null;
          }}
          onChange={toggle}
          data-testid="select-all"
        />
      </div>
    </div>
  );
}
