import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/** One disclosure of a person to a partner that leaves no record of its own (a partner API read). */
export const DisclosureEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "disclosure", version: "1", service: "waypoint" },
        attributes: {
          individualID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          organisationID: { type: "string", required: true },
          channel: { type: ["api_read"] as const, required: true },
          /** The record read (a referral ID); never personal data. */
          ref: { type: "string", required: true },
          time: { type: "string", required: true },
          /** Kept 2 years, then removed by DynamoDB's TTL (epoch seconds). */
          expiresAt: { type: "number" },
        },
        indexes: {
          // the disclosures of one person, oldest first (their sharing log)
          primary: {
            pk: { field: "pk", composite: ["individualID"], casing: "none" },
            sk: { field: "sk", composite: ["time", "organisationID", "ref"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
