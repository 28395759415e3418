/**
 * The retention job (packages/core/src/retention, docs/data-protection.md): a scheduled Lambda applies every
 * operation's retention policies, anonymising or deleting records past their time. It runs every hour, works
 * up to its time limit and checkpoints in the table, so a large first run spreads over several invocations and
 * a crash loses nothing (the next invocation takes the run over where it stopped). Locally, packages/local runs
 * the same job on a timer.
 */
import { kmsAccess } from "./keys";
import { authSecret } from "./secrets";
import { files, table } from "./storage";

const links = [table, files, authSecret];

export const retentionJob = new sst.aws.CronV2("RetentionJob", {
  schedule: "rate(1 hour)",
  function: {
    handler: "functions/src/retention.handler",
    runtime: "nodejs22.x",
    architecture: "arm64",
    // a run checkpoints after every page; 15 minutes is Lambda's limit, the job stops a minute before
    timeout: "15 minutes",
    memory: "512 MB",
    link: links,
    // erasure and the stored-narrative sealing use the operations' data keys, and the job seals secrets sealed the
    // old way again with the at-rest key: both wrapped by the master key (infra/keys.ts)
    environment: $util
      .all([sst.Linkable.env(links), $app.stage, kmsAccess.environment.WAYPOINT_KMS_KEY_ID])
      .apply(([env, stage, kmsKey]) => ({ ...env, SST_STAGE: stage, WAYPOINT_KMS_KEY_ID: kmsKey })),
    permissions: [kmsAccess.permission],
    nodejs: { format: "esm", minify: true, esbuild: { external: ["@aws-sdk/*"] } },
  },
});
