import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/** A user's saved grid view (columns, filters, sort, search) of one list, in one operation. */
export const SavedViewEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "savedview", version: "1", service: "waypoint" },
        attributes: {
          userID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          /** The list (grid) the view belongs to, e.g. "individuals". */
          resource: { type: "string", required: true },
          name: { type: "string", required: true },
          /** AG Grid column state (order, width, visibility, sort) and filter model, as the grid gives them. */
          columns: { type: "any", required: true },
          filters: { type: "any", required: true },
          search: { type: "string" },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // a user's views of one list, by name
          primary: {
            pk: { field: "pk", composite: ["userID", "operationID"], casing: "none" },
            sk: { field: "sk", composite: ["resource", "name"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
