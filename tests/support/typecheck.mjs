#!/usr/bin/env node
/**
 * `npm run typecheck`: the server side (root tsconfig) and the web app (web/tsconfig) checked at the same time.
 * Each tsc is single-threaded and CI has two cores, so running them side by side takes the time of the longer one
 * instead of the sum. Each one's output is printed whole, in a fixed order, after it ends; the exit code is the
 * first failure's.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const projects = ["tsconfig.json", "web/tsconfig.json"];

const runs = projects.map(
  (project) =>
    new Promise((resolve) => {
      const started = Date.now();
      const child = spawn(process.execPath, [tsc, "-p", project], { stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (b) => (output += b));
      child.stderr.on("data", (b) => (output += b));
      child.on("error", (err) => resolve({ project, code: 1, output: `${output}${err.message}\n`, started }));
      child.on("close", (code, signal) =>
        resolve({ project, code: code ?? (signal ? 1 : 0), output, seconds: (Date.now() - started) / 1000 }),
      );
    }),
);

let exit = 0;
for (const { project, code, output, seconds } of await Promise.all(runs)) {
  if (output) process.stdout.write(output);
  const took = seconds === undefined ? "" : ` in ${seconds.toFixed(1)} s`;
  console.log(`typecheck: ${project} ${code === 0 ? "passed" : `failed (exit ${code})`}${took}`);
  if (code !== 0 && exit === 0) exit = code;
}
process.exit(exit);
