import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/** A service of the directory: who provides what, where, in which languages, for whom, and how to reach it. */
export const ServiceEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "service", version: "1", service: "waypoint" },
        attributes: {
          serviceID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          name: { type: "string", required: true },
          category: { type: "string", required: true },
          organisationID: { type: "string" },
          providerName: { type: "string", required: true },
          areas: { type: "list", items: { type: "string" }, default: () => [] },
          languages: { type: "list", items: { type: "string" }, default: () => [] },
          eligibility: { type: "string" },
          description: { type: "string" },
          contactPhone: { type: "string" },
          contactEmail: { type: "string" },
          address: { type: "string" },
          openingHours: { type: "string" },
          active: { type: "boolean", default: true },
          createdBy: { type: "string", required: true },
          deleted: { type: "boolean", default: false },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // a service by id
          primary: {
            pk: { field: "pk", composite: ["serviceID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // an operation's directory by category (searched and filtered in full: a directory is small)
          byOperation: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["category", "serviceID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
