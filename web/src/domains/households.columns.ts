import type { ColDef } from "ag-grid-community";
import { HouseholdChanges, RecordStatusLabels, type HouseholdInfo } from "@waypoint/schema";
import { columnsFor } from "../grid/fields.ts";
import { recordLink } from "../grid/RecordLink.tsx";
import { refColumn } from "../grid/RefCell.tsx";

const c = columnsFor<HouseholdInfo>(HouseholdChanges);

export const householdColumns: ColDef<HouseholdInfo>[] = [
  c.readonly("registrationNumber", { cellRenderer: recordLink, pinned: "left", width: 190 }),
  c.office("officeID"),
  c.text("headID", { ...refColumn("individuals"), width: 240 }),
  c.number("size", { editable: false, width: 100 }),
  c.text("phone", { width: 160 }),
  c.code("adm1"),
  c.code("adm2"),
  c.text("address", { width: 280 }),
  c.enum("status", RecordStatusLabels, { width: 120 }),
  c.datetime("timeUpdated"),
];
