/**
 * The retention job (packages/core/src/retention, docs/data-protection.md): a scheduled Lambda applies every
 * operation's retention policies, anonymising or deleting records past their time. It runs every hour, works
 * up to its time limit and checkpoints in the table, so a large first run spreads over several invocations and
 * a crash loses nothing (the next invocation takes the run over where it stopped). Locally, packages/local runs
 * the same job on a timer.
 */
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
    environment: $util
      .all([sst.Linkable.env(links), $app.stage])
      .apply(([env, stage]) => ({ ...env, SST_STAGE: stage })),
    nodejs: { format: "esm", minify: true, esbuild: { external: ["@aws-sdk/*"] } },
  },
});
