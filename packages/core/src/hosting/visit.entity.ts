import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

export const VisitEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "hostVisit", version: "1", service: "waypoint" },
        attributes: {
          visitID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          hostID: { type: "string", required: true },
          kind: { type: ["monitoring", "compliance"] as const, required: true },
          scheduledFor: { type: "string", required: true },
          status: { type: ["scheduled", "completed", "missed", "cancelled"] as const, required: true },
          date: { type: "string" },
          findings: { type: "string" },
          checklist: { type: "any" },
          result: { type: "string" },
          /** The host-compliance questionnaire version the result was decided by. */
          questionnaireVersion: { type: "number" },
          followUpNeeded: { type: "boolean" },
          visitedBy: { type: "string" },
          review: { type: ["pending", "reviewed"] as const },
          reviewedBy: { type: "string" },
          reviewNote: { type: "string" },
          createdBy: { type: "string", required: true },
          deleted: { type: "boolean", default: false },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // a visit by id
          primary: {
            pk: { field: "pk", composite: ["visitID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // the visits of a host by scheduled date
          byHost: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["hostID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["scheduledFor", "visitID"], casing: "none" },
          },
          // an office's visit calendar (due and overdue visits)
          byOffice: {
            index: "gsi2",
            pk: { field: "gsi2pk", composite: ["officeID"], casing: "none" },
            sk: { field: "gsi2sk", composite: ["scheduledFor", "visitID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
