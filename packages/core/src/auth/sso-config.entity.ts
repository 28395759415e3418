import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/** An operation's single sign-on (OpenID Connect relying party): one per operation. */
export const SsoConfigEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "ssoconfig", version: "1", service: "waypoint" },
        attributes: {
          operationID: { type: "string", required: true },
          name: { type: "string", required: true },
          issuer: { type: "string", required: true },
          clientID: { type: "string", required: true },
          /** Sealed (common/seal.ts); never returned. */
          clientSecret: { type: "string" },
          claim: { type: "string", required: true },
          mappings: { type: "any", required: true },
          enabled: { type: "boolean", required: true },
          /** Constant partition of the sign-in page's list. */
          listed: { type: "string", required: true, default: "sso" },
          version: { type: "number", required: true, default: 1 },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
          createdBy: { type: "string" },
        },
        indexes: {
          // an operation's configuration
          primary: {
            pk: { field: "pk", composite: ["operationID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // every configured operation (the sign-in page's "Sign in with …" buttons)
          listed: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["listed"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["operationID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
