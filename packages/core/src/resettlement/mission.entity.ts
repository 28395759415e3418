import { Entity } from "electrodb";
import { ResettlementProgrammes } from "@waypoint/schema/resettlement";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/** A resettlement country's selection mission: dates, place, delegation, the submissions it interviews. */
export const MissionEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "rstMission", version: "1", service: "waypoint" },
        attributes: {
          missionID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          country: { type: "string", required: true },
          programme: { type: ResettlementProgrammes, required: true },
          location: { type: "string", required: true },
          startDate: { type: "string", required: true },
          endDate: { type: "string", required: true },
          delegation: { type: "any", required: true },
          submissionIDs: { type: "list", items: { type: "string" }, required: true },
          notes: { type: "string" },
          createdBy: { type: "string", required: true },
          deleted: { type: "boolean", default: false },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // a mission by id
          primary: {
            pk: { field: "pk", composite: ["missionID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // an office's missions by start date (the missions screen, soonest last)
          byOffice: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["officeID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["startDate"], casing: "none" },
          },
          // every mission of an operation by start date (operation-wide roles; a submission's missions)
          byOperation: {
            index: "gsi2",
            pk: { field: "gsi2pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi2sk", composite: ["startDate"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
