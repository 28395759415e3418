import { AgeBrackets, type ReportFilter, type ReportName } from "@waypoint/schema/reports";
import { specificNeedsCategory, SpecificNeedsCodes } from "@waypoint/schema/codes";
import { Actor } from "../actor.ts";
import { ForbiddenError } from "../common/errors.ts";
import { Operation } from "../operation/index.ts";
import { formatMinor } from "../payment/money.ts";
import { dashboard } from "./dashboard.ts";
import { ageAt, bracket, context, DEPARTED, mayRead, monthIn, needCategories, visible, zoneOf } from "./dims.ts";
import { projection, type KindName } from "./projection.ts";
import { dataQuality } from "./quality.ts";
import { register } from "./register.ts";
import { suppress } from "./suppress.ts";
import { IncidentKindLabels, PerpetratorTypeLabels, SurvivorAgeGroups, type SurvivorAgeGroup } from "@waypoint/schema/cases";
import { monitoredIncidents } from "../incident/monitoring.ts";
import { Areas } from "../operation/areas.ts";
import { configuredBreakdown, type Breakdown, type UiLanguage } from "./configured.ts";
import type { IndividualRow } from "./projection.ts";

export type Cell = string | number | null;
export interface Column {
  header: string;
  /** HXL hashtag with attributes; empty for columns HXL has no tag for (tools ignore untagged columns). */
  hxl: string;
  /** Counts of people or records: subject to small-count suppression. */
  count?: boolean;
}
/** A report table. Aggregates are small arrays; the row-level register streams from an iterator. */
export interface Table {
  columns: Column[];
  rows: Iterable<Cell[]> | AsyncIterable<Cell[]>;
  /** Rows affected by suppression, or an explanation when the table is row-level and cannot be suppressed. */
  suppressed?: number;
  /** Where the rows came from: the in-memory report projection, or the store streamed page by page. */
  source?: "projection" | "store";
}

const SEX_ATT = { female: "+f", male: "+m", other: "+i" } as const;
const AGE_ATT: Record<(typeof AgeBrackets)[number], string> = {
  "0-4": "+infants",
  "5-11": "+children",
  "12-17": "+adolescents",
  "18-59": "+adults",
  "60+": "+elderly",
};
const SEX_LABEL = { female: "Female", male: "Male", other: "Other", unknown: "Sex unknown" } as const;

async function visibleRows<K extends KindName>(kind: K, f: ReportFilter) {
  if (!mayRead(kind)) throw new ForbiddenError("report.read", `Your role may not read ${kind} in reports`);
  const p = await projection(Actor.operationID(), kind);
  const keep = visible(kind, f);
  return [...p.rows.values()].filter(keep);
}

/**
 * A table of counts with a total column (and optionally a totals row), suppressed as a whole: the total column
 * and the totals row are the margins secondary suppression protects.
 */
function marginTable(
  labels: Cell[][],
  counts: number[][],
  totalsRow: boolean,
  below: number,
): { rows: Cell[][]; suppressed: number } {
  const rowTotals = counts.map((r) => r.reduce((a, b) => a + b, 0));
  const colTotals = totalsRow
    ? (counts[0]?.map((_, j) => counts.reduce((a, r) => a + r[j]!, 0)) ?? [])
    : undefined;
  const grand = totalsRow ? rowTotals.reduce((a, b) => a + b, 0) : undefined;
  const m = suppress({ cells: counts, rowTotals, colTotals, grand }, below);
  const rows: Cell[][] = counts.map((r, i) => [
    ...labels[i]!,
    ...r.map((v, j) => (m.cells[i]![j] ? null : v)),
    m.rowTotals[i] ? null : rowTotals[i]!,
  ]);
  if (totalsRow && colTotals)
    rows.push([
      ...labels[0]!.map((_, k) => (k === 0 ? "Total" : "")),
      ...colTotals.map((v, j) => (m.colTotals[j] ? null : v)),
      m.grand ? null : grand!,
    ]);
  const suppressed =
    m.cells.flat().filter(Boolean).length +
    m.rowTotals.filter(Boolean).length +
    m.colTotals.filter(Boolean).length +
    (m.grand ? 1 : 0);
  return { rows, suppressed };
}

