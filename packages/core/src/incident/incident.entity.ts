import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { IncidentKinds, PerpetratorTypes, SurvivorAgeGroups, SurvivorSexes } from "@waypoint/schema/cases";
import { entityOptions } from "../common/db.ts";

export const IncidentEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "incident", version: "1", service: "waypoint" },
        attributes: {
          incidentID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          kind: { type: IncidentKinds, required: true },
          dateOfIncident: { type: "string", required: true },
          caseID: { type: "string" },
          individualIDs: { type: "list", items: { type: "string" }, default: () => [] },
          adm1: { type: "string" },
          adm2: { type: "string" },
          description: { type: "string", required: true },
          assignedTo: { type: "string" },
          perpetratorType: { type: PerpetratorTypes },
          survivorSex: { type: SurvivorSexes },
          survivorAgeGroup: { type: SurvivorAgeGroups },
          restricted: { type: "boolean", required: true },
          /** Configured values of the operation's fields for incidents (`fields/values.ts`), by key. */
          fields: { type: "any" },
          createdBy: { type: "string", required: true },
          deleted: { type: "boolean", default: false },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // an incident by id
          primary: {
            pk: { field: "pk", composite: ["incidentID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // an office's incidents by last change (supervisors of the office)
          byOffice: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["officeID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["timeUpdated"], casing: "none" },
          },
          // an operation's incidents by last change (operation-wide roles; a caseworker's own, filtered)
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
