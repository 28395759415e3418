import type { ColDef } from "ag-grid-community";
import {
  CaseChanges,
  CaseStageLabels,
  CaseSubTypeLabels,
  CaseTypeLabels,
  RiskLevelLabels,
  type CaseInfo,
} from "@waypoint/schema";
import { columnsFor, headerValueGetter } from "../grid/fields.ts";
import { recordLink } from "../grid/RecordLink.tsx";
import { refColumn, refListCell } from "../grid/RefCell.tsx";

const c = columnsFor<CaseInfo>(CaseChanges);

export const caseColumns: ColDef<CaseInfo>[] = [
  c.readonly("caseNumber", { cellRenderer: recordLink, pinned: "left", width: 190 }),
  // whose case it is, by name (a view column: not edited here, not exported as IDs)
  {
    colId: "people",
    field: "individualIDs",
    headerValueGetter,
    cellRenderer: refListCell("individuals"),
    editable: false,
    sortable: false,
    filter: false,
    width: 260,
  },
  c.enum("type", CaseTypeLabels),
  c.enum("subType", CaseSubTypeLabels),
  c.enum("stage", CaseStageLabels, { editable: false }),
  c.enum("riskLevel", RiskLevelLabels, { width: 120 }),
  // a colleague's name, never the ID (GET /api/staff)
  c.text("assignedTo", { ...refColumn("staff"), width: 220 }),
  c.date("dueFollowUp"),
  c.household("householdID"),
  c.office("officeID"),
  c.text("summary", { width: 320 }),
  c.datetime("timeUpdated"),
];
