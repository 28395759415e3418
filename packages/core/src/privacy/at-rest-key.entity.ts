import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/**
 * The deployment's at-rest keys (common/seal.ts), one item each in one partition: wrapped by the master key
 * (AWS KMS when deployed, the local key file locally; privacy/keys.ts), never in clear in the table. The key
 * with the highest ID seals new values; older keys stay to open what they sealed. Not derived from AuthSecret,
 * so rotating the signing secret leaves sealed values readable.
 */
export const AtRestKeyEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "atrestkey", version: "1", service: "waypoint" },
        attributes: {
          /** Always "atrest": every key of the ring in one partition (one query reads them all). */
          ring: { type: "string", required: true, default: "atrest" },
          /** `0001`, `0002`…: written in each sealed value; zero-padded so the newest sorts last. */
          keyID: { type: "string", required: true },
          /** `kms:<key id>` or `local`: which master key wraps it. */
          wrappedBy: { type: "string", required: true },
          /** The wrapped key, base64. */
          wrapped: { type: "string", required: true },
          timeCreated: { type: "string", required: true },
          /**
           * When the values sealed the old way (`sealed.v1.`, a key derived from AuthSecret) were sealed again
           * with the ring (privacy/reseal-secrets.ts), and how many.
           */
          legacyResealedAt: { type: "string" },
          legacyResealed: { type: "number" },
        },
        indexes: {
          primary: {
            pk: { field: "pk", composite: ["ring"], casing: "none" },
            sk: { field: "sk", composite: ["keyID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
