import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

export const HouseholdEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "household", version: "1", service: "waypoint" },
        attributes: {
          householdID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          registrationNumber: { type: "string", required: true },
          headID: { type: "string" },
          phone: { type: "string" },
          adm1: { type: "string" },
          adm2: { type: "string" },
          address: { type: "string" },
          size: { type: "number", required: true, default: 0 },
          status: { type: "string", required: true },
          /** Configured values of the operation's fields for households (`fields/values.ts`), by key. */
          fields: { type: "any" },
          deleted: { type: "boolean" },
          createdBy: { type: "string", required: true },
          version: { type: "number", required: true, default: 1 },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // one household by id
          primary: {
            pk: { field: "pk", composite: ["householdID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // the operation's households by last change (operation-wide lists, delta sync)
          byOperation: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["timeUpdated", "householdID"], casing: "none" },
          },
          // one office's households by last change
          byOffice: {
            index: "gsi2",
            pk: { field: "gsi2pk", composite: ["operationID", "officeID"], casing: "none" },
            sk: { field: "gsi2sk", composite: ["timeUpdated", "householdID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
