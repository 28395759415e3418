import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  Audit,
  Batch,
  Export,
  FspProfile,
  ObjectStore,
  Payee,
  Payment,
  Reconciliation,
} from "@waypoint/core";
import { as, createTestOperation, type TestOperation } from "../support/fixtures.ts";
import { approvedBatch } from "../support/payments.ts";

const ORACLES = new URL("../../../shared/oracles/", import.meta.url);
const sample = (n: string) =>
  readFileSync(new URL(`iso20022/samples/corporatejs_pain.002.001.03_${n}.xml`, ORACLES), "utf8");

/**
 * The oracle reports are about another company's files. We export our own batches (pain.001.001.03, the version
 * the reports answer) and map the report's original ids onto our export's ids: OrgnlMsgId → our MsgId,
 * OrgnlPmtInfId → our PmtInfId, OrgnlEndToEndId → our EndToEndId. Everything else (statuses, reasons, the
 * misspelt OrgnlInstrdId, empty StsRsnInf, control sums) is the bank's file as it is.
 */
/** Oracle report 6 (one payment rejected AM01) about our export's message, payment information and first payment. */
const rejectedAM01 = (x: Awaited<ReturnType<typeof exported>>) =>
  sample("6_rejected-payment-material-2")
    .replace("<OrgnlMsgId>1547478597597<", `<OrgnlMsgId>${x.messageId}<`)
    .replace("1547478597597-G-1-P-1", x.payments[0]!.endToEndId!)
    .replace("1547478597597-G-1", x.pmtInfId);

async function exported(t: TestOperation, amounts: number[]) {
  const b = await approvedBatch(t, amounts);
  const e = await as(t.users.finance.actor, () => Export.run(b.batch.batchID, { format: "pain.001.001.03" }));
  const payments = await as(t.users.finance.actor, () =>
    Promise.all(b.paymentIDs.map((id) => Payment.get(id))),
  );
  return { ...b, messageId: e.messageId, pmtInfId: `${e.messageId}-1`, payments };
}
const statuses = (t: TestOperation, ids: string[]) =>
  as(t.users.finance.actor, async () =>
    (await Promise.all(ids.map((id) => Payment.get(id)))).map((p) => [p.status, p.failureReason]),
  );
const reconcile = (t: TestOperation, batchID: string, content: string) =>
  as(t.users.finance.actor, () => Reconciliation.importFile(batchID, { format: "pain.002", content }));

