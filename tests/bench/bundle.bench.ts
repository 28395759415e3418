/**
 * API Lambda bundle: size and cold import time, beside a bare Hono app bundled and measured the same way.
 *
 * Both entries are bundled like SST deploys them (tests/support/lambda-bundle.ts mirrors infra/api.ts: esbuild,
 * ESM, minified, node22, `@aws-sdk/*` external because the nodejs22.x runtime provides it, code splitting, the
 * plugins of infra/esbuild-plugins.mjs). Two sizes are reported: the code a cold start loads (the entry and the
 * chunks it imports statically) and the whole deployed package (plus chunks loaded on first use by `import()`). Import time is measured in a fresh Node
 * process per run (`node --input-type=module -e`, `performance.now()` around `await import(bundle)`), runs
 * interleaved, median reported. External `@aws-sdk/*` modules are loaded from node_modules during the import,
 * so their load time is included, as on Lambda. Targets (issue 2): bundle ≤ 1 MB, import ≤ 150 ms.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import type { Metafile } from "esbuild";
import { buildLambda, eagerOutputs, root } from "../support/lambda-bundle.ts";

export const description = "API Lambda bundle size and cold import time vs a bare Hono app";

const out = join(root, "tests", "bench", "out", "bundle");
const RUNS = 7;
const KB = 1024;
const TARGET_BYTES = 1024 * KB;
const TARGET_IMPORT_MS = 150;

const BARE_HONO = `import { Hono } from "hono";
import { handle } from "hono/aws-lambda";
export const handler = handle(new Hono().get("/", (c) => c.text("ok")));
`;

interface Bundle {
  label: string;
  /** The entry file (what Lambda imports). */
  file: string;
  /** Every .js file written: the deployed package. */
  bytes: number;
  gzipBytes: number;
  /** The entry and the chunks it imports statically: what a cold start reads and evaluates. */
  eagerBytes: number;
  files: number;
  metafile: Metafile;
}

async function bundle(
  label: string,
  entry: { file: string } | { contents: string },
  opts: { splitting: boolean },
): Promise<Bundle> {
  const built = await buildLambda(label, entry, { outdir: join(out, label), splitting: opts.splitting });
  const outputs = built.metafile.outputs;
  const js = Object.keys(outputs).filter((k) => k.endsWith(".js"));
  const all = Buffer.concat(js.map((k) => readFileSync(join(root, k))));
  return {
    label,
    file: built.entry,
    bytes: all.length,
    gzipBytes: gzipSync(all).length,
    eagerBytes: [...built.eager].reduce((n, k) => n + outputs[k]!.bytes, 0),
    files: js.length,
    metafile: built.metafile,
  };
}

/** One cold import in a fresh Node process; returns milliseconds spent in `await import(file)`. */
function coldImport(file: string): number {
  const script =
    `const t0 = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); ` +
    `process.stdout.write(String(performance.now() - t0)); process.exit(0);`;
  const stdout = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: out,
    encoding: "utf8",
    // What Lambda sets; no SST_RESOURCE_* so config stays in its local branch (nothing is read at import anyway).
    env: { PATH: process.env.PATH, AWS_REGION: "us-east-1", NODE_ENV: "production" },
  });
  return Number(stdout);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** Bytes per package (node_modules/<pkg>) or workspace folder in the given outputs, largest first. */
