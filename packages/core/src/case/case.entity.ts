import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { CaseStages, CaseSubTypes, CaseTypes, RiskLevels } from "@waypoint/schema/cases";
import { entityOptions } from "../common/db.ts";

export const CaseEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "case", version: "1", service: "waypoint" },
        attributes: {
          caseID: { type: "string", required: true },
          caseNumber: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          type: { type: CaseTypes, required: true },
          subType: { type: CaseSubTypes },
          stage: { type: CaseStages, required: true },
          riskLevel: { type: RiskLevels, required: true },
          assignedTo: { type: "string" },
          dueFollowUp: { type: "string" },
          individualIDs: { type: "list", items: { type: "string" }, default: () => [] },
          householdID: { type: "string" },
          summary: { type: "string" },
          restricted: { type: "boolean", required: true },
          closureApproval: { type: "any" },
          closedReason: { type: "string" },
          reopenedReason: { type: "string" },
          createdBy: { type: "string", required: true },
          deleted: { type: "boolean", default: false },
          /** Configured values of the operation's fields for cases (`fields/values.ts`), by key. */
          fields: { type: "any" },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // a case by id
          primary: {
            pk: { field: "pk", composite: ["caseID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // an office's cases by last change: the grid's list and delta sync (updatedSince)
          byOffice: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["officeID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["timeUpdated"], casing: "none" },
          },
          // every case of an operation by last change (operation-wide roles)
          byOperation: {
            index: "gsi2",
            pk: { field: "gsi2pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi2sk", composite: ["timeUpdated"], casing: "none" },
          },
          // a caseworker's caseload by last change
          byAssignee: {
            index: "gsi3",
            pk: { field: "gsi3pk", composite: ["assignedTo"], casing: "none" },
            sk: { field: "gsi3sk", composite: ["timeUpdated"], casing: "none" },
          },
          // the cases of a household
          byHousehold: {
            index: "gsi4",
            pk: { field: "gsi4pk", composite: ["householdID"], casing: "none" },
            sk: { field: "gsi4sk", composite: ["timeCreated"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

/** One item per (individual, case): answers "which cases is this person in" without scanning. */
export const CaseMemberEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "casemember", version: "1", service: "waypoint" },
        attributes: {
          individualID: { type: "string", required: true },
          caseID: { type: "string", required: true },
          operationID: { type: "string", required: true },
        },
        indexes: {
          // the cases of an individual
          byIndividual: {
            pk: { field: "pk", composite: ["individualID"], casing: "none" },
            sk: { field: "sk", composite: ["caseID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
