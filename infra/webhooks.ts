/**
 * Background work: a scheduled Lambda runs the due deferred jobs (packages/core/src/job) and drains the partner
 * webhook outbox (packages/core/src/webhook) every minute; both retry with backoff. Locally, packages/local runs
 * the same two on intervals.
 */
import { authSecret, authSecretPrevious } from "./secrets";
import { table } from "./storage";

const links = [table, authSecret, authSecretPrevious];

export const webhookDispatcher = new sst.aws.CronV2("WebhookDispatch", {
  schedule: "rate(1 minute)",
  function: {
    handler: "functions/src/webhook-dispatch.handler",
    runtime: "nodejs22.x",
    architecture: "arm64",
    timeout: "50 seconds",
    link: links,
    environment: $util
      .all([sst.Linkable.env(links), $app.stage])
      .apply(([env, stage]) => ({ ...env, SST_STAGE: stage })),
    nodejs: { format: "esm", minify: true, esbuild: { external: ["@aws-sdk/*"] } },
  },
});
