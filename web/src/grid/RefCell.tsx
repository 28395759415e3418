import type { CustomCellRendererProps } from "ag-grid-react";
import { useEffect, useState } from "react";
import type { ColDef } from "ag-grid-community";
import { isUserID } from "../components/lookups.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { navigate } from "../nav.ts";
import {
  isRawID,
  loadRef,
  NAMERS,
  namesRecords,
  refText,
  type Carried,
  type RefCollection,
} from "./refNames.ts";

type Row = Record<string, unknown>;

export { isRawID, namesRecords, RAW_ID } from "./refNames.ts";

/** The name of a referenced record as it arrives: undefined while loading, "—" when it cannot be read. */
export function useRefName(collection: string, id: unknown): string | undefined {
  const i18n = useI18n();
  const [name, setName] = useState<string | undefined>();
  useEffect(() => {
    setName(undefined);
    if (!isRawID(id) || !namesRecords(collection)) return;
    let live = true;
    void loadRef(collection, id).then((r) => live && setName((r && NAMERS[collection]!(r, i18n)) ?? "—"));
    return () => {
      live = false;
    };
  }, [collection, id, i18n]);
  return name;
}

/**
 * A cell renderer for a field holding another record's ID: shows that record's name (or number), linking to its
 * page; while it loads, or when the user may not read it, a dash stands in for the ID.
 */
export function refCell(collection: RefCollection, carried?: Carried) {
  if (collection === "staff") return StaffCell;
  return function RefCell(p: CustomCellRendererProps) {
    const id = p.value as unknown;
    // a name the row carries (a payment's payee, named by the list for whoever reads the payment) is not asked for
    const row = p.data as Row | undefined;
    const own =
      carried && typeof row?.[carried.name] === "string" ? (row[carried.name] as string) : undefined;
    const name = useRefName(collection, own === undefined ? id : undefined) ?? own;
    if (id === undefined || id === null || id === "") return null;
    if (!isRawID(id)) return <span>{String(id)}</span>;
    if (name === "—") return <span>—</span>;
    // the record is not the reader's to open: its name, without a link that would be refused
    if (own !== undefined && carried && row?.[carried.readable] === false) return <span>{own}</span>;
    const href = `/${collection}/${id}`;
    return (
      <a
        href={href}
        onClick={(e) => {
          e.preventDefault();
          navigate(href);
        }}
      >
        {name ?? "…"}
      </a>
    );
  };
}

/**
 * A column of references: drawn by `refCell`, and filtered, sorted and searched by the names it shows (for every
 * row, not only those on screen: see `refText` in refNames.ts).
 */
export function refColumn(
  collection: RefCollection,
  carried?: Carried,
): Pick<ColDef, "cellRenderer" | "valueFormatter" | "getQuickFilterText" | "context"> {
  return { cellRenderer: refCell(collection, carried), ...refText(collection, carried) };
}

/**
 * A cell renderer for a list of record IDs (a case's people): the first names, each linking to its page, and how
 * many more there are; a dash stands in for a record the user may not read.
 */
export function refListCell(collection: RefCollection, shown = 2) {
  const One = refCell(collection);
  return function RefListCell(p: CustomCellRendererProps) {
    const { t } = useI18n();
    const ids = Array.isArray(p.value) ? (p.value as unknown[]) : [];
    if (ids.length === 0) return null;
    return (
      <span>
        {ids.slice(0, shown).map((id, i) => (
          <span key={String(id)}>
            {i > 0 && ", "}
            <One {...p} value={id} />
          </span>
        ))}
        {ids.length > shown && <span> {t("grid.andMore", { n: ids.length - shown })}</span>}
      </span>
    );
  };
}

/** A colleague's name (or several, for a list of user IDs); a dash while it loads or when it cannot be read. */
export function StaffName({ id }: { id: unknown }) {
  const name = useRefName("staff", isUserID(id) ? id : undefined);
  if (id === undefined || id === null || id === "") return null;
  if (!isUserID(id)) return <span>{String(id)}</span>;
  return <span>{name ?? "…"}</span>;
}

/** True for a user ID or a list of them: what `StaffList` can name. */
export const isStaffValue = (v: unknown) =>
  isUserID(v) || (Array.isArray(v) && v.length > 0 && v.every(isUserID));

/** One user ID or a list of them, by name. */
export function StaffList({ value }: { value: unknown }) {
  const ids = Array.isArray(value) ? value : [value];
  return (
    <span>
      {ids.map((id, i) => (
        <span key={String(id)}>
          {i > 0 && ", "}
          <StaffName id={id} />
        </span>
      ))}
    </span>
  );
}

function StaffCell(p: CustomCellRendererProps) {
  return <StaffList value={p.value} />;
}
