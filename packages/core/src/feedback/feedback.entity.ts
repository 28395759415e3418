import { Entity } from "electrodb";
import {
  DataChangeFields,
  DataChangeStatuses,
  FeedbackCategories,
  FeedbackChannels,
  FeedbackClosureReasons,
  FeedbackStatuses,
} from "@waypoint/schema/feedback";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/** Feedback and complaints: `summary` and `response` are sealed (privacy/narrative.ts) before they reach the table. */
export const FeedbackEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "feedback", version: "1", service: "waypoint" },
        attributes: {
          feedbackID: { type: "string", required: true },
          number: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string" },
          channel: { type: FeedbackChannels, required: true },
          category: { type: FeedbackCategories, required: true },
          sensitive: { type: "boolean", required: true },
          receivedOn: { type: "string", required: true },
          dueOn: { type: "string", required: true },
          summary: { type: "string", required: true },
          individualID: { type: "string" },
          contactName: { type: "string" },
          contactPhone: { type: "string" },
          anonymous: { type: "boolean" },
          assignedTo: { type: "string" },
          status: { type: FeedbackStatuses, required: true },
          escalatedAt: { type: "string" },
          response: { type: "string" },
          respondedAt: { type: "string" },
          respondedBy: { type: "string" },
          closureReason: { type: FeedbackClosureReasons },
          closureNote: { type: "string" },
          closedAt: { type: "string" },
          closedBy: { type: "string" },
          changeRequests: {
            type: "list",
            default: () => [],
            items: {
              type: "map",
              properties: {
                requestID: { type: "string", required: true },
                field: { type: DataChangeFields, required: true },
                from: { type: "string" },
                to: { type: "string", required: true },
                status: { type: DataChangeStatuses, required: true },
                requestedBy: { type: "string", required: true },
                requestedAt: { type: "string", required: true },
                decidedBy: { type: "string" },
                decidedAt: { type: "string" },
                reason: { type: "string" },
              },
            },
          },
          createdBy: { type: "string", required: true },
          deleted: { type: "boolean", default: false },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // a complaint by id
          primary: {
            pk: { field: "pk", composite: ["feedbackID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // an operation's feedback by last change (the register and the escalation queue, filtered)
          byOperation: {
            index: "gsi2",
            pk: { field: "gsi2pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi2sk", composite: ["timeUpdated"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
