/**
 * CI's check of the AWS deployment: sst.config.ts and infra/ must type-check against SST's generated component
 * types, offline. The first run installs SST's platform (about 35 s); later runs only run tsc (about 7 s).
 */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

describe("AWS deployment (sst.config.ts + infra/)", () => {
  it("type-checks offline", { timeout: 180_000 }, () => {
    const result = spawnSync(process.execPath, [join(root, "tests", "infra", "typecheck-infra.js")], {
      cwd: root,
      encoding: "utf8",
      timeout: 175_000,
    });
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.error, output).toBeUndefined();
    expect(result.status, output).toBe(0);
  });
});
