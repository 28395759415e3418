import type { ColDef } from "ag-grid-community";
import {
  CaseChanges,
  CaseStageLabels,
  CaseSubTypeLabels,
  CaseTypeLabels,
  RiskLevelLabels,
  type CaseInfo,
} from "@waypoint/schema";
import { columnsFor } from "../grid/fields.ts";
import { recordLink } from "../grid/RecordLink.tsx";
import { refCell } from "../grid/RefCell.tsx";

const c = columnsFor<CaseInfo>(CaseChanges);

export const caseColumns: ColDef<CaseInfo>[] = [
  c.readonly("caseNumber", { cellRenderer: recordLink, pinned: "left", width: 190 }),
  c.enum("type", CaseTypeLabels),
  c.enum("subType", CaseSubTypeLabels),
  c.enum("stage", CaseStageLabels, { editable: false }),
  c.enum("riskLevel", RiskLevelLabels, { width: 120 }),
  // a colleague's name, never the ID (GET /api/staff)
  c.text("assignedTo", { cellRenderer: refCell("staff"), width: 220 }),
  c.date("dueFollowUp"),
  c.household("householdID"),
  c.office("officeID"),
  c.text("summary", { width: 320 }),
  c.datetime("timeUpdated"),
];
