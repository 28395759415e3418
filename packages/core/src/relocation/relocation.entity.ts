import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { RelocationStatuses, TripStatuses } from "@waypoint/schema/relocation";
import { entityOptions } from "../common/db.ts";

const meta = {
  version: { type: "number", required: true, default: 1 },
  timeCreated: { type: "string", required: true },
  timeUpdated: { type: "string", required: true },
  deleted: { type: "boolean", default: false },
  createdBy: { type: "string", required: true },
} as const;

export const RelocationTripEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "relocationTrip", version: "1", service: "waypoint" },
        attributes: {
          tripID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          departureAt: { type: "string", required: true },
          originTerminal: { type: "any", required: true },
          destination: { type: "any", required: true },
          carrier: { type: "string", required: true },
          seats: { type: "number", required: true },
          /**
           * Seats held by relocations on this trip (not cancelled), kept in the same transaction as every relocation
           * change (store.ts `saveRelocation`), so two assignments can never overbook the trip. Missing on trips
           * created before the counter existed: it is counted once, on first use.
           */
          seatsTaken: { type: "number" },
          /** Seats of households checked in at the terminal; kept like `seatsTaken` (store.ts `dayItems`). */
          seatsCheckedIn: { type: "number" },
          /** Seats of households confirmed on board. */
          seatsDeparted: { type: "number" },
          status: { type: TripStatuses, required: true },
          notes: { type: "string" },
          ...meta,
        },
        indexes: {
          // a trip by id
          primary: {
            pk: { field: "pk", composite: ["tripID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // the trips of an operation by departure time (schedule, planner date range)
          byOperation: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["departureAt", "tripID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

export const RelocationEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "relocation", version: "1", service: "waypoint" },
        attributes: {
          relocationID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          householdID: { type: "string", required: true },
          householdSize: { type: "number", required: true },
          vulnerability: { type: "number", required: true },
          destination: { type: "any", required: true },
          earliestDate: { type: "string", required: true },
          readiness: { type: "any", required: true },
          readySince: { type: "string" },
          tripID: { type: "string" },
          seats: { type: "number" },
          confirmed: { type: "boolean", required: true, default: false },
          planReason: { type: "string" },
          ticket: { type: "any" },
          voidedTickets: { type: "any" },
          briefing: { type: "any" },
          checkIn: { type: "any" },
          noShow: { type: "any" },
          departure: { type: "any" },
          arrival: { type: "any" },
          followUps: { type: "any" },
          status: { type: RelocationStatuses, required: true },
          cancelReason: { type: "string" },
          executionArn: { type: "string" },
          workflowError: { type: "string" },
          ...meta,
        },
        indexes: {
          // a relocation by id
          primary: {
            pk: { field: "pk", composite: ["relocationID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // the relocations of an operation (lists, planner, reports, trip manifests)
          byOperation: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["relocationID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

/** A household's interest in the relocation programme, as told to staff (one per household). */
export const RelocationInterestEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "relocationInterest", version: "1", service: "waypoint" },
        attributes: {
          householdID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          interested: { type: "boolean", required: true },
          note: { type: "string" },
          ...meta,
        },
        indexes: {
          // a household's interest
          primary: {
            pk: { field: "pk", composite: ["householdID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // the interests recorded in an operation (the eligible-households screen)
          byOperation: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["householdID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

/**
 * The notification outbox: one item per message to send (briefing reminders, follow-up calls). The key is
 * derived from what the message is about, so a re-run task finds its message already queued and adds none.
 */
export const NotificationEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "notification", version: "1", service: "waypoint" },
        attributes: {
          subjectID: { type: "string", required: true },
          kind: { type: "string", required: true },
          ref: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string" },
          channel: { type: ["sms", "staff_task"] as const, required: true },
          dueAt: { type: "string", required: true },
          status: { type: ["pending", "sent", "failed"] as const, required: true, default: "pending" },
          timeCreated: { type: "string", required: true },
        },
        indexes: {
          // the messages about one subject (a relocation), by kind
          primary: {
            pk: { field: "pk", composite: ["subjectID"], casing: "none" },
            sk: { field: "sk", composite: ["kind", "ref"], casing: "none" },
          },
          // an operation's outbox by due time (the sender drains it)
          byOperation: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["dueAt", "subjectID", "kind", "ref"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
