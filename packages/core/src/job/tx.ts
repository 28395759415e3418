import { nowIso, type TxItem } from "../common/db.ts";
import { Identifier } from "../common/id.ts";
import { JobEntity } from "./job.entity.ts";

/**
 * The put of a new job, to add to the transaction of the change that needs it (`Job.txItem`). Apart from the
 * runner, so a record's module low in the import graph (an individual) can leave a job without importing every
 * handler's module (`handlers.ts`), which imports it back.
 */
export function jobTxItem(job: { kind: string; ref: string; operationID: string; delayMs?: number }): TxItem {
  const now = nowIso();
  return {
    put: JobEntity.create({
      jobID: Identifier.create("job"),
      lane: "jobs",
      kind: job.kind,
      ref: job.ref,
      operationID: job.operationID,
      state: "pending",
      runAt: Date.now() + (job.delayMs ?? 0),
      attempts: 0,
      timeCreated: now,
      timeUpdated: now,
    }).params(),
  };
}
