import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// The AWS SDK warns on Node 20 at every import; the project supports Node 20 on purpose (see README).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

/**
 * The longest files start first, so that none of them runs alone at the end while the other worker is idle. Vitest
 * starts the files that took longest last time first, but on a fresh machine (CI) it knows no durations and starts
 * the largest files first: the screen crawl (about half of the browser run's time on 2 cores) was sixth, and its last
 * minutes ran alone; the infra type-check, the smallest integration file (60–100 s: SST's platform is installed on a
 * fresh clone), was the last, and npm start's and the CLI's tests (each a few minutes of starts and seeding) ran in
 * the middle of the run.
 */
const LONG_FIRST = [
  "tests/e2e/crawl.test.ts",
  "tests/integration/local-runtime.test.ts",
  "tests/infra/infra.test.ts",
  "tests/integration/cli-admin.test.ts",
  "tests/integration/registry.test.ts",
  "tests/integration/partner-fuzz.test.ts",
  "tests/integration/country-seed.test.ts",
];
class LongFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]) {
    const rank = (f: TestSpecification) => {
      const i = LONG_FIRST.findIndex((p) => f.moduleId.replaceAll("\\", "/").endsWith(`/${p}`));
      return i < 0 ? LONG_FIRST.length : i;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    sequence: { sequencer: LongFirst },
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
          // Files run one after another in each of the two worker processes instead of a fresh process per file:
          // core and the AWS SDK are imported twice per run, not 116 times (343 s of 820 s before). Files isolate
          // themselves by their own data (operations, offices, users) on the one table; tests/support/env.ts puts
          // the environment back after each file.
          isolate: false,
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
          // web/dist is built once here, and one DynamoDB Local started for the run; each file starts its own stack
          // (own table in that DynamoDB Local, own port), so two files run side by side: most of a browser test is
          // waiting on a server or a screen, not computing.
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
