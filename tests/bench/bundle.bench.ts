/**
 * API Lambda bundle: size and cold import time, beside a bare Hono app bundled and measured the same way.
 *
 * Both entries are bundled like SST deploys them (esbuild, platform node, ESM, minified, target node22,
 * `@aws-sdk/*` external because the nodejs22.x runtime provides it). Import time is measured in a fresh Node
 * process per run (`node --input-type=module -e`, `performance.now()` around `await import(bundle)`), runs
 * interleaved, median reported. External `@aws-sdk/*` modules are loaded from node_modules during the import,
 * so their load time is included, as on Lambda. Targets (issue 2): bundle ≤ 1 MB, import ≤ 150 ms.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";

export const description = "API Lambda bundle size and cold import time vs a bare Hono app";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const out = join(root, "tests", "bench", "out", "bundle");
const RUNS = 7;
const KB = 1024;
const TARGET_BYTES = 1024 * KB;
const TARGET_IMPORT_MS = 150;

// ESM output of CommonJS dependencies needs a real `require` (SST adds the same banner to ESM functions).
const banner = `import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);`;

const BARE_HONO = `import { Hono } from "hono";
import { handle } from "hono/aws-lambda";
export const handler = handle(new Hono().get("/", (c) => c.text("ok")));
`;

interface Bundle {
  label: string;
  file: string;
  bytes: number;
  gzipBytes: number;
  metafile: Metafile;
}

async function bundle(label: string, entry: { file: string } | { contents: string }): Promise<Bundle> {
  const file = join(out, `${label}.mjs`);
  const result = await build({
    ...("file" in entry
      ? { entryPoints: [entry.file] }
      : {
          stdin: {
            contents: entry.contents,
            resolveDir: join(root, "functions"),
            loader: "ts",
            sourcefile: `${label}.ts`,
          },
        }),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    minify: true,
    external: ["@aws-sdk/*"],
    banner: { js: banner },
    outfile: file,
    metafile: true,
    logLevel: "warning",
  });
  const code = readFileSync(file);
  return { label, file, bytes: code.length, gzipBytes: gzipSync(code).length, metafile: result.metafile };
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

/** Bytes in the output per package (node_modules/<pkg>) or workspace folder, largest first. */
function contributors(metafile: Metafile, top: number): [string, number][] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
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

/** External modules the bundle imports at load time (provided by the Lambda runtime). */
function externals(metafile: Metafile): string[] {
  const set = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const imp of output.imports) {
      if (imp.external && !imp.path.startsWith("node:") && !builtinModules.includes(imp.path))
        set.add(imp.path);
    }
  }
  return [...set].sort();
}

export default async function run(): Promise<string> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const api = await bundle("api-lambda", { file: join(root, "functions", "src", "lambda.ts") });
  const bare = await bundle("bare-hono", { contents: BARE_HONO });
  // The external AWS SDK modules the API bundle loads, imported alone: how much of its import time is the SDK.
  const sdkExternals = externals(api.metafile);
  const sdkFile = join(out, "sdk-only.mjs");
  writeFileSync(sdkFile, sdkExternals.map((m) => `import ${JSON.stringify(m)};`).join("\n") + "\n");

  coldImport(bare.file); // warm the OS file cache once for both, so run 1 is not an outlier
  coldImport(api.file);
  const times = { api: [] as number[], bare: [] as number[], sdk: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    times.bare.push(coldImport(bare.file));
    times.api.push(coldImport(api.file));
    times.sdk.push(coldImport(sdkFile));
  }
  const apiMs = median(times.api);
  const bareMs = median(times.bare);

  const verdict = (ok: boolean) => (ok ? "✅" : "❌");
  const row = (b: Bundle, t: number[]) =>
    `| ${b.label} | ${kb(b.bytes)} | ${kb(b.gzipBytes)} | ${ms(median(t))} | ${ms(Math.min(...t))}–${ms(Math.max(...t))} |`;
  const lines = [
    `Entry \`${relative(root, join(root, "functions/src/lambda.ts"))}\`; esbuild ${(await import("esbuild")).version}, ` +
      `minified ESM, target node22, \`@aws-sdk/*\` external; import = median of ${RUNS} fresh \`node\` processes.`,
    "",
    "| bundle | size | gzip | cold import (median) | min–max |",
    "|---|---:|---:|---:|---:|",
    row(api, times.api),
    row(bare, times.bare),
    "| external `@aws-sdk/*` alone | (not in bundle) | | " +
      `${ms(median(times.sdk))} | ` +
      `${ms(Math.min(...times.sdk))}–${ms(Math.max(...times.sdk))} |`,
    "",
    `- ratio API / bare Hono: size ×${(api.bytes / bare.bytes).toFixed(1)}, import ×${(apiMs / bareMs).toFixed(1)}`,
    `- target bundle ≤ 1 MB (1024 KB): ${kb(api.bytes)} ${verdict(api.bytes <= TARGET_BYTES)}`,
    `- target import ≤ ${TARGET_IMPORT_MS} ms: ${ms(apiMs)} ${verdict(apiMs <= TARGET_IMPORT_MS)}`,
    `- external packages loaded at import (from the runtime on Lambda, node_modules here): ${sdkExternals.join(", ") || "none"}`,
    `- largest contributors to the API bundle: ${contributors(api.metafile, 8)
      .map(([name, bytes]) => `${name} ${kb(bytes)}`)
      .join(", ")}`,
  ];
  return lines.join("\n");
}
