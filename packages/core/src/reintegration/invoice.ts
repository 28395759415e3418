import {
  InvoiceChanges,
  InvoiceCreate,
  InvoiceDecision,
  InvoiceSelect,
  type InvoiceInfo,
} from "@waypoint/schema/reintegration";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { batchGet } from "../common/batch-get.ts";
import { nowIso, transactWriteOrConflict, type TxItem } from "../common/db.ts";
import { InvalidError, NotFoundError, RuleError } from "../common/errors.ts";
import { Editors } from "../common/editors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { writeVersioned } from "../common/record.ts";
import { Unique } from "../common/unique.ts";
import { localMonth } from "../common/zone.ts";
import { Operation } from "../operation/index.ts";
import { Payment } from "../payment/index.ts";
import { minorDigits } from "../payment/money.ts";
import { PaymentEntity, unbatched } from "../payment/payment.entity.ts";
import { ProgrammeFiles } from "../hosting/files.ts";
import { InvoiceEntity, PlanEntity, ReturnEntity, SupplierEntity } from "./reintegration.entity.ts";

type Invoice = InvoiceInfo & { deleted?: boolean };
const QUOTES_NEEDED = 3;

/** A transaction item that holds only while the return's reintegration plan is approved. */
function planApproved(returnID: string): TxItem {
  const { TableName, Key } = PlanEntity.get({ returnID }).params() as { TableName: string; Key: unknown };
  return {
    check: {
      TableName,
      Key,
      ConditionExpression: "#status = :approved",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":approved": "approved" },
    },
  };
}

async function load(invoiceID: string): Promise<Invoice> {
  const i = (await InvoiceEntity.get({ invoiceID }).go({ consistent: true })).data as Invoice | null;
  if (!i || i.deleted || i.operationID !== Actor.operationID()) throw new NotFoundError("invoice", invoiceID);
  Actor.assert("programme.read", {
    operationID: i.operationID,
    officeID: i.officeID,
    createdBy: i.createdBy,
  });
  return i;
}

async function checkQuotes(
  quotes: { supplierID: string; currency: string; fileID?: string }[],
  prefix: string,
  returnID: string,
) {
  for (const [i, q] of quotes.entries())
    if (q.fileID && !(await ProgrammeFiles.belongsTo(q.fileID, "return", returnID)))
      throw InvalidError.field(
        `${prefix}quotes.${i}.fileID`,
        "invalid.file",
        "The scan must be a file kept on this return",
      );
  const ids = [...new Set(quotes.map((q) => q.supplierID))];
  const found = await batchGet<{ supplierID: string; operationID: string; active?: boolean }>(
    SupplierEntity,
    ids.map((supplierID) => ({ supplierID })),
  );
  quotes.forEach((q, i) => {
    const s = found.find((f) => f.supplierID === q.supplierID);
    if (!s || s.operationID !== Actor.operationID() || !s.active)
      throw InvalidError.field(
        `${prefix}quotes.${i}.supplierID`,
        "invalid.supplier",
        "No such active supplier",
      );
  });
  if (ids.length !== quotes.length)
    throw InvalidError.field(
      `${prefix}quotes`,
      "invalid.sameSupplier",
      "Each quote must come from a different supplier",
    );
  if (new Set(quotes.map((q) => q.currency)).size > 1)
    throw InvalidError.field(
      `${prefix}quotes`,
      "invalid.currency",
      "Quotes must be in one currency to compare them",
    );
}

/**
 * Pro-forma invoices for plan items. Procurement rule: three quotes from different suppliers, or a written
 * waiver reason (a sole supplier in a remote area); the selected quote needs a reason too; approval is by a
 * reviewer who did not prepare the invoice, and it raises the supplier payment through the payments module,
 * once per invoice (its unique claim makes a retried approval harmless).
 */
