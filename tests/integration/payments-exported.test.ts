import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Export, Job, Reconciliation } from "@waypoint/core";
import { MARK_EXPORTED_JOB } from "@waypoint/core/export/mark";
import { PaymentEntity } from "@waypoint/core/payment/payment.entity";
import { as, createTestOperation, system, type TestOperation } from "../support/fixtures.ts";
import { approvedBatch } from "../support/payments.ts";

const ORACLES = new URL("../../../shared/oracles/", import.meta.url);
const sample = (n: string) =>
  readFileSync(new URL(`iso20022/samples/corporatejs_pain.002.001.03_${n}.xml`, ORACLES), "utf8");

const stored = (ids: string[]) =>
  Promise.all(ids.map(async (paymentID) => (await PaymentEntity.get({ paymentID }).go()).data!));
const runJobs = () => as(system, () => Job.run({ kinds: [MARK_EXPORTED_JOB], limit: 1000 }));
const exportBatch = (t: TestOperation, batchID: string) =>
  as(t.users.finance.actor, () => Export.run(batchID, { format: "pain.001.001.03" }));

describe("payments move to exported once their batch's file went out", () => {
  it("the export enqueues the move; the job moves every payment once, and a re-export still finds them", async () => {
    const t = await createTestOperation();
    const b = await approvedBatch(t, [1000, 2000, 3000]);
    await exportBatch(t, b.batch.batchID);
    const before = await stored(b.paymentIDs);
    expect(before.map((p) => p.status)).toEqual(["in_batch", "in_batch", "in_batch"]);
    await runJobs();
    const after = await stored(b.paymentIDs);
    expect(after.map((p) => p.status)).toEqual(["exported", "exported", "exported"]);
    expect(after.map((p, i) => p.version - before[i]!.version)).toEqual([1, 1, 1]);
    // the job ran once: running the runner again finds nothing to do and changes nothing
    await runJobs();
    expect((await stored(b.paymentIDs)).map((p) => p.version)).toEqual(after.map((p) => p.version));
    // downloading again (a re-export) reads the exported payments, with the approved totals
    const again = await exportBatch(t, b.batch.batchID);
    expect([again.count, again.total]).toEqual([3, 6000]);
  });

  it("a report that settled a payment before the job ran wins: the job leaves paid and failed payments alone", async () => {
    const t = await createTestOperation();
    const b = await approvedBatch(t, [1000, 2000]);
    const e = await exportBatch(t, b.batch.batchID);
    // the provider rejects the whole file before the background move has run
    const r = await as(t.users.finance.actor, () =>
      Reconciliation.importFile(b.batch.batchID, {
        format: "pain.002",
        content: sample("2_rejected-technical-check").replace("20110102-0000001", e.messageId),
      }),
    );
    expect(r.summary).toEqual({ failed: 2 });
    await runJobs();
    expect((await stored(b.paymentIDs)).map((p) => p.status)).toEqual(["failed", "failed"]);
  });

  it("a report after the move reconciles the exported payments", async () => {
    const t = await createTestOperation();
    const b = await approvedBatch(t, [1000, 2000]);
    const e = await exportBatch(t, b.batch.batchID);
    await runJobs();
    const r = await as(t.users.finance.actor, () =>
      Reconciliation.importFile(b.batch.batchID, {
        format: "pain.002",
        content: sample("2_rejected-technical-check").replace("20110102-0000001", e.messageId),
      }),
    );
    expect(r.summary).toEqual({ failed: 2 });
    expect((await stored(b.paymentIDs)).map((p) => p.status)).toEqual(["failed", "failed"]);
  });
});
