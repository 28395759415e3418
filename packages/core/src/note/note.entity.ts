import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

export const NoteEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "note", version: "1", service: "waypoint" },
        attributes: {
          noteID: { type: "string", required: true },
          caseID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          kind: { type: "string", required: true },
          body: { type: "string", required: true },
          restricted: { type: "boolean", required: true },
          assignedTo: { type: "string" },
          createdBy: { type: "string", required: true },
          deleted: { type: "boolean", default: false },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // a note by id
          primary: {
            pk: { field: "pk", composite: ["noteID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // the notes of a case, oldest first (the case journal)
          byCase: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["caseID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["timeCreated", "noteID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
