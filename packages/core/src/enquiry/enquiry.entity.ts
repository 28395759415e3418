import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/** A phone call, walk-in or message and the answer given, with its follow-up. */
export const EnquiryEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "enquiry", version: "1", service: "waypoint" },
        attributes: {
          enquiryID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          channel: { type: "string", required: true },
          topic: { type: "string", required: true },
          callerName: { type: "string" },
          individualID: { type: "string" },
          phone: { type: "string" },
          question: { type: "string" },
          answer: { type: "string" },
          followUpDue: { type: "string" },
          status: { type: ["open", "answered", "follow_up", "closed"] as const, required: true },
          createdBy: { type: "string", required: true },
          deleted: { type: "boolean", default: false },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // an enquiry by id
          primary: {
            pk: { field: "pk", composite: ["enquiryID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // an office's enquiry log, newest first
          byOffice: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["officeID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["timeCreated", "enquiryID"], casing: "none" },
          },
          // an operation's enquiry log (operation-wide readers), newest first
          byOperation: {
            index: "gsi2",
            pk: { field: "gsi2pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi2sk", composite: ["timeCreated", "enquiryID"], casing: "none" },
          },
          // the enquiries of one registered person (their page)
          byIndividual: {
            index: "gsi3",
            pk: { field: "gsi3pk", composite: ["individualID"], casing: "none" },
            sk: { field: "gsi3sk", composite: ["timeCreated", "enquiryID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

/** The programme's questions and answers of an operation, kept at hand while answering enquiries. */
export const FaqEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "faq", version: "1", service: "waypoint" },
        attributes: {
          operationID: { type: "string", required: true },
          entries: { type: "any", required: true },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // the FAQ of an operation
          primary: {
            pk: { field: "pk", composite: ["operationID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