/** A people table's options: rows by a configured field of individuals instead of office / nationality. */
export interface TableOptions {
  /** `fields.<key>` of a one-of, many-of or yes/no field the reader may see. */
  by?: string;
  /** Language of the breakdown's labels (the field's and its codes'). */
  lang?: UiLanguage;
}
/** The reports that take a configured-field breakdown (`by`). */
export const BREAKDOWN_REPORTS: readonly ReportName[] = ["individuals-agd", "individuals-nationality"];

/** Counts per row key (a breakdown's keys first, in its order, zero rows kept), each person in each of their keys. */
function countBy(
  rows: IndividualRow[],
  dim: Breakdown,
  width: number,
  add: (r: IndividualRow, line: number[]) => void,
): Map<string, number[]> {
  const m = new Map<string, number[]>(dim.keys.map((k) => [k, Array.from({ length: width }, () => 0)]));
  for (const r of rows)
    for (const k of dim.keysOf(r)) {
      const line = m.get(k) ?? Array.from({ length: width }, () => 0);
      m.set(k, line);
      add(r, line);
    }
  return m;
}

async function agd(f: ReportFilter, below: number, opts: TableOptions = {}): Promise<Table> {
  const ctx = context(f.to, zoneOf(f));
  const rows = await visibleRows("individuals", f);
  const dim = opts.by ? await configuredBreakdown(opts.by, opts.lang) : undefined;
  const offices = new Map((await Operation.offices()).map((o) => [o.officeID, o.name]));
  const brackets = [...AgeBrackets, "unknown"] as const;
  const cols: { sex: string; bracket?: string; hxl: string; header: string }[] = [];
  for (const sex of ["female", "male"] as const)
    for (const b of brackets)
      cols.push({
        sex,
        bracket: b,
        header: `${SEX_LABEL[sex]} ${b === "unknown" ? "age unknown" : b}`,
        hxl: b === "unknown" ? "" : `#affected+ind${SEX_ATT[sex]}${AGE_ATT[b]}`,
      });
  cols.push(
    { sex: "other", header: "Other sex", hxl: "#affected+ind+i" },
    { sex: "unknown", header: "Sex unknown", hxl: "" },
  );
  const count = (r: IndividualRow, line: number[]) => {
    const b = bracket(ageAt(r, ctx.referenceDate));
    const j = cols.findIndex((c) => c.sex === r.sex && (c.bracket === undefined || c.bracket === b));
    line[j === -1 ? cols.length - 1 : j]! += 1;
  };
  if (dim) {
    const m = countBy(rows, dim, cols.length, count);
    const keys = [...m.keys()];
    const t = marginTable(
      keys.map((k) => [dim.label(k)]),
      keys.map((k) => m.get(k)!),
      dim.additive,
      below,
    );
    return {
      columns: [
        { header: dim.header, hxl: dim.hxl },
        ...cols.map((c) => ({ header: c.header, hxl: c.hxl, count: true })),
        { header: "Total", hxl: "#affected+ind", count: true },
      ],
      rows: t.rows,
      suppressed: t.suppressed,
    };
  }
  const byOffice = new Map<string, number[]>();
  for (const r of rows) {
    const key = r.officeID ?? "";
    const line = byOffice.get(key) ?? cols.map(() => 0);
    byOffice.set(key, line);
    count(r, line);
  }
  const keys = [...byOffice.keys()].sort((a, b) => (offices.get(a) ?? a).localeCompare(offices.get(b) ?? b));
  const t = marginTable(
    keys.map((k) => [offices.get(k) ?? k]),
    keys.map((k) => byOffice.get(k)!),
    true,
    below,
  );
  return {
    columns: [
      { header: "Office", hxl: "#loc+name" },
      ...cols.map((c) => ({ header: c.header, hxl: c.hxl, count: true })),
      { header: "Total", hxl: "#affected+ind", count: true },
    ],
    rows: t.rows,
    suppressed: t.suppressed,
  };
}

const SEX_COLS: Column[] = [
  { header: "Female", hxl: "#affected+ind+f", count: true },
  { header: "Male", hxl: "#affected+ind+m", count: true },
  { header: "Other sex", hxl: "#affected+ind+i", count: true },
  { header: "Sex unknown", hxl: "", count: true },
];
const sexIndex = (sex: string) => ({ female: 0, male: 1, other: 2 })[sex] ?? 3;

