#!/usr/bin/env node
/**
 * Offline type-check of the AWS deployment (sst.config.ts + infra/), as CI runs it: `npm run typecheck:infra`.
 *
 * SST's component types live in `.sst/platform`, which `sst install` generates. Every `sst` command normally
 * downloads Pulumi and bun first; with the variables below it fills `.sst/platform` from npm only (about 35 s,
 * 300 MB, once), then `tsc -p infra/tsconfig.json` checks the config against those types. No AWS account and
 * no credentials are needed. `.sst/` is git-ignored and outside the root tsconfig.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const platform = join(root, ".sst", "platform");

function run(label, command, args, env = {}) {
  const started = Date.now();
  console.log(`typecheck-infra: ${label}`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, ...env },
  });
  if (result.error) {
    console.error(`typecheck-infra: ${label} could not start: ${result.error.message}`);
    process.exit(1);
  }
  if (result.status !== 0) {
    console.error(`typecheck-infra: ${label} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
  console.log(`typecheck-infra: ${label} ok in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Installed and matching the pinned sst version (a bumped sst regenerates the platform). */
function platformReady() {
  if (!existsSync(join(platform, "config.d.ts"))) return false;
  if (!existsSync(join(platform, "node_modules", "@pulumi", "aws"))) return false;
  try {
    const pinned = JSON.parse(
      readFileSync(join(root, "node_modules", "sst", "package.json"), "utf8"),
    ).version;
    return readFileSync(join(platform, "version"), "utf8").trim() === pinned;
  } catch {
    return false;
  }
}

if (!platformReady()) {
  run(
    "sst install (offline: providers from npm, no Pulumi/bun download)",
    "npx",
    ["--no-install", "sst", "install"],
    {
      SST_SKIP_DEPENDENCY_CHECK: "true",
      SST_NO_BUN: "1",
      SST_TELEMETRY_DISABLED: "1",
      SST_STAGE: "ci",
    },
  );
  if (!existsSync(join(platform, "config.d.ts"))) {
    console.error("typecheck-infra: sst install finished but .sst/platform/config.d.ts is missing");
    process.exit(1);
  }
}

const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
run("tsc -p infra/tsconfig.json", process.execPath, [tsc, "-p", join(root, "infra", "tsconfig.json")]);
