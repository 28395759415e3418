import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/** One version of a field definition, written with every change and never changed again: the field's history. */
export const FieldVersionEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "fielddefversion", version: "1", service: "waypoint" },
        attributes: {
          operationID: { type: "string", required: true },
          recordType: { type: "string", required: true },
          key: { type: "string", required: true },
          version: { type: "number", required: true },
          /** The whole definition as it was at this version. */
          definition: { type: "any", required: true },
          time: { type: "string", required: true },
          actorID: { type: "string", required: true },
        },
        indexes: {
          // the versions of one field, oldest first
          primary: {
            pk: { field: "pk", composite: ["operationID", "recordType", "key"], casing: "none" },
            sk: { field: "sk", composite: ["version"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
