import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { AgGridReact } from "ag-grid-react";
import type {
  CellEditRequestEvent,
  CellFocusedEvent,
  ColDef,
  FilterOpenedEvent,
  GetRowIdParams,
  GridApi,
  GridReadyEvent,
  IRowNode,
  ITooltipParams,
  RowSelectionOptions,
  ValueFormatterParams,
  ValueGetterParams,
  PostSortRowsParams,
} from "ag-grid-community";
import "./modules.ts";
import { gridTheme } from "./modules.ts";
import { ApiError } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { GridLocale } from "./locale.ts";
import type { MessageKey } from "../i18n/messages.ts";
import { useLeaveGuard } from "../nav.ts";
import { CodesEditor } from "./CodesEditor.tsx";
import { ConflictDialog, conflictsOf } from "./ConflictDialog.tsx";
import type { Dataset } from "./dataset.ts";
import { parseDelimited, toBlock } from "./delimited.ts";
import { exportView } from "./exportView.ts";
import { cellError, fromEditor, fromText, specOf, type FieldSpec, type GridContext } from "./fields.ts";
import { useConfiguredColumns } from "../fields/columns.ts";
import { ImportDialog } from "./ImportDialog.tsx";
import { keyedSort } from "./keyedSort.ts";
import { pathReader } from "./path.ts";
import { namesRevision, onNamesArrived, pendingNames, subscribeNames, takeSearchMissed } from "./refNames.ts";
import { GridSort, sortOf, withoutSort, withSort } from "./sortModel.ts";
import { ownSort } from "./SortHeader.tsx";
import { textFilterHandler } from "./textFilter.ts";
import { saveStaged } from "./save.ts";
import { SetFieldDialog } from "./SetFieldDialog.tsx";
import { SelectAllHeader } from "./SelectAllHeader.tsx";
import { useAsk } from "../components/Ask.tsx";
import { usePurpose } from "../privacy/PurposeDialog.tsx";
import type { CellChange, Values } from "./store.ts";
import { deleteView, listViews, saveView, type SavedView } from "./views.ts";
import { useUrlRowFilter } from "../reports/urlFilter.ts";

const rowSelection: RowSelectionOptions = {
  mode: "multiRow",
  checkboxes: true,
  // the header's box is ours (SelectAllHeader): AG Grid's recounts every shown row on each sort and filter
  headerCheckbox: false,
  enableClickSelection: false,
  selectAll: "filtered",
};
const selectionColumnDef: ColDef = {
  pinned: "left",
  width: 48,
  suppressHeaderMenuButton: true,
  headerComponent: SelectAllHeader,
};
const components = { codesEditor: CodesEditor };
// The sort model is the grid's own (GridSort; columns' headers are SortHeader, see ownSort) and `keyedSort` orders
// the rows by it in AG Grid's postSortRows step: AG Grid itself never sorts (see sortModel.ts and keyedSort.ts).
const defaultColDef: ColDef = { resizable: true, minWidth: 90 };
const postSortRows = (p: PostSortRowsParams) => keyedSort(p.api, p.nodes, ctxOf(p).sort.model);
// AG Grid's text filter popup and model, with a row test compiled once per model (see textFilter.ts)
const filterHandlers = { agTextColumnFilter: textFilterHandler };

type Ctx = GridContext & { resourceKey: string; idField: string; sort: GridSort };
const ctxOf = (p: { context: unknown }) => p.context as Ctx;
const statusOf = (p: { context: unknown; data?: unknown }) => {
  const { store } = ctxOf(p);
  if (!p.data) return "";
  const key = store.keyOf(p.data as Values);
  const o = store.outcomes.get(key);
  if (o) return o.status;
  if (store.isNew(key)) return "new";
  return store.edits.has(key) ? "edited" : "";
};
const statusColumn: ColDef = {
  colId: "__status",
  headerValueGetter: (p) => ctxOf(p).i18n.t("grid.status"),
  valueGetter: (p: ValueGetterParams) => statusOf(p),
  valueFormatter: (p: ValueFormatterParams) =>
    p.value ? ctxOf(p).i18n.t(`outcome.${p.value}` as MessageKey) : "",
  cellClass: (p) => (p.value ? `wp-status wp-status-${p.value}` : "wp-status"),
  tooltipValueGetter: (p: ITooltipParams) => {
    const data = p.data as Values | undefined;
    return data ? ctxOf(p).store.outcomes.get(ctxOf(p).store.keyOf(data))?.message : undefined;
  },
  pinned: "left",
  width: 150,
  editable: false,
  filter: false,
  suppressMovable: true,
};

