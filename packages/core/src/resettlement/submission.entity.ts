import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import {
  ResettlementProgrammes,
  SubmissionPriorities,
  SubmissionStatuses,
} from "@waypoint/schema/resettlement";
import { entityOptions } from "../common/db.ts";

export const SubmissionEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "rstSubmission", version: "1", service: "waypoint" },
        attributes: {
          submissionID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          caseID: { type: "string", required: true },
          programme: { type: ResettlementProgrammes, required: true },
          country: { type: "string", required: true },
          quotaYear: { type: "number", required: true },
          primaryCategory: { type: "string", required: true },
          secondaryCategory: { type: "string" },
          priority: { type: SubmissionPriorities, required: true },
          status: { type: SubmissionStatuses, required: true },
          individualIDs: { type: "list", items: { type: "string" }, required: true },
          individualCount: { type: "number", required: true },
          transitCountry: { type: "string" },
          assignedTo: { type: "string" },
          draftedBy: { type: "string" },
          editors: { type: "list", items: { type: "string" } },
          reviewedBy: { type: "string" },
          reviewComment: { type: "string" },
          submittedAt: { type: "string" },
          decidedAt: { type: "string" },
          decisionReason: { type: "string" },
          departureDate: { type: "string" },
          departedAt: { type: "string" },
          snapshot: { type: "any" },
          flags: { type: "any", required: true },
          openFlags: { type: "number", required: true },
          notes: { type: "string" },
          sections: { type: "any" },
          interviewNotes: { type: "any" },
          restricted: { type: "boolean", required: true },
          createdBy: { type: "string", required: true },
          deleted: { type: "boolean", default: false },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // a submission by id
          primary: {
            pk: { field: "pk", composite: ["submissionID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // an office's submissions by last change (grid, delta sync)
          byOffice: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["officeID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["timeUpdated"], casing: "none" },
          },
          // every submission of an operation by last change (operation-wide roles)
          byOperation: {
            index: "gsi2",
            pk: { field: "gsi2pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi2sk", composite: ["timeUpdated"], casing: "none" },
          },
          // the submissions counting against one quota year, by programme and country: quota progress
          byQuotaYear: {
            index: "gsi3",
            pk: { field: "gsi3pk", composite: ["operationID", "quotaYear"], casing: "none" },
            sk: { field: "gsi3sk", composite: ["programme", "country", "timeCreated"], casing: "none" },
          },
          // the submissions of a case
          byCase: {
            index: "gsi4",
            pk: { field: "gsi4pk", composite: ["caseID"], casing: "none" },
            sk: { field: "gsi4sk", composite: ["timeCreated"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

/** Annual quota and targets agreed with a resettlement country, per programme. */
export const QuotaEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "rstQuota", version: "1", service: "waypoint" },
        attributes: {
          quotaID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          year: { type: "number", required: true },
          country: { type: "string", required: true },
          programme: { type: ResettlementProgrammes, required: true },
          quotaIndividuals: { type: "number", required: true },
          targetIndividuals: { type: "number" },
          targetCases: { type: "number" },
          notes: { type: "string" },
          createdBy: { type: "string", required: true },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // the quotas of an operation's year; one per country and programme
          primary: {
            pk: { field: "pk", composite: ["operationID", "year"], casing: "none" },
            sk: { field: "sk", composite: ["programme", "country"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

/**
 * One small line per submission for quota progress, written in the same transaction as every change of the
 * submission (so it cannot drift). Progress reads these lines, not the submissions with their snapshots.
 */
export const QuotaLineEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "rstQuotaLine", version: "1", service: "waypoint" },
        attributes: {
          operationID: { type: "string", required: true },
          quotaYear: { type: "number", required: true },
          submissionID: { type: "string", required: true },
          programme: { type: ResettlementProgrammes, required: true },
          country: { type: "string", required: true },
          status: { type: SubmissionStatuses, required: true },
          individualCount: { type: "number", required: true },
          deleted: { type: "boolean", default: false },
        },
        indexes: {
          // the lines of an operation's quota year (progress: one query, ~100 bytes per submission)
          primary: {
            pk: { field: "pk", composite: ["operationID", "quotaYear"], casing: "none" },
            sk: { field: "sk", composite: ["submissionID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
