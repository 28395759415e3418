import type { ReportFilter } from "@waypoint/schema/reports";
import { Actor } from "../actor.ts";
import { ForbiddenError } from "../common/errors.ts";
import { localDate } from "../common/zone.ts";
import { IndividualEntity } from "../individual/individual.entity.ts";
import { Operation } from "../operation/index.ts";
import { FieldValues } from "../fields/values.ts";
import { ageAt, bracket, context, mayRead, visible, zoneOf } from "./dims.ts";
import { cached, Kinds, projection, type IndividualRow } from "./projection.ts";
import { readTimeIndex, timeIndex, type TimeIndex } from "./ranges.ts";
import type { Cell, Column, Table } from "./tables.ts";

/** What a register row and its visibility check need: no names, phones, documents or needs leave the table. */
const ATTRS = [
  "operationID",
  "officeID",
  "createdBy",
  "deleted",
  "timeCreated",
  "timeUpdated",
  "individualID",
  "registrationNumber",
  "sex",
  "dateOfBirth",
  "estimatedAge",
  "nationality",
  "householdID",
  "relationshipToHead",
  "legalStatus",
  "adm1",
  "status",
  "fields",
] as const;

const COLUMNS: Column[] = [
  { header: "Individual ID", hxl: "#meta+id" },
  { header: "Registration number", hxl: "" },
  { header: "Office", hxl: "#loc+name" },
  { header: "Admin 1", hxl: "#adm1+code" },
  { header: "Nationality", hxl: "#country+code+origin" },
  { header: "Sex", hxl: "" },
  { header: "Age bracket", hxl: "" },
  { header: "Legal status", hxl: "" },
  { header: "Household ID", hxl: "" },
  { header: "Relationship to head", hxl: "" },
  { header: "Status", hxl: "#status+code" },
  { header: "Registered", hxl: "#date+reported" },
];

// the register's index: the office's when the export is for one office, else the operation's; both by change
function registerIndex(operationID: string, officeID?: string): TimeIndex {
  return timeIndex(
    () =>
      officeID
        ? IndividualEntity.query.byOffice({ operationID, officeID })
        : IndividualEntity.query.byOperation({ operationID }),
    ATTRS,
  );
}

/** Index order: last change, then ID (how `byOperation`/`byOffice` sort), whichever path produced the rows. */
const byChange = (a: IndividualRow, b: IndividualRow) =>
  a.timeUpdated < b.timeUpdated
    ? -1
    : a.timeUpdated > b.timeUpdated
      ? 1
      : a.id < b.id
        ? -1
        : a.id > b.id
          ? 1
          : 0;

/**
 * One row per registered person, without names, phones or documents: the microdata behind the AGD tables. It is
 * row-level, so small-count suppression does not apply: it is for internal analysis, never for public sharing.
 *
 * Two sources, same rows in the same order (tested): a warm report projection when this process has one, else
 * the store itself, streamed page by page from the register's index with parallel range reads
 * (`readTimeIndex`), so a cold process neither waits for nor builds the whole projection and holds only a few
 * pages at a time. The first page is read before this returns, so an unreachable store is still a clean error
 * response rather than a truncated download.
 */
export async function register(f: ReportFilter): Promise<Table> {
  if (!mayRead("individuals"))
    throw new ForbiddenError("report.read", "Your role may not read individuals in reports");
  const actor = Actor.use();
  const operationID = Actor.operationID();
  const ref = context(f.to, zoneOf(f)).referenceDate;
  const offices = new Map((await Operation.offices()).map((o) => [o.officeID, o.name]));
  const keep = visible("individuals", f);
  // configured fields in the microdata: active, not sensitive, visible to the reader, and either tagged for HXL by
  // the admin or of a type that does not hold free text (numbers, dates, yes/no, codes, areas)
  await FieldValues.ready(operationID);
  const configured = FieldValues.definitions("individual", operationID).filter(
    (d) =>
      d.status === "active" &&
      !d.sensitive &&
      FieldValues.visible(d, actor) &&
      (d.hxl || ["number", "date", "yesNo", "oneOf", "manyOf", "area"].includes(d.type)),
  );
  const columns: Column[] = [
    ...COLUMNS,
    ...configured.map((d) => ({ header: d.labels.en, hxl: d.hxl ?? "" })),
  ];
  const cell = (v: unknown): Cell =>
    v === undefined || v === null
      ? ""
      : Array.isArray(v)
        ? v.join(";")
        : typeof v === "boolean"
          ? v
            ? "yes"
            : "no"
          : (v as Cell);
  const line = (r: IndividualRow): Cell[] => [
    r.id,
    r.registrationNumber,
    offices.get(r.officeID ?? "") ?? r.officeID ?? "",
    r.adm1 ?? "",
    r.nationality ?? "",
    r.sex,
    bracket(ageAt(r, ref)),
    r.legalStatus ?? "",
    r.householdID ?? "",
    r.relationshipToHead ?? "",
    r.status,
    // the registration's day in the operation's time zone, like every day of the reports
    localDate(r.timeCreated, zoneOf(f)),
    ...configured.map((d) => cell(r.fields?.[d.key])),
  ];

  if (cached(operationID, "individuals")?.syncedAt) {
    const p = await projection(operationID, "individuals");
    const rows = [...p.rows.values()].filter(keep).sort(byChange);
    return {
      columns,
      rows: (function* () {
        for (const r of rows) yield line(r);
      })(),
      source: "projection",
    };
  }

  const pages = readTimeIndex(registerIndex(operationID, f.officeID));
  // the body is pulled by the response stream, outside this request's async context: bind the viewer per page
  const lines = async function* (): AsyncGenerator<Cell[][]> {
    for await (const page of pages)
      yield Actor.provide(actor, () => {
        const out: Cell[][] = [];
        for (const raw of page) {
          const r = Kinds.individuals.project(raw);
          if (keep(r)) out.push(line(r));
        }
        return out;
      });
  };
  const it = lines();
  const first = await it.next();
  async function* rows(): AsyncGenerator<Cell[]> {
    try {
      if (first.done) return;
      yield* first.value;
      for await (const page of it) yield* page;
    } finally {
      await it.return(undefined);
    }
  }
  return { columns, rows: rows(), source: "store" };
}
