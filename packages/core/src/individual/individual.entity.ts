import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

export const IndividualEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "individual", version: "1", service: "waypoint" },
        attributes: {
          individualID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          registrationNumber: { type: "string", required: true },
          givenName: { type: "string", required: true },
          familyName: { type: "string", required: true },
          /** `familyname givenname`, accents folded: the sort and prefix-search key. */
          searchName: { type: "string", required: true },
          transliterations: { type: "any" },
          sex: { type: ["female", "male", "other", "unknown"] as const, required: true },
          dateOfBirth: { type: "string" },
          estimatedAge: { type: "number" },
          dobEstimated: { type: "boolean" },
          nationality: { type: "string", required: true },
          languages: { type: "list", items: { type: "string" } },
          interpreterNeeded: { type: "boolean" },
          legalStatus: { type: "string", required: true },
          documents: { type: "any" },
          specificNeeds: { type: "list", items: { type: "string" } },
          specificNeedsVersion: { type: "string" },
          phone: { type: "string" },
          householdID: { type: "string" },
          relationshipToHead: { type: "string" },
          consent: { type: "any" },
          adm1: { type: "string" },
          adm2: { type: "string" },
          status: { type: "string", required: true },
          /** Configured values of the operation's fields for individuals (`fields/values.ts`), by key. */
          fields: { type: "any" },
          deleted: { type: "boolean" },
          createdBy: { type: "string", required: true },
          version: { type: "number", required: true, default: 1 },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // one individual by id
          primary: {
            pk: { field: "pk", composite: ["individualID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // the whole operation's register by last change (operation-wide lists, grid delta sync `updatedSince`)
          byOperation: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["timeUpdated", "individualID"], casing: "none" },
          },
          // one office's register by last change (office-scoped lists and delta sync)
          byOffice: {
            index: "gsi2",
            pk: { field: "gsi2pk", composite: ["operationID", "officeID"], casing: "none" },
            sk: { field: "gsi2sk", composite: ["timeUpdated", "individualID"], casing: "none" },
          },
          // the register by name (name-prefix search `q`, alphabetical lists)
          byName: {
            index: "gsi3",
            pk: { field: "gsi3pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi3sk", composite: ["searchName", "individualID"], casing: "none" },
          },
          // the members of a household (sparse: `Individual` drops these keys from records without a household)
          byHousehold: {
            index: "gsi4",
            pk: { field: "gsi4pk", composite: ["householdID"], casing: "none" },
            sk: { field: "gsi4sk", composite: ["individualID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
