import type { CustomCellRendererProps } from "ag-grid-react";
import { useEffect, useState } from "react";
import { api, loadSession, onUserChange } from "../api/client.ts";
import { isUserID, loadStaffName } from "../components/lookups.ts";
import { useI18n, type I18n } from "../i18n/i18n.tsx";
import { navigate } from "../nav.ts";

type Row = Record<string, unknown>;

/** An internal record ID (`ind_01J…`): never the only thing a person sees. */
export const RAW_ID = /^[a-z]{2,5}_[0-9A-Z]{26}$/;
export const isRawID = (v: unknown): v is string => typeof v === "string" && RAW_ID.test(v);

/** How each kind of referenced record reads on screen: its name or readable number. */
const NAMERS: Record<string, (r: Row, i18n: I18n) => string | undefined> = {
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
export const namesRecords = (collection: string) => collection in NAMERS;

const cache = new Map<string, Promise<Row | undefined>>();
onUserChange(() => cache.clear());

function load(collection: string, id: string): Promise<Row | undefined> {
  const permissions = loadSession()?.me.permissions;
  if (permissions && !permissions.includes(READ[collection] ?? "")) return Promise.resolve(undefined);
  const key = `${collection}/${id}`;
  let p = cache.get(key);
  if (!p && collection === "staff")
    cache.set(key, (p = loadStaffName(id).then((name) => (name ? { name } : undefined))));
  if (!p) {
    p = api<Row>("GET", `/api/${collection}/${encodeURIComponent(id)}`).catch(() => undefined);
    cache.set(key, p);
  }
  return p;
}

/** The name of a referenced record as it arrives: undefined while loading, "—" when it cannot be read. */
export function useRefName(collection: string, id: unknown): string | undefined {
  const i18n = useI18n();
  const [name, setName] = useState<string | undefined>();
  useEffect(() => {
    setName(undefined);
    if (!isRawID(id) || !namesRecords(collection)) return;
    let live = true;
    void load(collection, id).then((r) => live && setName((r && NAMERS[collection]!(r, i18n)) ?? "—"));
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
export function refCell(collection: keyof typeof NAMERS, carried?: { name: string; readable: string }) {
  if (collection === "staff") return StaffCell;
  return function RefCell(p: CustomCellRendererProps) {
    const id = p.value as unknown;
    // a name the row carries (a payment's payee, named by the list for whoever reads the payment) is not asked for
    const row = p.data as Row | undefined;
    const own = carried && typeof row?.[carried.name] === "string" ? (row[carried.name] as string) : undefined;
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
 * A cell renderer for a list of record IDs (a case's people): the first names, each linking to its page, and how
 * many more there are; a dash stands in for a record the user may not read.
 */
export function refListCell(collection: keyof typeof NAMERS, shown = 2) {
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
