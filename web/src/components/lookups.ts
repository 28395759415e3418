import { useEffect, useState } from "react";
import { api, loadSession, onUserChange } from "../api/client.ts";

type Row = Record<string, unknown>;

/** The kinds of record a field can point at, and how each is named on screen. */
export type RefKind = "individuals" | "households" | "cases" | "organisations";

/** How a record reads to a person: a name or a readable number, never its internal ID. */
export function recordName(kind: RefKind, r: Row | undefined): string | undefined {
  if (!r) return undefined;
  if (kind === "individuals") {
    const name = [r.givenName, r.familyName].filter(Boolean).join(" ");
    return name || (r.registrationNumber as string | undefined);
  }
  if (kind === "households") return r.registrationNumber as string | undefined;
  if (kind === "cases") return r.caseNumber as string | undefined;
  return r.name as string | undefined;
}

const records = new Map<string, Promise<Row | undefined>>();
const listeners = new Set<() => void>();
const settled = new Map<string, Row | undefined>();

/** One record by kind and ID, fetched once per session and shared by every screen that names it. */
export function loadRecord(kind: Exclude<RefKind, "organisations">, id: string): Promise<Row | undefined> {
  const key = `${kind}/${id}`;
  let p = records.get(key);
  if (!p) {
    p = api<Row>("GET", `/api/${kind}/${encodeURIComponent(id)}`).catch(() => undefined);
    records.set(key, p);
    void p.then((r) => {
      settled.set(key, r);
      listeners.forEach((l) => l());
    });
  }
  return p;
}

/** Forget a cached record (after it changed), so the next read fetches it again. */
export function forgetRecord(kind: RefKind, id: string) {
  records.delete(`${kind}/${id}`);
  settled.delete(`${kind}/${id}`);
}

/** Records of one kind by ID, as they arrive (missing ones are fetched once). */
export function useRecords(
  kind: Exclude<RefKind, "organisations">,
  ids: readonly string[],
): Map<string, Row> {
  const [, bump] = useState(0);
  const key = ids.join(",");
  useEffect(() => {
    const l = () => bump((n) => n + 1);
    listeners.add(l);
    for (const id of ids) if (id) void loadRecord(kind, id);
    return () => void listeners.delete(l);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for the ids
  }, [kind, key]);
  const out = new Map<string, Row>();
  for (const id of ids) {
    const r = settled.get(`${kind}/${id}`);
    if (r) out.set(id, r);
  }
  return out;
}

/** A staff user's ID (`usr_…`): shown by the colleague's name, never raw. */
export const isUserID = (v: unknown): v is string =>
  typeof v === "string" && /^usr_[0-9A-Za-z]{10,40}$/.test(v);

const staffNames = new Map<string, Promise<string | undefined>>();
let staffBatch: { ids: Set<string>; resolve: Map<string, (name: string | undefined) => void> } | null = null;

/**
 * A colleague's name by user ID (`GET /api/staff?ids=`, names and roles only, readable by every staff role).
 * IDs asked for in the same tick go in one request; each is asked once per session.
 */
export function loadStaffName(id: string): Promise<string | undefined> {
  let p = staffNames.get(id);
  if (p) return p;
  if (!staffBatch) {
    const batch = (staffBatch = { ids: new Set<string>(), resolve: new Map() });
    queueMicrotask(() => {
      staffBatch = null;
      const ids = [...batch.ids];
      const answer = (m: Map<string, string>) => {
        for (const [i, res] of batch.resolve) res(m.get(i));
      };
      const may = loadSession()?.me.permissions;
      if (may && !may.includes("user.read")) return answer(new Map());
      // the API names at most 200 colleagues a request (a grid column of colleagues asks for all its rows')
      const chunks: string[][] = [];
      for (let i = 0; i < ids.length; i += 200) chunks.push(ids.slice(i, i + 200));
      void Promise.all(
        chunks.map((chunk) =>
          api<{ items: { userID: string; name: string }[] }>("GET", `/api/staff?ids=${chunk.join(",")}`)
            .then((r) => r.items)
            .catch(() => []),
        ),
      ).then((lists) => answer(new Map(lists.flat().map((x) => [x.userID, x.name]))));
    });
  }
  const batch = staffBatch;
  batch.ids.add(id);
  p = new Promise<string | undefined>((res) => batch.resolve.set(id, res));
  staffNames.set(id, p);
  return p;
}

/** Colleagues' names by user ID as they arrive (user IDs only; other values are left out). */
export function useStaffNames(ids: readonly unknown[]): Map<string, string> {
  const wanted = ids.filter(isUserID);
  const key = wanted.join(",");
  const [names, setNames] = useState(new Map<string, string>());
  useEffect(() => {
    let live = true;
    void Promise.all(wanted.map(async (id) => [id, await loadStaffName(id)] as const)).then((pairs) => {
      if (live) setNames(new Map(pairs.filter((x): x is [string, string] => !!x[1])));
    });
    return () => void (live = false);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for the ids
  }, [key]);
  return names;
}

let officesP: Promise<Map<string, string>> | null = null;
let orgsP: Promise<Row[]> | null = null;

// What was looked up is the signed-in user's: forgotten when the session ends or another user signs in.
onUserChange(() => {
  records.clear();
  settled.clear();
  staffNames.clear();
  officesP = null;
  orgsP = null;
});

/** Office ID → name, fetched once. */
export function useOffices(): Map<string, string> {
  const [m, setM] = useState(new Map<string, string>());
  useEffect(() => {
    officesP ??= api<{ items: { officeID: string; name: string }[] }>("GET", "/api/offices")
      .then((r) => new Map(r.items.map((o) => [o.officeID, o.name])))
      .catch(() => ((officesP = null), new Map()));
    void officesP.then(setM);
  }, []);
  return m;
}

/** Partner organisations of the operation (name and services), for referrals. */
export function useOrganisations(enabled = true): Row[] {
  const [list, setList] = useState<Row[]>([]);
  useEffect(() => {
    if (!enabled) return;
    orgsP ??= api<{ items: Row[] }>("GET", "/api/organisations")
      .then((r) => r.items)
      .catch(() => ((orgsP = null), []));
    void orgsP.then(setList);
  }, [enabled]);
  return list;
}

/** The signed-in user and what their role may do (the same list the menu uses). */
export function useMe() {
  const me = loadSession()?.me;
  const may = (action: string) => !me?.permissions || me.permissions.includes(action);
  return {
    me,
    may,
    /**
     * Whether the role may do `action` on this record, by the action's scope: its own records (assigned to or
     * created by the user), its offices', or the whole operation's. Sessions without scopes: the action alone.
     */
    mayOn: (action: string, record: Record<string, unknown>) => {
      if (!may(action)) return false;
      const scope = me?.scopes?.[action];
      if (!me?.scopes) return true;
      if (!scope) return false;
      if (scope === "operation") return true;
      const assigned = Array.isArray(record.assignedTo) ? record.assignedTo : [record.assignedTo];
      const own = assigned.includes(me.userID) || record.createdBy === me.userID;
      if (scope === "own") return own;
      return own || me.officeIDs.length === 0 || me.officeIDs.includes(String(record.officeID));
    },
  };
}

/** Downloads a file from the staff API with the session's token (a plain link would carry no credentials). */
export async function downloadFile(path: string, fileName: string) {
  const session = loadSession();
  const res = await fetch(path, {
    headers: session ? { authorization: `Bearer ${session.token}` } : {},
  });
  if (!res.ok) throw new Error(String(res.status));
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
