import { z } from "zod";
import { IsoDate } from "@waypoint/schema/common";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { fn } from "../common/fn.ts";
import { RelocationEntity, RelocationTripEntity } from "./relocation.entity.ts";
import type { Info } from "./store.ts";
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
  // The month is the bus's departure date (when it left), not when staff clicked the confirmation.
  const trips = new Map(
    (await RelocationTripEntity.query.byOperation({ operationID }).go({ pages: "all" })).data.map((t) => [
      t.tripID,
      t.departureAt,
    ]),
  );
  const rows = new Map<
    string,
    { originOfficeID: string; destination: string; month: string; households: number; people: number }
  >();
  for (const r of all) {
    if (r.deleted || !DEPARTED.has(r.status) || !r.departure || !Actor.can("relocation.read", r)) continue;
    const day = (trips.get(r.tripID ?? "") ?? r.departure.at).slice(0, 10);
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

const ON_BOARD = new Set(["assigned", "scheduled", "ticketed", "departed", "missed"]);

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
 * The departure manifest of one trip for the terminal team: every household with a seat, its seat count,
 * confirmation and ticket numbers. An export of personal records: permission-checked and audited.
 */
export const manifest = fn(
  z.object({ tripID: z.string(), format: z.enum(["csv", "html", "json"]).default("json") }),
  async ({ tripID, format }) => {
    const trip = await RelocationTrip.get(tripID);
    Actor.assert("relocation.read", trip);
    const all = (
      await RelocationEntity.query
        .byOperation({ operationID: trip.operationID })
        .where(({ tripID: t }, { eq }) => eq(t, tripID))
        .go({ pages: "all" })
    ).data as Info[];
    const rows = all
      .filter((r) => !r.deleted && ON_BOARD.has(r.status))
      .sort(
        (a, b) => Number(b.confirmed) - Number(a.confirmed) || a.relocationID.localeCompare(b.relocationID),
      )
      .map((r) => ({
        relocationID: r.relocationID,
        householdID: r.householdID,
        seats: r.seats ?? r.householdSize,
        confirmed: r.confirmed,
        status: r.status,
        tickets: r.ticket && r.ticket.tripID === tripID ? r.ticket.numbers.join(" ") : "",
        departed: r.departure ? r.departure.at : "",
      }));
    await Audit.record({
      recordID: tripID,
      recordType: "relocationTrip",
      action: "export.manifest",
      operationID: trip.operationID,
      officeID: trip.officeID,
      reason: format,
    });
    const seats = rows.reduce((n, r) => n + r.seats, 0);
    if (format === "json") return { trip, rows, seatsTaken: seats };
    const cols = [
      "relocationID",
      "householdID",
      "seats",
      "confirmed",
      "status",
      "tickets",
      "departed",
    ] as const;
    if (format === "csv")
      return (
        [cols.join(","), ...rows.map((r) => cols.map((c) => safe(r[c])).join(","))].join("\r\n") + "\r\n"
      );
    const when = new Date(trip.departureAt).toUTCString();
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Manifest ${esc(trip.tripID)}</title>
<style>body{font:12pt system-ui;margin:2em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:4px 8px;text-align:left}@media print{button{display:none}}</style></head>
<body><h1>Departure manifest</h1>
<p>${esc(trip.originTerminal.name)} → ${esc(trip.destination.name)} · ${esc(when)} · ${esc(trip.carrier)} · ${seats} of ${trip.seats} seats</p>
<button onclick="print()">Print</button>
<table><thead><tr>${cols.map((c) => `<th>${esc(c)}</th>`).join("")}<th>Boarded ✓</th></tr></thead><tbody>
${rows.map((r) => `<tr>${cols.map((c) => `<td>${esc(r[c])}</td>`).join("")}<td></td></tr>`).join("\n")}
</tbody></table></body></html>`;
  },
);