function contributors(
  metafile: Metafile,
  which: (output: string) => boolean,
  top: number,
): [string, number][] {
  const totals = new Map<string, number>();
  for (const [name, output] of Object.entries(metafile.outputs)) {
    if (!which(name)) continue;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
      const key = m
        ? m[1]!
        : input
            .split("/")
            .slice(0, input.startsWith("packages/") ? 2 : 1)
            .join("/");
      totals.set(key, (totals.get(key) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]).slice(0, top);
}

/**
 * External packages the outputs load at a cold start ("static") or on first use ("dynamic"): ESM imports of
 * externals, plus the `@aws-sdk/*` packages the awsSdkViaRequire plugin loads with `require` (their shim
 * modules appear as `waypoint-aws-sdk:<package>` inputs).
 */
function externals(metafile: Metafile, kind: "static" | "dynamic"): string[] {
  const eager = eagerOutputs(metafile, "api-lambda");
  const set = new Set<string>();
  for (const [name, output] of Object.entries(metafile.outputs)) {
    for (const input of Object.keys(output.inputs)) {
      const m = /^waypoint-aws-sdk:(.+)$/.exec(input);
      if (m && (kind === "static") === eager.has(name)) set.add(m[1]!);
    }
    for (const imp of output.imports) {
      if (!imp.external || imp.path.startsWith("node:") || builtinModules.includes(imp.path)) continue;
      const isStatic = eager.has(name) && imp.kind === "import-statement";
      if ((kind === "static") === isStatic) set.add(imp.path);
    }
  }
  return [...set].sort();
}

export default async function run(): Promise<string> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const entry = { file: join(root, "functions", "src", "lambda.ts") };
  // As deployed (infra/api.ts: `splitting: true`), and as one file (what it was before code splitting).
  const api = await bundle("api-lambda", entry, { splitting: true });
  const oneFile = await bundle("api-lambda-one-file", entry, { splitting: false });
  const bare = await bundle("bare-hono", { contents: BARE_HONO }, { splitting: false });
  // The external AWS SDK modules a cold start loads, imported alone: how much of the import time is the SDK.
  const sdkExternals = externals(api.metafile, "static");
  const sdkFile = join(out, "sdk-only.mjs");
  // Loaded the way the bundle loads them (require, see infra/esbuild-plugins.mjs).
  writeFileSync(
    sdkFile,
    `import { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);\n` +
      sdkExternals.map((m) => `require(${JSON.stringify(m)});`).join("\n") +
      "\n",
  );

  // Warm the OS file cache once for each, so run 1 is not an outlier.
  for (const f of [bare.file, api.file, oneFile.file, sdkFile]) coldImport(f);
  const times = { api: [] as number[], oneFile: [] as number[], bare: [] as number[], sdk: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    times.bare.push(coldImport(bare.file));
    times.api.push(coldImport(api.file));
    times.oneFile.push(coldImport(oneFile.file));
    times.sdk.push(coldImport(sdkFile));
  }
  const apiMs = median(times.api);
  const bareMs = median(times.bare);

  const verdict = (ok: boolean) => (ok ? "✅" : "❌");
  const range = (t: number[]) => `${ms(Math.min(...t))}–${ms(Math.max(...t))}`;
  const row = (b: Bundle, t: number[], note: string) =>
    `| ${b.label} | ${kb(b.eagerBytes)} | ${kb(b.bytes)} (${b.files} file${b.files > 1 ? "s" : ""}) | ${kb(b.gzipBytes)} | ${ms(median(t))} | ${range(t)} | ${note} |`;
  const eager = eagerOutputs(api.metafile, api.label);
  const lines = [
    `Entry \`${relative(root, entry.file)}\`; esbuild ${(await import("esbuild")).version}, minified ESM, target node22, ` +
      `\`@aws-sdk/*\` external, plugins of \`infra/esbuild-plugins.mjs\`; import = median of ${RUNS} fresh \`node\` processes.`,
    "",
    "| bundle | loaded at cold start | deployed (all files) | gzip (all) | cold import (median) | min–max | |",
    "|---|---:|---:|---:|---:|---:|---|",
    row(api, times.api, "as deployed (`splitting: true`)"),
    row(oneFile, times.oneFile, "same code as one file"),
    row(bare, times.bare, "baseline"),
    `| external \`@aws-sdk/*\` loaded at cold start, alone | (not in bundle) | | | ${ms(median(times.sdk))} | ${range(times.sdk)} | included in the API import time |`,
    "",
    `- ratio API / bare Hono: loaded at cold start ×${(api.eagerBytes / bare.bytes).toFixed(1)}, import ×${(apiMs / bareMs).toFixed(1)}`,
    `- target bundle ≤ 1 MB, read as the code a cold start loads: ${kb(api.eagerBytes)} ${verdict(api.eagerBytes <= TARGET_BYTES)}` +
      `; the deployed package (all chunks, incl. those loaded on first use) is ${kb(api.bytes)} ${verdict(api.bytes <= TARGET_BYTES)}`,
    `- target import ≤ ${TARGET_IMPORT_MS} ms: ${ms(apiMs)} ${verdict(apiMs <= TARGET_IMPORT_MS)}`,
    `- external packages loaded at cold start (from the runtime on Lambda, node_modules here): ${sdkExternals.join(", ") || "none"}; on first use only: ${externals(api.metafile, "dynamic").join(", ") || "none"}`,
    `- largest contributors loaded at cold start: ${contributors(api.metafile, (o) => eager.has(o), 10)
      .map(([name, bytes]) => `${name} ${kb(bytes)}`)
      .join(", ")}`,
    `- largest contributors loaded on first use: ${contributors(api.metafile, (o) => !eager.has(o), 6)
      .map(([name, bytes]) => `${name} ${kb(bytes)}`)
      .join(", ")}`,
  ];
  return lines.join("\n");
}
