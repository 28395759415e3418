import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { HostKinds, HostStatuses } from "@waypoint/schema/hosting";
import { entityOptions } from "../common/db.ts";

export const HostEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "host", version: "1", service: "waypoint" },
        attributes: {
          hostID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          kind: { type: HostKinds, required: true },
          name: { type: "string", required: true },
          capacity: { type: "number", required: true },
          occupied: { type: "number", required: true },
          adm1: { type: "string", required: true },
          adm2: { type: "string" },
          address: { type: "string" },
          phone: { type: "string" },
          contractStart: { type: "string", required: true },
          contractEnd: { type: "string", required: true },
          payeeID: { type: "string" },
          visitEveryDays: { type: "number", required: true },
          codeOfConductSigned: { type: "string" },
          notes: { type: "string" },
          status: { type: HostStatuses, required: true },
          complianceStatus: { type: "string", required: true },
          nextVisitDue: { type: "string" },
          /** Configured values of the operation's fields for hosts (`fields/values.ts`), by key. */
          fields: { type: "any" },
          createdBy: { type: "string", required: true },
          deleted: { type: "boolean", default: false },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // a host by id
          primary: {
            pk: { field: "pk", composite: ["hostID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // an office's hosts by name (grid; the monthly allowance run walks them)
          byOffice: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["officeID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["name", "hostID"], casing: "none" },
          },
          // every host of an operation by name
          byOperation: {
            index: "gsi2",
            pk: { field: "gsi2pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi2sk", composite: ["name", "hostID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
