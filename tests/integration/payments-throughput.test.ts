import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { Batch, Identifier, Payment } from "@waypoint/core";
import { endToEndId } from "@waypoint/core/batch/members";
import { marshallParams, RequestTemplate } from "@waypoint/core/common/template";
import { documentClient } from "@waypoint/core/dynamo";
import { PaymentEntity } from "@waypoint/core/payment/payment.entity";
import { as, createTestOperation } from "../support/fixtures.ts";
import { assemblingBatch, payeesAndPayments, setupFinance } from "../support/payments.ts";

async function stored(paymentID: string) {
  const key = PaymentEntity.get({ paymentID }).params() as { Key: Record<string, string>; TableName: string };
  return (await documentClient().send(new GetCommand({ TableName: key.TableName, Key: key.Key }))).Item!;
}

describe("the fast write paths store exactly what ElectroDB would", () => {
  it("payments created in bulk are stored as ElectroDB writes them, whatever optional fields a row has", async () => {
    const t = await createTestOperation();
    const { payees } = await payeesAndPayments(t, [100]);
    const payeeID = payees[0]!.payeeID;
    const rows = [
      { payeeID, purpose: "cash_for_protection", amount: 1, currency: "EUR" },
      { payeeID, purpose: "transport", amount: 250, currency: "EUR", status: "draft", period: "2026-11" },
      {
        payeeID,
        purpose: "supplier_invoice",
        amount: 99,
        currency: "JPY",
        officeID: t.officeA,
        note: 'quote "7" \\ back\u0001slash, Ñandú 🙂\nline',
      },
    ];
    const res = await as(t.users.finance.actor, () => Payment.createMany(rows.map((values) => ({ values }))));
    expect(res.summary).toEqual({ created: 3 });
    for (const r of res.results) {
      const record = (r as { record: Record<string, unknown> }).record;
      const expected = (
        PaymentEntity.put({ ...record, deleted: false } as never).params() as { Item: object }
      ).Item;
      // all of it but the placeholder key of the batch index (see `unbatched`)
      const { gsi3pk, ...rest } = expected as Record<string, unknown>;
      expect(gsi3pk).toBe("$waypoint#batchID_");
      expect(await stored(r.id!)).toEqual(rest);
    }
  });

  it("a request template fills any values exactly as ElectroDB builds them", () => {
    const build = (v: { paymentID: string; note: string; version: number }) =>
      PaymentEntity.patch({ paymentID: v.paymentID })
        .set({ status: "in_batch", note: v.note, operationID: "opr_X", currency: "EUR" })
        .add({ version: 1 })
        .where((a, { eq }) => eq(a.version, v.version))
        .params() as Record<string, unknown>;
    const template = new RequestTemplate(build, { paymentID: "pay_", note: "", version: 1 });
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, unit: "binary" }),
        fc.string({ unit: "binary" }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        (paymentID, note, version) => {
          const v = { paymentID, note, version };
          expect(template.fill(v)).toEqual(marshallParams(build(v)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a template whose first fill differs from ElectroDB's build falls back to ElectroDB for every item", () => {
    // a build that branches on a value breaks the template's contract; the first fill shows it (the placeholder
    // is three characters long, so the template took the other branch) and every fill then comes from ElectroDB
    const build = (v: { note: string }) =>
      (v.note.length > 3
        ? PaymentEntity.patch({ paymentID: "pay_A" }).set({ note: v.note })
        : PaymentEntity.patch({ paymentID: "pay_A" }).remove(["note"])
      ).params() as Record<string, unknown>;
    const template = new RequestTemplate(build, { note: "placeholder" });
    for (const note of ["abcdef", "ab", "xyzzy"])
      expect(template.fill({ note })).toEqual(marshallParams(build({ note })));
  });
});

describe("batch membership writes", () => {
  it("a payment taken into a batch carries the batch, its end-to-end id and a new version, and leaves the approved index", async () => {
    const t = await createTestOperation();
    const { fsp } = await setupFinance(t);
    const { paymentIDs } = await payeesAndPayments(t, [100, 200]);
    const b = await as(t.users.finance.actor, () =>
      Batch.create({ fspProfileID: fsp.fspProfileID, currency: "EUR", filter: {} }),
    );
    expect(b).toMatchObject({ status: "draft", count: 2, total: 300 });
    for (const id of paymentIDs) {
      const p = await stored(id);
      expect(p).toMatchObject({
        status: "in_batch",
        batchID: b.batchID,
        endToEndId: endToEndId(id, 1),
        version: 2,
        gsi3pk: `$waypoint#batchID_${b.batchID}`,
      });
      expect(p.gsi2pk).toContain("#status_in_batch#");
    }
    const approved = await as(t.users.finance.actor, () =>
      Payment.list({ status: "approved", currency: "EUR" }),
    );
    expect(approved.items).toEqual([]);
  });

  it("a filter batch that crashed after taking a page but before recording it resumes with every member counted once", async () => {
    const t = await createTestOperation();
    const { fsp } = await setupFinance(t);
    const { paymentIDs } = await payeesAndPayments(t, [100, 200, 300]);
    const batchID = Identifier.create("batch");
    await assemblingBatch(t, fsp.fspProfileID, batchID, { filter: {} });
    // the crash: one payment was taken, the progress write (count, total) never happened
    const p = await stored(paymentIDs[0]!);
    await PaymentEntity.patch({ paymentID: paymentIDs[0]! })
      .set({
        status: "in_batch",
        batchID,
        endToEndId: endToEndId(paymentIDs[0]!, 1),
        operationID: t.operationID,
        currency: "EUR",
      })
      .add({ version: 1 })
      .where((a, { eq }) => eq(a.version, p.version as number))
      .go();
    const resumed = await as(t.users.finance.actor, () => Batch.resume(batchID));
    expect(resumed).toMatchObject({ status: "draft", count: 3, total: 600 });
    const submitted = await as(t.users.finance.actor, () => Batch.submit(batchID));
    expect([submitted.count, submitted.total]).toEqual([3, 600]);
  });
});
