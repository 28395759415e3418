import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

export const PlacementEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "placement", version: "1", service: "waypoint" },
        attributes: {
          placementID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          hostID: { type: "string", required: true },
          individualID: { type: "string", required: true },
          caseID: { type: "string" },
          start: { type: "string", required: true },
          plannedEnd: { type: "string" },
          end: { type: "string" },
          reason: { type: "string", required: true },
          endReason: { type: "string" },
          status: { type: ["active", "ended"] as const, required: true },
          restricted: { type: "boolean", required: true },
          createdBy: { type: "string", required: true },
          deleted: { type: "boolean", default: false },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // a placement by id
          primary: {
            pk: { field: "pk", composite: ["placementID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // the placements of a host by start date (occupancy, allowance proration)
          byHost: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["hostID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["start", "placementID"], casing: "none" },
          },
          // the placements of a person, newest first
          byIndividual: {
            index: "gsi2",
            pk: { field: "gsi2pk", composite: ["individualID"], casing: "none" },
            sk: { field: "gsi2sk", composite: ["start", "placementID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
