import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/**
 * One single sign-on in flight: `state:<state>` between the redirect to the identity provider and its callback
 * (PKCE verifier, nonce), then `ticket:<sha-256 of the ticket>` between the callback and the app redeeming it.
 * Each is deleted when used (a conditional delete: used once) and expires (TTL) within minutes.
 */
export const SsoFlowEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "ssoflow", version: "1", service: "waypoint" },
        attributes: {
          flowID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          verifier: { type: "string" },
          nonce: { type: "string" },
          redirectURI: { type: "string" },
          userID: { type: "string" },
          mfa: { type: "boolean" },
          /** Epoch ms the flow may be used until (the TTL below removes it later). */
          validUntil: { type: "number", required: true },
          expiresAt: { type: "number", required: true },
        },
        indexes: {
          // one flow step by its state or ticket
          primary: {
            pk: { field: "pk", composite: ["flowID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
