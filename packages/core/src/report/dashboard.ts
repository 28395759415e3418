import {
  AgeBrackets,
  type Bucket,
  type Dashboard,
  type DrillFilter,
  type DrillResource,
  type ReportFilter,
} from "@waypoint/schema/reports";
import { Actor } from "../actor.ts";
import { Operation } from "../operation/index.ts";
import { Organisation } from "../organisation/index.ts";
import { assertOffice, context, DEPARTED, dimsOf, mayRead, monthIn, visible, zoned, zoneOf, type Context } from "./dims.ts";
import { cached, projection, type KindName, type RowOf } from "./projection.ts";

const SEXES = ["female", "male", "other", "unknown"] as const;
const unavailable = (reason: string) => ({ available: false as const, reason });

/** Figures another module can contribute (the resettlement programme) without this module knowing it. */
export type ResettlementSource = (filter: ReportFilter) => Promise<Dashboard["resettlement"]>;
let resettlementSource: ResettlementSource | undefined;
export function registerResettlement(source: ResettlementSource) {
  resettlementSource = source;
}

async function rows<K extends KindName>(kind: K, f: ReportFilter): Promise<RowOf<K>[]> {
  // synced by `dashboard` just before: no second round trip
  const p = cached(Actor.operationID(), kind) ?? (await projection(Actor.operationID(), kind));
  const keep = visible(kind, f);
  const out: RowOf<K>[] = [];
  for (const r of p.rows.values()) if (keep(r)) out.push(r);
  return out;
}

function tally<R>(
  items: R[],
  key: (r: R) => string | string[] | undefined,
  weight: (r: R) => number = () => 1,
) {
  const m = new Map<string, number>();
  for (const r of items) {
    const k = key(r);
    if (k === undefined) continue;
    for (const one of Array.isArray(k) ? k : [k]) m.set(one, (m.get(one) ?? 0) + weight(r));
  }
  return m;
}

const bucketer =
  (resource: DrillResource, f: ReportFilter) =>
  (key: string, value: number, dims: Partial<DrillFilter> = {}): Bucket => ({
    key,
    value,
    drill: { resource, officeID: f.officeID, from: f.from, to: f.to, ...dims },
  });

