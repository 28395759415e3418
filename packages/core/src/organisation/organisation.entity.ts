import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

export const OrganisationEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "organisation", version: "1", service: "waypoint" },
        attributes: {
          organisationID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          name: { type: "string", required: true },
          kind: { type: ["ngo", "service_provider", "authority", "un_agency"] as const, default: "ngo" },
          /** Service categories the partner provides (referral routing). */
          services: { type: "list", items: { type: "string" } },
          /** Fields of a person the data-sharing agreement lets this partner receive. */
          sharedFields: { type: "list", items: { type: "string" } },
          /** The data-sharing agreement's own version: +1 each time its fields change (audited). */
          agreementVersion: { type: "number" },
          timeAgreed: { type: "string" },
          webhookUrl: { type: "string" },
          webhookSecret: { type: "string" },
          /** The API key that registered the webhook: revoking that key removes the webhook. */
          webhookKeyID: { type: "string" },
          /** Paused by staff: no events are written for it, queued ones are not delivered. */
          webhookDisabled: { type: "boolean" },
          /** Event types the webhook receives; every type when absent. */
          webhookEvents: { type: "list", items: { type: "string" } },
          version: { type: "number", required: true, default: 1 },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // an organisation by id
          primary: {
            pk: { field: "pk", composite: ["organisationID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // partners of an operation
          byOperation: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["name"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

export const ApiKeyEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "apikey", version: "1", service: "waypoint" },
        attributes: {
          keyID: { type: "string", required: true },
          organisationID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          name: { type: "string", required: true },
          /** SHA-256 of the secret part; the key itself is shown once and never stored. */
          secretHash: { type: "string", required: true },
          scopes: { type: "list", items: { type: "string" }, required: true },
          /** Requests per minute; the platform default applies when absent. */
          rateLimitPerMinute: { type: "number" },
          revoked: { type: "boolean", default: false },
          timeCreated: { type: "string", required: true },
          timeRevoked: { type: "string" },
          lastUsed: { type: "string" },
          /** The key this one replaced when it was rotated. */
          replaces: { type: "string" },
          createdBy: { type: "string" },
        },
        indexes: {
          // a key by its id (the id is embedded in the key string)
          primary: {
            pk: { field: "pk", composite: ["keyID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // the keys of an organisation
          byOrganisation: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["organisationID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["timeCreated"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
