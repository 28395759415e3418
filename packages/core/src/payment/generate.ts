import { GenerateRequest } from "@waypoint/schema/payments";
import { type BulkRowResult } from "@waypoint/schema/bulk";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { nowIso, transactWrite } from "../common/db.ts";
import { InvalidError, RuleError } from "../common/errors.ts";
import { toFieldIssues } from "../common/fn.ts";
import { bulk } from "../common/record.ts";
import { Unique } from "../common/unique.ts";
import { Payment, type StoredPayment } from "./index.ts";
import { minorDigits } from "./money.ts";
import { EntitlementEntity, PaymentEntity, unbatched } from "./payment.entity.ts";

/**
 * Generated payments: monthly hosting allowances, recurring cash for protection. Each row earns
 * `units × unitAmount` for one source (a placement, a case) in one period, written in one transaction with
 * - a unique claim on purpose + period + source, so running the generation twice never pays twice;
 * - the payee's running total for purpose + period, conditional on staying within `capPerPayee`, so two runs
 *   (or two sources of the same host) cannot exceed the cap even when they race.
 */
export async function generatePayments(
  input: GenerateRequest,
): Promise<{ results: BulkRowResult[]; summary: Record<string, number> }> {
  const parsed = GenerateRequest.safeParse(input);
  if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error));
  const { rule, rows } = parsed.data;
  minorDigits(rule.currency, "rule.currency");
  const operationID = Actor.operationID();
  const payees = await Payment.payees(rows.map((r) => r.payeeID));
  return bulk(rows, async (row, i): Promise<BulkRowResult> => {
    const payee = payees.get(row.payeeID);
    if (!payee || !payee.active)
      throw InvalidError.field(`rows.${i}.payeeID`, "invalid.payee", "No active payee with this ID");
    // the payee's office decides who may pay them, not an office named in the request
    if (payee.officeID && row.officeID && row.officeID !== payee.officeID)
      throw InvalidError.field(
        `rows.${i}.officeID`,
        "invalid.office",
        "A payment belongs to its payee's office",
      );
    const officeID = payee.officeID ?? row.officeID;
    Actor.assert("payment.create", { operationID, officeID: payee.officeID });
    const counterKey = {
      payeeID: row.payeeID,
      purpose: rule.purpose,
      period: rule.period,
      currency: rule.currency,
    };
    const claimValue = `${operationID}:${rule.purpose}:${rule.period}:${row.sourceID}`;
    const duplicate = async (): Promise<BulkRowResult | undefined> => {
      const owner = await Unique.owner("entitlement", claimValue);
      return owner === undefined
        ? undefined
        : {
            ref: row.ref,
            status: "duplicate",
            candidates: [{ paymentID: owner, sourceID: row.sourceID, period: rule.period }],
          };
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      let amount = row.units * rule.unitAmount;
      if (rule.capPerPayee !== undefined) {
        const granted = (await EntitlementEntity.get(counterKey).go()).data?.granted ?? 0;
        const room = rule.capPerPayee - granted;
        // A source already paid for this period is a duplicate, whatever room is left: another row of the same
        // run (or another run) may have filled the cap after this source's own payment was made.
        if (amount > room && (rule.capMode === "reject" || room <= 0)) {
          const paid = await duplicate();
          if (paid) return paid;
          throw new RuleError(
            "payment.capExceeded",
            `The cap per payee for ${rule.period} would be exceeded`,
          );
        }
        amount = Math.min(amount, room);
      }
      const item = Payment.build(
        {
          payeeID: row.payeeID,
          purpose: rule.purpose,
          amount,
          currency: rule.currency,
          status: rule.status,
          officeID,
          period: rule.period,
          caseID: row.caseID,
          placementID: row.placementID,
          fspProfileID: rule.fspProfileID,
        },
        operationID,
        nowIso(),
      );
      const cap = rule.capPerPayee;
      const counter = EntitlementEntity.update(counterKey)
        .add({ granted: amount })
        .where((a, { notExists, lte }) =>
          cap === undefined ? "" : `${notExists(a.granted)} OR ${lte(a.granted, cap - amount)}`,
        )
        .params();
      const tx = await transactWrite([
        { put: unbatched(PaymentEntity.create(item).params()) },
        Unique.claim("entitlement", claimValue, item.paymentID),
        { update: counter },
        Audit.txItem({
          recordID: item.paymentID,
          recordType: "payment",
          action: "generate",
          operationID,
          officeID,
          // what was generated, as fields a history reads in words (the source is the payment's own case or
          // placement, and the claim above); no internal sentence in `reason`, which is shown to people as written
          changes: {
            purpose: { after: rule.purpose },
            period: { after: rule.period },
            amount: { after: amount },
            currency: { after: rule.currency },
          },
        }),
      ]);
      if (tx.ok)
        return {
          ref: row.ref,
          id: item.paymentID,
          status: "created",
          version: 1,
          record: Payment.present(item as StoredPayment),
        };
      if (tx.failed.includes(1)) {
        const paid = await duplicate();
        if (paid) return paid;
      }
      // The counter moved under us (a concurrent run): re-read it and try again.
    }
    const paid = await duplicate();
    if (paid) return paid;
    throw new RuleError("payment.capExceeded", `The cap per payee for ${rule.period} would be exceeded`);
  });
}
