import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/** An operation's complaint settings: its focal points for sensitive categories and deadlines by category. */
export const FeedbackSettingsEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "feedbackSettings", version: "1", service: "waypoint" },
        attributes: {
          operationID: { type: "string", required: true },
          focalPoints: { type: "list", items: { type: "string" }, default: () => [] },
          /** The office that receives public-form complaints no office's area covers. */
          intakeOfficeID: { type: "string" },
          /** JSON: category → days. */
          deadlineDays: { type: "string", required: true },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // the settings of one operation
          primary: {
            pk: { field: "pk", composite: ["operationID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