export namespace Invoices {
  export const create = fn(InvoiceCreate, async (input): Promise<Invoice> => {
    const r = (await ReturnEntity.get({ returnID: input.returnID }).go()).data;
    if (!r || r.operationID !== Actor.operationID())
      throw InvalidError.field("returnID", "invalid.return", "No such return case");
    Actor.assert("programme.update", {
      operationID: r.operationID,
      officeID: r.officeID,
      createdBy: r.createdBy,
    });
    const plan = (await PlanEntity.get({ returnID: input.returnID }).go()).data;
    if (!plan || !(plan.items as { itemID: string }[]).some((i) => i.itemID === input.itemID))
      throw InvalidError.field(
        "itemID",
        "invalid.planItem",
        "No such item in the return's reintegration plan",
      );
    if (plan.status !== "approved")
      throw new RuleError(
        "invoice.planNotApproved",
        "Invoices are raised only on an approved reintegration plan",
      );
    await checkQuotes(input.quotes, "", input.returnID);
    const now = nowIso();
    const item: Invoice = {
      ...input,
      invoiceID: Identifier.create("invoice"),
      operationID: r.operationID,
      officeID: r.officeID,
      planID: plan.planID,
      status: "draft",
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    await transactWriteOrConflict([
      { put: InvoiceEntity.create(item as never).params() },
      Audit.txItem({
        recordID: item.invoiceID,
        recordType: "invoice",
        action: "create",
        operationID: item.operationID,
        officeID: item.officeID,
      }),
    ]);
    return item;
  });

  async function write(
    cur: Invoice,
    version: number,
    set: Record<string, unknown>,
    action: string,
    remove?: string[],
    withItems?: TxItem[],
  ) {
    const res = await writeVersioned(
      {
        entity: InvoiceEntity,
        key: { invoiceID: cur.invoiceID },
        expectedVersion: version,
        set: { returnID: cur.returnID, timeCreated: cur.timeCreated, ...set },
        remove,
        audit: {
          recordID: cur.invoiceID,
          recordType: "invoice",
          action,
          operationID: cur.operationID,
          officeID: cur.officeID,
          changes: Audit.diff(cur, { ...cur, ...set }, Object.keys(set)),
        },
        with: withItems,
      },
      () =>
        InvoiceEntity.get({ invoiceID: cur.invoiceID })
          .go()
          .then((r) => r.data),
    );
    return { ...cur, ...set, ...res } as Invoice;
  }

  export const PatchInput = z.object({
    invoiceID: z.string(),
    version: z.number().int().min(1),
    changes: InvoiceChanges,
  });
  export const patch = fn(PatchInput, async ({ invoiceID, version, changes }) => {
    const cur = await load(invoiceID);
    Actor.assert("programme.update", { operationID: cur.operationID, officeID: cur.officeID });
    if (cur.status !== "draft") throw new RuleError("invoice.locked", "Only a draft invoice is edited");
    if (changes.quotes) await checkQuotes(changes.quotes, "changes.", cur.returnID);
    const set: Record<string, unknown> = { editors: Editors.touched(cur) };
    const remove: string[] = [];
    if (changes.quotes) set.quotes = changes.quotes;
    if (changes.waiverReason === null) remove.push("waiverReason");
    else if (changes.waiverReason) set.waiverReason = changes.waiverReason;
    return write(cur, version, set, "update", remove);
  });

  export const SelectInput = InvoiceSelect.extend({ invoiceID: z.string() });
  export const select = fn(SelectInput, async ({ invoiceID, supplierID, reason, version }) => {
    const cur = await load(invoiceID);
    Actor.assert("programme.update", { operationID: cur.operationID, officeID: cur.officeID });
    if (cur.status !== "draft")
      throw new RuleError("invoice.notDraft", "A quote is selected on a draft invoice");
    if (cur.quotes.length < QUOTES_NEEDED && !cur.waiverReason)
      throw new RuleError(
        "invoice.quotesNeeded",
        `Three quotes from different suppliers are needed, or a waiver reason (${cur.quotes.length} given)`,
      );
    const q = cur.quotes.find((x) => x.supplierID === supplierID);
    if (!q) throw InvalidError.field("supplierID", "invalid.notQuoted", "Select one of the quotes");
    return write(
      cur,
      version,
      {
        status: "selected",
        selectedSupplierID: supplierID,
        selectionReason: reason,
        amount: q.amount,
        currency: q.currency,
        editors: Editors.touched(cur),
      },
      "select",
    );
  });

  export const DecideInput = InvoiceDecision.extend({ invoiceID: z.string() });
  export const decide = fn(DecideInput, async ({ invoiceID, approve, comment, version }) => {
    const cur = await load(invoiceID);
    Actor.assert("programme.review", { operationID: cur.operationID, officeID: cur.officeID });
    if (cur.status !== "selected")
      throw new RuleError("invoice.notSelected", "Select a quote before approval");
    Editors.assertNotShaper(
      cur,
      "invoice.ownApproval",
      "Someone who prepared the invoice, changed its quotes or picked the supplier cannot approve it",
    );
    if (!approve)
      return write(
        cur,
        version,
        { status: "rejected", decidedBy: Actor.id(), decisionComment: comment },
        "reject",
      );
    const supplier = (await SupplierEntity.get({ supplierID: cur.selectedSupplierID! }).go()).data;
    if (!supplier?.payeeID)
      throw new RuleError(
        "invoice.noPayee",
        "The selected supplier has no payee account yet (finance sets it up)",
      );
    const payee = (await Payment.payees([supplier.payeeID])).get(supplier.payeeID);
    if (!payee?.active)
      throw new RuleError("invoice.noPayee", "The selected supplier's payee account is not active");
    Actor.assert("payment.create", { operationID: cur.operationID, officeID: cur.officeID });
    minorDigits(cur.currency!, "currency");
    const plan = (await PlanEntity.get({ returnID: cur.returnID }).go({ consistent: true })).data;
    if (plan?.status !== "approved")
      throw new RuleError("invoice.planNotApproved", "The reintegration plan is not approved (any more)");
    // The payment, its once-per-invoice claim (no period: a retry next month is still the same invoice) and the
    // decision commit together: a stale or concurrent decision leaves no payment behind.
    const payment = Payment.build(
      {
        payeeID: supplier.payeeID,
        purpose: "supplier_invoice",
        amount: cur.amount!,
        currency: cur.currency!,
        status: "approved",
        officeID: cur.officeID,
        // the operation's month (at 19:00 in Tapachula on the 31st it is already next month in UTC)
        period: localMonth(Date.now(), await Operation.timeZone(cur.operationID)),
        invoiceID,
      },
      cur.operationID,
      nowIso(),
    );
    return write(
      cur,
      version,
      { status: "approved", decidedBy: Actor.id(), decisionComment: comment, paymentID: payment.paymentID },
      "approve",
      undefined,
      [
        { put: unbatched(PaymentEntity.create(payment).params()) },
        Unique.claim("invoice.payment", `${cur.operationID}:${invoiceID}`, payment.paymentID),
        planApproved(cur.returnID),
        Audit.txItem({
          recordID: payment.paymentID,
          recordType: "payment",
          action: "create",
          operationID: cur.operationID,
          officeID: cur.officeID,
          // the invoice it pays is the payment's own `invoiceID`; no internal sentence in `reason` (shown as written)
          changes: { purpose: { after: "supplier_invoice" } },
        }),
      ],
    );
  });

  export async function forReturn(returnID: string): Promise<Invoice[]> {
    const r = (await ReturnEntity.get({ returnID }).go()).data;
    if (!r || r.operationID !== Actor.operationID()) throw new NotFoundError("return", returnID);
    Actor.assert("programme.read", {
      operationID: r.operationID,
      officeID: r.officeID,
      createdBy: r.createdBy,
    });
    return (await InvoiceEntity.query.byReturn({ returnID }).go({ pages: "all" })).data as Invoice[];
  }
}
