import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { AssessmentKinds, AssessmentStatuses, RiskLevels } from "@waypoint/schema/cases";
import { entityOptions } from "../common/db.ts";

export const AssessmentEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "assessment", version: "1", service: "waypoint" },
        attributes: {
          assessmentID: { type: "string", required: true },
          caseID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          kind: { type: AssessmentKinds, required: true },
          individualID: { type: "string" },
          answers: { type: "any", required: true },
          score: { type: "number", required: true },
          level: { type: RiskLevels },
          /** The questionnaire and version the answers were given and scored with, and the score band it gave. */
          questionnaireKey: { type: "string" },
          questionnaireVersion: { type: "number" },
          band: { type: "string" },
          summary: { type: "string" },
          status: { type: AssessmentStatuses, required: true },
          reviews: { type: "any", required: true },
          round: { type: "number" },
          editors: { type: "list", items: { type: "string" } },
          /** The version the record got when last submitted: a reviewer who saw at least this version saw what is judged. */
          submittedVersion: { type: "number" },
          restricted: { type: "boolean", required: true },
          assignedTo: { type: "string" },
          /** Configured values of the operation's fields for assessments (`fields/values.ts`), by key. */
          fields: { type: "any" },
          createdBy: { type: "string", required: true },
          deleted: { type: "boolean", default: false },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // an assessment by id
          primary: {
            pk: { field: "pk", composite: ["assessmentID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // the assessments of a case, oldest first (several BIAs/BIDs per case)
          byCase: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["caseID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["timeCreated", "assessmentID"], casing: "none" },
          },
          // an operation's assessments of one status, oldest change first: the supervision queue
          byStatus: {
            index: "gsi2",
            pk: { field: "gsi2pk", composite: ["operationID", "status"], casing: "none" },
            sk: { field: "gsi2sk", composite: ["timeUpdated"], casing: "none" },
          },
          // an office's assessments by last change: the grid's list and delta sync (updatedSince)
          byOffice: {
            index: "gsi3",
            pk: { field: "gsi3pk", composite: ["officeID"], casing: "none" },
            sk: { field: "gsi3sk", composite: ["timeUpdated"], casing: "none" },
          },
          // every assessment of an operation by last change (operation-wide roles)
          byOperation: {
            index: "gsi4",
            pk: { field: "gsi4pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi4sk", composite: ["timeUpdated"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
