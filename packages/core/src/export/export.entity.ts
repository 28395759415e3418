import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

export const ExportEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "paymentexport", version: "1", service: "waypoint" },
        attributes: {
          exportID: { type: "string", required: true },
          batchID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          format: { type: "string", required: true },
          fileName: { type: "string", required: true },
          key: { type: "string", required: true },
          contentType: { type: "string", required: true },
          bytes: { type: "number", required: true },
          sha256: { type: "string", required: true },
          count: { type: "number", required: true },
          total: { type: "number", required: true },
          currency: { type: "string", required: true },
          /** ISO 20022 MsgId and PmtInfId (file ids for other formats); status reports refer to them. */
          messageId: { type: "string", required: true },
          pmtInfId: { type: "string", required: true },
          flaggedAccepted: { type: "number", default: 0 },
          createdBy: { type: "string", required: true },
          /** When the retention job removed the file from the object store (the record stays, for reconciliation). */
          fileRemovedAt: { type: "string" },
          timeCreated: { type: "string", required: true },
        },
        indexes: {
          // an export by id (download)
          primary: {
            pk: { field: "pk", composite: ["exportID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // the exports of a batch, oldest first (reconciliation matches their message ids)
          byBatch: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["batchID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["exportID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
