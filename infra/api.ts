/**
 * The API: one Lambda running the Hono app behind a Function URL. functions/src/lambda.ts imports the shell at a
 * cold start and each domain's routes (functions/src/domains.ts) on the domain's first request.
 *
 * Linked resources give the function its IAM permissions. SST delivers link *values* to functions in an
 * encrypted `resource.enc` bundle file read by `Resource` from the "sst" SDK; we keep that SDK out of the bundle
 * and read plain `SST_RESOURCE_<Name>` JSON env vars in packages/core/src/config.ts instead, so the same links
 * are also exposed as env vars with `sst.Linkable.env` (SST's documented helper for exactly this).
 */
import { kmsAccess } from "./keys";
import { messageEnvironment, messageLinks } from "./messaging";
import { authSecret, authSecretPrevious } from "./secrets";
import { files, table } from "./storage";
import { relocation } from "./workflows";

const links = [table, files, authSecret, authSecretPrevious, relocation, ...messageLinks];

export const api = new sst.aws.Function("Api", {
  handler: "functions/src/lambda.handler",
  runtime: "nodejs22.x",
  architecture: "arm64",
  memory: "1024 MB",
  timeout: "30 seconds",
  url: true,
  link: links,
  environment: $util.all([sst.Linkable.env(links), $app.stage, kmsAccess.environment.WAYPOINT_KMS_KEY_ID]).apply(([env, stage, kmsKey]) => ({
    ...env,
    SST_STAGE: stage,
    // the master key that wraps data keys and at-rest keys (infra/keys.ts)
    WAYPOINT_KMS_KEY_ID: kmsKey,
    NODE_OPTIONS: "--enable-source-maps",
    // staff invitations and password links (core/mail): the SES-verified sender, and the web app's address the
    // links point at (the CloudFront URL or the stage's domain), both from the deploying shell
    WAYPOINT_MAIL_FROM: process.env.WAYPOINT_MAIL_FROM ?? "",
    WAYPOINT_APP_URL: process.env.WAYPOINT_APP_URL ?? "",
    // messages to people (a caseworker's own send, Twilio's callbacks): infra/messaging.ts
    ...messageEnvironment(),
  })),
  // SES v2 SendEmail for those messages (the sender identity is verified in SES by the operator)
  permissions: [{ actions: ["ses:SendEmail"], resources: ["*"] }, kmsAccess.permission],
  nodejs: {
    format: "esm",
    minify: true,
    // Each domain's routes (functions/src/domains.ts) and the libraries only some requests need (ExcelJS, the XML
    // and CSV parsers, phone metadata, the S3 and Step Functions clients) are imported with `import()`; splitting
    // puts them in chunks that a cold start does not load (tests/bench/bundle.bench.ts measures the cold start,
    // the first response of each domain and the whole package).
    splitting: true,
    // Build-time trims, explained in the file: zod's translations, ElectroDB's model self-check.
    plugins: "infra/esbuild-plugins.mjs",
    // The AWS SDK v3 ships with the nodejs22.x runtime: keep it out of the bundle (as tests/bench measures it).
    esbuild: { external: ["@aws-sdk/*"] },
    // Font files the generated PDFs embed (packages/core/src/common/pdf-text.ts reads them from node_modules at
    // run time: subject-access files and relocation tickets in Arabic and other scripts).
    // And Argon2id for passwords (packages/core/src/user/hash.ts): `@node-rs/argon2` is a native module whose
    // binary comes in a per-platform optional package; SST installs the listed packages into the function's
    // node_modules with `npm install --os=linux --cpu=arm64` (the function's architecture), at the version pinned
    // in the root package.json's dependencies, so the Lambda gets `@node-rs/argon2-linux-arm64-gnu`.
    install: ["@fontsource/noto-sans", "@fontsource/noto-sans-arabic", "@node-rs/argon2"],
  },
  logging: { retention: "1 month", format: "json" },
});

// Payment export files and report exports are downloaded from the bucket through a presigned link (a 303 from the
// API), so the 6 MB response limit does not apply to them: see docs/deploy.md.
