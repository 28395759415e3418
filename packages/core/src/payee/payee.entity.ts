import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

export const PayeeEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "payee", version: "1", service: "waypoint" },
        attributes: {
          payeeID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string" },
          kind: { type: ["individual", "host", "supplier"] as const, required: true },
          name: { type: "string", required: true },
          /** The name as the bank knows it (Latin letters): what bank files carry. */
          nameLatin: { type: "string" },
          individualID: { type: "string" },
          hostID: { type: "string" },
          supplierID: { type: "string" },
          /** PaymentChannel from packages/schema: type, iban/accountNumber/bic/bankName, msisdn/provider, pickupPoint. */
          channel: { type: "any", required: true },
          note: { type: "string" },
          active: { type: "boolean", required: true, default: true },
          timeAccountChanged: { type: "string", required: true },
          /** Configured values of the operation's fields for payees (`fields/values.ts`), by key. */
          fields: { type: "any" },
          createdBy: { type: "string", required: true },
          version: { type: "number", required: true, default: 1 },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
          deleted: { type: "boolean", default: false },
        },
        indexes: {
          // a payee by id
          primary: {
            pk: { field: "pk", composite: ["payeeID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // the payees of an operation, oldest first (finance grid)
          byOperation: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["payeeID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
