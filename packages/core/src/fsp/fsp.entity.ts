import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

export const FspProfileEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "fspprofile", version: "1", service: "waypoint" },
        attributes: {
          fspProfileID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          name: { type: "string", required: true },
          kind: { type: ["bank", "mobile_money", "cash"] as const, required: true },
          currency: { type: "string", required: true },
          defaultFormat: { type: "string", required: true },
          /** ExportColumn[] for CSV and XLSX. */
          columns: { type: "any" },
          /** Mobile-money provider template: provider, columns, delimiter. */
          mobileMoney: { type: "any" },
          /** ISO 20022 debtor: name, iban/accountNumber, bic. */
          debtor: { type: "any" },
          serviceLevel: { type: "string" },
          createdBy: { type: "string", required: true },
          version: { type: "number", required: true, default: 1 },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // an FSP profile by id
          primary: {
            pk: { field: "pk", composite: ["fspProfileID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // the FSP profiles of an operation
          byOperation: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["fspProfileID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
