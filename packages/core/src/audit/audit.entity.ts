import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

export const AuditEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "audit", version: "1", service: "waypoint" },
        attributes: {
          auditID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          recordID: { type: "string", required: true },
          recordType: { type: "string", required: true },
          action: { type: "string", required: true },
          actorID: { type: "string", required: true },
          time: { type: "string", required: true },
          officeID: { type: "string" },
          reason: { type: "string" },
          /** Field names changed, and their values before and after (as JSON; restricted values are omitted). */
          changes: { type: "any" },
          restricted: { type: "boolean" },
        },
        indexes: {
          // the history of one record, oldest first
          byRecord: {
            pk: { field: "pk", composite: ["recordID"], casing: "none" },
            sk: { field: "sk", composite: ["time", "auditID"], casing: "none" },
          },
          // everything that happened in an operation, by time (supervisors' audit trail)
          byOperation: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["time", "auditID"], casing: "none" },
          },
          // what one actor did, by time
          byActor: {
            index: "gsi2",
            pk: { field: "gsi2pk", composite: ["actorID"], casing: "none" },
            sk: { field: "gsi2sk", composite: ["time", "auditID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
