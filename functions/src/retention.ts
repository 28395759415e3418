import { Actor } from "@waypoint/core/actor";
import { Retention } from "@waypoint/core/retention/index";

/** Leave this much of the invocation's time to checkpoint and return. */
const MARGIN_MS = 60_000;

/**
 * Lambda entry of the retention job (an SST CronV2 schedule, infra/retention.ts): applies every operation's
 * retention policies (packages/core/src/retention). It stops at a page boundary before the Lambda's time limit;
 * a run left unfinished there (or by a crash) is taken over by the next invocation where it stopped.
 */
export const handler = async (_event: unknown, context?: { getRemainingTimeInMillis?: () => number }) => {
  const remaining = context?.getRemainingTimeInMillis?.() ?? 15 * 60_000;
  return Actor.provide({ type: "system", reason: "retention" }, () =>
    Retention.runScheduled({ deadline: Date.now() + Math.max(remaining - MARGIN_MS, 10_000) }),
  );
};
