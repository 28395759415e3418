import { Actor } from "@waypoint/core/actor";
import { Job } from "@waypoint/core/job/index";
import { Webhook } from "@waypoint/core/webhook/index";

/**
 * Lambda entry for background work (an SST CronV2 schedule, every minute, in infra/webhooks.ts): deferred jobs
 * (packages/core/src/job, e.g. matching partners' referrals to registered individuals), then the due webhook
 * outbox events. Jobs and events are leased one by one, so overlapping runs never do the same work twice.
 */
export const handler = async () =>
  Actor.provide({ type: "system", reason: "background" }, async () => ({
    jobs: await Job.run({ limit: 200 }),
    webhooks: await Webhook.dispatch({ limit: 200 }),
  }));
