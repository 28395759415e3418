/**
 * Background work: a scheduled Lambda runs the due deferred jobs (packages/core/src/job) and drains the partner
 * webhook outbox (packages/core/src/webhook) every minute; both retry with backoff. Locally, packages/local runs
 * the same two on intervals. The jobs send messages to people (the day's reminders, relocation and payment
 * messages): the Twilio settings of infra/messaging.ts, with the API's URL as the callback address by default.
 */
import { api } from "./api";
import { kmsAccess } from "./keys";
import { messageEnvironment, messageLinks } from "./messaging";
import { authSecret, authSecretPrevious } from "./secrets";
import { table } from "./storage";

const links = [table, authSecret, authSecretPrevious, ...messageLinks];

export const webhookDispatcher = new sst.aws.CronV2("WebhookDispatch", {
  schedule: "rate(1 minute)",
  function: {
    handler: "functions/src/webhook-dispatch.handler",
    runtime: "nodejs22.x",
    architecture: "arm64",
    timeout: "50 seconds",
    link: links,
    // webhook signing secrets are sealed with the at-rest key (infra/keys.ts)
    environment: $util
      .all([sst.Linkable.env(links), $app.stage, api.url, kmsAccess.environment.WAYPOINT_KMS_KEY_ID])
      .apply(([env, stage, url, kmsKey]) => ({
        ...env,
        SST_STAGE: stage,
        WAYPOINT_KMS_KEY_ID: kmsKey,
        ...messageEnvironment(url),
      })),
    permissions: [kmsAccess.permission],
    nodejs: { format: "esm", minify: true, esbuild: { external: ["@aws-sdk/*"] } },
  },
});
