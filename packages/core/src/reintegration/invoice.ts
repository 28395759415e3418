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
import { nowIso, transactWrite } from "../common/db.ts";
import { InvalidError, NotFoundError, RuleError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { writeVersioned } from "../common/record.ts";
import { generatePayments } from "../payment/generate.ts";
import { InvoiceEntity, PlanEntity, ReturnEntity, SupplierEntity } from "./reintegration.entity.ts";

type Invoice = InvoiceInfo & { deleted?: boolean };
const QUOTES_NEEDED = 3;

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

async function checkQuotes(quotes: { supplierID: string; currency: string }[], prefix: string) {
  const ids = [...new Set(quotes.map((q) => q.supplierID))];
  const found = ids.length
    ? (await SupplierEntity.get(ids.map((supplierID) => ({ supplierID }))).go()).data
    : [];
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
    await checkQuotes(input.quotes, "");
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
    await transactWrite([
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
    if (changes.quotes) await checkQuotes(changes.quotes, "changes.");
    const set: Record<string, unknown> = {};
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
    if (cur.createdBy === Actor.id())
      throw new RuleError("invoice.ownApproval", "The person who prepared the invoice cannot approve it");
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
    const gen = await generatePayments({
      rule: {
        purpose: "supplier_invoice",
        currency: cur.currency!,
        period: nowIso().slice(0, 7),
        unitAmount: cur.amount!,
        status: "approved",
      },
      rows: [
        {
          ref: invoiceID,
          payeeID: supplier.payeeID,
          units: 1,
          sourceID: `invoice:${invoiceID}`,
          officeID: cur.officeID,
        },
      ],
    });
    const r = gen.results[0]!;
    const paymentID =
      r.status === "created"
        ? r.id
        : r.status === "duplicate"
          ? (r.candidates[0] as { paymentID?: string }).paymentID
          : undefined;
    if (!paymentID)
      throw new RuleError("invoice.payment", `The supplier payment could not be created (${r.status})`);
    return write(
      cur,
      version,
      { status: "approved", decidedBy: Actor.id(), decisionComment: comment, paymentID },
      "approve",
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
