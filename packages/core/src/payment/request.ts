import {
  CashRequestCreate,
  CashRequestDecision,
  type CashRequestPayee,
  type CashRequestView,
  type PaymentChannel,
  type PaymentInfo,
} from "@waypoint/schema/payments";
import type { CashRequestQueueItem } from "@waypoint/schema/work";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { Case } from "../case/index.ts";
import { caseTarget, loadCase } from "../case/store.ts";
import { nowIso, transactWriteOrConflict } from "../common/db.ts";
import { Editors } from "../common/editors.ts";
import { InvalidError, NotFoundError, RuleError } from "../common/errors.ts";
import { toFieldIssues } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { asRead, writeVersioned } from "../common/record.ts";
import { Operation } from "../operation/index.ts";
import { PayeeEntity } from "../payee/payee.entity.ts";
import { staffNames } from "../resettlement/staff.ts";
import { minorDigits } from "./money.ts";
import { PaymentEntity, unbatched } from "./payment.entity.ts";
import { Payment } from "./index.ts";

/** The last characters of an account, enough to recognise it and no more. */
function accountHint(c: PaymentChannel): string {
  const tail = (v?: string) => (v ? `…${v.replace(/\s/g, "").slice(-4)}` : "");
  if (c.type === "mobile_money") return tail(c.msisdn);
  if (c.type === "bank") return tail(c.iban ?? c.accountNumber);
  return c.pickupPoint ?? "";
}

/**
 * Cash for protection, asked for on a case. A caseworker requests an amount for one of the case's people, with the
 * reason; the payment waits as a draft until a supervisor of the case's office who did not ask for it approves or
 * declines it (four eyes). Only an approved request can be batched and paid, and nothing else can approve it: the
 * payments grid may cancel a request but never approve it or change what was approved.
 */
export namespace CashRequest {
  /** The live case, readable by the actor (restriction included), on which the actor may request cash. */
  async function requestable(caseID: string) {
    const c = await Case.get(caseID);
    Actor.assert("payment.request", caseTarget(c));
    return c;
  }

  /**
   * Who a request on this case may pay (active payees of the case's people, account details masked), and the
   * currency a request is made in (the operation's).
   */
  export async function payees(caseID: string): Promise<{ items: CashRequestPayee[]; currency: string }> {
    const c = await requestable(caseID);
    const { currency } = await Operation.get(c.operationID);
    const people = new Set(c.individualIDs);
    if (people.size === 0) return { items: [], currency };
    const res = await PayeeEntity.query
      .byOperation({ operationID: c.operationID })
      .where((a, { eq }) => [...people].map((id) => eq(a.individualID, id)).join(" OR "))
      .go({ pages: "all" });
    const items = res.data
      .filter((p) => !p.deleted && p.active && p.individualID && people.has(p.individualID))
      .map((p) => ({
        payeeID: p.payeeID,
        name: p.name,
        individualID: p.individualID!,
        channelType: (p.channel as PaymentChannel).type,
        accountHint: accountHint(p.channel as PaymentChannel),
      }));
    return { items, currency };
  }

  /**
   * The requests made on a case with the payee's name and who asked and decided, for whoever may ask or decide on
   * it (a caseworker has no right to the payments registry; this is the case's own view of its cash).
   */
  export async function onCase(caseID: string): Promise<CashRequestView[]> {
    const c = await Case.get(caseID);
    const target = caseTarget(c);
    if (!Actor.can("payment.request", target) && !Actor.can("payment.authorise", target))
      Actor.assert("payment.request", target);
    const res = await PaymentEntity.query
      .byOperation({ operationID: c.operationID })
      .where((a, { eq }) => `${eq(a.caseID, caseID)} AND ${eq(a.purpose, "cash_for_protection")}`)
      .go({ pages: "all" });
    const rows = res.data.filter((p) => !p.deleted && p.request);
    const payees = new Map(
      await Promise.all(
        [...new Set(rows.map((p) => p.payeeID))].map(
          async (id) => [id, (await PayeeEntity.get({ payeeID: id }).go()).data?.name ?? ""] as const,
        ),
      ),
    );
    const names = await staffNames(rows.flatMap((p) => [p.request!.requestedBy, p.request!.decidedBy]));
    return rows
      .map((p) => ({
        paymentID: p.paymentID,
        payeeName: payees.get(p.payeeID) ?? "",
        amount: p.amount,
        currency: p.currency,
        status: p.status as CashRequestView["status"],
        reason: p.request!.reason,
        requestedBy: p.request!.requestedBy,
        requestedByName: names.get(p.request!.requestedBy),
        decision: p.request!.decision,
        decidedBy: p.request!.decidedBy,
        decidedByName: p.request!.decidedBy ? names.get(p.request!.decidedBy) : undefined,
        decisionReason: p.request!.decisionReason,
        timeCreated: p.timeCreated,
        version: p.version,
      }))
      .sort((a, b) => b.timeCreated.localeCompare(a.timeCreated));
  }