const sorted = (m: Map<string, number>) =>
  [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

async function individuals(f: ReportFilter, ctx: Context): Promise<Dashboard["individuals"]> {
  if (!mayRead("individuals")) return unavailable("Your role may not read the register");
  const all = await rows("individuals", f);
  const dims = all.map(
    (r) =>
      dimsOf.individuals(r as never, ctx) as {
        sex: string;
        ageBracket: string;
        nationality: string;
        need: string[];
      },
  );
  const b = bucketer("individuals", f);
  const cells = tally(dims, (d) => `${d.ageBracket}|${d.sex}`);
  const brackets = [...AgeBrackets, ...(dims.some((d) => d.ageBracket === "unknown") ? ["unknown"] : [])];
  return {
    available: true,
    total: b("total", all.length),
    pyramid: brackets.map((bracket) => {
      const cell = (sex: (typeof SEXES)[number]) =>
        b(sex, cells.get(`${bracket}|${sex}`) ?? 0, { ageBracket: bracket, sex });
      return {
        bracket,
        female: cell("female"),
        male: cell("male"),
        other: cell("other"),
        unknown: cell("unknown"),
      };
    }),
    byNationality: sorted(tally(dims, (d) => d.nationality)).map(([k, v]) => b(k, v, { nationality: k })),
    specificNeeds:
      ctx.needs === "none" ? null : sorted(tally(dims, (d) => d.need)).map(([k, v]) => b(k, v, { need: k })),
  };
}

async function cases(f: ReportFilter, ctx: Context): Promise<Dashboard["cases"]> {
  if (!mayRead("cases")) return unavailable("Your role may not read cases");
  const all = await rows("cases", f);
  const b = bucketer("cases", f);
  const overdue = all.filter((r) => (dimsOf.cases(r as never, ctx) as { overdue: boolean }).overdue).length;
  return {
    available: true,
    total: b("total", all.length),
    byType: sorted(tally(all, (r) => r.type)).map(([k, v]) => b(k, v, { type: k })),
    byStage: sorted(tally(all, (r) => r.stage)).map(([k, v]) => b(k, v, { stage: k })),
    byOffice: sorted(tally(all, (r) => r.officeID ?? "none")).map(([k, v]) => ({
      ...b(k, v),
      drill: { ...b(k, v).drill, officeID: k },
    })),
    overdueFollowUps: b("overdue", overdue, { overdue: true }),
  };
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return Math.round((s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2) * 10) / 10;
}

const NAMES_TTL_MS = 60_000;
const nameCache = new Map<string, { at: number; names: Promise<Map<string, string>> }>();
/** Partner and office names for labels, cached for a minute (names are not figures; IDs are the keys). */
function partnerNames(operationID: string): Promise<Map<string, string>> {
  const hit = nameCache.get(operationID);
  if (hit && Date.now() - hit.at < NAMES_TTL_MS) return hit.names;
  const names = (async () => {
    const m = new Map<string, string>();
    for (const o of await Organisation.list(operationID)) m.set(o.organisationID, o.name);
    for (const o of await Operation.offices(operationID)) m.set(o.officeID, o.name);
    return m;
  })();
  nameCache.set(operationID, { at: Date.now(), names });
  names.catch(() => nameCache.delete(operationID));
  return names;
}

async function referrals(f: ReportFilter): Promise<Dashboard["referrals"]> {
  if (!mayRead("referrals")) return unavailable("Your role may not read referrals");
  const all = await rows("referrals", f);
  const b = bucketer("referrals", f);
  const names = await partnerNames(Actor.operationID());
  const groups = new Map<string, typeof all>();
  for (const r of all) {
    const g = groups.get(r.partner);
    if (g) g.push(r);
    else groups.set(r.partner, [r]);
  }
  return {
    available: true,
    total: b("total", all.length),
    byStatus: sorted(tally(all, (r) => r.status)).map(([k, v]) => b(k, v, { status: k })),
    byPartner: [...groups.entries()]
      .sort((x, y) => y[1].length - x[1].length || x[0].localeCompare(y[0]))
      .map(([partner, list]) => {
        const hours = list
          .filter((r) => r.timeResponded)
          .map((r) => (Date.parse(r.timeResponded!) - Date.parse(r.timeCreated)) / 3_600_000);
        return {
          partner,
          partnerName: names.get(partner) ?? (partner === "internal" ? "Internal" : partner),
          total: b(partner, list.length, { partner }),
          responded: hours.length,
          medianResponseHours: median(hours),
        };
      }),
  };
}

async function relocations(f: ReportFilter): Promise<Dashboard["relocations"]> {
  if (!mayRead("relocations")) return unavailable("Your role may not read relocations");
  const all = (await rows("relocations", f)).filter((r) => DEPARTED.has(r.status) && r.departedAt);
  const b = bucketer("relocations", f);
  const people = (key: (r: (typeof all)[number]) => string) => tally(all, key, (r) => r.people);
  const byMonth = tally(all, (r) => monthIn(r.departedAt!, zoneOf(f)));
  const pm = people((r) => monthIn(r.departedAt!, zoneOf(f)));
  const byDest = tally(all, (r) => r.destination);
  const pd = people((r) => r.destination);
  return {
    available: true,
    byMonth: [...byMonth.entries()]
      .sort((x, y) => x[0].localeCompare(y[0]))
      .map(([k, v]) => ({ ...b(k, v, { status: "departed", month: k }), people: pm.get(k) ?? 0 })),
    byDestination: sorted(byDest).map(([k, v]) => ({
      ...b(k, v, { status: "departed", destination: k }),
      people: pd.get(k) ?? 0,
    })),
  };
}

async function payments(f: ReportFilter): Promise<Dashboard["payments"]> {
  if (!mayRead("payments")) return unavailable("Your role may not read payments");
  const all = await rows("payments", f);
  const b = bucketer("payments", f);
  const money = (dim: "purpose" | "month" | "status", key: (r: (typeof all)[number]) => string) => {
    const m = new Map<string, { n: number; sum: number; k: string; currency: string }>();
    for (const r of all) {
      const k = key(r);
      const id = `${k}|${r.currency}`;
      const e = m.get(id) ?? { n: 0, sum: 0, k, currency: r.currency };
      e.n += 1;
      e.sum += r.amount;
      m.set(id, e);
    }
    return [...m.values()]
      .sort(
        (x, y) =>
          (dim === "month" ? x.k.localeCompare(y.k) : y.n - x.n) || x.currency.localeCompare(y.currency),
      )
      .map((e) => ({
        ...b(e.k, e.n, { [dim]: e.k, currency: e.currency }),
        currency: e.currency,
        amountMinor: e.sum,
      }));
  };
  return {
    available: true,
    byPurpose: money("purpose", (r) => r.purpose),
    byMonth: money("month", (r) => monthIn(r.timeCreated, zoneOf(f))),
    byStatus: money("status", (r) => r.status),
  };
}

async function resettlement(f: ReportFilter): Promise<Dashboard["resettlement"]> {
  if (!resettlementSource)
    return unavailable(
      "Resettlement figures are not on the dashboard yet: see the submissions in Resettlement & PTA",
    );
  return resettlementSource(f);
}

const KINDS = ["individuals", "cases", "referrals", "relocations", "payments"] as const;
const memo = new Map<string, { revisions: string; result: Dashboard }>();

/**
 * Every dashboard figure for the viewer, the office and the period. The records are synced first; when no row
 * of any kind changed since this viewer's last identical request, the figures computed then are returned (they
 * are a pure function of the same records, the same viewer and the same day).
 */
export async function dashboard(filter: ReportFilter): Promise<Dashboard> {
  assertOffice(filter.officeID);
  // days and months are the operation's (its time zone)
  const f = await zoned(filter);
  const ctx = context(f.to, f.zone);
  const operationID = Actor.operationID();
  const readable = KINDS.filter((k) => mayRead(k));
  const synced = await Promise.all(readable.map((k) => projection(operationID, k)));
  const actor = Actor.use();
  const key = JSON.stringify([
    operationID,
    actor.type === "user" ? [actor.userID, actor.role, actor.officeIDs] : Actor.id(),
    f,
    ctx,
  ]);
  const revisions = synced.map((p) => p.revision).join(",");
  const hit = memo.get(key);
  // the resettlement figures come from their own module, whose changes the revisions above do not see
  if (hit && hit.revisions === revisions)
    return { ...hit.result, resettlement: await resettlement(f), generatedAt: new Date().toISOString() };
  const result = await compute(f, ctx);
  memo.delete(key);
  memo.set(key, { revisions, result });
  while (memo.size > 200) memo.delete(memo.keys().next().value!);
  return result;
}

async function compute(f: ReportFilter, ctx: Context): Promise<Dashboard> {
  const [ind, cas, ref, rlc, pay, rst] = await Promise.all([
    individuals(f, ctx),
    cases(f, ctx),
    referrals(f),
    relocations(f),
    payments(f),
    resettlement(f),
  ]);
  const freshness: Dashboard["freshness"] = {};
  for (const kind of ["individuals", "cases", "referrals", "relocations", "payments"] as const) {
    if (!mayRead(kind)) continue;
    const p = cached(Actor.operationID(), kind);
    if (p) freshness[kind] = { rows: p.rows.size, syncedAt: p.syncedAt, fullLoadMs: p.fullLoadMs };
  }
  return {
    generatedAt: new Date().toISOString(),
    referenceDate: ctx.referenceDate,
    filter: { officeID: f.officeID, from: f.from, to: f.to },
    individuals: ind,
    cases: cas,
    referrals: ref,
    relocations: rlc,
    payments: pay,
    resettlement: rst,
    freshness,
  };
}
