import { Readable } from "node:stream";
import { z } from "zod";
import { ObjectStore } from "../export/store.ts";
import { IsoDate } from "@waypoint/schema/common";
import type { ManifestRow } from "@waypoint/schema/relocation";
import { ExportPurposeFields } from "@waypoint/schema/privacy";
import { assertPurpose, logExport } from "../privacy/export-log.ts";
import { DEFAULT_SUPPRESS_BELOW } from "@waypoint/schema/reports";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { batchGet } from "../common/batch-get.ts";
import { fn } from "../common/fn.ts";
import { loadExcel } from "../common/lazy.ts";
import { localDate } from "../common/zone.ts";
import { HouseholdEntity } from "../household/household.entity.ts";
import { Operation } from "../operation/index.ts";
import { membersOf } from "./desk.ts";
import { relocatedAt } from "./dates.ts";
import { RelocationEntity } from "./relocation.entity.ts";
import { allReady, type Info } from "./store.ts";
import { RelocationTrip } from "./trip.ts";

const DEPARTED = new Set(["departed", "arrived", "completed"]);

export const ReportQuery = z.object({ from: IsoDate.optional(), to: IsoDate.optional() });

/**
 * People relocated per origin office, destination and month of departure (the programme's monthly figure).
 * Counts households and people; the office scope of the reader applies.
 */
export const relocatedReport = fn(ReportQuery, async (q) => {
  const operationID = Actor.operationID();
  Actor.assert("report.read");
  Actor.assert("relocation.read");
  const all = (await RelocationEntity.query.byOperation({ operationID }).go({ pages: "all" })).data as Info[];
  const zone = await Operation.timeZone(operationID);
  const rows = new Map<
    string,
    { originOfficeID: string; destination: string; month: string; households: number; people: number }
  >();
  for (const r of all) {
    if (r.deleted || !DEPARTED.has(r.status) || !r.departure || !Actor.can("relocation.read", r)) continue;
    // The month is the bus's departure (kept on the household's departure when confirmed), not when staff clicked
    // the confirmation: the same instant as the report tables and the dashboard (dates.ts).
    // the day and month of the departure in the operation's time zone (a bus leaving at 20:00 in Tapachula on
    // the 31st left that month, though it is already the 1st in UTC), as the report tables and the dashboard
    const day = localDate(relocatedAt(r.departure)!, zone);
    if ((q.from && day < q.from) || (q.to && day > q.to)) continue;
    const month = day.slice(0, 7);
    const key = `${r.officeID}|${r.destination.name}|${month}`;
    const row = rows.get(key) ?? {
      originOfficeID: r.officeID,
      destination: r.destination.name,
      month,
      households: 0,
      people: 0,
    };
    row.households += 1;
    row.people += r.seats ?? r.householdSize;
    rows.set(key, row);
  }
  return [...rows.values()].sort(
    (a, b) =>
      a.month.localeCompare(b.month) ||
      a.originOfficeID.localeCompare(b.originOfficeID) ||
      a.destination.localeCompare(b.destination),
  );
});

/** Households a trip's manifest lists: with a seat on it, and those who did not come (so the team sees them). */
const ON_BOARD = new Set(["preparing", "assigned", "scheduled", "ticketed", "departed", "missed", "no_show"]);

