import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { XmlDocument, XsdValidator } from "libxml2-wasm";
import {
  generatePayments,
  Batch,
  endToEndId,
  Export,
  Identifier,
  ObjectStore,
  Payee,
  Payment,
  PaymentSettings,
} from "@waypoint/core";
import { PaymentEntity } from "@waypoint/core/payment/payment.entity";
import { InvalidError } from "@waypoint/core/common/errors";
import { as, createTestOperation, type TestOperation } from "../support/fixtures.ts";
import { approvedBatch, assemblingBatch, payeesAndPayments, setupFinance } from "../support/payments.ts";

const ORACLES = new URL("../../../shared/oracles/", import.meta.url);

async function text(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

describe("payment batches: four eyes", () => {
  let t: TestOperation;
  beforeAll(async () => {
    t = await createTestOperation();
  });

  it("a finance officer cannot approve a batch they created, and approvals come from distinct people", async () => {
    const { fsp } = await setupFinance(t);
    const { paymentIDs } = await payeesAndPayments(t, [1500000, 250]);
    // An approver may hold both roles in small offices; we simulate the creator trying through the approver role.
    const creator = { ...t.users.finance_approver.actor };
    const batch = await as(creator, async () => {
      // approvers cannot create batches: the permission table refuses
      await expect(
        Batch.create({ fspProfileID: fsp.fspProfileID, currency: "EUR", paymentIDs }),
      ).rejects.toMatchObject({ status: 403, action: "batch.create" });
      return undefined;
    });
    expect(batch).toBeUndefined();
    const b = await as(t.users.finance.actor, async () => {
      const created = await Batch.create({ fspProfileID: fsp.fspProfileID, currency: "EUR", paymentIDs });
      expect(created.status).toBe("draft");
      expect(created.count).toBe(2);
      return Batch.submit(created.batchID);
    });
    expect(b.total).toBe(1500250);
    expect(b.approvalsRequired).toBe(2); // above 10,000.00 by the default levels
    // the creator, even if given the approve permission through a second grant, is refused
    const creatorAsApprover = { ...t.users.finance_approver.actor, userID: t.users.finance.userID };
    await expect(as(creatorAsApprover, () => Batch.approve(b.batchID))).rejects.toThrow(
      /creator or submitter/,
    );
    const one = await as(t.users.finance_approver.actor, () => Batch.approve(b.batchID));
    expect(one.status).toBe("submitted");
    await expect(as(t.users.finance_approver.actor, () => Batch.approve(b.batchID))).rejects.toThrow(
      /already approved/,
    );
    const second = { ...t.users.finance_approver.actor, userID: "usr_SECONDAPPROVER" };
    const two = await as(second, () => Batch.approve(b.batchID));
    expect(two.status).toBe("approved");
    expect(two.approvals.map((a) => a.userID)).toEqual([
      t.users.finance_approver.userID,
      "usr_SECONDAPPROVER",
    ]);
  });

  it("approval levels come from the operation's settings", async () => {
    const t2 = await createTestOperation();
    await as(t2.users.admin.actor, () => PaymentSettings.setLevels({ EUR: [{ minTotal: 0, approvals: 3 }] }));
    const { fsp } = await setupFinance(t2);
    const { paymentIDs } = await payeesAndPayments(t2, [100]);
    const b = await as(t2.users.finance.actor, async () => {
      const c = await Batch.create({ fspProfileID: fsp.fspProfileID, currency: "EUR", paymentIDs });
      return Batch.submit(c.batchID);
    });
    expect(b.approvalsRequired).toBe(3);
  });
});

describe("a payment is in at most one open batch", () => {
  it("two concurrent batch creations over the same payments put each payment in exactly one batch", async () => {
    const t = await createTestOperation();
    const { fsp } = await setupFinance(t);
    const { paymentIDs } = await payeesAndPayments(
      t,
      Array.from({ length: 40 }, (_, i) => 100 + i),
    );
    const [a, b] = await as(t.users.finance.actor, () =>
      Promise.all([
        Batch.create({ fspProfileID: fsp.fspProfileID, currency: "EUR", paymentIDs }),
        Batch.create({ fspProfileID: fsp.fspProfileID, currency: "EUR", filter: {} }),
      ]),
    );
    expect(a!.count + b!.count).toBe(40);
    const stored = await as(t.users.finance.actor, () =>
      Promise.all(paymentIDs.map((id) => Payment.get(id))),
    );
    for (const p of stored) {
      expect(p.status).toBe("in_batch");
      expect([a!.batchID, b!.batchID]).toContain(p.batchID);
    }
    const inA = stored.filter((p) => p.batchID === a!.batchID).length;
    expect(inA).toBe(a!.count);
    // a third batch over the same payments is refused with the reason for each payment, and not created
    const before = await as(t.users.finance.actor, () => Batch.list({}));
    const refused = await as(t.users.finance.actor, () =>
      Batch.create({ fspProfileID: fsp.fspProfileID, currency: "EUR", paymentIDs }),
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidError);
    const issues = (refused as InvalidError).issues;
    expect(issues).toHaveLength(paymentIDs.length);
    expect(issues[0]).toMatchObject({ path: "paymentIDs.0", message: "Already in another batch" });
    const byFilter = await as(t.users.finance.actor, () =>
      Batch.create({ fspProfileID: fsp.fspProfileID, currency: "EUR", filter: {} }),
    ).catch((e: unknown) => e);
    expect((byFilter as InvalidError).issues[0]!.path).toBe("filter");
    const after = await as(t.users.finance.actor, () => Batch.list({}));
    expect(after.items.length).toBe(before.items.length);
  });

  it("cancelling a batch before export releases its payments for another batch", async () => {
    const t = await createTestOperation();
    const { fsp } = await setupFinance(t);
    const { paymentIDs } = await payeesAndPayments(t, [500, 700]);
    const b = await as(t.users.finance.actor, () =>
      Batch.create({ fspProfileID: fsp.fspProfileID, currency: "EUR", paymentIDs }),
    );
    const cancelled = await as(t.users.finance.actor, () => Batch.cancel(b.batchID, { note: "wrong month" }));
    expect(cancelled.status).toBe("cancelled");
    const p = await as(t.users.finance.actor, () => Payment.get(paymentIDs[0]!));
    expect(p.status).toBe("approved");
    const again = await as(t.users.finance.actor, () =>
      Batch.create({ fspProfileID: fsp.fspProfileID, currency: "EUR", paymentIDs }),
    );
    expect(again.count).toBe(2);
    expect(again.total).toBe(1200);
  });
});

describe("generated allowances", () => {
  it("pays units × rate once per source and period, within the cap per payee", async () => {
    const t = await createTestOperation();
    const { payees } = await payeesAndPayments(t, [1]);
    const host = payees[0]!.payeeID;
    const rule = {
      purpose: "hosting_allowance" as const,
      currency: "MXN",
      period: "2026-11",
      unitAmount: 150000,
      capPerPayee: 500000,
    };
    const first = await as(t.users.finance.actor, () =>
      generatePayments({
        rule,
        rows: [
          { payeeID: host, units: 2, sourceID: "plc-a" },
          { payeeID: host, units: 2, sourceID: "plc-b" },
        ],
      }),
    );
    expect(first.summary).toEqual({ created: 1, invalid: 1 }); // 300,000 + 300,000 would exceed 500,000
    const invalid = first.results.find((r) => r.status === "invalid")!;
    expect(invalid.status === "invalid" && invalid.issues[0]!.code).toBe("payment.capExceeded");
    const again = await as(t.users.finance.actor, () =>
      generatePayments({
        rule: { ...rule, capMode: "truncate" },
        rows: [
          { payeeID: host, units: 2, sourceID: "plc-a" },
          { payeeID: host, units: 2, sourceID: "plc-b" },
        ],
      }),
    );
    expect(again.results.map((r) => r.status).sort()).toEqual(["created", "duplicate"]);
    const created = again.results.find((r) => r.status === "created")!;
    expect(created.status === "created" && (created.record as { amount: number }).amount).toBe(200000); // truncated to the cap
    const list = await as(t.users.finance.actor, () =>
      Payment.list({ payeeID: host, purpose: "hosting_allowance" }),
    );
    expect(list.items.reduce((a, p) => a + p.amount, 0)).toBe(500000);
    // the cap is now full: a source already paid is still reported as a duplicate, not as over the cap (the
    // order a concurrent run can meet: another row filled the cap after this source's own payment was made)
    const third = await as(t.users.finance.actor, () =>
      generatePayments({
        rule: { ...rule, capMode: "truncate" },
        rows: [
          { payeeID: host, units: 2, sourceID: "plc-a" },
          { payeeID: host, units: 2, sourceID: "plc-b" },
          { payeeID: host, units: 1, sourceID: "plc-c" },
        ],
      }),
    );
    expect(third.results.map((r) => r.status)).toEqual(["duplicate", "duplicate", "invalid"]);
  });
});

describe("an interrupted batch creation resumes", () => {
  it("a batch left assembling after a crash mid-chunk finishes with each payment counted once", async () => {
    const t = await createTestOperation();
    const { fsp } = await setupFinance(t);
    const { paymentIDs } = await payeesAndPayments(t, [100, 200, 300]);
    const batchID = Identifier.create("batch");
    // the state a crash leaves: the batch exists as `assembling`, one payment of the chunk was already taken
    await assemblingBatch(t, fsp.fspProfileID, batchID, { paymentIDs });
    await PaymentEntity.patch({ paymentID: paymentIDs[1]! })
      .set({
        status: "in_batch",
        batchID,
        endToEndId: endToEndId(paymentIDs[1]!, 1),
        operationID: t.operationID,
        currency: "EUR",
      })
      .go();
    const resumed = await as(t.users.finance.actor, () => Batch.resume(batchID));
    expect(resumed).toMatchObject({ status: "draft", count: 3, total: 600 });
    const again = await as(t.users.finance.actor, () => Batch.resume(batchID));
    expect(again).toMatchObject({ status: "draft", count: 3, total: 600 });
    const submitted = await as(t.users.finance.actor, () => Batch.submit(batchID));
    expect([submitted.count, submitted.total]).toEqual([3, 600]);
  });
});

describe("exports", () => {
  it("an exported pain.001.001.09 validates against the ISO 20022 XSD and its NbOfTxs and CtrlSum match the batch", async () => {
    const t = await createTestOperation();
    const { batch } = await approvedBatch(
      t,
      [12345, 1, 99999, 700000],
      ["Ana <O'Brien> & Söhne", "Łukasz Żółć", "=HYPERLINK()", "Zoë"],
    );
    for (const format of ["pain.001.001.09", "pain.001.001.03"] as const) {
      const e = await as(t.users.finance.actor, () => Export.run(batch.batchID, { format }));
      expect(e.count).toBe(4);
      expect(e.sha256).toMatch(/^[0-9a-f]{64}$/);
      const file = await as(t.users.finance.actor, () => Export.download(e.exportID));
      expect(file.link).toBeUndefined(); // the local folder store streams; a bucket gives a link
      const xml = (await text(file.stream!)).toString("utf8");
      const xsd = XmlDocument.fromBuffer(readFileSync(new URL(`iso20022/xsd/${format}.xsd`, ORACLES)));
      const validator = XsdValidator.fromDoc(xsd);
      const doc = XmlDocument.fromString(xml);
      expect(() => validator.validate(doc)).not.toThrow();
      doc.dispose();
      validator.dispose();
      xsd.dispose();
      expect(xml.match(/<NbOfTxs>(\d+)<\/NbOfTxs>/g)).toEqual([
        "<NbOfTxs>4</NbOfTxs>",
        "<NbOfTxs>4</NbOfTxs>",
      ]);
      const ctrl = [...xml.matchAll(/<CtrlSum>([\d.]+)<\/CtrlSum>/g)].map((m) => m[1]);
      expect(ctrl).toEqual(["8123.45", "8123.45"]);
      const amounts = [...xml.matchAll(/<InstdAmt Ccy="EUR">([\d.]+)<\/InstdAmt>/g)].map((m) =>
        Math.round(Number(m[1]) * 100),
      );
      expect(amounts.reduce((a, b) => a + b, 0)).toBe(812345);
      const e2e = [...xml.matchAll(/<EndToEndId>([^<]+)<\/EndToEndId>/g)].map((m) => m[1]!);
      expect(new Set(e2e).size).toBe(4);
      for (const id of e2e) expect(id.length).toBeLessThanOrEqual(35);
      // names reduced to the ISO 20022 Latin set and XML-escaped
      expect(xml).toContain("<Cdtr><Nm>Ana O&apos;Brien Sohne</Nm></Cdtr>");
      expect(xml).toContain("<Cdtr><Nm>Lukasz Zolc</Nm></Cdtr>");
    }
  });

  it("a name starting with = is neutralised in CSV and XLSX", async () => {
    const t = await createTestOperation();
    const { batch } = await approvedBatch(t, [100, 200], ["=cmd|' /C calc'!A0", "+SUM(A1)"]);
    const csv = await as(t.users.finance.actor, () => Export.run(batch.batchID, { format: "csv" }));
    const body = (
      await text(await ObjectStore.get(`exports/${t.operationID}/${csv.exportID}/${csv.fileName}`))
    ).toString();
    expect(body).toContain(`,'=cmd|' /C calc'!A0,`);
    expect(body).toContain("'+SUM(A1)");
    expect(body).not.toMatch(/(^|,)=cmd/m);
    const xlsx = await as(t.users.finance.actor, () => Export.run(batch.batchID, { format: "xlsx" }));
    const dl = await as(t.users.finance.actor, () => Export.download(xlsx.exportID));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await text(dl.stream!)) as never);
    const ws = wb.worksheets[0]!;
    const names = [ws.getRow(2).getCell(2).value, ws.getRow(3).getCell(2).value].sort();
    expect(names).toEqual(["'+SUM(A1)", "'=cmd|' /C calc'!A0"]);
    for (const row of [2, 3]) expect(ws.getRow(row).getCell(2).formula).toBeUndefined();
    // amounts are numbers with the currency's format, never text
    const amounts = [ws.getRow(2).getCell(3), ws.getRow(3).getCell(3)];
    expect(amounts.map((c) => c.value).sort()).toEqual([1, 2]);
    for (const c of amounts) expect(c.numFmt).toBe('#,##0.00 "EUR"');
  });

  it("downloads are for finance roles only", async () => {
    const t = await createTestOperation();
    const { batch } = await approvedBatch(t, [100]);
    const e = await as(t.users.finance.actor, () => Export.run(batch.batchID, { format: "csv" }));
    await expect(as(t.users.admin.actor, () => Export.download(e.exportID))).rejects.toMatchObject({
      action: "account.viewFull",
    });
    await expect(as(t.users.caseworker.actor, () => Export.download(e.exportID))).rejects.toThrow();
  });

  it("a payee whose account changed after approval is flagged, reopens the batch and exports only after a new approval and acceptance", async () => {
    const t = await createTestOperation();
    const { batch, payees } = await approvedBatch(t, [100, 200]);
    const p = payees[0]!;
    await as(t.users.finance.actor, () =>
      Payee.update(p.payeeID, p.version, { channel: { type: "bank", iban: "DE89370400440532013000" } }),
    );
    const b = await as(t.users.finance.actor, () => Batch.get(batch.batchID));
    expect(b.flaggedCount).toBe(1);
    expect(b.status).toBe("submitted");
    await expect(
      as(t.users.finance.actor, () => Export.run(batch.batchID, { format: "csv", acceptFlagged: true })),
    ).rejects.toThrow(/submitted batch cannot be exported/);
    await as(t.users.finance_approver.actor, () => Batch.approve(batch.batchID));
    await expect(
      as(t.users.finance.actor, () => Export.run(batch.batchID, { format: "csv" })),
    ).rejects.toThrow(/changed since submission/);
    const e = await as(t.users.finance.actor, () =>
      Export.run(batch.batchID, { format: "csv", acceptFlagged: true }),
    );
    expect(e.count).toBe(2);
  });
});
