import type { ColDef } from "ag-grid-community";
import {
  AppointmentChanges,
  AppointmentKindLabels,
  AppointmentStatusLabels,
  type AppointmentInfo,
} from "@waypoint/schema";
import { columnsFor } from "../grid/fields.ts";
import { recordLink } from "../grid/RecordLink.tsx";

// AppointmentChanges refines start < end, so its object is the inner schema of the refinement.
const c = columnsFor<AppointmentInfo>(AppointmentChanges);

export const appointmentColumns: ColDef<AppointmentInfo>[] = [
  c.readonly("appointmentID", { cellRenderer: recordLink, pinned: "left", width: 250 }),
  c.enum("kind", AppointmentKindLabels),
  c.enum("status", AppointmentStatusLabels, { width: 130 }),
  // local time in the UI language, not the stored ISO instant
  c.text("start", { width: 200, valueFormatter: (p) => p.context.i18n.dateTime(p.value) }),
  c.text("end", { width: 200, valueFormatter: (p) => p.context.i18n.dateTime(p.value) }),
  c.text("room", { width: 110 }),
  c.code("interpreterLanguage", { width: 130 }),
  c.office("officeID", { editable: false }),
  c.text("notes", { width: 260 }),
  c.datetime("timeUpdated"),
];
