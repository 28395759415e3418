import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/**
 * An operation's code list (its own, or its changes to a built-in list: the stored item then holds every code,
 * built-in ones included). Codes are retired, never removed.
 */
export const CodeListEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "codelist", version: "1", service: "waypoint" },
        attributes: {
          operationID: { type: "string", required: true },
          listKey: { type: "string", required: true },
          labels: { type: "any", required: true },
          /** `[{code, labels, retired, builtIn?}]` in display order. */
          codes: { type: "any", required: true },
          builtIn: { type: "boolean" },
          version: { type: "number", required: true, default: 1 },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
          createdBy: { type: "string", required: true },
        },
        indexes: {
          // every code list of an operation (one query: the definition cache)
          primary: {
            pk: { field: "pk", composite: ["operationID"], casing: "none" },
            sk: { field: "sk", composite: ["listKey"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
