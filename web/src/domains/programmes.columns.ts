import type { ColDef } from "ag-grid-community";
import {
  HostChanges,
  HostComplianceLabels,
  type HostInfo,
  HostKindLabels,
  HostStatusLabels,
  ResettlementProgrammeLabels,
  ReturnChanges,
  type ReturnInfo,
  ReturnStatusLabels,
  SubmissionCategoryLabels,
  SubmissionChanges,
  type SubmissionInfo,
  SubmissionPriorityLabels,
  SubmissionStatusLabels,
  VulnerabilityLevelLabels,
} from "@waypoint/schema";
import { columnsFor } from "../grid/fields.ts";
import { recordLink } from "../grid/RecordLink.tsx";
import { refColumn } from "../grid/RefCell.tsx";

const s = columnsFor<SubmissionInfo>(SubmissionChanges);

/** Resettlement and pathway submissions; status moves through lifecycle actions, never a cell edit. */
export const submissionColumns: ColDef<SubmissionInfo>[] = [
  s.readonly("submissionID", { cellRenderer: recordLink, pinned: "left", width: 250 }),
  s.enum("programme", ResettlementProgrammeLabels, { width: 150 }),
  s.code("country", { width: 100 }),
  s.number("quotaYear", { width: 100 }),
  s.enum("primaryCategory", SubmissionCategoryLabels, { width: 160 }),
  s.enum("secondaryCategory", SubmissionCategoryLabels, { width: 160 }),
  s.enum("priority", SubmissionPriorityLabels, { width: 120 }),
  s.enum("status", SubmissionStatusLabels, { editable: false, width: 170 }),
  s.number("individualCount", { width: 110 }),
  s.number("openFlags", { width: 100 }),
  s.code("transitCountry", { width: 110 }),
  s.date("departureDate"),
  s.readonly("caseID", { ...refColumn("cases"), width: 170 }),
  s.office("officeID", { editable: false }),
  s.datetime("timeUpdated"),
];

const h = columnsFor<HostInfo>(HostChanges);

/** Hosts; occupancy is kept by placements, compliance by visits. */
export const hostColumns: ColDef<HostInfo>[] = [
  h.text("name", { cellRenderer: recordLink, pinned: "left", width: 240 }),
  h.enum("kind", HostKindLabels, { width: 150 }),
  h.number("capacity", { width: 100 }),
  h.number("occupied", { editable: false, width: 100 }),
  h.enum("status", HostStatusLabels, { width: 120 }),
  h.enum("complianceStatus", HostComplianceLabels, { editable: false, width: 170 }),
  h.date("nextVisitDue"),
  h.code("adm1"),
  h.code("adm2"),
  h.date("contractStart"),
  h.date("contractEnd"),
  h.text("payeeID", { ...refColumn("payees"), width: 250 }),
  h.number("visitEveryDays", { width: 120 }),
  h.office("officeID"),
  h.datetime("timeUpdated"),
];

const r = columnsFor<ReturnInfo>(ReturnChanges);

/** AVRR return cases; status, vulnerability and monitoring change through actions on the record. */
export const returnColumns: ColDef<ReturnInfo>[] = [
  r.readonly("returnID", { cellRenderer: recordLink, pinned: "left", width: 250 }),
  r.code("countryOfReturn", { width: 130 }),
  r.text("destinationAdm1", { width: 130 }),
  r.enum("status", ReturnStatusLabels, { editable: false, width: 140 }),
  r.enum("vulnerability.level", VulnerabilityLevelLabels, { editable: false, width: 120 }),
  r.number("vulnerability.score", { editable: false, width: 110 }),
  r.date("plannedReturnDate"),
  r.date("departedOn"),
  r.date("arrivedOn"),
  r.office("officeID", { editable: false }),
  r.datetime("timeUpdated"),
];