/**
 * How many rows the filters show. Its own component, following the grid's model updates: a sort or filter redraws
 * this line, not the whole grid page (toolbar, dialogs and the grid's props) as a state of the page would.
 */
function ShownRows({ api, loading, size }: { api: GridApi | null; loading: boolean; size: number }) {
  const { t } = useI18n();
  const [shown, setShown] = useState(0);
  useEffect(() => {
    if (!api) return;
    const update = () => setShown(api.getDisplayedRowCount());
    api.addEventListener("modelUpdated", update);
    update();
    return () => {
      if (!api.isDestroyed()) api.removeEventListener("modelUpdated", update);
    };
  }, [api]);
  return (
    <span data-testid="row-count">
      {loading ? t("grid.loading", { n: size }) : t("grid.rows", { n: shown })}
    </span>
  );
}

/**
 * While names of referenced records are on their way and a filter, sort or search reads them, says so: the rows
 * shown are not final until they arrive (the grid then filters and sorts again).
 */
function NamesLoading({
  api,
  refs,
  sort,
  search,
}: {
  api: GridApi | null;
  refs: Set<string>;
  sort: GridSort;
  search: string;
}) {
  const { t } = useI18n();
  useSyncExternalStore(subscribeNames, namesRevision);
  if (!api || api.isDestroyed() || refs.size === 0 || pendingNames() === 0) return null;
  const byName =
    search !== "" ||
    Object.keys(api.getFilterModel() ?? {}).some((c) => refs.has(c)) ||
    sort.model.some((e) => refs.has(e.colId));
  return byName ? <span data-testid="names-loading">{t("grid.namesLoading")}</span> : null;
}

export interface EditableGridProps {
  ds: Dataset;
  userID: string;
  offices: Map<string, string>;
  officeID: string | null;
  households: Map<string, string>;
  /** Values every new row starts with (e.g. the office chosen in the switcher). */
  defaults: Values;
  /** The role may create a record despite likely duplicates, giving a reason (permission `duplicate.override`). */
  canOverrideDuplicates?: boolean;
  /** What the role may do with these rows (resources.ts `gridRights`); what it may not do is not offered. */
  rights: { create: boolean; update: boolean; export: boolean };
}

