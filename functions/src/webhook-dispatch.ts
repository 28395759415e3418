import { Actor, Webhook } from "@waypoint/core";

/**
 * Lambda entry for the webhook dispatcher (an SST CronV2 schedule, every minute, in infra/webhooks.ts). Each
 * run delivers the due outbox events; events are leased one by one, so overlapping runs never double-send.
 */
export const handler = async () =>
  Actor.provide({ type: "system", reason: "webhooks" }, () => Webhook.dispatch({ limit: 200 }));
