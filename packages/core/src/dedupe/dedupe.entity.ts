import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/**
 * Blocking-key items for duplicate detection: one per (kind, value) of an individual, so a registration looks up
 * candidates with a handful of key queries instead of scanning the register. Kinds: `doc` (normalised document
 * number), `phone` (E.164), `name` (an unordered pair of phonetic name keys).
 */
export const DedupeKeyEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "dedupekey", version: "1", service: "waypoint" },
        attributes: {
          operationID: { type: "string", required: true },
          kind: { type: ["doc", "phone", "name"] as const, required: true },
          value: { type: "string", required: true },
          /** Birth year (estimated when only an age is known), so name lookups can be limited to a tolerance. */
          birthYear: { type: "string", required: true },
          individualID: { type: "string", required: true },
        },
        indexes: {
          // the individuals sharing a key, by birth year (range = date-of-birth tolerance)
          primary: {
            pk: { field: "pk", composite: ["operationID", "kind", "value"], casing: "none" },
            sk: { field: "sk", composite: ["birthYear", "individualID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
