import type { ColDef } from "ag-grid-community";
import { PayeeChanges, type PayeeInfo } from "@waypoint/schema";
import { columnsFor } from "../grid/fields.ts";
import { recordLink } from "../grid/RecordLink.tsx";
import { ChannelTypeLabels, PayeeKindLabels } from "../payments/financeText.ts";

const p = columnsFor<PayeeInfo>(PayeeChanges);

/**
 * Payees: the name, the name as the bank knows it and a mobile-money payee's number are edited in the grid (the
 * number is checked by the API as a mobile number of the provider's country, and a change reopens the batches the
 * payee sits in, as on the payee's page); the rest of the account is changed on the payee's page.
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
  p.text("channel.msisdn", {
    width: 170,
    // only a mobile-money payee has a number; a bank or cash payee's account changes on its page
    editable: (c) => (c.data as PayeeInfo | undefined)?.channel?.type === "mobile_money",
  }),
  p.bool("active", { width: 100 }),
  p.text("note", { width: 220 }),
  p.datetime("timeUpdated"),
];
