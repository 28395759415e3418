import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

export const OperationEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "operation", version: "1", service: "waypoint" },
        attributes: {
          operationID: { type: "string", required: true },
          /** Short code used in readable numbers, e.g. MEX. */
          code: { type: "string", required: true },
          name: { type: "string", required: true },
          country: { type: "string", required: true },
          currency: { type: "string", required: true },
          /** IANA time zone: the operation's days (today's lists, availability, months of reports) are in it. */
          timeZone: { type: "string" },
          /** Languages the operation works in (the staff app's: en, es, fr, ar). */
          languages: { type: "list", items: { type: "string" } },
          /** How many administrative areas its list holds (0 or absent: none imported, codes checked for shape only). */
          areaCount: { type: "number" },
          /** Payment approval thresholds and other per-operation settings. */
          settings: { type: "any" },
          version: { type: "number", required: true, default: 1 },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // an operation by id
          primary: {
            pk: { field: "pk", composite: ["operationID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // every operation (there are few), for the operation switcher
          all: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: [], casing: "none" },
            sk: { field: "gsi1sk", composite: ["code"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

export const OfficeEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "office", version: "1", service: "waypoint" },
        attributes: {
          officeID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          /** Short code used in readable numbers, e.g. TAP. */
          code: { type: "string", required: true },
          name: { type: "string", required: true },
          adm1: { type: "string" },
          adm2: { type: "string" },
          kind: { type: ["office", "field_office", "terminal", "shelter"] as const, default: "office" },
          /** Rooms bookings take place in (booking offers them; when listed, a booking names one of them). */
          rooms: {
            type: "list",
            items: {
              type: "map",
              properties: { name: { type: "string", required: true }, capacity: { type: "number" } },
            },
          },
          version: { type: "number", required: true, default: 1 },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // an office by id
          primary: {
            pk: { field: "pk", composite: ["officeID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // the offices of an operation
          byOperation: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["code"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

/** One administrative area (p-code) of an operation's list, imported from a gazetteer. */
export const AreaEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "area", version: "1", service: "waypoint" },
        attributes: {
          operationID: { type: "string", required: true },
          pcode: { type: "string", required: true },
          name: { type: "string", required: true },
          level: { type: "number", required: true },
          parent: { type: "string" },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // an operation's areas (all of them, or one by p-code)
          primary: {
            pk: { field: "pk", composite: ["operationID"], casing: "none" },
            sk: { field: "sk", composite: ["pcode"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