async function nationality(f: ReportFilter, below: number, opts: TableOptions = {}): Promise<Table> {
  if (opts.by) {
    // people by a configured field and sex
    const dim = await configuredBreakdown(opts.by, opts.lang);
    const m = countBy(await visibleRows("individuals", f), dim, 4, (r, line) => void (line[sexIndex(r.sex)]! += 1));
    const keys = [...m.keys()];
    const t = marginTable(
      keys.map((k) => [dim.label(k)]),
      keys.map((k) => m.get(k)!),
      dim.additive,
      below,
    );
    return {
      columns: [{ header: dim.header, hxl: dim.hxl }, ...SEX_COLS, { header: "Total", hxl: "#affected+ind", count: true }],
      rows: t.rows,
      suppressed: t.suppressed,
    };
  }
  const m = new Map<string, number[]>();
  for (const r of await visibleRows("individuals", f)) {
    const k = r.nationality ?? "";
    const line = m.get(k) ?? [0, 0, 0, 0];
    line[sexIndex(r.sex)]! += 1;
    m.set(k, line);
  }
  const keys = [...m.keys()].sort();
  const t = marginTable(
    keys.map((k) => [k]),
    keys.map((k) => m.get(k)!),
    true,
    below,
  );
  return {
    columns: [
      { header: "Nationality", hxl: "#country+code+origin" },
      ...SEX_COLS,
      { header: "Total", hxl: "#affected+ind", count: true },
    ],
    rows: t.rows,
    suppressed: t.suppressed,
  };
}

async function needs(f: ReportFilter, below: number): Promise<Table> {
  const ctx = context(f.to, zoneOf(f));
  if (ctx.needs === "none") throw new ForbiddenError("report.read", "Your role may not see specific needs");
  const m = new Map<string, number[]>();
  for (const r of await visibleRows("individuals", f))
    for (const cat of needCategories(r, ctx)) {
      const line = m.get(cat) ?? [0, 0, 0, 0];
      line[sexIndex(r.sex)]! += 1;
      m.set(cat, line);
    }
  const keys = [...m.keys()].sort();
  const label = (k: string) =>
    (SpecificNeedsCodes as Record<string, { en: string }>)[specificNeedsCategory(k)]?.en ?? k;
  // one person can have several needs: rows do not add up, so there is no totals row (each row is its own line)
  const t = marginTable(
    keys.map((k) => [k, label(k)]),
    keys.map((k) => m.get(k)!),
    false,
    below,
  );
  return {
    columns: [
      { header: "Need code", hxl: "#need+code" },
      { header: "Specific need", hxl: "#need+name" },
      ...SEX_COLS,
      { header: "Total", hxl: "#affected+ind", count: true },
    ],
    rows: t.rows,
    suppressed: t.suppressed,
  };
}

/** Grouped tables without margins: a small group's count and every figure derived from it are withheld. */
function grouped(rows: Cell[][], countAt: number[], dependentAt: number[], below: number) {
  let suppressed = 0;
  for (const r of rows)
    if (countAt.some((j) => typeof r[j] === "number" && (r[j] as number) > 0 && (r[j] as number) < below)) {
      for (const j of [...countAt, ...dependentAt]) r[j] = null;
      suppressed++;
    }
  return suppressed;
}

async function cases(f: ReportFilter, below: number): Promise<Table> {
  const ctx = context(f.to, zoneOf(f));
  const offices = new Map((await Operation.offices()).map((o) => [o.officeID, o.name]));
  const m = new Map<string, { office: string; type: string; stage: string; n: number; overdue: number }>();
  for (const r of await visibleRows("cases", f)) {
    const k = `${r.officeID}|${r.type}|${r.stage}`;
    const e = m.get(k) ?? {
      office: offices.get(r.officeID ?? "") ?? r.officeID ?? "",
      type: r.type,
      stage: r.stage,
      n: 0,
      overdue: 0,
    };
    e.n++;
    if (r.stage !== "closed" && r.dueFollowUp && r.dueFollowUp.slice(0, 10) < ctx.referenceDate) e.overdue++;
    m.set(k, e);
  }
  const rows: Cell[][] = [...m.values()]
    .sort(
      (a, b) =>
        a.office.localeCompare(b.office) || a.type.localeCompare(b.type) || a.stage.localeCompare(b.stage),
    )
    .map((e) => [e.office, e.type, e.stage, e.n, e.overdue]);
  const suppressed = grouped(rows, [3], [4], below);
  return {
    columns: [
      { header: "Office", hxl: "#loc+name" },
      { header: "Case type", hxl: "#activity+type" },
      { header: "Stage", hxl: "#status+code" },
      { header: "Cases", hxl: "#output+num", count: true },
      { header: "Overdue follow-ups", hxl: "#indicator+num", count: true },
    ],
    rows,
    suppressed,
  };
}

