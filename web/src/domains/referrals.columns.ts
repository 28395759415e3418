import type { ColDef } from "ag-grid-community";
import {
  ReferralChanges,
  type ReferralInfo,
  ReferralStatusLabels,
  ServiceCategoryLabels,
  UrgencyLabels,
} from "@waypoint/schema";
import { columnsFor } from "../grid/fields.ts";
import { recordLink } from "../grid/RecordLink.tsx";
import { refColumn } from "../grid/RefCell.tsx";

const c = columnsFor<ReferralInfo>(ReferralChanges);

export const referralColumns: ColDef<ReferralInfo>[] = [
  c.readonly("referralNumber", { cellRenderer: recordLink, pinned: "left", width: 190 }),
  c.enum("serviceCategory", ServiceCategoryLabels),
  c.enum("urgency", UrgencyLabels, { width: 120 }),
  c.enum("status", ReferralStatusLabels, { editable: false, width: 120 }),
  c.readonly("direction", { width: 110 }),
  c.date("deadline"),
  c.text("caseID", { ...refColumn("cases"), width: 240 }),
  c.office("officeID", { editable: false }),
  c.text("reason", { width: 320 }),
  c.datetime("timeUpdated"),
];
