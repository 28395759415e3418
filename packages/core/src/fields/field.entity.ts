import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/**
 * A configured field of an operation's record type, as it stands now (its latest definition version). The key is
 * the item's key: a field is never deleted (retired instead), so a key is never given to another field.
 */
export const FieldEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "fielddef", version: "1", service: "waypoint" },
        attributes: {
          operationID: { type: "string", required: true },
          recordType: { type: "string", required: true },
          key: { type: "string", required: true },
          type: { type: "string", required: true },
          labels: { type: "any", required: true },
          help: { type: "any" },
          required: { type: "boolean", required: true },
          visibleTo: { type: "list", items: { type: "string" } },
          editableBy: { type: "list", items: { type: "string" } },
          sensitive: { type: "boolean", required: true },
          hxl: { type: "string" },
          position: { type: "number" },
          subFields: { type: "any" },
          options: { type: "string" },
          min: { type: "number" },
          max: { type: "number" },
          integer: { type: "boolean" },
          referenceType: { type: "string" },
          status: { type: "string", required: true },
          version: { type: "number", required: true, default: 1 },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
          createdBy: { type: "string", required: true },
          updatedBy: { type: "string" },
        },
        indexes: {
          // every field of an operation (all record types, one query: the per-operation definition cache)
          primary: {
            pk: { field: "pk", composite: ["operationID"], casing: "none" },
            sk: { field: "sk", composite: ["recordType", "key"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
