import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/** The backfill job's kind (job/handlers.ts): indexes the values of records saved before the index existed. */
export const FIELD_INDEX_BACKFILL_JOB = "fields.indexBackfill";

/**
 * The configured-value index (`fields/value-index.ts`): one item per (record, field key, value slot) naming the
 * record's normalised value, written in the same transaction as the record. A scalar value has one slot (`-`), a
 * many-of value one slot per code. Group values are not indexed.
 */
export const FieldValueEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "fieldvalue", version: "1", service: "waypoint" },
        attributes: {
          operationID: { type: "string", required: true },
          recordType: { type: "string", required: true },
          key: { type: "string", required: true },
          /** `-` for a single value, the normalised code for each code of a many-of value. */
          slot: { type: "string", required: true },
          /** The normalised value (accents and case folded, cut to `VALUE_MAX` characters). */
          value: { type: "string", required: true },
          ownerID: { type: "string", required: true },
        },
        indexes: {
          // every indexed value of one record (rewritten on update, removed on erasure and anonymisation)
          primary: {
            pk: { field: "pk", composite: ["ownerID"], casing: "none" },
            sk: { field: "sk", composite: ["key", "slot"], casing: "none" },
          },
          // the records of an operation's type holding a value of a field (the list filter `field=<key>:<value>`)
          byValue: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["operationID", "recordType", "key", "value"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["ownerID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

/**
 * Whether an operation's configured-value index covers the records saved before it existed: `pending` while the
 * one-time backfill job runs, `done` after. Before `done` the list filter reads the register as it used to.
 */
export const FieldIndexStateEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "fieldindexstate", version: "1", service: "waypoint" },
        attributes: {
          operationID: { type: "string", required: true },
          state: { type: ["pending", "done"] as const, required: true },
          records: { type: "number" },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // the operation's backfill state
          primary: {
            pk: { field: "pk", composite: ["operationID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
