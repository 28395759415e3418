import type { ColDef } from "ag-grid-community";
import {
  RelocationChanges,
  type RelocationInfo,
  RelocationStatusLabels,
  type RelocationTripInfo,
  TripStatusLabels,
} from "@waypoint/schema";
import { z } from "zod";
import { columnsFor } from "../grid/fields.ts";
import { recordLink } from "../grid/RecordLink.tsx";
import { refColumn } from "../grid/RefCell.tsx";

/** Trips are edited one at a time on the trip (the API has no bulk patch for them): read-only here. */
const t = columnsFor<RelocationTripInfo>(z.object({}));

export const tripColumns: ColDef<RelocationTripInfo>[] = [
  t.readonly("tripID", { cellRenderer: recordLink, pinned: "left", width: 250 }),
  t.datetime("departureAt"),
  t.readonly("originTerminal.name", { width: 200 }),
  t.readonly("destination.name", { width: 180 }),
  t.readonly("carrier", { width: 160 }),
  t.number("seats", { width: 100 }),
  t.enum("status", TripStatusLabels, { width: 150 }),
  t.office("officeID"),
  t.datetime("timeUpdated"),
];

const r = columnsFor<RelocationInfo>(RelocationChanges);

export const relocationColumns: ColDef<RelocationInfo>[] = [
  r.readonly("relocationID", { cellRenderer: recordLink, pinned: "left", width: 250 }),
  r.household("householdID", { editable: false }),
  r.number("householdSize", { width: 110 }),
  r.number("vulnerability", { width: 110 }),
  r.readonly("destination.name", { width: 180 }),
  r.date("earliestDate"),
  r.text("tripID", { ...refColumn("relocation-trips"), width: 250 }),
  r.bool("confirmed"),
  r.enum("status", RelocationStatusLabels, { editable: false, width: 200 }),
  r.office("officeID", { editable: false }),
  r.datetime("timeUpdated"),
];
