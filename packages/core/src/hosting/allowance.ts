import { AllowanceRun } from "@waypoint/schema/hosting";
import { type BulkRowResult } from "@waypoint/schema/bulk";
import { Actor } from "../actor.ts";
import { InvalidError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { generatePayments } from "../payment/generate.ts";
import { HostEntity } from "./host.entity.ts";
import { PlacementEntity } from "./placement.entity.ts";

const DAY = 864e5;
const daysIn = (period: string) =>
  new Date(Date.UTC(+period.slice(0, 4), +period.slice(5, 7), 0)).getUTCDate();

/** Days a placement was active within the month (both ends inclusive). */
export function placementDays(p: { start: string; end?: string }, period: string): number {
  const first = Date.parse(`${period}-01T00:00:00Z`);
  const last = first + (daysIn(period) - 1) * DAY;
  const s = Math.max(first, Date.parse(`${p.start}T00:00:00Z`));
  const e = Math.min(last, p.end ? Date.parse(`${p.end}T00:00:00Z`) : last);
  return e < s ? 0 : Math.round((e - s) / DAY) + 1;
}

/**
 * The monthly hosting allowance as payments, through the payments module's generation: one payment per host
 * and month (its unique claim makes a second run a per-row `duplicate`), capped at what the host's capacity
 * could earn in the month. The amount is the rate per hosted person per day × person-days, or the monthly rate
 * prorated by the days each placement was active.
 */
export const generateAllowances = fn(AllowanceRun, async (run) => {
  const operationID = Actor.operationID();
  Actor.assert("payment.create", { operationID, officeID: run.officeID });
  const hosts = (
    run.officeID
      ? await HostEntity.query.byOffice({ officeID: run.officeID }).go({ pages: "all" })
      : await HostEntity.query.byOperation({ operationID }).go({ pages: "all" })
  ).data.filter((h) => !h.deleted && h.operationID === operationID);
  const days = daysIn(run.period);
  const results: BulkRowResult[] = [];
  for (const h of hosts) {
    const placements = (await PlacementEntity.query.byHost({ hostID: h.hostID }).go({ pages: "all" })).data;
    const personDays = placements.filter((p) => !p.deleted).map((p) => placementDays(p, run.period));
    if (personDays.every((d) => d === 0)) continue;
    if (!h.payeeID) {
      results.push({
        id: h.hostID,
        ref: h.hostID,
        status: "invalid",
        issues: [{ path: "payeeID", code: "invalid.payee", message: "The host has no payee account" }],
      });
      continue;
    }
    const total =
      run.per === "day"
        ? personDays.reduce((s, d) => s + d * run.amount, 0)
        : personDays.reduce((s, d) => s + Math.round((run.amount * d) / days), 0);
    const monthly = run.per === "day" ? run.amount * days : run.amount;
    const res = await generatePayments({
      rule: {
        purpose: "hosting_allowance",
        currency: run.currency,
        period: run.period,
        unitAmount: total,
        capPerPayee: monthly * h.capacity,
        status: run.status,
      },
      rows: [
        { ref: h.hostID, payeeID: h.payeeID, units: 1, sourceID: `host:${h.hostID}`, officeID: h.officeID },
      ],
    });
    results.push(...res.results);
  }
  if (hosts.length === 0) throw InvalidError.field("officeID", "invalid.noHosts", "No hosts in this scope");
  const summary: Record<string, number> = {};
  for (const r of results) summary[r.status] = (summary[r.status] ?? 0) + 1;
  return { results, summary };
});