async function referrals(f: ReportFilter, below: number): Promise<Table> {
  const d = await dashboard(f);
  if (!d.referrals.available) throw new ForbiddenError("report.read", d.referrals.reason);
  const all = await visibleRows("referrals", f);
  const names = new Map(d.referrals.byPartner.map((p) => [p.partner, p.partnerName]));
  const m = new Map<string, number>();
  for (const r of all) m.set(`${r.partner}|${r.status}`, (m.get(`${r.partner}|${r.status}`) ?? 0) + 1);
  const median = new Map(d.referrals.byPartner.map((p) => [p.partner, p.medianResponseHours]));
  const rows: Cell[][] = [...m.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([k, n]) => {
      const [partner, status] = k.split("|") as [string, string];
      return [names.get(partner) ?? partner, status, n, median.get(partner) ?? null];
    });
  const suppressed = grouped(rows, [2], [3], below);
  return {
    columns: [
      { header: "Partner", hxl: "#org+name" },
      { header: "Status", hxl: "#status+code" },
      { header: "Referrals", hxl: "#output+num", count: true },
      { header: "Median response (hours, partner)", hxl: "#indicator+num" },
    ],
    rows,
    suppressed,
  };
}

async function relocations(f: ReportFilter, below: number): Promise<Table> {
  const offices = new Map((await Operation.offices()).map((o) => [o.officeID, o.name]));
  const m = new Map<string, Cell[]>();
  for (const r of await visibleRows("relocations", f)) {
    if (!DEPARTED.has(r.status) || !r.departedAt) continue;
    const month = monthIn(r.departedAt, zoneOf(f));
    const k = `${month}|${r.officeID}|${r.destinationAdm}|${r.destination}`;
    const e = m.get(k) ?? [
      month,
      offices.get(r.officeID ?? "") ?? r.officeID ?? "",
      r.destinationAdm ?? "",
      r.destination,
      0,
      0,
    ];
    (e[4] as number)++;
    (e[5] as number) += r.people;
    m.set(k, e);
  }
  const rows = [...m.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([, v]) => v);
  const suppressed = grouped(rows, [4, 5], [], below);
  return {
    columns: [
      { header: "Month of departure", hxl: "#date+occurred" },
      { header: "Origin office", hxl: "#loc+name+origin" },
      { header: "Destination code", hxl: "#adm2+code+dest" },
      { header: "Destination", hxl: "#adm2+name+dest" },
      { header: "Households", hxl: "#affected+hh", count: true },
      { header: "People", hxl: "#affected+ind", count: true },
    ],
    rows,
    suppressed,
  };
}

async function payments(f: ReportFilter, below: number): Promise<Table> {
  const m = new Map<string, { cells: Cell[]; sum: number }>();
  for (const r of await visibleRows("payments", f)) {
    const month = monthIn(r.timeCreated, zoneOf(f));
    const k = `${month}|${r.purpose}|${r.status}|${r.currency}`;
    const e = m.get(k) ?? {
      cells: [month, r.purpose, r.status, r.currency, 0, ""],
      sum: 0,
    };
    (e.cells[4] as number)++;
    e.sum += r.amount;
    m.set(k, e);
  }
  const rows = [...m.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([, e]) => {
      e.cells[5] = Number(formatMinor(e.sum, e.cells[3] as string));
      return e.cells;
    });
  const suppressed = grouped(rows, [4], [5], below);
  return {
    columns: [
      { header: "Month", hxl: "#date" },
      { header: "Purpose", hxl: "#activity+type" },
      { header: "Status", hxl: "#status+code" },
      { header: "Currency", hxl: "#currency+code" },
      { header: "Payments", hxl: "#output+num", count: true },
      { header: "Amount", hxl: "#value+transfer" },
    ],
    rows,
    suppressed,
  };
}

