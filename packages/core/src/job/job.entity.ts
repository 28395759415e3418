import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/**
 * Deferred work (a durable job queue in the table). A job is written in the same transaction as the change
 * that needs it, so the change is never committed without its follow-up; the runner (packages/local on an
 * interval, the scheduled background Lambda on AWS) performs it afterwards, retrying with backoff.
 */
export const JobEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "job", version: "1", service: "waypoint" },
        attributes: {
          jobID: { type: "string", required: true },
          /** Fixed: keeps the queue's index partition apart from other entities' `state` values. */
          lane: { type: "string", required: true, default: "jobs" },
          /** What to do: a kind of job/handlers.ts. */
          kind: { type: "string", required: true },
          /** The record it concerns (an ID, never personal data). */
          ref: { type: "string", required: true },
          operationID: { type: "string", required: true },
          state: { type: ["pending", "failed"] as const, required: true },
          /** Epoch ms when the job is due; while a runner holds it, the end of its lease. */
          runAt: { type: "number", required: true },
          attempts: { type: "number", required: true, default: 0 },
          /** Error name of the last failed attempt (never its message: messages can quote record values). */
          lastError: { type: "string" },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          primary: {
            pk: { field: "pk", composite: ["jobID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // jobs due: pending, by due time
          due: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["lane", "state"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["runAt", "jobID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
