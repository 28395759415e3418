import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/**
 * A staff member's place in one operation (one item per grant's operation, written with the user): what booking
 * needs to list the operation's interpreters and their languages without reading every user.
 */
export const MemberEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "member", version: "1", service: "waypoint" },
        attributes: {
          operationID: { type: "string", required: true },
          userID: { type: "string", required: true },
          name: { type: "string", required: true },
          role: { type: "string", required: true },
          /** Offices the grant covers; empty means every office of the operation. */
          officeIDs: { type: "list", items: { type: "string" }, default: () => [] },
          languages: { type: "list", items: { type: "string" } },
        },
        indexes: {
          // an operation's staff (interpreters by language for booking)
          primary: {
            pk: { field: "pk", composite: ["operationID"], casing: "none" },
            sk: { field: "sk", composite: ["userID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