async function quality(f: ReportFilter, below: number): Promise<Table> {
  const q = await dataQuality({ officeID: f.officeID });
  const rows: Cell[][] = q.issues.map((i) => [i.kind, i.title, i.severity, i.count, i.suggestedFix, i.link]);
  const suppressed = grouped(rows, [3], [5], below);
  return {
    columns: [
      { header: "Check", hxl: "#indicator+code" },
      { header: "Issue", hxl: "#indicator+name" },
      { header: "Severity", hxl: "#severity" },
      { header: "Records", hxl: "#indicator+num", count: true },
      { header: "Suggested fix", hxl: "#description" },
      { header: "Link", hxl: "" },
    ],
    rows,
    suppressed,
  };
}

const PERSON_SEX = { female: "+f", male: "+m" } as const;
const GROUP_ATT: Record<Exclude<SurvivorAgeGroup, "unknown">, string> = {
  "0-4": "+infants",
  "5-11": "+children",
  "12-17": "+adolescents",
  "18-59": "+adults",
  "60+": "+elderly",
};

/**
 * Protection monitoring for the protection cluster: incidents (one survivor each) by month, first-level area,
 * kind and perpetrator type, in columns by the survivor's sex and age group, with totals; small counts withheld
 * with their margins as in every other table. Counts only: no narrative, no person, no office is read out.
 */
async function protectionIncidents(f: ReportFilter, below: number): Promise<Table> {
  Actor.assert("incident.monitor"); // the office asked for is checked against the viewer's offices (listPartition)
  const rows = await monitoredIncidents(f);
  const areas = await Areas.load(Actor.operationID());
  const cols: { sex: string; group?: SurvivorAgeGroup; header: string; hxl: string }[] = [];
  for (const sex of ["female", "male"] as const)
    for (const g of SurvivorAgeGroups)
      cols.push({
        sex,
        group: g,
        header: `${SEX_LABEL[sex]} ${g === "unknown" ? "age unknown" : g}`,
        hxl: g === "unknown" ? "" : `#affected+ind${PERSON_SEX[sex]}${GROUP_ATT[g]}`,
      });
  cols.push(
    { sex: "other", header: "Other sex", hxl: "#affected+ind+i" },
    { sex: "unknown", header: "Sex unknown", hxl: "" },
  );
  const lines = new Map<string, { labels: Cell[]; counts: number[] }>();
  for (const r of rows) {
    const k = `${r.month}|${r.adm1 ?? ""}|${r.kind}|${r.perpetratorType}`;
    const line = lines.get(k) ?? {
      labels: [
        r.month,
        r.adm1 ?? "",
        r.adm1 ? (areas.get(r.adm1)?.name ?? "") : "",
        IncidentKindLabels[r.kind]?.en ?? r.kind,
        PerpetratorTypeLabels[r.perpetratorType]?.en ?? r.perpetratorType,
      ],
      counts: cols.map(() => 0),
    };
    lines.set(k, line);
    const j = cols.findIndex((c) => c.sex === r.sex && (c.group === undefined || c.group === r.ageGroup));
    line.counts[j === -1 ? cols.length - 1 : j]! += 1;
  }
  const keys = [...lines.keys()].sort();
  const t = marginTable(
    keys.map((k) => lines.get(k)!.labels),
    keys.map((k) => lines.get(k)!.counts),
    true,
    below,
  );
  return {
    columns: [
      { header: "Month of incident", hxl: "#date+occurred" },
      { header: "Area code", hxl: "#adm1+code" },
      { header: "Area", hxl: "#adm1+name" },
      { header: "Kind of incident", hxl: "#event+type" },
      { header: "Perpetrator type", hxl: "#group+perpetrator+type" },
      ...cols.map((c) => ({ header: c.header, hxl: c.hxl, count: true })),
      { header: "Total", hxl: "#affected+ind", count: true },
    ],
    rows: t.rows,
    suppressed: t.suppressed,
  };
}

export const Tables: Record<ReportName, (f: ReportFilter, below: number, opts?: TableOptions) => Promise<Table>> = {
  "individuals-agd": agd,
  "individuals-nationality": nationality,
  "specific-needs": needs,
  cases,
  referrals,
  "relocations-monthly": relocations,
  payments,
  register: (f) => register(f),
  "data-quality": quality,
  "protection-incidents": protectionIncidents,
};
