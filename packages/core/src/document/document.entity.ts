import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { CaseDocumentKinds } from "@waypoint/schema/cases";
import { entityOptions } from "../common/db.ts";

/** Metadata of a case document; the content lives in object storage under `storageKey`. */
export const DocumentEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "document", version: "1", service: "waypoint" },
        attributes: {
          documentID: { type: "string", required: true },
          caseID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          individualID: { type: "string" },
          kind: { type: CaseDocumentKinds, required: true },
          title: { type: "string", required: true },
          fileName: { type: "string", required: true },
          contentType: { type: "string", required: true },
          size: { type: "number", required: true },
          sha256: { type: "string", required: true },
          storageKey: { type: "string", required: true },
          restricted: { type: "boolean", required: true },
          assignedTo: { type: "string" },
          createdBy: { type: "string", required: true },
          deleted: { type: "boolean", default: false },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // a document by id
          primary: {
            pk: { field: "pk", composite: ["documentID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // the documents of a case, oldest first
          byCase: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["caseID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["timeCreated", "documentID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
