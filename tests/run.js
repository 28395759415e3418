#!/usr/bin/env node
/**
 * `npm test`: the type-check runs beside the integration tests (their two workers often wait on DynamoDB Local,
 * and tsc fills those gaps), then the browser tests. Fails if any of them fails; the type-check's output is
 * printed once it is done, not interleaved with the tests'.
 */
import { spawn } from "node:child_process";

const run = (cmd, args, { quiet = false } = {}) =>
  new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit" });
    let out = "";
    child.stdout?.on("data", (d) => (out += d));
    child.stderr?.on("data", (d) => (out += d));
    child.once("exit", (code, signal) => resolve({ ok: code === 0, out, code: code ?? signal }));
  });

const npx = process.platform === "win32" ? "npx.cmd" : "npx";
const started = Date.now();
const typecheck = (async () => {
  const server = await run(npx, ["tsc", "-p", "tsconfig.json"], { quiet: true });
  const web = await run(npx, ["tsc", "-p", "web/tsconfig.json"], { quiet: true });
  return {
    ok: server.ok && web.ok,
    out: server.out + web.out,
    seconds: Math.round((Date.now() - started) / 1000),
  };
})();
const integration = await run(npx, ["vitest", "run", "--project", "integration"]);
const types = await typecheck;
console.log(
  types.ok
    ? `\ntype-check passed (${types.seconds} s, beside the integration tests)`
    : "\ntype-check failed:",
);
if (!types.ok) console.log(types.out);
if (!integration.ok || !types.ok) process.exit(1);
const e2e = await run(npx, ["vitest", "run", "--project", "e2e"]);
process.exit(e2e.ok ? 0 : 1);
