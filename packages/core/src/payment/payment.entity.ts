import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

export const PaymentEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "payment", version: "1", service: "waypoint" },
        attributes: {
          paymentID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string" },
          payeeID: { type: "string", required: true },
          purpose: { type: "string", required: true },
          /** Integer minor units of `currency`. */
          amount: { type: "number", required: true },
          currency: { type: "string", required: true },
          status: { type: "string", required: true },
          attempt: { type: "number", required: true, default: 1 },
          /** The batch that holds (or last held) the payment; only `status` says whether that batch is open. */
          batchID: { type: "string" },
          endToEndId: { type: "string" },
          failureReason: { type: "string" },
          flag: { type: "string" },
          period: { type: "string" },
          caseID: { type: "string" },
          placementID: { type: "string" },
          invoiceID: { type: "string" },
          fspProfileID: { type: "string" },
          note: { type: "string" },
          /** A cash-for-protection request made on its case, and the supervisor's decision (request.ts). */
          request: {
            type: "map",
            properties: {
              requestedBy: { type: "string", required: true },
              reason: { type: "string", required: true },
              decision: { type: ["approved", "declined"] as const },
              decidedBy: { type: "string" },
              decisionReason: { type: "string" },
              timeDecided: { type: "string" },
            },
          },
          createdBy: { type: "string", required: true },
          version: { type: "number", required: true, default: 1 },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
          deleted: { type: "boolean", default: false },
        },
        indexes: {
          // a payment by id
          primary: {
            pk: { field: "pk", composite: ["paymentID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // the payments of an operation, oldest first (finance grid without a status filter)
          byOperation: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["paymentID"], casing: "none" },
          },
          // payments of an operation in one status and currency: "approved MXN payments not yet in a batch"
          byStatus: {
            index: "gsi2",
            pk: { field: "gsi2pk", composite: ["operationID", "status", "currency"], casing: "none" },
            sk: { field: "gsi2sk", composite: ["paymentID"], casing: "none" },
          },
          // the members of a batch (export, reconciliation, cancel)
          byBatch: {
            index: "gsi3",
            pk: { field: "gsi3pk", composite: ["batchID"], casing: "none" },
            sk: { field: "gsi3sk", composite: ["paymentID"], casing: "none" },
          },
          // the payments of a payee (history, flagging when the payee's account changes)
          byPayee: {
            index: "gsi4",
            pk: { field: "gsi4pk", composite: ["payeeID"], casing: "none" },
            sk: { field: "gsi4sk", composite: ["paymentID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

/**
 * Params for writing a new payment. byBatch is sparse: ElectroDB would key a payment no batch holds under
 * `batchID_`, one index partition for every unbatched payment of every operation (a hot partition in DynamoDB
 * and an index write per payment for nothing). Without that partition key the payment stays out of the index
 * until something sets its batchID, which writes the key (the sort key, from paymentID, is already there).
 */
export function unbatched<P>(params: P): P {
  const item = (params as { Item?: Record<string, unknown> }).Item;
  if (item && item.batchID === undefined) delete item.gsi3pk;
  return params;
}

/** Per payee, purpose and period: how much was already granted, so caps hold across generation runs. */
export const EntitlementEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "entitlement", version: "1", service: "waypoint" },
        attributes: {
          payeeID: { type: "string", required: true },
          purpose: { type: "string", required: true },
          period: { type: "string", required: true },
          currency: { type: "string", required: true },
          granted: { type: "number", required: true },
        },
        indexes: {
          // the running total of one payee for a purpose and period
          primary: {
            pk: { field: "pk", composite: ["payeeID", "purpose", "period", "currency"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
