import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/** A group activity: an information or awareness session, a training, a participatory assessment. */
export const ActivityEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "activity", version: "1", service: "waypoint" },
        attributes: {
          activityID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          kind: {
            type: [
              "information_session",
              "awareness_session",
              "training",
              "sop_training",
              "participatory_assessment",
            ] as const,
            required: true,
          },
          topic: { type: "string", required: true },
          start: { type: "string", required: true },
          durationMinutes: { type: "number" },
          language: { type: "string", required: true },
          adm1: { type: "string" },
          adm2: { type: "string" },
          venue: { type: "string" },
          facilitatorIDs: { type: "list", items: { type: "string" }, default: () => [] },
          otherFacilitators: { type: "string" },
          counts: { type: "any", default: () => [] },
          findings: { type: "any", default: () => [] },
          notes: { type: "string" },
          attendeeCount: { type: "number", default: 0 },
          staffCount: { type: "number", default: 0 },
          createdBy: { type: "string", required: true },
          deleted: { type: "boolean", default: false },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // an activity by id
          primary: {
            pk: { field: "pk", composite: ["activityID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // an office's activities by start time (the office's calendar of sessions)
          byOffice: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["officeID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["start", "activityID"], casing: "none" },
          },
          // an operation's activities by start time (operation-wide readers)
          byOperation: {
            index: "gsi2",
            pk: { field: "gsi2pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi2sk", composite: ["start", "activityID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

/**
 * One participant of an activity: a registered person (ind_…) or a staff member trained (usr_…). Kept as its own
 * item so a person's page lists the sessions they attended and a staff member's training record their trainings.
 */
export const AttendanceEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "attendance", version: "1", service: "waypoint" },
        attributes: {
          activityID: { type: "string", required: true },
          attendeeID: { type: "string", required: true },
          kind: { type: ["individual", "staff"] as const, required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          /** The activity's start when recorded, for the order only; what is shown is read from the activity. */
          start: { type: "string", required: true },
          createdBy: { type: "string", required: true },
          timeCreated: { type: "string", required: true },
        },
        indexes: {
          // the participants of an activity
          primary: {
            pk: { field: "pk", composite: ["activityID"], casing: "none" },
            sk: { field: "sk", composite: ["attendeeID"], casing: "none" },
          },
          // the activities a person attended / a staff member was trained in, by start time
          byAttendee: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["attendeeID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["start", "activityID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
