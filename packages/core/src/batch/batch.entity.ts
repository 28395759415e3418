import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

export const BatchEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "paymentbatch", version: "1", service: "waypoint" },
        attributes: {
          batchID: { type: "string", required: true },
          batchNumber: { type: "string", required: true },
          operationID: { type: "string", required: true },
          fspProfileID: { type: "string", required: true },
          currency: { type: "string", required: true },
          name: { type: "string" },
          status: { type: "string", required: true },
          /** Running while assembling; frozen at submission. */
          count: { type: "number", required: true, default: 0 },
          total: { type: "number", required: true, default: 0 },
          /** Payments asked for that another batch (or a status change) took first. */
          skipped: { type: "number", default: 0 },
          /** What the batch was created from: `{ paymentIDs }` or `{ filter }`; kept so assembly can resume. */
          request: { type: "any", required: true },
          /** Assembly progress: the number of requested IDs already processed. */
          progress: { type: "number", default: 0 },
          approvalsRequired: { type: "number", required: true, default: 1 },
          approvals: { type: "any", required: true, default: () => [] },
          flaggedCount: { type: "number", required: true, default: 0 },
          /** Who changed a member payee's account since submission: none of them may approve this batch. */
          accountChangedBy: { type: "list", items: { type: "string" } },
          /** When the batch last reached `approved`: an account changed after it blocks the export. */
          timeApproved: { type: "string" },
          paidCount: { type: "number", required: true, default: 0 },
          failedCount: { type: "number", required: true, default: 0 },
          executionDate: { type: "string" },
          lastExportID: { type: "string" },
          createdBy: { type: "string", required: true },
          submittedBy: { type: "string" },
          timeSubmitted: { type: "string" },
          timeExported: { type: "string" },
          version: { type: "number", required: true, default: 1 },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // a batch by id
          primary: {
            pk: { field: "pk", composite: ["batchID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // the batches of an operation, oldest first (Payment batches grid)
          byOperation: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["batchID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

/** Sequence behind readable batch numbers (`MEX-PB-26-000123`), one per operation and year. */
export const BatchCounterEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "batchcounter", version: "1", service: "waypoint" },
        attributes: {
          operationID: { type: "string", required: true },
          year: { type: "string", required: true },
          value: { type: "number" },
        },
        indexes: {
          // the counter of one operation and year
          primary: {
            pk: { field: "pk", composite: ["operationID", "year"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
