import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { AppointmentKinds, AppointmentStatuses } from "@waypoint/schema/appointments";
import { entityOptions } from "../common/db.ts";

export const AppointmentEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "appointment", version: "1", service: "waypoint" },
        attributes: {
          appointmentID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          kind: { type: AppointmentKinds, required: true },
          caseID: { type: "string" },
          room: { type: "string", required: true },
          start: { type: "string", required: true },
          end: { type: "string", required: true },
          participants: { type: "list", items: { type: "string" }, default: () => [] },
          staffIDs: { type: "list", items: { type: "string" }, default: () => [] },
          interpreterLanguage: { type: "string" },
          interpreterID: { type: "string" },
          status: { type: AppointmentStatuses, required: true },
          notes: { type: "string" },
          restricted: { type: "boolean", required: true },
          /** Configured values of the operation's fields for appointments (`fields/values.ts`), by key. */
          fields: { type: "any" },
          createdBy: { type: "string", required: true },
          deleted: { type: "boolean", default: false },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // an appointment by id
          primary: {
            pk: { field: "pk", composite: ["appointmentID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // an office's appointments by last change (grid list and delta sync)
          byOffice: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["officeID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["timeUpdated"], casing: "none" },
          },
          // an office's agenda: appointments by start time (one day = a range on start)
          byOfficeDay: {
            index: "gsi2",
            pk: { field: "gsi2pk", composite: ["officeID"], casing: "none" },
            sk: { field: "gsi2sk", composite: ["start"], casing: "none" },
          },
          // an interpreter's agenda by start time
          byInterpreter: {
            index: "gsi3",
            pk: { field: "gsi3pk", composite: ["interpreterID"], casing: "none" },
            sk: { field: "gsi3sk", composite: ["start"], casing: "none" },
          },
          // every appointment of an operation by last change (operation-wide roles)
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
