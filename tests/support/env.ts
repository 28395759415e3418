import { afterAll, inject, vi } from "vitest";

// Runs in every test worker before each test file imports core: point core at the run's DynamoDB Local.
process.env.WAYPOINT_DYNAMO_ENDPOINT = inject("dynamoEndpoint");
process.env.WAYPOINT_TABLE = "waypoint-test";
process.env.WAYPOINT_AUTH_SECRET = "test-secret-0123456789abcdef0123456789abcdef";
process.env.WAYPOINT_FILES ??= `${process.env.TMPDIR ?? "/tmp"}/waypoint-test-files`;
// A DynamoDB Local that a test starts (npm start's own: local-runtime, cli-admin, demo-mode) lives a few minutes at
// most, mostly seeding demo data: Java's quick compiler alone and the serial collector cost far less CPU there than the
// defaults (the Mexico demo's seeding: 54 instead of 88 CPU-s of Java) on CI's two cores, shared with the tests.
process.env.JAVA_TOOL_OPTIONS ??= "-XX:+UseSerialGC -XX:TieredStopAtLevel=1";
// Fixture accounts are hashed at a test cost (user/hash.ts; local mode only): tests create hundreds of accounts.
process.env.WAYPOINT_PASSWORD_COST ??= "test";

/**
 * Test files share a worker process one after another (`isolate: false` in vitest.config.ts: importing core and the
 * AWS SDK once per worker instead of once per file). What a file changes in the environment (a provider's address,
 * a rotated secret, fake clocks, a workflow runner) must not reach the next file: after each file the environment is
 * put back as it was here, clocks are real again, core reads its configuration afresh and forgets any runner.
 */
const env = { ...process.env };
afterAll(async () => {
  for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k];
  Object.assign(process.env, env);
  vi.useRealTimers();
  const core = await import("@waypoint/core");
  core.resetConfig();
  core.resetEntities();
  // a local runner a file registered (startLocal, registerLocalMachines) must not take the next file's executions
  core.Workflows.useAdapter(undefined);
});
