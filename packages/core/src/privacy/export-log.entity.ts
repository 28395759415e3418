import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/**
 * One export that may contain people (a register file, a grid view, a payment batch file, a subject-access file):
 * who made it, when, for what purpose and recipient, and how many people it held. Never personal data: the people
 * are `ExportPersonEntity` items (IDs only).
 */
export const ExportLogEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "exportlog", version: "1", service: "waypoint" },
        attributes: {
          exportID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          /** register | view:<collection> | payment_batch | subject_access | ticket | manifest | intake_leads */
          kind: { type: "string", required: true },
          format: { type: "string", required: true },
          /** The user (or system) who made it. */
          by: { type: "string", required: true },
          time: { type: "string", required: true },
          /** An ExportPurposes code (older entries: the purpose in words). */
          purpose: { type: "string" },
          /** The purpose in words when it is `other`. */
          purposeOther: { type: "string" },
          recipient: { type: "string" },
          /** People found in it so far (the last chunks of a large export are counted when they are written). */
          people: { type: "number", required: true },
          state: { type: ["recording", "done"] as const, required: true },
        },
        indexes: {
          // an export log entry by its ID
          primary: {
            pk: { field: "pk", composite: ["exportID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // the exports of an operation, oldest first
          byOperation: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["time", "exportID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

/** That a person was in an export (their sharing log, subject access, erasure report). IDs only. */
export const ExportPersonEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "exportperson", version: "1", service: "waypoint" },
        attributes: {
          individualID: { type: "string", required: true },
          exportID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          time: { type: "string", required: true },
        },
        indexes: {
          // the exports a person was in, oldest first
          primary: {
            pk: { field: "pk", composite: ["individualID"], casing: "none" },
            sk: { field: "sk", composite: ["time", "exportID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

/**
 * The people of a large export waiting to be written one item per person by a job (`sharing.exportChunk`), so a
 * 100,000-row register export costs a few writes while it streams, not a round trip per row.
 */
export const ExportChunkEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "exportchunk", version: "1", service: "waypoint" },
        attributes: {
          exportID: { type: "string", required: true },
          n: { type: "number", required: true },
          operationID: { type: "string", required: true },
          individualIDs: { type: "list", items: { type: "string" }, required: true },
        },
        indexes: {
          // the chunks of one export
          primary: {
            pk: { field: "pk", composite: ["exportID"], casing: "none" },
            sk: { field: "sk", composite: ["n"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
