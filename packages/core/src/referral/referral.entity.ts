import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { ReferralStatuses, ServiceCategories } from "@waypoint/schema/referrals";
import { entityOptions } from "../common/db.ts";

export const ReferralEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "referral", version: "1", service: "waypoint" },
        attributes: {
          referralID: { type: "string", required: true },
          referralNumber: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          direction: { type: ["internal", "outgoing", "incoming"] as const, required: true },
          caseID: { type: "string" },
          individualID: { type: "string" },
          fromOrganisationID: { type: "string" },
          toOrganisationID: { type: "string" },
          toOfficeID: { type: "string" },
          serviceCategory: { type: ServiceCategories, required: true },
          urgency: { type: ["normal", "urgent", "emergency"] as const, required: true },
          reason: { type: "string", required: true },
          consent: { type: "any", required: true },
          deadline: { type: "string" },
          /** Snapshot of the person fields shared with the referral (filtered per partner agreement on read). */
          person: { type: "any" },
          externalReference: { type: "string" },
          status: { type: ReferralStatuses, required: true },
          declineReason: { type: "string" },
          serviceNote: { type: "string" },
          respondedBy: { type: "string" },
          timeResponded: { type: "string" },
          restricted: { type: "boolean", required: true },
          /** Configured values of the operation's fields for referrals (`fields/values.ts`), by key. */
          fields: { type: "any" },
          createdBy: { type: "string", required: true },
          deleted: { type: "boolean", default: false },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // a referral by id
          primary: {
            pk: { field: "pk", composite: ["referralID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // an office's referrals by last change (grid list and delta sync)
          byOffice: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["officeID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["timeUpdated"], casing: "none" },
          },
          // every referral of an operation by last change
          byOperation: {
            index: "gsi2",
            pk: { field: "gsi2pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi2sk", composite: ["timeUpdated"], casing: "none" },
          },
          // a partner's inbox: referrals addressed to an organisation, by status, then last change
          byPartner: {
            index: "gsi3",
            pk: { field: "gsi3pk", composite: ["toOrganisationID"], casing: "none" },
            sk: { field: "gsi3sk", composite: ["status", "timeUpdated"], casing: "none" },
          },
          // a partner's outbox: referrals an organisation sent to the operation, by last change
          bySender: {
            index: "gsi4",
            pk: { field: "gsi4pk", composite: ["fromOrganisationID"], casing: "none" },
            sk: { field: "gsi4sk", composite: ["timeUpdated"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