describe("reconciliation from ISO 20022 pain.002 (oracle samples)", () => {
  it("1: group ACTC (technical acceptance) acknowledges the file and pays nobody", async () => {
    const t = await createTestOperation();
    const x = await exported(t, [1000, 2000]);
    const r = await reconcile(
      t,
      x.batch.batchID,
      sample("1_accepted-technical-check").replace("20110102-0000001", x.messageId),
    );
    expect(r.summary).toEqual({ acknowledged: 2 });
    expect(await statuses(t, x.paymentIDs)).toEqual([
      ["in_batch", undefined],
      ["in_batch", undefined],
    ]);
    expect(r.batchStatus).toBe("exported");
  });

  it("2: group RJCT fails every payment with the bank's reason", async () => {
    const t = await createTestOperation();
    const x = await exported(t, [1000, 2000]);
    const r = await reconcile(
      t,
      x.batch.batchID,
      sample("2_rejected-technical-check").replace("20110102-0000001", x.messageId),
    );
    expect(r.summary).toEqual({ failed: 2 });
    const s = await statuses(t, x.paymentIDs);
    expect(s.map((p) => p[0])).toEqual(["failed", "failed"]);
    expect(s[0]![1]).toMatch(/^NARR: pain.001.001.03 could not be processed/);
    expect(r.batchStatus).toBe("reconciled");
  });

  it("3: payment-information ACCP pays the payment and the control sum matches", async () => {
    const t = await createTestOperation();
    const x = await exported(t, [9008]);
    const xml = sample("3_accepted-payment-material")
      .replace("20140102-0000001", x.messageId)
      .replace("20110102-123456-01", x.pmtInfId);
    const r = await reconcile(t, x.batch.batchID, xml);
    expect(r.summary).toEqual({ paid: 1 });
    expect(r.control).toMatchObject({
      fileCount: 1,
      fileTotal: 9008,
      batchCount: 1,
      batchTotal: 9008,
      matches: true,
    });
    expect(await statuses(t, x.paymentIDs)).toEqual([["paid", undefined]]);
  });

  it("4: a PART report with four payment-information blocks reconciles each batch's payments", async () => {
    const t = await createTestOperation();
    const b1 = await exported(t, [2211, 5587861, 5587861]);
    const b2 = await exported(t, [37011, 37011]);
    const b3 = await exported(t, [33261, 33261]);
    const b4 = await exported(t, [50000011]);
    const e2e = b1.payments[0]!.endToEndId!;
    const xml = sample("4_accepted-and-rejected-payments")
      .replace("MsgId_110610", b1.messageId)
      .replace("TEST PMT", e2e)
      .replace("20140102-123456-01", b1.pmtInfId)
      .replace("20140102-123456-02", b2.pmtInfId)
      .replace("20140102-123456-03", b3.pmtInfId)
      .replace("20140102-123456-04", b4.pmtInfId);
    expect(xml).toContain("<OrgnlInstrdId>"); // the bank's typo is still there
    const r1 = await reconcile(t, b1.batch.batchID, xml);
    expect(r1.summary).toEqual({ failed: 1, paid: 2, unmatched: 3 });
    expect(await statuses(t, b1.paymentIDs)).toEqual([
      ["failed", "NARR: Viite virheellinen"],
      ["paid", undefined],
      ["paid", undefined],
    ]);
    const r2 = await reconcile(t, b2.batch.batchID, xml);
    expect(r2.summary).toEqual({ failed: 2, unmatched: 3 });
    expect(await statuses(t, b2.paymentIDs)).toEqual([
      ["failed", "DT01: Eräpäivä virheellinen"],
      ["failed", "DT01: Eräpäivä virheellinen"],
    ]);
    await reconcile(t, b3.batch.batchID, xml);
    expect((await statuses(t, b3.paymentIDs)).map((s) => s[0])).toEqual(["paid", "paid"]);
    await reconcile(t, b4.batch.batchID, xml);
    expect((await statuses(t, b4.paymentIDs)).map((s) => s[0])).toEqual(["paid"]);

    // replaying the same file changes nothing: no payment, no batch version, no count moves
    const before = await as(t.users.finance.actor, () => Batch.get(b1.batch.batchID));
    const again = await reconcile(t, b1.batch.batchID, xml);
    expect(again.summary).toEqual({ already_reconciled: 3, unmatched: 3 });
    const after = await as(t.users.finance.actor, () => Batch.get(b1.batch.batchID));
    expect(after.version).toBe(before.version);
    expect([after.paidCount, after.failedCount, after.status]).toEqual([2, 1, "reconciled"]);
    expect(await statuses(t, b1.paymentIDs)).toEqual([
      ["failed", "NARR: Viite virheellinen"],
      ["paid", undefined],
      ["paid", undefined],
    ]);
  }, 120_000);

  it("5: payment-information RJCT fails the payment with DT01", async () => {
    const t = await createTestOperation();
    const x = await exported(t, [1308]);
    const xml = sample("5_rejected-payment-material")
      .replace("MsgId_20140108-00004", x.messageId)
      .replace("20140108-123456-01", x.pmtInfId);
    const r = await reconcile(t, x.batch.batchID, xml);
    expect(r.control.matches).toBe(true);
    expect(await statuses(t, x.paymentIDs)).toEqual([["failed", "DT01: Eräpäivä virheellinen."]]);
  });

  it("6: a transaction RJCT with AM01 is matched by end-to-end id despite an empty StsRsnInf", async () => {
    const t = await createTestOperation();
    const x = await exported(t, [500]);
    const xml = rejectedAM01(x);
    const r = await reconcile(t, x.batch.batchID, xml);
    expect(r.summary).toEqual({ failed: 1 });
    expect(await statuses(t, x.paymentIDs)).toEqual([["failed", "AM01: Nolla-summa tilisiirrossa."]]);
  });

  it("a report is read in pieces, never whole: a transaction cut by a piece's edge is read as one", async () => {
    const t = await createTestOperation();
    const x = await exported(t, [500]);
    const xml = rejectedAM01(x);
    // the scanner hands the parser 262,144 characters at a time: put that edge inside the end-to-end id
    const at = xml.indexOf(x.payments[0]!.endToEndId!) + 10;
    const padded = xml.replace("<TxInfAndSts>", `<!--${" ".repeat(2 ** 18 - at - 7)}--><TxInfAndSts>`);
    expect(padded.indexOf(x.payments[0]!.endToEndId!) + 10).toBeGreaterThan(2 ** 18 - 20);
    expect(padded.indexOf(x.payments[0]!.endToEndId!)).toBeLessThan(2 ** 18);
    const r = await reconcile(t, x.batch.batchID, padded);
    expect(r.summary).toEqual({ failed: 1 });
    expect(r.rows).toEqual([
      expect.objectContaining({ reference: x.payments[0]!.endToEndId, outcome: "failed" }),
    ]);
    expect(await statuses(t, x.paymentIDs)).toEqual([["failed", "AM01: Nolla-summa tilisiirrossa."]]);
    // a file cut short is refused before anything is applied
    const other = await exported(t, [700]);
    const cut = sample("5_rejected-payment-material")
      .replace("MsgId_20140108-00004", other.messageId)
      .replace("20140108-123456-01", other.pmtInfId);
    await expect(
      reconcile(t, other.batch.batchID, cut.slice(0, cut.lastIndexOf("</OrgnlPmtInfAndSts>"))),
    ).rejects.toThrow(/well-formed/);
    expect(await statuses(t, other.paymentIDs)).toEqual([["in_batch", undefined]]);
  });

  it("a failed payment can be re-batched with a new attempt and end-to-end id", async () => {
    const t = await createTestOperation();
    const x = await exported(t, [1308]);
    await reconcile(
      t,
      x.batch.batchID,
      sample("5_rejected-payment-material")
        .replace("MsgId_20140108-00004", x.messageId)
        .replace("20140108-123456-01", x.pmtInfId),
    );
    const failed = (await as(t.users.finance.actor, () => Payment.get(x.paymentIDs[0]!)))!;
    const retried = await as(t.users.finance.actor, () => Payment.retry(failed.paymentID, failed.version));
    expect(retried).toMatchObject({ status: "approved", attempt: 2 });
    const b = await as(t.users.finance.actor, () =>
      Batch.create({ fspProfileID: x.fsp.fspProfileID, currency: "EUR", paymentIDs: [failed.paymentID] }),
    );
    expect(b.count).toBe(1);
    const p = await as(t.users.finance.actor, () => Payment.get(failed.paymentID));
    expect(p.endToEndId).toBe(x.payments[0]!.endToEndId!.replace(/-1$/, "-2"));
  });
});

