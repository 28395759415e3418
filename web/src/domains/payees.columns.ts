import type { ColDef, ValueGetterParams } from "ag-grid-community";
import { PayeeChanges, type PayeeInfo } from "@waypoint/schema";
import { columnsFor } from "../grid/fields.ts";
import { recordLink } from "../grid/RecordLink.tsx";
import { ChannelTypeLabels, PayeeKindLabels } from "../payments/financeText.ts";

const p = columnsFor<PayeeInfo>(PayeeChanges);

/** Where the money goes, as the API shows it to this role (masked unless the role may see accounts in full). */
export function accountOf(c: PayeeInfo["channel"] | undefined): string {
  if (!c) return "";
  return c.iban ?? c.accountNumber ?? c.msisdn ?? c.pickupPoint ?? "";
}

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
  p.readonly("account", {
    valueGetter: (v: ValueGetterParams<PayeeInfo>) => accountOf(v.data?.channel),
    width: 240,
  }),
  p.bool("active", { width: 100 }),
  p.text("note", { width: 220 }),
  p.datetime("timeUpdated"),
];