/** The one spreadsheet-style grid every collection uses: staged edits, paste, fill, undo, bulk save, import, export. */
export function EditableGrid(props: EditableGridProps) {
  const { ds } = props;
  const { store, resource } = ds;
  const i18n = useI18n();
  const { t } = i18n;
  const { dialog: askDialog, ask } = useAsk();
  const { dialog: whyDialog, askPurpose } = usePurpose();
  // trips and batches name nobody: their files need no purpose (every other collection's rows hold people)
  const namesPeople = !["payment-batches", "relocation-trips"].includes(resource.key);
  const gridRef = useRef<GridApi | null>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const [focusMsg, setFocusMsg] = useState<string>("");
  const [selected, setSelected] = useState(0);
  // the grid's API as state, for the parts of the page that follow the grid's own events (the row count)
  const [gridApi, setGridApi] = useState<GridApi | null>(null);
  const [notice, setNotice] = useState<string>("");
  const [saving, setSaving] = useState(false);
  const [dialog, setDialog] = useState<"conflict" | "setField" | "import" | null>(null);
  const [search, setSearch] = useState("");
  const [views, setViews] = useState<SavedView[]>([]);
  const reloadViews = useCallback(
    () =>
      listViews(props.userID, resource.key)
        .then(setViews)
        .catch(() => setViews([])),
    [props.userID, resource.key],
  );
  useEffect(() => void reloadViews(), [reloadViews]);
  useSyncExternalStore(store.subscribe, store.getRevision);
  useSyncExternalStore(ds.subscribe, ds.getRevision);

  // the operation's configured fields (issue 19) are columns too, drawn from their definitions
  const configured = useConfiguredColumns(resource.key);
  // a role that may neither add nor change rows reads the grid: no cell opens an editor, paste and fill skip all
  const writable = props.rights.create || props.rights.update;
  const dataColumns = useMemo(
    () =>
      writable
        ? [...resource.columns, ...configured]
        : [...resource.columns, ...configured].map((c) => {
            const spec = c.context as FieldSpec | undefined;
            return { ...c, editable: false, ...(spec ? { context: { ...spec, editable: false } } : {}) };
          }),
    [resource, configured, writable],
  );
  const columnDefs = useMemo(() => [statusColumn, ...dataColumns].map(ownSort), [dataColumns]);
  // columns of references (RefCell.tsx `refColumn`), by column ID: filtered and sorted by names that arrive later
  const refs = useMemo(
    () =>
      new Set(
        dataColumns
          .filter((c) => (c.context as FieldSpec | undefined)?.ref)
          .map((c) => c.colId ?? (c.field as string)),
      ),
    [dataColumns],
  );
  // the sort model outlives the grid's remount in another language; AG Grid reorders the rows when it changes
  const [sort] = useState(() => new GridSort());
  useEffect(() => sort.subscribe(() => gridRef.current?.refreshClientSideRowModel("sort")), [sort]);
  const specs = useMemo(
    () =>
      new Map(
        dataColumns
          .map((c) => c.context as FieldSpec | undefined)
          .filter((s): s is FieldSpec => Boolean(s))
          .map((s) => [s.field, s] as const),
      ),
    [dataColumns],
  );
  const context = useMemo<Ctx>(
    () => ({
      i18n,
      store,
      households: props.households,
      offices: props.offices,
      officeID: props.officeID,
      resourceKey: resource.key,
      idField: resource.idField,
      sort,
    }),
    [i18n, store, props.households, props.offices, props.officeID, resource, sort],
  );
  // Office and household names arrive on their own request, often after the rows: cells drawn before them showed
  // the raw office ID until something else redrew them. Redraw when the names (the grid's context) change.
  useEffect(() => {
    gridRef.current?.refreshCells({ force: true });
  }, [context]);
  const officeRef = useRef(props.officeID);
  officeRef.current = props.officeID;

  const getRowId = useCallback((p: GetRowIdParams) => store.keyOf(p.data as Values), [store]);
  const urlFilter = useUrlRowFilter(resource.key);
  const idsRef = useRef(urlFilter.ids);
  idsRef.current = urlFilter.ids;
  const isExternalFilterPresent = useCallback(
    () => Boolean(officeRef.current && resource.officeField) || Boolean(idsRef.current),
    [resource],
  );
  const doesExternalFilterPass = useCallback(
    (node: IRowNode) => {
      const d = node.data as Values | undefined;
      if (!d || d.__new) return true;
      if (idsRef.current && !idsRef.current.has(String(d[resource.idField]))) return false;
      return !officeRef.current || !resource.officeField || d[resource.officeField] === officeRef.current;
    },
    [resource],
  );
  useEffect(() => gridRef.current?.onFilterChanged(), [props.officeID, urlFilter.ids]);

  // Names of referenced records arrive after the rows (asked for by the filter, sort or search that needed them):
  // once they are all in, the rows are filtered (and so sorted) again, or sorted again, by them.
  const searchRef = useRef(search);
  searchRef.current = search;
  useEffect(
    () =>
      onNamesArrived(() => {
        const g = gridRef.current;
        if (!g || g.isDestroyed() || refs.size === 0) return;
        const searchStale = takeSearchMissed();
        if (searchStale) g.resetQuickFilter();
        const filtered = Object.keys(g.getFilterModel() ?? {}).some((c) => refs.has(c));
        if (filtered || (searchStale && searchRef.current)) g.onFilterChanged();
        else if (sort.model.some((e) => refs.has(e.colId))) g.refreshClientSideRowModel("sort");
      }),
    [refs, sort],
  );
  // opening a reference column's filter asks for the names of all its rows, so they are in before the first key
  const onFilterOpened = useCallback(
    (e: FilterOpenedEvent) => {
      const spec = "getColDef" in e.column ? specOf(e.column) : undefined;
      if (!spec?.ref || !spec.sortKey) return;
      const read = pathReader(spec.field);
      e.api.forEachNode((n) => void spec.sortKey!(read(n.data), n.data, context));
    },
    [context],
  );

  useLeaveGuard(useCallback(() => (store.dirtyRows > 0 ? t("grid.leave") : null), [store, t]));

  const onGridReady = useCallback(
    (e: GridReadyEvent) => {
      gridRef.current = e.api;
      setGridApi(e.api);
      ds.attach(e.api);
    },
    [ds],
  );
  useEffect(() => () => (gridRef.current ? ds.detach(gridRef.current) : undefined), [ds]);

  const stage = useCallback(
    (changes: CellChange[], newRows: Values[] = [], invalid = new Map<string, string>()) => {
      const delta = store.stage(changes, newRows, invalid);
      ds.apply(delta);
      return delta;
    },
    [store, ds],
  );

  const onCellEditRequest = useCallback(
    (e: CellEditRequestEvent) => {
      const spec = e.colDef.context as FieldSpec | undefined;
      if (!spec?.editable) return;
      const key = store.keyOf(e.data as Values);
      const read = fromEditor(spec, e.newValue, context);
      const invalid = new Map<string, string>();
      if (!read.ok) invalid.set(`${key}\u0000${spec.field}`, read.message);
      stage([{ key, field: spec.field, value: read.value }], [], invalid);
      setFocusMsg(cellError(context, key, spec.field) ?? "");
    },
    [store, stage, context],
  );

  const onCellFocused = useCallback(
    (e: CellFocusedEvent) => {
      if (e.rowIndex === null || !e.column || typeof e.column === "string") return setFocusMsg("");
      const node = e.api.getDisplayedRowAtIndex(e.rowIndex);
      const spec = specOf(e.column);
      setFocusMsg(
        node?.data && spec ? (cellError(context, store.keyOf(node.data as Values), spec.field) ?? "") : "",
      );
    },
    [store, context],
  );

  /** Paste a block from a spreadsheet: from the focused cell down and right across the displayed columns. */
  const paste = useCallback(
    (text: string) => {
      const g = gridRef.current;
      const focus = g?.getFocusedCell();
      if (!g || !focus) return;
      const block = toBlock(parseDelimited(text));
      if (!block.length) return;
      const cols = g.getAllDisplayedColumns();
      const start = cols.findIndex((c) => c.getColId() === focus.column.getColId());
      const changes: CellChange[] = [];
      const invalid = new Map<string, string>();
      const extra: Values[] = [];
      let skipped = 0;
      block.forEach((cells, r) => {
        const node = g.getDisplayedRowAtIndex(focus.rowIndex + r);
        const key = node?.data ? store.keyOf(node.data as Values) : null;
        const fresh: Values = { ...props.defaults };
        cells.forEach((cell, c) => {
          const col = cols[start + c];
          const spec = col && specOf(col);
          if (!spec?.editable) return void skipped++;
          const read = fromText(spec, cell, context);
          if (key) {
            changes.push({ key, field: spec.field, value: read.value });
            if (!read.ok) invalid.set(`${key}\u0000${spec.field}`, read.message);
          } else if (read.value !== null) fresh[spec.field] = read.value;
        });
        if (!key) extra.push(fresh);
      });
      const addExtra = extra.length > 0 && window.confirm(t("grid.pasteExtra", { n: extra.length }));
      stage(changes, addExtra ? extra : [], invalid);
      setNotice(skipped ? t("grid.pasteReadOnly", { n: skipped }) : "");
      g.refreshCells({ force: true });
    },
    [store, stage, context, props.defaults, t],
  );

  useEffect(() => {
    const box = boxRef.current!;
    const onPaste = (e: ClipboardEvent) => {
      const g = gridRef.current;
      if (!g || g.getEditingCells().length > 0 || !g.getFocusedCell()) return;
      if ((e.target as HTMLElement).closest("input, textarea, select")) return;
      e.preventDefault();
      paste(e.clipboardData?.getData("text/plain") ?? "");
    };
    const onKey = (e: KeyboardEvent) => {
      const g = gridRef.current;
      if (!g || g.getEditingCells().length > 0 || !(e.ctrlKey || e.metaKey)) return;
      if ((e.target as HTMLElement).closest("input, textarea, select")) return;
      const k = e.key.toLowerCase();
      if (k === "z" && !e.shiftKey) (e.preventDefault(), ds.apply(store.undo()));
      else if (k === "y" || (k === "z" && e.shiftKey)) (e.preventDefault(), ds.apply(store.redo()));
      else if (k === "s") (e.preventDefault(), void save());
      else if (k === "d") (e.preventDefault(), fillDown());
    };
    box.addEventListener("paste", onPaste);
    box.addEventListener("keydown", onKey, true);
    return () => {
      box.removeEventListener("paste", onPaste);
      box.removeEventListener("keydown", onKey, true);
    };
  });

  const selectedKeys = () => {
    const g = gridRef.current;
    if (!g) return [];
    return g
      .getSelectedNodes()
      .sort((a, b) => (a.rowIndex ?? 0) - (b.rowIndex ?? 0))
      .map((n) => store.keyOf(n.data as Values));
  };

  /** New rows the API flagged as likely duplicates: the selected ones, or all of them when none is selected. */
  const duplicates = () => {
    const flagged = [...store.outcomes].filter(([, o]) => o.status === "duplicate").map(([k]) => k);
    const chosen = selectedKeys().filter((k) => flagged.includes(k));
    return chosen.length ? chosen : flagged;
  };
  const overrideDuplicates = () => {
    const keys = duplicates();
    if (keys.length === 0) return;
    void ask({
      title: t("grid.overrideTitle"),
      label: t("grid.overrideReason", { n: keys.length }),
      submit: t("grid.overrideConfirm"),
      multiline: true,
      minLength: 5,
      tooShort: t("grid.overrideReasonShort"),
    }).then((reason) => {
      if (!reason) return;
      for (const key of keys) ds.apply(store.overrideDuplicate(key, reason));
      setNotice(t("grid.overrideStaged", { n: keys.length }));
    });
  };

  /** Copies the focused column's value of the first selected row into the other selected rows. */
  const fillDown = () => {
    const g = gridRef.current;
    const focus = g?.getFocusedCell();
    const spec = focus && specOf(focus.column);
    const keys = selectedKeys();
    if (keys.length < 2) return setNotice(t("grid.noRowsSelected"));
    if (!spec?.editable) return setNotice(t("grid.focusCell"));
    const value = store.value(keys[0]!, spec.field);
    stage(keys.slice(1).map((key) => ({ key, field: spec.field, value })));
  };

  const setField = (field: string, text: string) => {
    const spec = specs.get(field);
    if (!spec) return;
    const read = fromText(spec, text, context);
    const keys = selectedKeys();
    const invalid = new Map<string, string>();
    if (!read.ok) for (const k of keys) invalid.set(`${k}\u0000${field}`, read.message);
    stage(
      keys.map((key) => ({ key, field, value: read.value })),
      [],
      invalid,
    );
    setDialog(null);
  };

  const save = async () => {
    if (saving) return;
    setSaving(true);
    setNotice("");
    try {
      const s = await saveStaged(ds);
      setNotice(t("grid.result", { ...s, invalid: s.invalid + s.held }));
      if (s.conflict > 0) setDialog("conflict");
      gridRef.current?.refreshCells({ force: true });
    } finally {
      setSaving(false);
    }
  };

  const addRow = () => {
    const delta = stage([], [{ ...props.defaults }]);
    const g = gridRef.current;
    const key = delta.add[0];
    const node = key ? g?.getRowNode(key) : undefined;
    if (g && node?.rowIndex !== null && node?.rowIndex !== undefined) {
      g.ensureIndexVisible(node.rowIndex);
      const first = resource.columns.find((c) => (c.context as FieldSpec | undefined)?.editable);
      if (first?.field) g.setFocusedCell(node.rowIndex, first.field as string);
    }
  };

  const doExport = async (format: "csv" | "xlsx") => {
    const g = gridRef.current;
    if (!g) return;
    try {
      const why = namesPeople ? await askPurpose() : undefined;
      if (namesPeople && !why) return;
      await exportView(g, resource.key, format, i18n, context, why);
      setNotice("");
    } catch (e) {
      setNotice(t("export.refused", { detail: e instanceof ApiError ? e.message : String(e) }));
    }
  };

  const applyView = (name: string) => {
    const v = views.find((x) => x.name === name);
    const g = gridRef.current;
    if (!v || !g) return;
    g.applyColumnState({ state: withoutSort(v.columns), applyOrder: true });
    sort.set(sortOf(v.columns));
    g.setFilterModel(v.filters);
    setSearch(v.search);
  };

  const editableSpecs = [...specs.values()].filter((s) => s.editable);
  const conflicts = dialog === "conflict" ? conflictsOf(store, resource) : [];
  return (
    <div className="grid-page">
      <div className="toolbar" role="toolbar" aria-label={t(resource.nav)}>
        <input
          type="search"
          className="search"
          placeholder={t("grid.search")}
          aria-label={t("grid.search")}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <select
          aria-label={t("grid.views")}
          value=""
          onChange={(e) => {
            const v = e.target.value;
            if (v === "__save") {
              void ask({
                title: t("grid.saveViewTitle"),
                label: t("grid.viewName"),
                submit: t("common.save"),
              }).then((name) => {
                const g = gridRef.current;
                if (!name || !g) return;
                saveView(resource.key, {
                  name,
                  columns: withSort(g.getColumnState(), sort.model),
                  filters: g.getFilterModel(),
                  search,
                })
                  .then(reloadViews)
                  .catch((err: Error) => setNotice(err.message));
              });
            } else if (v.startsWith("__del:")) {
              deleteView(resource.key, v.slice(6))
                .then(reloadViews)
                .catch((err: Error) => setNotice(err.message));
            } else applyView(v);
          }}
        >
          <option value="">{t("grid.views")}</option>
          {views.map((v) => (
            <option key={v.name} value={v.name}>
              {v.name}
            </option>
          ))}
          <option value="__save">{t("grid.saveView")}</option>
          {views.map((v) => (
            <option key={`d${v.name}`} value={`__del:${v.name}`}>
              {t("grid.deleteView")}: {v.name}
            </option>
          ))}
        </select>
        <span className="spacer" />
        {writable && (
          <>
            <button
              type="button"
              onClick={() => ds.apply(store.undo())}
              disabled={!store.canUndo}
              title="Ctrl+Z"
            >
              {t("grid.undo")}
            </button>
            <button
              type="button"
              onClick={() => ds.apply(store.redo())}
              disabled={!store.canRedo}
              title="Ctrl+Y"
            >
              {t("grid.redo")}
            </button>
          </>
        )}
        {props.rights.create && (
          <button type="button" onClick={addRow}>
            {t("grid.addRow")}
          </button>
        )}
        {props.rights.update && (
          <>
            <button type="button" onClick={fillDown} disabled={selected < 2} title="Ctrl+D">
              {t("grid.fillDown")}
            </button>
            <button
              type="button"
              aria-haspopup="dialog"
              onClick={() => setDialog("setField")}
              disabled={selected < 1}
            >
              {t("grid.setField")}
            </button>
          </>
        )}
        {props.canOverrideDuplicates &&
          [...store.outcomes.values()].some((o) => o.status === "duplicate") && (
            <button type="button" onClick={overrideDuplicates} data-testid="override-duplicates">
              {t("grid.createAnyway")}
            </button>
          )}
        {resource.tools && (
          <resource.tools
            ds={ds}
            selectedRows={() =>
              (gridRef.current?.getSelectedNodes() ?? [])
                .sort((a, b) => (a.rowIndex ?? 0) - (b.rowIndex ?? 0))
                .map((n) => n.data as Values)
            }
          />
        )}
        {props.rights.create && (
          <button type="button" aria-haspopup="dialog" onClick={() => setDialog("import")}>
            {t("grid.import")}
          </button>
        )}
        {props.rights.export && (
          <>
            <button
              type="button"
              aria-haspopup={namesPeople ? "dialog" : undefined}
              onClick={() => void doExport("csv")}
            >
              {t("grid.exportCsv")}
            </button>
            <button
              type="button"
              aria-haspopup={namesPeople ? "dialog" : undefined}
              onClick={() => void doExport("xlsx")}
            >
              {t("grid.exportXlsx")}
            </button>
          </>
        )}
        {writable && (
          <button
            type="button"
            onClick={() => ds.apply(store.discard())}
            disabled={store.dirtyRows === 0 || saving}
          >
            {t("grid.discard")}
          </button>
        )}
        {writable && (
          <button
            type="button"
            className="primary"
            onClick={() => void save()}
            disabled={store.dirtyRows === 0 || saving}
            data-testid="save"
          >
            {saving ? t("grid.saving") : t("grid.save")}
            {store.dirtyRows > 0 && <span className="count">{store.dirtyRows}</span>}
          </button>
        )}
      </div>
      {notice && (
        <div className="notice" role="status" data-testid="notice">
          {notice}
        </div>
      )}
      {(urlFilter.ids || urlFilter.error) && (
        <div className="notice" role="status" data-testid="url-filter">
          {urlFilter.error ??
            (urlFilter.source === "dq"
              ? t("grid.urlFilter.dq", { n: urlFilter.ids!.size, title: urlFilter.label })
              : urlFilter.source === "drill"
                ? t("grid.urlFilter.drill", { n: urlFilter.ids!.size })
                : t("grid.urlFilter.ids", { n: urlFilter.ids!.size }))}{" "}
          <button type="button" onClick={urlFilter.clear}>
            {t("grid.urlFilter.showAll")}
          </button>
        </div>
      )}
      {ds.error && (
        <div className="notice error" role="alert">
          {t("grid.notAvailable", { detail: ds.error })}
        </div>
      )}
      <div className="grid-box" ref={boxRef}>
        <AgGridReact
          key={i18n.lang}
          theme={gridTheme}
          enableRtl={i18n.dir === "rtl"}
          localeText={GridLocale[i18n.lang]}
          columnDefs={columnDefs}
          defaultColDef={defaultColDef}
          context={context}
          components={components}
          getRowId={getRowId}
          rowSelection={rowSelection}
          selectionColumnDef={selectionColumnDef}
          readOnlyEdit
          onCellEditRequest={onCellEditRequest}
          onCellFocused={onCellFocused}
          onGridReady={onGridReady}
          onFilterOpened={onFilterOpened}
          onSelectionChanged={(e) => setSelected(e.api.getSelectedNodes().length)}
          enableFilterHandlers
          filterHandlers={filterHandlers}
          isExternalFilterPresent={isExternalFilterPresent}
          doesExternalFilterPass={doesExternalFilterPass}
          cacheQuickFilter
          quickFilterText={search}
          enableBrowserTooltips
          stopEditingWhenCellsLoseFocus
          enterNavigatesVerticallyAfterEdit
          postSortRows={postSortRows}
          animateRows={false}
          rowBuffer={4}
          alwaysShowVerticalScroll
          suppressColumnVirtualisation={false}
        />
      </div>
      <div className="statusbar" aria-live="polite">
        <ShownRows api={gridApi} loading={ds.loading} size={ds.size} />
        <NamesLoading api={gridApi} refs={refs} sort={sort} search={search} />
        {selected > 0 && <span>{t("grid.selected", { n: selected })}</span>}
        <span data-testid="unsaved" className={store.dirtyRows ? "dirty" : ""}>
          {store.dirtyRows
            ? t("grid.unsaved", { cells: store.dirtyCells, rows: store.dirtyRows - store.newRows }) +
              (store.newRows ? ` · ${t("grid.newRows", { n: store.newRows })}` : "")
            : t("grid.nothing")}
        </span>
        {store.errorCount > 0 && <span className="errors">{t("grid.errors", { n: store.errorCount })}</span>}
        {focusMsg && (
          <span className="cell-message" role="alert" data-testid="cell-message">
            {t("grid.cellMessage")}: {focusMsg}
          </span>
        )}
      </div>
      {askDialog}
      {whyDialog}
      {dialog === "conflict" && conflicts.length > 0 && (
        <ConflictDialog
          conflicts={conflicts}
          store={store}
          specs={specs}
          onClose={() => setDialog(null)}
          onResolve={(keep) => {
            for (const c of conflicts) ds.apply(store.resolve(c.key, c.current, keep.get(c.key) ?? []));
            setDialog(null);
            void save();
          }}
        />
      )}
      {dialog === "setField" && (
        <SetFieldDialog
          count={selected}
          specs={editableSpecs}
          offices={props.offices}
          onApply={setField}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === "import" && (
        <ImportDialog
          ds={ds}
          specs={editableSpecs}
          ctx={context}
          defaults={props.defaults}
          onClose={() => setDialog(null)}
        />
      )}
    </div>
  );
}