describe("reconciliation from CSV", () => {
  it("reads the 121 platform's ;-separated file, matching by phone number, and refuses a second pass", async () => {
    const t = await createTestOperation();
    const phones = ["+14155235551", "+14155235552", "+14155235553", "+14155235557"];
    const { fsp, paymentIDs } = await as(t.users.finance.actor, async () => {
      const fsp = await FspProfile.create({
        name: "Mobile money",
        kind: "mobile_money",
        currency: "USD",
        defaultFormat: "mobile-money-csv",
        mobileMoney: {
          provider: "mpesa",
          // US numbers: the provider pays in the United States (payees must have its mobile numbers)
          country: "US",
          delimiter: ";",
          columns: [
            { header: "phoneNumber", field: "msisdn" },
            { header: "amount", field: "amount" },
            { header: "fullName", field: "payeeName" },
          ],
        },
      });
      const payees: Awaited<ReturnType<typeof Payee.create>>[] = [];
      for (const msisdn of phones)
        payees.push(
          await Payee.create({
            kind: "individual",
            name: `@Person ${msisdn.slice(-1)}`,
            channel: { type: "mobile_money", msisdn, provider: "mpesa" },
          }),
        );
      const res = await Payment.createMany(
        payees.map((p) => ({
          values: { payeeID: p.payeeID, purpose: "cash_for_protection", amount: 1750, currency: "USD" },
        })),
      );
      return { fsp, paymentIDs: res.results.map((r) => r.id!) };
    });
    const b = await as(t.users.finance.actor, async () =>
      Batch.submit(
        (await Batch.create({ fspProfileID: fsp.fspProfileID, currency: "USD", paymentIDs })).batchID,
      ),
    );
    await as(t.users.finance_approver.actor, () => Batch.approve(b.batchID));
    const e = await as(t.users.finance.actor, () => Export.run(b.batchID, { format: "mobile-money-csv" }));
    const file = await new Response(
      (await ObjectStore.get(`exports/${t.operationID}/${e.exportID}/${e.fileName}`)) as never,
    ).text();
    expect(file.split(/\r?\n/)[0]).toBe("phoneNumber;amount;fullName");
    expect(file).toContain("14155235551;17.50;'@Person 1");
    expect(file).not.toContain("+1415");
    const content = readFileSync(
      new URL("payments/121-platform_test-reconciliation-Excel-pv.csv", ORACLES),
      "utf8",
    );
    const r = await as(t.users.finance.actor, () =>
      Reconciliation.importFile(b.batchID, { format: "csv", content, matchOn: "msisdn" }),
    );
    expect(r.summary).toEqual({ paid: 2, failed: 2 });
    expect(r.control).toMatchObject({ fileCount: 4, fileTotal: 7000, matches: true });
    expect(r.batchStatus).toBe("reconciled");
    expect((await statuses(t, paymentIDs)).map((s) => s[0])).toEqual(["paid", "paid", "failed", "failed"]);
    const again = await as(t.users.finance.actor, () =>
      Reconciliation.importFile(b.batchID, { format: "csv", content, matchOn: "msisdn" }),
    );
    expect(again.summary).toEqual({ already_reconciled: 4 });
  });

  it("matching by phone never pays on an empty or non-numeric cell, nor guesses which of a payee's two payments was paid", async () => {
    const t = await createTestOperation();
    const { b, ids } = await as(t.users.finance.actor, async () => {
      const fsp = await FspProfile.create({
        name: "Mobile money",
        kind: "mobile_money",
        currency: "USD",
        defaultFormat: "mobile-money-csv",
        mobileMoney: {
          provider: "mpesa",
          // US numbers: the provider pays in the United States (payees must have its mobile numbers)
          country: "US",
          columns: [
            { header: "phoneNumber", field: "msisdn" },
            { header: "amount", field: "amount" },
          ],
        },
      });
      const twice = await Payee.create({
        kind: "individual",
        name: "Paid twice",
        channel: { type: "mobile_money", msisdn: "+14155235551", provider: "mpesa" },
      });
      const once = await Payee.create({
        kind: "individual",
        name: "Paid once",
        channel: { type: "mobile_money", msisdn: "+14155235552", provider: "mpesa" },
      });
      const res = await Payment.createMany(
        [twice, twice, once].map((p, i) => ({
          values: { payeeID: p.payeeID, purpose: "cash_for_protection", amount: 1000 + i, currency: "USD" },
        })),
      );
      const ids = res.results.map((r) => r.id!);
      const b = await Batch.create({ fspProfileID: fsp.fspProfileID, currency: "USD", paymentIDs: ids });
      return { b: await Batch.submit(b.batchID), ids };
    });
    await as(t.users.finance_approver.actor, () => Batch.approve(b.batchID));
    await as(t.users.finance.actor, () => Export.run(b.batchID, { format: "mobile-money-csv" }));
    const content = [
      "phoneNumber;status",
      "14155235551;success",
      ";success",
      "n/a;success",
      "14155235552;success",
    ].join("\n");
    const r = await as(t.users.finance.actor, () =>
      Reconciliation.importFile(b.batchID, { format: "csv", content, matchOn: "msisdn" }),
    );
    expect(r.summary).toEqual({ unmatched: 3, paid: 1 });
    expect((await statuses(t, ids)).map((s) => s[0])).toEqual(["in_batch", "in_batch", "paid"]);
  });

  it("a paid payment later reported rejected is held for review, not answered 'already reconciled'; totals are in money per outcome", async () => {
    const t = await createTestOperation();
    const { batch, paymentIDs } = await approvedBatch(t, [1000, 2500]);
    await as(t.users.finance.actor, () => Export.run(batch.batchID, { format: "csv" }));
    const e2e = await as(t.users.finance.actor, async () =>
      (await Promise.all(paymentIDs.map((id) => Payment.get(id)))).map((p) => p.endToEndId!),
    );
    const file = (rows: string[][]) =>
      ["endToEndId,status,reason", ...rows.map((r) => r.join(","))].join("\n");
    const first = await as(t.users.finance.actor, () =>
      Reconciliation.importFile(batch.batchID, {
        format: "csv",
        content: file([
          [e2e[0]!, "paid", ""],
          [e2e[1]!, "rejected", "AC04 closed account"],
          ["PAY-UNKNOWN", "paid", ""],
        ]),
      }),
    );
    expect(first.totals).toEqual({
      paid: { count: 1, amount: 1000 },
      failed: { count: 1, amount: 2500 },
      unmatched: { count: 1, amount: 0 },
    });
    const second = await as(t.users.finance.actor, () =>
      Reconciliation.importFile(batch.batchID, {
        format: "csv",
        content: file([
          [e2e[0]!, "rejected", "AM04 insufficient funds"],
          [e2e[1]!, "rejected", "AC04 closed account"],
        ]),
      }),
    );
    expect(second.summary).toEqual({ held_for_review: 1, already_reconciled: 1 });
    expect(second.rows[0]!.reason).toMatch(/reported failed after it was paid/);
    const [held] = await as(t.users.finance.actor, () => Promise.all([Payment.get(paymentIDs[0]!)]));
    expect(held!.status).toBe("paid");
    expect(held!.flag).toBe("reconcile_contradiction");
    const trail = await as(t.users.admin.actor, () => Audit.history({ recordID: paymentIDs[0]! }));
    expect(trail.items.map((i) => i.action)).toContain("reconcile.contradiction");
  });
});
