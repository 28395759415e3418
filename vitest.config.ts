import { defineConfig } from "vitest/config";

// The AWS SDK warns on Node 20 at every import; the project supports Node 20 on purpose (see README).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "integration",
          include: [
            "tests/integration/**/*.test.ts",
            "tests/infra/**/*.test.ts",
            "packages/*/src/**/*.test.ts",
            "web/src/**/*.test.ts",
          ],
          globalSetup: ["tests/support/global-setup.ts"],
          setupFiles: ["tests/support/env.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: "forks",
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          // The browser waits on a real server; on a loaded 2-core machine a save can take seconds.
          expect: { poll: { timeout: 20_000, interval: 100 } },
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // web/dist is built once here; each file starts its own stack (own DynamoDB Local, own port), so two
          // files run side by side: most of a browser test is waiting on a server or a screen, not computing.
          globalSetup: ["tests/e2e/global-setup.ts"],
          pool: "forks",
          fileParallelism: true,
          maxWorkers: 2,
          // the crawl runs a few role × language sessions at once in one browser (its tests are concurrent)
          maxConcurrency: 3,
        },
      },
    ],
  },
});
