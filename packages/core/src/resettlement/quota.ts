import {
  QuotaCreate,
  QuotaProgressQuery,
  type QuotaInfo,
  type QuotaProgressRow,
} from "@waypoint/schema/resettlement";
import type { Dashboard, ReportFilter } from "@waypoint/schema/reports";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { nowIso, transactWrite } from "../common/db.ts";
import { ConflictError } from "../common/errors.ts";
import { conflictView } from "../common/record.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import type { TxItem } from "../common/db.ts";
import { QuotaEntity, QuotaLineEntity } from "./submission.entity.ts";

const SUBMITTED = ["submitted", "accepted", "rejected", "deferred", "departure_arranged", "departed"];
const ACCEPTED = ["accepted", "departure_arranged", "departed"];
const PIPELINE = ["identified", "interviewed", "drafted", "returned", "recommended"];

/**
 * Annual quotas per resettlement country and programme, and progress against them. Quotas are agreed for the
 * whole operation, so only operation-wide roles set them. Progress is computed from the submissions themselves
 * (one indexed query per year, only the fields it counts), never from counters that could drift.
 */
export namespace Quota {
  type Line = {
    operationID: string;
    quotaYear: number;
    submissionID: string;
    programme: "rst" | "pta" | "pathway";
    country: string;
    status: string;
    individualCount: number;
    deleted?: boolean;
  };
  /** The quota line items to write with a submission change (the old year's line goes when the year moves). */
  export function lineItems(next: Line, before?: { quotaYear: number }): TxItem[] {
    const items: TxItem[] = [
      { put: QuotaLineEntity.put({ ...next, status: next.status as never }).params() },
    ];
    if (before && before.quotaYear !== next.quotaYear)
      items.push({
        delete: QuotaLineEntity.delete({
          operationID: next.operationID,
          quotaYear: before.quotaYear,
          submissionID: next.submissionID,
        }).params(),
      });
    return items;
  }

  export const set = fn(QuotaCreate, async (input): Promise<QuotaInfo> => {
    const operationID = Actor.operationID();
    Actor.assert("programme.update", { operationID });
    const now = nowIso();
    const key = { operationID, year: input.year, programme: input.programme, country: input.country };
    // The version the write is conditioned on is read strongly consistent: an eventually consistent read can be
    // older than the stored quota, and the conditional write would then always fail.
    const existing = (await QuotaEntity.get(key).go({ consistent: true })).data;
    const item = {
      ...input,
      quotaID: existing?.quotaID ?? Identifier.create("quota"),
      operationID,
      createdBy: existing?.createdBy ?? Actor.id(),
      version: (existing?.version ?? 0) + 1,
      timeCreated: existing?.timeCreated ?? now,
      timeUpdated: now,
    };
    const tx = await transactWrite([
      {
        put: QuotaEntity.put(item)
          .where((a, { notExists, eq }) =>
            existing ? eq(a.version, existing.version) : notExists(a.quotaID),
          )
          .params(),
      },
      Audit.txItem({
        recordID: item.quotaID,
        recordType: "quota",
        action: existing ? "update" : "create",
        operationID,
        changes: existing
          ? Audit.diff(existing, item, ["quotaIndividuals", "targetIndividuals", "targetCases"])
          : undefined,
      }),
    ]);
    // Someone saved this quota between our read and our write: theirs stands, this save is refused (409).
    if (!tx.ok) {
      const current = (await QuotaEntity.get(key).go({ consistent: true })).data;
      throw new ConflictError(
        `quota ${input.year} ${input.programme} ${input.country} was changed by someone else`,
        await conflictView("quota", current),
      );
    }
    return item as QuotaInfo;
  });

  export async function list(year: number): Promise<QuotaInfo[]> {
    Actor.assert("programme.read");
    const res = await QuotaEntity.query
      .primary({ operationID: Actor.operationID(), year })
      .go({ pages: "all" });
    return res.data as QuotaInfo[];
  }

  export const progress = fn(QuotaProgressQuery, async ({ year, programme }): Promise<QuotaProgressRow[]> => {
    Actor.assert("programme.read");
    const operationID = Actor.operationID();
    const [subs, quotas] = await Promise.all([
      QuotaLineEntity.query.primary({ operationID, quotaYear: year }).go({ pages: "all" }),
      list(year),
    ]);
    const rows = new Map<string, QuotaProgressRow>();
    const zero = () => ({ cases: 0, individuals: 0 });
    const row = (prog: QuotaProgressRow["programme"], country: string) => {
      const k = `${prog}:${country}`;
      let r = rows.get(k);
      if (!r) {
        r = {
          year,
          country,
          programme: prog,
          pipeline: zero(),
          submitted: zero(),
          accepted: zero(),
          rejected: zero(),
          deferred: zero(),
          departed: zero(),
        };
        rows.set(k, r);
      }
      return r;
    };
    for (const quota of quotas) {
      if (programme && quota.programme !== programme) continue;
      Object.assign(row(quota.programme, quota.country), {
        quotaIndividuals: quota.quotaIndividuals,
        targetIndividuals: quota.targetIndividuals,
        targetCases: quota.targetCases,
      });
    }
    for (const s of subs.data) {
      if (s.deleted || (programme && s.programme !== programme)) continue;
      const r = row(s.programme!, s.country!);
      const n = s.individualCount ?? 0;
      const bump = (c: { cases: number; individuals: number }) => {
        c.cases++;
        c.individuals += n;
      };
      const st = s.status!;
      if (PIPELINE.includes(st)) bump(r.pipeline);
      if (SUBMITTED.includes(st)) bump(r.submitted);
      if (ACCEPTED.includes(st)) bump(r.accepted);
      if (st === "rejected") bump(r.rejected);
      if (st === "deferred") bump(r.deferred);
      if (st === "departed") bump(r.departed);
    }
    for (const r of rows.values())
      if (r.quotaIndividuals)
        r.quotaUsed = Math.round((r.departed.individuals / r.quotaIndividuals) * 1000) / 1000;
    return [...rows.values()].sort(
      (a, b) => a.programme.localeCompare(b.programme) || a.country.localeCompare(b.country),
    );
  });

  const STAGES = ["submitted", "accepted", "rejected", "departed"] as const;
  /**
   * The dashboard's resettlement card: individuals submitted, accepted, rejected and departed per resettlement
   * country (programmes together) in the year of the period's end, against the country's quotas.
   */
  export async function dashboardFigures(f: ReportFilter): Promise<Dashboard["resettlement"]> {
    if (!Actor.can("programme.read"))
      return { available: false, reason: "Your role may not read resettlement submissions" };
    const year = Number((f.to ?? new Date().toISOString()).slice(0, 4));
    const byCountry = new Map<string, { quota: number | null; counts: Record<string, number> }>();
    for (const r of await progress({ year })) {
      const c = byCountry.get(r.country) ?? { quota: null, counts: {} };
      if (r.quotaIndividuals !== undefined) c.quota = (c.quota ?? 0) + r.quotaIndividuals;
      for (const st of STAGES) c.counts[st] = (c.counts[st] ?? 0) + r[st].individuals;
      byCountry.set(r.country, c);
    }
    return {
      available: true,
      rows: [...byCountry.entries()]
        .sort((a, b) => a[0].localeCompare(b[0]))
        .flatMap(([country, c]) =>
          STAGES.map((stage) => ({ country, year, stage, value: c.counts[stage] ?? 0, quota: c.quota })),
        ),
    };
  }
}
