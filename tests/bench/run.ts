/**
 * Benchmark runner: `npm run bench` runs every `tests/bench/<name>.bench.ts`; `npm run bench -- <name> [...]`
 * runs the named ones; `--record` also appends the results to tests/bench/RESULTS.md.
 *
 * Contract for a benchmark module: `export default async function (): Promise<string>` returning a Markdown
 * snippet (figures, targets, verdicts). It may throw; the runner reports the failure and exits non-zero.
 * Optional `export const description = "…"` is shown by `npm run bench -- --list`.
 */
import { appendFileSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

interface BenchModule {
  default: () => Promise<string>;
  description?: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const record = args.includes("--record");
const list = args.includes("--list");
const wanted = args.filter((a) => !a.startsWith("--"));

const available = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.slice(0, -".bench.ts".length))
  .sort();

if (list) {
  for (const name of available) {
    const mod = (await import(pathToFileURL(join(here, `${name}.bench.ts`)).href)) as BenchModule;
    console.log(`${name}${mod.description ? `: ${mod.description}` : ""}`);
  }
  process.exit(0);
}

const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; available: ${available.join(", ") || "none"}`);
  process.exit(2);
}
const selected = wanted.length > 0 ? wanted : available;

const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"}), ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, ${process.platform}/${process.arch}`;
let failed = false;

for (const name of selected) {
  const command = `npm run bench -- ${name}`;
  const date = new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC";
  console.error(`bench: running ${name}…`);
  const started = performance.now();
  let body: string;
  let ok = true;
  try {
    const mod = (await import(pathToFileURL(join(here, `${name}.bench.ts`)).href)) as BenchModule;
    if (typeof mod.default !== "function") throw new Error(`${name}.bench.ts has no default export function`);
    body = (await mod.default()).trim();
  } catch (error) {
    ok = false;
    failed = true;
    body = `**FAILED**: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const section = [
    `## ${name}: ${date}`,
    "",
    `- command: \`${command}\` (took ${seconds} s)`,
    `- machine: ${machine}`,
    "",
    body,
    "",
  ].join("\n");
  console.log(section);
  if (record && ok) appendFileSync(join(here, "RESULTS.md"), `\n${section}`);
}

if (record) {
  // Keep RESULTS.md as Prettier would write it (tables padded), so `npm run format:check` stays green.
  const prettier = await import("prettier");
  const file = join(here, "RESULTS.md");
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(readFileSync(file, "utf8"), { ...options, filepath: file }));
  console.error(`bench: recorded in ${file}`);
}

process.exit(failed ? 1 : 0);
