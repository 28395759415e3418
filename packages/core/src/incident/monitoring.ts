import {
  IncidentKindLabels,
  PerpetratorTypeLabels,
  SurvivorAgeGroups,
  type SurvivorAgeGroup,
} from "@waypoint/schema/cases";
import { MonitoringFilter, type MonitoringDashboard } from "@waypoint/schema/feedback";
import { DEFAULT_SUPPRESS_BELOW } from "@waypoint/schema/reports";
import { Actor } from "../actor.ts";
import { fn } from "../common/fn.ts";
import { listPartition } from "../common/scope.ts";
import { Areas } from "../operation/areas.ts";
import { suppress } from "../report/suppress.ts";
import { IncidentEntity } from "./incident.entity.ts";

/** What protection monitoring reads of an incident: never the narrative, never who it is about. */
export interface MonitoredIncident {
  officeID: string;
  kind: keyof typeof IncidentKindLabels;
  month: string;
  adm1?: string;
  adm2?: string;
  sex: "female" | "male" | "other" | "unknown";
  ageGroup: SurvivorAgeGroup;
  perpetratorType: keyof typeof PerpetratorTypeLabels;
}

/**
 * The incidents protection monitoring counts: those of the viewer's reach (`incident.monitor`: a supervisor's
 * office, the whole operation for admins) within the period (by date of the incident). Read with the attributes
 * the counts need only: the sealed narrative and the people linked are never read.
 */
export async function monitoredIncidents(f: {
  officeID?: string;
  from?: string;
  to?: string;
}): Promise<MonitoredIncident[]> {
  const part = listPartition("incident.monitor", f.officeID);
  const attributes = [
    "incidentID",
    "officeID",
    "operationID",
    "kind",
    "dateOfIncident",
    "adm1",
    "adm2",
    "survivorSex",
    "survivorAgeGroup",
    "perpetratorType",
    "deleted",
  ] as const;
  const query =
    part.kind === "office"
      ? IncidentEntity.query.byOffice({ officeID: part.officeID })
      : IncidentEntity.query.byOperation({ operationID: Actor.operationID() });
  const res = await query.go({ pages: "all", attributes: [...attributes] });
  const out: MonitoredIncident[] = [];
  for (const i of res.data as Record<string, string | boolean | undefined>[]) {
    if (i.deleted || i.operationID !== Actor.operationID()) continue;
    if (part.kind === "own") continue; // counts are for those who oversee an office or the operation
    const day = String(i.dateOfIncident);
    if ((f.from && day < f.from) || (f.to && day > f.to)) continue;
    out.push({
      officeID: String(i.officeID),
      kind: i.kind as MonitoredIncident["kind"],
      month: day.slice(0, 7),
      ...(i.adm1 ? { adm1: String(i.adm1) } : {}),
      ...(i.adm2 ? { adm2: String(i.adm2) } : {}),
      sex: (i.survivorSex as MonitoredIncident["sex"]) ?? "unknown",
      ageGroup: (i.survivorAgeGroup as SurvivorAgeGroup) ?? "unknown",
      perpetratorType: (i.perpetratorType as MonitoredIncident["perpetratorType"]) ?? "unknown",
    });
  }
  return out;
}

function counts(
  rows: MonitoredIncident[],
  key: (r: MonitoredIncident) => string,
  name?: (k: string) => string,
) {
  const m = new Map<string, number>();
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
  return [...m.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, count]) => ({ key: k, ...(name ? { name: name(k) } : {}), count }));
}

type Count = { key: string; name?: string; count: number };

/**
 * Withholds small counts of one breakdown as the exports do (`suppress()`): the breakdown and its total are one
 * line, so a single withheld count that the total would give away by subtraction takes another with it.
 */
function withheld(list: Count[], total: number, below: number) {
  const mask = suppress({ cells: [list.map((c) => c.count)], rowTotals: [total] }, below);
  return {
    list: list.map((c, j) => (mask.cells[0]![j] ? { ...c, count: null } : c)),
    totalHidden: mask.rowTotals[0]!,
  };
}

export namespace ProtectionMonitoring {
  /**
   * Incidents counted by kind, place (first-level area, with its name), survivor's sex and age group, month and
   * perpetrator type. For the staff who oversee them (internal, like the dashboard): exports for the protection
   * cluster go through the report export (`protection-incidents`), which withholds small counts.
   */
  export const dashboard = fn(MonitoringFilter, async (f): Promise<MonitoringDashboard> => {
    Actor.assert("incident.monitor"); // the office asked for is checked against the viewer's offices below
    const rows = await monitoredIncidents(f);
    const areas = await Areas.load(Actor.operationID());
    const byMonth = counts(rows, (r) => r.month).sort((a, b) => a.key.localeCompare(b.key));
    const ages = [...SurvivorAgeGroups] as string[];
    const below = DEFAULT_SUPPRESS_BELOW;
    const total = rows.length;
    const parts = {
      byKind: counts(rows, (r) => r.kind),
      byArea: counts(
        rows,
        (r) => r.adm1 ?? "",
        (k) => (k ? (areas.get(k)?.name ?? k) : ""),
      ),
      bySex: counts(rows, (r) => r.sex),
      byAgeGroup: counts(rows, (r) => r.ageGroup).sort((a, b) => ages.indexOf(a.key) - ages.indexOf(b.key)),
      bySexAndAge: counts(rows, (r) => `${r.sex}|${r.ageGroup}`),
      byMonth,
      byPerpetrator: counts(rows, (r) => r.perpetratorType),
    };
    // small counts are withheld here too (the dashboard is internal, but a count of 1 or 2 names someone)
    const shown = Object.fromEntries(
      Object.entries(parts).map(([k, list]) => [k, withheld(list, total, below).list]),
    ) as Omit<MonitoringDashboard, "total" | "suppressBelow">;
    return {
      total: total > 0 && total < below ? null : total,
      suppressBelow: below,
      ...shown,
    };
  });
}
