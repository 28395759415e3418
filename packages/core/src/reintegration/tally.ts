import type { Entity } from "electrodb";
import { Actor } from "../actor.ts";
import { retryUnprocessed } from "../common/batch-get.ts";
import { mapLimit } from "../common/concurrency.ts";
import { nowIso, type TxItem } from "../common/db.ts";
import { log } from "../common/log.ts";
import { AvrrArrivalEntity, AvrrCounterEntity, AvrrTallyMarkEntity } from "./tally.entity.ts";
import { PlanEntity, ReturnEntity } from "./reintegration.entity.ts";

/**
 * Counters behind the AVRR monthly table (issue 17: 20,000 returns in < 2 s). Every figure of the table that is
 * not about the month's arrivals counts over all returns of the operation; instead of reading them all, each
 * return and plan change adds its difference to a few counters per office, in the same transaction as the change:
 *
 * - `<country>|monitoring|<arrival month>`: returns in `returned`/`monitoring` (the table sums the months up to
 *   the month asked: "under monitoring at the end of the month");
 * - `<country>|visits|<visit month>`: monitoring visits;
 * - `<country>|high`: returns assessed at high vulnerability;
 * - `<country>|plans`, `<country>|items|<kind>`: approved plans, delivered plan items (a plan counts under its
 *   return's country: a change of country moves them, and each side checks the other's version).
 *
 * The month's arrivals are one small item per return (`AvrrArrivalEntity`): the table reads the people of those
 * returns only, so sex and age come from the register as it is now (a corrected date of birth counts at once).
 *
 * Operations whose returns predate the counters get them built once from their records (`ensure`, run by the
 * table's first request; `rebuild` for an operator).
 */

type Visit = { date: string };
export type ReturnFacts = {
  returnID: string;
  operationID: string;
  officeID: string;
  countryOfReturn: string;
  individualIDs: string[];
  status: string;
  arrivedOn?: string;
  monitoring?: Visit[];
  vulnerability?: { level?: string } | undefined;
  deleted?: boolean;
  version?: number;
};
export type PlanFacts = {
  returnID: string;
  status: string;
  items: { kind: string; status: string }[];
  deleted?: boolean;
  version?: number;
};

type Counts = Map<string, number>;
const bump = (m: Counts, key: string, by = 1) => m.set(key, (m.get(key) ?? 0) + by);

function returnCounts(r: ReturnFacts | undefined): Counts {
  const m: Counts = new Map();
  if (!r || r.deleted) return m;
  const c = r.countryOfReturn;
  if (r.arrivedOn && (r.status === "monitoring" || r.status === "returned"))
    bump(m, `${c}|monitoring|${r.arrivedOn.slice(0, 7)}`);
  for (const v of r.monitoring ?? []) bump(m, `${c}|visits|${v.date.slice(0, 7)}`);
  if (r.vulnerability?.level === "high") bump(m, `${c}|high`);
  return m;
}

function planCounts(country: string | undefined, p: PlanFacts | undefined | null): Counts {
  const m: Counts = new Map();
  if (!country || !p || p.deleted) return m;
  if (p.status === "approved") bump(m, `${country}|plans`);
  for (const it of p.items ?? []) if (it.status === "delivered") bump(m, `${country}|items|${it.kind}`);
  return m;
}

function counterUpdates(operationID: string, officeID: string, before: Counts, after: Counts): TxItem[] {
  const out: TxItem[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const by = (after.get(key) ?? 0) - (before.get(key) ?? 0);
    if (by !== 0)
      out.push({ update: AvrrCounterEntity.update({ operationID, officeID, key }).add({ n: by }).params() });
  }
  return out;
}

const arrivalKey = (r: ReturnFacts) =>
  r.arrivedOn && !r.deleted
    ? { operationID: r.operationID, month: r.arrivedOn.slice(0, 7), officeID: r.officeID, returnID: r.returnID }
    : undefined;

function arrivalItems(before: ReturnFacts | undefined, after: ReturnFacts): TxItem[] {
  const was = before && arrivalKey(before);
  const now = arrivalKey(after);
  const out: TxItem[] = [];
  if (was && (!now || was.month !== now.month)) out.push({ delete: AvrrArrivalEntity.delete(was).params() });
  if (now) {
    const same =
      was &&
      was.month === now.month &&
      before!.countryOfReturn === after.countryOfReturn &&
      before!.individualIDs.join() === after.individualIDs.join();
    if (!same)
      out.push({
        put: AvrrArrivalEntity.put({
          ...now,
          countryOfReturn: after.countryOfReturn,
          individualIDs: after.individualIDs,
        }).params(),
      });
  }
  return out;
}

/** Holds only while the stored record still has the version the counters were computed from. */
function unchanged(params: { TableName: string; Key: unknown }, version: number | undefined): TxItem {
  return {
    check: {
      TableName: params.TableName,
      Key: params.Key,
      ConditionExpression: version === undefined ? "attribute_not_exists(#v)" : "#v = :v",
      ExpressionAttributeNames: { "#v": "version" },
      ...(version === undefined ? {} : { ExpressionAttributeValues: { ":v": version } }),
    },
  };
}

