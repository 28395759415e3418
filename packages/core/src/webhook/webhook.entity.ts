import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/**
 * The durable outbox of partner webhook events. An event is written in the same transaction as the change it
 * reports, so a change is never committed without its event; the dispatcher delivers it afterwards.
 */
export const OutboxEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "outbox", version: "1", service: "waypoint" },
        attributes: {
          eventID: { type: "string", required: true },
          organisationID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          type: { type: "string", required: true },
          /** The JSON body sent to the partner, fixed when the event is written. */
          payload: { type: "string", required: true },
          state: { type: ["pending", "delivered", "failed"] as const, required: true },
          /** Epoch ms when the next attempt is due (also the lease of a dispatcher holding it). */
          nextAttemptAt: { type: "number", required: true },
          attempts: { type: "number", required: true, default: 0 },
          /** Delivery log: one entry per attempt (HTTP status or network error, duration). */
          log: { type: "any" },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // one event
          primary: {
            pk: { field: "pk", composite: ["eventID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // events due for delivery: state = pending, by due time
          byState: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["state"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["nextAttemptAt", "eventID"], casing: "none" },
          },
          // an organisation's events, newest last (the partner's delivery log)
          byOrganisation: {
            index: "gsi2",
            pk: { field: "gsi2pk", composite: ["organisationID"], casing: "none" },
            sk: { field: "gsi2sk", composite: ["eventID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
