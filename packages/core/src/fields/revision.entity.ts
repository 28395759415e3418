import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/**
 * The operation's definition revision: +1 in the same transaction as any change of a field definition or a code
 * list. The definition cache (`fields/cache.ts`) re-reads definitions only when this number moved.
 */
export const FieldRevisionEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "fieldrevision", version: "1", service: "waypoint" },
        attributes: {
          operationID: { type: "string", required: true },
          revision: { type: "number", required: true, default: 0 },
        },
        indexes: {
          // the one revision counter of an operation
          primary: {
            pk: { field: "pk", composite: ["operationID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
