import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/** One retention policy of an operation (a kind of record and how long it keeps personal data). */
export const RetentionPolicyEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "retentionpolicy", version: "1", service: "waypoint" },
        attributes: {
          operationID: { type: "string", required: true },
          kind: { type: "string", required: true },
          value: { type: "number", required: true },
          unit: { type: ["hours", "days", "months"] as const, required: true },
          enabled: { type: "boolean", required: true },
          updatedBy: { type: "string", required: true },
          version: { type: "number", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // the policies of an operation, one per kind
          primary: {
            pk: { field: "pk", composite: ["operationID"], casing: "none" },
            sk: { field: "sk", composite: ["kind"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

/**
 * One run of the retention job in an operation: what it did so far (counts, never personal data) and where it
 * stands (the kind being processed, the index position reached, the records of the page in flight), so a run
 * that stops (a crash, the Lambda's time limit) is taken over by the next one where it stopped.
 */
export const RetentionRunEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "retentionrun", version: "1", service: "waypoint" },
        attributes: {
          operationID: { type: "string", required: true },
          runID: { type: "string", required: true },
          trigger: { type: ["schedule", "manual"] as const, required: true },
          state: { type: ["running", "done", "failed"] as const, required: true },
          startedBy: { type: "string" },
          timeStarted: { type: "string", required: true },
          timeFinished: { type: "string" },
          /** Cut-off instants fixed when the run started (ISO), by kind: a resumed run keeps them. */
          cutoffs: { type: "any", required: true },
          /** Kinds still to process, in order; the first is in progress. */
          todo: { type: "list", items: { type: "string" }, required: true },
          /** The index position reached in the kind in progress (DynamoDB's LastEvaluatedKey: keys and IDs). */
          position: { type: "any" },
          /** IDs of the page in flight: on a take-over they are finished first (every step is idempotent). */
          inFlight: { type: "list", items: { type: "string" } },
          counts: { type: "any", required: true },
          auditEventsBlanked: { type: "number", required: true },
          filesDeleted: { type: "number", required: true },
          resumed: { type: "number", required: true },
          /** Who holds the run now (a random token) and until when (epoch ms). */
          lease: { type: "string", required: true },
          lockedUntil: { type: "number", required: true },
          ms: { type: "number" },
          error: { type: "string" },
        },
        indexes: {
          // the runs of an operation, oldest first (run IDs are time-ordered)
          primary: {
            pk: { field: "pk", composite: ["operationID"], casing: "none" },
            sk: { field: "sk", composite: ["runID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
