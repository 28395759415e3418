import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/**
 * A person's consent for one purpose (registration, sharing with a named partner or a service category,
 * messages, resettlement submission): when, how and to whom it was given, and its withdrawal.
 */
export const ConsentEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "consent", version: "1", service: "waypoint" },
        attributes: {
          individualID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          purpose: { type: ["registration", "sharing", "messages", "resettlement"] as const, required: true },
          /** `org:<organisationID>`, `category:<service category>` for sharing; `-` otherwise. */
          scope: { type: "string", required: true },
          status: { type: ["given", "withdrawn"] as const, required: true },
          date: { type: "string", required: true },
          how: { type: ["verbal", "written", "digital", "guardian"] as const, required: true },
          /** Who gave it: the person, or their guardian or representative (named in `givenByName` only if not them). */
          givenBy: { type: ["person", "guardian", "representative"] as const, required: true },
          recordedBy: { type: "string", required: true },
          withdrawnOn: { type: "string" },
          withdrawnHow: { type: "string" },
          withdrawnRecordedBy: { type: "string" },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // a person's consents, by purpose and scope
          primary: {
            pk: { field: "pk", composite: ["individualID"], casing: "none" },
            sk: { field: "sk", composite: ["purpose", "scope"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