  export async function request(caseID: string, raw: CashRequestCreate): Promise<PaymentInfo> {
    const parsed = CashRequestCreate.safeParse(raw);
    if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error));
    const input = parsed.data;
    const c = await requestable(caseID);
    if (c.stage === "closed")
      throw new RuleError("cashRequest.caseClosed", "Cash cannot be requested on a closed case");
    const payee = (await PayeeEntity.get({ payeeID: input.payeeID }).go()).data;
    if (
      !payee ||
      payee.deleted ||
      !payee.active ||
      payee.operationID !== c.operationID ||
      !payee.individualID ||
      !c.individualIDs.includes(payee.individualID)
    )
      throw InvalidError.field(
        "payeeID",
        "invalid.payee",
        "Choose the payment account of one of the people of this case",
      );
    const currency = input.currency ?? (await Operation.get(c.operationID)).currency;
    minorDigits(currency, "currency");
    const now = nowIso();
    const me = Actor.id();
    const item = {
      paymentID: Identifier.create("payment"),
      operationID: c.operationID,
      officeID: payee.officeID ?? c.officeID,
      payeeID: payee.payeeID,
      purpose: "cash_for_protection",
      amount: input.amount,
      currency,
      status: "draft",
      attempt: 1,
      caseID: c.caseID,
      request: { requestedBy: me, reason: input.reason },
      createdBy: me,
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    // the new payment's ID is fresh: a failed condition can only be a lost race, said as a conflict
    await transactWriteOrConflict([
      { put: unbatched(PaymentEntity.create(item as never).params()) },
      Audit.txItem({
        recordID: item.paymentID,
        recordType: "payment",
        action: "cash.request",
        operationID: item.operationID,
        officeID: item.officeID,
        changes: {
          caseID: { after: item.caseID },
          payeeID: { after: item.payeeID },
          amount: { after: item.amount },
          currency: { after: item.currency },
        },
      }),
    ]);
    return Payment.present(item as never);
  }

  /** Approves or declines a request: someone other than who asked, who may authorise on the case as it is now. */
  export async function decide(paymentID: string, raw: CashRequestDecision): Promise<PaymentInfo> {
    const parsed = CashRequestDecision.safeParse(raw);
    if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error));
    const { version, decision, reason } = parsed.data;
    const cur = await Payment.load(paymentID);
    if (!cur.request || !cur.caseID) throw new NotFoundError("cash request", paymentID);
    const c = await Case.get(cur.caseID);
    Actor.assert("payment.authorise", caseTarget(c));
    if (cur.request.decision || cur.status !== "draft")
      throw new RuleError("cashRequest.decided", "This request has already been decided");
    Editors.assertNotShaper(
      { createdBy: cur.createdBy },
      "cashRequest.ownRequest",
      "Someone other than the person who asked for this cash must decide on it",
      [cur.request.requestedBy],
    );
    if (decision === "declined" && !reason)
      throw InvalidError.field("reason", "invalid.required", "Say why the request is declined");
    const request = {
      ...cur.request,
      decision,
      decidedBy: Actor.id(),
      timeDecided: nowIso(),
      ...(reason ? { decisionReason: reason } : {}),
    };
    const status = decision === "approved" ? "approved" : "cancelled";
    const res = await writeVersioned(
      {
        entity: PaymentEntity,
        key: { paymentID },
        expectedVersion: version,
        // byStatus is keyed on operation, status and currency: ElectroDB rebuilds that key from all three
        set: { status, request, operationID: cur.operationID, currency: cur.currency },
        audit: {
          recordID: paymentID,
          recordType: "payment",
          action: decision === "approved" ? "cash.approve" : "cash.decline",
          operationID: cur.operationID,
          officeID: cur.officeID,
          changes: { status: { before: cur.status, after: status } },
        },
        view: asRead(() => Payment.get(paymentID)),
      },
      () =>
        PaymentEntity.get({ paymentID })
          .go()
          .then((r) => r.data),
    );
    return Payment.present({ ...cur, status, request, ...res } as never);
  }

  /** Requests waiting on the actor: undecided, on cases they may authorise on, never ones they asked for. */
  export async function pending(): Promise<CashRequestQueueItem[]> {
    Actor.assert("payment.authorise");
    const operationID = Actor.operationID();
    const { currency } = await Operation.get(operationID);
    const res = await PaymentEntity.query
      .byStatus({ operationID, status: "draft", currency })
      .where((a, { eq }) => eq(a.purpose, "cash_for_protection"))
      .go({ pages: "all" });
    const me = Actor.id();
    const open = res.data.filter(
      (p) => !p.deleted && p.request && !p.request.decision && p.request.requestedBy !== me && p.caseID,
    );
    const cases = new Map(
      await Promise.all([...new Set(open.map((p) => p.caseID!))].map(async (id) => [id, await loadCase(id)] as const)),
    );
    const payees = new Map(
      await Promise.all(
        [...new Set(open.map((p) => p.payeeID))].map(
          async (id) => [id, (await PayeeEntity.get({ payeeID: id }).go()).data] as const,
        ),
      ),
    );
    const items: CashRequestQueueItem[] = [];
    for (const p of open) {
      const c = cases.get(p.caseID!);
      if (!c || (c as { deleted?: boolean }).deleted || !Actor.can("payment.authorise", caseTarget(c)) || !Actor.can("case.read", caseTarget(c)))
        continue;
      items.push({
        paymentID: p.paymentID,
        caseID: c.caseID,
        caseNumber: c.caseNumber,
        officeID: c.officeID,
        payeeName: payees.get(p.payeeID)?.name ?? "",
        amount: p.amount,
        currency: p.currency,
        reason: p.request!.reason,
        requestedBy: p.request!.requestedBy,
        requestedAt: p.timeCreated,
        version: p.version,
      });
    }
    return items.sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
  }
}
