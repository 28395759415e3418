import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/**
 * A message the local runtime "sent": kept for the outbox page instead of being e-mailed (local mode only; on AWS
 * messages go to the e-mail service and nothing is kept). Expires after a week.
 */
export const MailEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "mail", version: "1", service: "waypoint" },
        attributes: {
          operationID: { type: "string", required: true },
          mailID: { type: "string", required: true },
          to: { type: "string", required: true },
          subject: { type: "string", required: true },
          text: { type: "string", required: true },
          link: { type: "string" },
          language: { type: "string" },
          time: { type: "string", required: true },
          /** TTL (epoch seconds). */
          expiresAt: { type: "number" },
        },
        indexes: {
          // an operation's local outbox, newest last (mail IDs are ULIDs)
          primary: {
            pk: { field: "pk", composite: ["operationID"], casing: "none" },
            sk: { field: "sk", composite: ["mailID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
