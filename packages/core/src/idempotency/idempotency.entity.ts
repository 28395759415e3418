import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/** One claimed `Idempotency-Key`: the request it was used for and, once finished, the response it got. */
export const IdempotencyEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "idempotency", version: "1", service: "waypoint" },
        attributes: {
          /** Whose key space this is: `user:<userID>` for staff, `key:<org>/<keyID>` for partners, `ip:<address>` for the public form. */
          scope: { type: "string", required: true },
          key: { type: "string", required: true },
          /** SHA-256 of method, path and canonical JSON body. */
          requestHash: { type: "string", required: true },
          state: { type: ["pending", "done"] as const, required: true },
          /** Epoch ms after which a pending claim is considered abandoned (the worker died). */
          lockedUntil: { type: "number", required: true },
          status: { type: "number" },
          contentType: { type: "string" },
          body: { type: "string" },
          /** TTL (epoch seconds): keys are kept at least 24 h. */
          expiresAt: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          /** The caller's operation (absent for system callers): the retention job purges per operation. */
          operationID: { type: "string" },
        },
        indexes: {
          // one key of one caller
          primary: {
            pk: { field: "pk", composite: ["scope", "key"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // an operation's keys by age (sparse: only keys with an operation), for the retention job's purge
          byOperation: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["timeCreated"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
