import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/** A user's authenticator (TOTP, RFC 6238): one per user, whatever operations they work in. */
export const SecondFactorEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "secondfactor", version: "1", service: "waypoint" },
        attributes: {
          userID: { type: "string", required: true },
          /** The TOTP secret, sealed (AES-GCM, common/seal.ts); never returned once the enrolment is confirmed. */
          secret: { type: "string", required: true },
          /** `pending` until the first code confirms the app holds the secret. */
          state: { type: ["pending", "active"] as const, required: true },
          /** The last time step (30 s) a code was accepted for: a code of this step or an earlier one is a replay. */
          lastStep: { type: "number", required: true, default: 0 },
          /** HMAC-SHA256 of each unused recovery code; a used code is removed. */
          recovery: { type: "list", items: { type: "string" } },
          /** Wrong codes in a row, and until when codes are refused after too many. */
          failures: { type: "number", required: true, default: 0 },
          lockedUntil: { type: "number" },
          enrolledAt: { type: "string" },
          version: { type: "number", required: true, default: 1 },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // a user's authenticator
          primary: {
            pk: { field: "pk", composite: ["userID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
