import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { ProgrammeFileKinds } from "@waypoint/schema/hosting";
import { entityOptions } from "../common/db.ts";

export const ProgrammeFileEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "programmeFile", version: "1", service: "waypoint" },
        attributes: {
          fileID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          ownerType: { type: ["host", "return"] as const, required: true },
          ownerID: { type: "string", required: true },
          kind: { type: ProgrammeFileKinds, required: true },
          title: { type: "string", required: true },
          fileName: { type: "string", required: true },
          contentType: { type: "string", required: true },
          size: { type: "number", required: true },
          sha256: { type: "string", required: true },
          storageKey: { type: "string", required: true },
          createdBy: { type: "string", required: true },
          deleted: { type: "boolean", default: false },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // a file by id
          primary: {
            pk: { field: "pk", composite: ["fileID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // the files kept on a host or a return, oldest first
          byOwner: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["ownerID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["timeCreated", "fileID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