type ArrivalRow = {
  operationID: string;
  month: string;
  officeID: string;
  returnID: string;
  countryOfReturn: string;
  individualIDs: string[];
};
const arrivalID = (a: { month: string; officeID: string; returnID: string }) =>
  `${a.month}|${a.officeID}|${a.returnID}`;

const MONTH = /^\d{4}-\d{2}$/;
/** Months from `from` to `to` (`YYYY-MM`), both included. */
function monthRange(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split("-").map(Number) as [number, number];
  for (let n = 0; n < 1200; n++) {
    const s = `${y}-${String(m).padStart(2, "0")}`;
    if (s > to) break;
    out.push(s);
    if (++m > 12) [y, m] = [y + 1, 1];
  }
  return out;
}

/**
 * The month partitions that may hold an operation's arrival items: every month from the earliest date its returns
 * and counters name (arrival, departure, creation, counter months) to the latest (or this month). An item left in
 * a month since corrected on its return still lies inside that span unless it was older than everything the
 * operation still records.
 */
function monthsToRead(
  returns: readonly { arrivedOn?: string | null; departedOn?: string | null; timeCreated?: string }[],
  counterKeys: readonly string[],
): string[] {
  const seen = new Set<string>([nowIso().slice(0, 7)]);
  for (const r of returns)
    for (const d of [r.arrivedOn, r.departedOn, r.timeCreated]) if (d && MONTH.test(d.slice(0, 7))) seen.add(d.slice(0, 7));
  for (const k of counterKeys) {
    const last = k.split("|").at(-1) ?? "";
    if (MONTH.test(last)) seen.add(last);
  }
  const sorted = [...seen].sort();
  return [...new Set([...monthRange(sorted[0]!, sorted.at(-1)!), ...sorted])];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tally's entities; each call keeps its rows' shape
type AnyEntity = Entity<any, any, any, any>;
/**
 * Batch puts or deletes (25 a request), retrying what DynamoDB leaves unprocessed (`retryUnprocessed`; ElectroDB
 * answers the unprocessed rows by their key attributes, which `key` reads): a rebuild that silently dropped some
 * rows would leave counters or arrival items behind.
 */
async function writeAll<T extends Record<string, unknown>>(
  entity: AnyEntity,
  op: "put" | "delete",
  rows: readonly T[],
  key: (r: Record<string, unknown>) => string,
): Promise<void> {
  if (rows.length === 0) return;
  const byKey = new Map(rows.map((r) => [key(r), r]));
  await retryUnprocessed<T, never>(rows, async (pending) => {
    const batch = (op === "put" ? entity.put(pending) : entity.delete(pending)) as {
      go: (o: { concurrent: number }) => Promise<unknown>;
    };
    const res = (await batch.go({ concurrent: 4 })) as {
      unprocessed?: Record<string, unknown>[];
    };
    return {
      items: [],
      unprocessed: (res.unprocessed ?? []).map((k) => byKey.get(key(k))).filter((r): r is T => r !== undefined),
    };
  });
}
const counterID = (c: Record<string, unknown>) => `${c.officeID}|${c.key}`;
const arrivalRowID = (a: Record<string, unknown>) => arrivalID(a as never);

export namespace AvrrTally {
  /**
   * What a return's change adds to its transaction: counter differences, its arrival item, and, when the country
   * changes while a plan exists, the plan's counters moved to the new country (on the condition that the plan is
   * still the one read).
   */
  export async function forReturn(before: ReturnFacts | undefined, after: ReturnFacts): Promise<TxItem[]> {
    const items = [
      ...counterUpdates(after.operationID, after.officeID, returnCounts(before), returnCounts(after)),
      ...arrivalItems(before, after),
    ];
    if (before && before.countryOfReturn !== after.countryOfReturn) {
      const plan = (await PlanEntity.get({ returnID: after.returnID }).go({ consistent: true })).data as
        | PlanFacts
        | null;
      const moved = counterUpdates(
        after.operationID,
        after.officeID,
        planCounts(before.countryOfReturn, plan),
        planCounts(after.countryOfReturn, plan),
      );
      if (moved.length)
        items.push(
          ...moved,
          unchanged(PlanEntity.get({ returnID: after.returnID }).params() as never, plan?.version),
        );
    }
    return items;
  }

  /** What a plan's change adds to its transaction: counter differences under its return's country. */
  export function forPlan(
    ret: ReturnFacts,
    before: PlanFacts | undefined | null,
    after: PlanFacts,
  ): TxItem[] {
    const moved = counterUpdates(
      ret.operationID,
      ret.officeID,
      planCounts(ret.countryOfReturn, before),
      planCounts(ret.countryOfReturn, after),
    );
    return moved.length
      ? [...moved, unchanged(ReturnEntity.get({ returnID: ret.returnID }).params() as never, ret.version)]
      : [];
  }

  export type Office = {
    counters: Map<string, number>;
    arrivals: { returnID: string; countryOfReturn: string; individualIDs: string[] }[];
  };

  /** The counters and the month's arrivals of each office of the operation the actor may read returns of. */
  export async function read(operationID: string, month: string): Promise<Map<string, Office>> {
    await ensure(operationID);
    const [counters, arrivals] = await Promise.all([
      AvrrCounterEntity.query.primary({ operationID }).go({ pages: "all" }),
      AvrrArrivalEntity.query.primary({ operationID, month }).go({ pages: "all" }),
    ]);
    const offices = new Map<string, Office>();
    const office = (officeID: string) => {
      let o = offices.get(officeID);
      if (!o) offices.set(officeID, (o = { counters: new Map(), arrivals: [] }));
      return o;
    };
    const may = new Map<string, boolean>();
    const readable = (officeID: string) => {
      if (!may.has(officeID)) may.set(officeID, Actor.can("programme.read", { operationID, officeID }));
      return may.get(officeID)!;
    };
    for (const c of counters.data) if (c.n && readable(c.officeID)) office(c.officeID).counters.set(c.key, c.n);
    for (const a of arrivals.data) if (readable(a.officeID)) office(a.officeID).arrivals.push(a);
    return offices;
  }

  const built = new Set<string>();
  /** Builds the counters of an operation from its records if they were never built (once per operation). */
  export async function ensure(operationID: string) {
    if (built.has(operationID)) return;
    const mark = await AvrrTallyMarkEntity.get({ operationID }).go({ consistent: true });
    if (!mark.data) await rebuild(operationID);
    built.add(operationID);
  }

  /**
   * Recomputes every counter and arrival item of an operation from its returns and plans, and removes the arrival
   * items no return stands behind any more (its return gone, deleted, without an arrival date, or arrived in
   * another month or office). For an operation whose returns predate the counters, or after data was loaded
   * around core; a change committed while it runs may need another rebuild, so an operator runs it when nobody
   * edits returns.
   */
  export async function rebuild(
    operationID: string,
  ): Promise<{ returns: number; counters: number; staleArrivals: number }> {
    const started = Date.now();
    const [returns, plans, oldCounters] = await Promise.all([
      ReturnEntity.query.byOperation({ operationID }).go({ pages: "all" }),
      PlanEntity.query.byOperation({ operationID }).go({ pages: "all" }),
      AvrrCounterEntity.query.primary({ operationID }).go({ pages: "all" }),
    ]);
    const planOf = new Map(plans.data.map((p) => [p.returnID, p as unknown as PlanFacts]));
    const totals = new Map<string, Counts>();
    const arrivals: ArrivalRow[] = [];
    for (const raw of returns.data) {
      const r = raw as unknown as ReturnFacts;
      const t = totals.get(r.officeID) ?? new Map();
      totals.set(r.officeID, t);
      for (const counts of [returnCounts(r), planCounts(r.countryOfReturn, planOf.get(r.returnID))])
        for (const [k, n] of counts) bump(t, k, n);
      const key = arrivalKey(r);
      if (key) arrivals.push({ ...key, countryOfReturn: r.countryOfReturn, individualIDs: r.individualIDs });
    }
    const stale = oldCounters.data.filter((c) => !totals.get(c.officeID)?.has(c.key));
    const fresh = [...totals].flatMap(([officeID, t]) =>
      [...t].map(([key, n]) => ({ operationID, officeID, key, n })),
    );
    // the arrival items stored now, in every month a return or counter of the operation ever pointed at
    const months = monthsToRead(
      returns.data as unknown as (ReturnFacts & { timeCreated?: string; departedOn?: string })[],
      oldCounters.data.map((c) => c.key),
    );
    const stored = (
      await mapLimit(months, 16, async (month) =>
        (await AvrrArrivalEntity.query.primary({ operationID, month }).go({ pages: "all" })).data,
      )
    ).flat();
    const wanted = new Set(arrivals.map(arrivalID));
    const staleArrivals = stored.filter((a) => !wanted.has(arrivalID(a)));
    await writeAll(AvrrCounterEntity, "put", fresh, counterID);
    await writeAll(
      AvrrCounterEntity,
      "delete",
      stale.map((c) => ({ operationID, officeID: c.officeID, key: c.key })),
      counterID,
    );
    await writeAll(AvrrArrivalEntity, "put", arrivals, arrivalRowID);
    await writeAll(
      AvrrArrivalEntity,
      "delete",
      staleArrivals.map((a) => ({ operationID, month: a.month, officeID: a.officeID, returnID: a.returnID })),
      arrivalRowID,
    );
    await AvrrTallyMarkEntity.put({ operationID, builtAt: nowIso(), returns: returns.data.length }).go();
    built.add(operationID);
    log.info(
      {
        operationID,
        returns: returns.data.length,
        counters: fresh.length,
        staleArrivals: staleArrivals.length,
        ms: Date.now() - started,
      },
      "avrr counters rebuilt",
    );
    return { returns: returns.data.length, counters: fresh.length, staleArrivals: staleArrivals.length };
  }
}
