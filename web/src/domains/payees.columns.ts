import type { ColDef } from "ag-grid-community";
import { PayeeChanges, type PayeeInfo } from "@waypoint/schema";
import { columnsFor } from "../grid/fields.ts";
import { recordLink } from "../grid/RecordLink.tsx";
import { ChannelTypeLabels, PayeeKindLabels } from "../payments/financeText.ts";

const p = columnsFor<PayeeInfo>(PayeeChanges);

/**
 * Payees: the name and the name as the bank knows it are edited in the grid; the account is changed on the
 * payee's page (a change reopens the batches it sits in), never by a cell.
 */
export const payeeColumns: ColDef<PayeeInfo>[] = [
  p.text("name", { cellRenderer: recordLink, pinned: "left", width: 220 }),
  p.text("nameLatin", { width: 220 }),
  p.enum("kind", PayeeKindLabels, { editable: false, width: 150 }),
  p.office("officeID", { editable: false }),
  p.enum("channel.type", ChannelTypeLabels, { editable: false, width: 150 }),
  // the account as the API returns it to this role: masked (FI**************0354) unless it may see it in full
  p.readonly("channel.iban", { width: 230 }),
  p.readonly("channel.accountNumber", { width: 170 }),
  p.readonly("channel.msisdn", { width: 160 }),
  p.bool("active", { width: 100 }),
  p.text("note", { width: 220 }),
  p.datetime("timeUpdated"),
];