/** Spreadsheet apps run cells starting with these as formulas; a leading quote keeps them text. */
const safe = (v: unknown) => {
  const s = v === undefined || v === null ? "" : String(v);
  const t = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
};
const esc = (v: unknown) =>
  String(v ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

/**
 * The departure manifest of one trip for the terminal team: every household with a seat (and those who did not
 * come), its people by name with their ages and specific needs as the reader may see them, seats, checklist,
 * check-in, tickets and departure. An export of personal records: permission-checked and audited.
 */
export const ManifestInput = z.object({
  tripID: z.string(),
  format: z.enum(["csv", "html", "json"]).default("json"),
  /** Why a printed or downloaded manifest is made (default: delivering assistance, the trip). */
  ...ExportPurposeFields,
});

export const manifest = fn(
  ManifestInput,
  async ({ tripID, format, purpose, purposeOther, recipient }) => {
    const trip = await RelocationTrip.get(tripID);
    Actor.assert("relocation.read", trip);
    assertPurpose({ purpose, purposeOther });
    const all = (
      await RelocationEntity.query
        .byOperation({ operationID: trip.operationID })
        .where(({ tripID: t }, { eq }) => eq(t, tripID))
        .go({ pages: "all" })
    ).data as Info[];
    const mine = all.filter(
      (r) =>
        !r.deleted &&
        ON_BOARD.has(r.status) &&
        (r.status !== "no_show" || r.noShow?.tripID === tripID) &&
        Actor.can("relocation.read", r),
    );
    const [people, households] = await Promise.all([
      membersOf(mine.map((r) => r.householdID)),
      batchGet<{ householdID: string; registrationNumber: string }>(
        HouseholdEntity,
        [...new Set(mine.map((r) => r.householdID))].map((householdID) => ({ householdID })),
        { attributes: ["householdID", "registrationNumber"] },
      ),
    ]);
    const numbers = new Map(households.map((h) => [h.householdID, h.registrationNumber]));
    const rows: ManifestRow[] = mine
      .map((r) => ({
        relocationID: r.relocationID,
        version: r.version,
        householdID: r.householdID,
        registrationNumber: numbers.get(r.householdID),
        people: (people.get(r.householdID) ?? []).map(({ individualID: _, ...p }) => p),
        seats: r.seats ?? r.householdSize,
        confirmed: r.confirmed,
        ready: allReady(r),
        readiness: r.readiness,
        status: r.status,
        tickets: r.ticket && r.ticket.tripID === tripID ? r.ticket.numbers : [],
        ticketDelivered: Boolean(r.ticket?.tripID === tripID && r.ticket.deliveredAt),
        checkedInAt: r.checkIn?.at,
        departedAt: r.departure?.at,
      }))
      .sort(
        (a, b) =>
          Number(a.status === "no_show") - Number(b.status === "no_show") ||
          Number(b.confirmed) - Number(a.confirmed) ||
          (a.people[0]?.name ?? "").localeCompare(b.people[0]?.name ?? "") ||
          a.relocationID.localeCompare(b.relocationID),
      );
    await Audit.record({
      recordID: tripID,
      recordType: "relocationTrip",
      action: "export.manifest",
      operationID: trip.operationID,
      officeID: trip.officeID,
      reason: format,
    });
    const seats = rows.filter((r) => r.status !== "no_show").reduce((n, r) => n + r.seats, 0);
    if (format === "json") return { trip, rows, seatsTaken: seats };
    // a file or printout leaves with every listed person: their sharing log says so (privacy/export-log.ts);
    // the JSON above is the terminal screen's own view, not a file
    await logExport(
      { kind: "manifest", format, purpose: purpose ?? "assistance", purposeOther, recipient },
      mine.flatMap((r) => (people.get(r.householdID) ?? []).map((p) => p.individualID)),
    );
    const flat = rows.map((r) => ({
      household: r.registrationNumber ?? r.householdID,
      names: r.people.map((p) => p.name).join("; "),
      seats: r.seats,
      confirmed: r.confirmed,
      status: r.status,
      tickets: r.tickets.join(" "),
      checkedIn: r.checkedInAt ?? "",
      departed: r.departedAt ?? "",
    }));
    const cols = [
      "household",
      "names",
      "seats",
      "confirmed",
      "status",
      "tickets",
      "checkedIn",
      "departed",
    ] as const;
    if (format === "csv")
      return (
        [cols.join(","), ...flat.map((r) => cols.map((c) => safe(r[c])).join(","))].join("\r\n") + "\r\n"
      );
    const when = new Date(trip.departureAt).toUTCString();
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Manifest ${esc(trip.tripID)}</title>
<style>body{font:12pt system-ui;margin:2em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:4px 8px;text-align:left}@media print{button{display:none}}</style></head>
<body><h1>Departure manifest</h1>
<p>${esc(trip.originTerminal.name)} → ${esc(trip.destination.name)} · ${esc(when)} · ${esc(trip.carrier)} · ${seats} of ${trip.seats} seats</p>
<button onclick="print()">Print</button>
<table><thead><tr>${cols.map((c) => `<th>${esc(c)}</th>`).join("")}<th>Boarded ✓</th></tr></thead><tbody>
${flat.map((r) => `<tr>${cols.map((c) => `<td>${esc(r[c])}</td>`).join("")}<td></td></tr>`).join("\n")}
</tbody></table></body></html>`;
  },
);

export const ReportExportInput = ReportQuery.extend({
  format: z.enum(["csv", "xlsx"]).default("csv"),
  /** Withhold household and people counts from 1 to this value minus one (0: every count, for internal use). */
  suppressBelow: z.coerce.number().int().min(0).max(100).default(DEFAULT_SUPPRESS_BELOW),
});

/**
 * The people-relocated report as a file for the team whose KPI it is (`relocation.report`): the same rows as
 * `relocatedReport`, with office names; small counts withheld unless asked for every count; audited.
 */
export const relocatedExport = fn(ReportExportInput, async ({ from, to, format, suppressBelow }) => {
  Actor.assert("relocation.report");
  const rows = await relocatedReport({ from, to });
  const offices = new Map((await Operation.offices()).map((o) => [o.officeID, o.name]));
  let suppressed = 0;
  const cells = rows.map((r) => {
    const small = [r.households, r.people].some((n) => n > 0 && n < suppressBelow);
    if (small) suppressed++;
    return [
      r.month,
      offices.get(r.originOfficeID) ?? r.originOfficeID,
      r.destination,
      small ? null : r.households,
      small ? null : r.people,
    ];
  });
  const header = ["Month of departure", "Origin office", "Destination", "Households", "People"];
  await Audit.record({
    recordID: Actor.operationID(),
    recordType: "report",
    action: "export",
    operationID: Actor.operationID(),
    reason: `relocations ${format} ${from ?? ""}..${to ?? ""} suppressBelow=${suppressBelow}`,
  });
  const fileName = `people-relocated-${new Date().toISOString().slice(0, 10)}.${format}`;
  let file: { contentType: string; body: Buffer };
  if (format === "csv") {
    const text = [header, ...cells].map((r) => r.map(safe).join(",")).join("\r\n") + "\r\n";
    file = { contentType: "text/csv; charset=utf-8", body: Buffer.from(`\ufeff${text}`) };
  } else {
    const ExcelJS = await loadExcel();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("People relocated");
    ws.addRow(header);
    for (const r of cells) ws.addRow(r);
    file = {
      contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      body: Buffer.from(await wb.xlsx.writeBuffer()),
    };
  }
  // On AWS through the bucket, as every generated file (a 303 to a short-lived link); locally in the answer.
  const link = await ObjectStore.offload(Readable.from([file.body]), {
    fileName,
    contentType: file.contentType,
  });
  return { fileName, suppressed, ...file, link };
});
