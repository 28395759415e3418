import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/**
 * An operation's narrative data key, wrapped (envelope encryption): by AWS KMS when deployed (the KMS
 * ciphertext blob), by the local master key file locally. The plaintext key never reaches the table.
 */
export const DataKeyEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "datakey", version: "1", service: "waypoint" },
        attributes: {
          operationID: { type: "string", required: true },
          /** `kms:<key id>` or `local`: which master key wraps it. */
          wrappedBy: { type: "string", required: true },
          /** The wrapped data key, base64. */
          wrapped: { type: "string", required: true },
          timeCreated: { type: "string", required: true },
          /** When narratives stored in clear before encryption existed were sealed (privacy/seal-stored.ts). */
          clearSealedAt: { type: "string" },
          /** What that sealing covered (privacy/seal-stored.ts `SEAL_VERSION`); absent: version 1. */
          clearSealedVersion: { type: "number" },
        },
        indexes: {
          // the data key of one operation
          primary: {
            pk: { field: "pk", composite: ["operationID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
