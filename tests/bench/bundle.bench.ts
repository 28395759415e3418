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
 *
 * The entry imports only the shell; each domain (functions/src/domains.ts) loads on its first request. So the
 * bench also measures, per domain, a cold start to the first response (import + one request that needs no
 * database), beside the same build with every domain loaded at cold start.
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

/**
 * A cold start answering its first request: a fresh Node process imports the entry and invokes the handler with
 * one Function URL event. Returns [import ms, import + first response ms]. The probe requests need no database
 * (a staff or partner route without credentials is a 401 from the auth middleware, after the domain is loaded;
 * sign-in with an empty body is a 422), so the time is code loading and Hono, not I/O.
 */
function coldFirstResponse(file: string, method: string, path: string, body?: string): [number, number] {
  const event = {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: "",
    headers: { host: "x.lambda-url.eu-west-1.on.aws", "content-type": "application/json" },
    requestContext: {
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "203.0.113.9" },
      stage: "$default",
    },
    body,
    isBase64Encoded: false,
  };
  const script =
    `const t0 = performance.now(); const m = await import(${JSON.stringify(pathToFileURL(file).href)}); ` +
    `const t1 = performance.now(); const r = await m.handler(${JSON.stringify(event)}, {}); const t2 = performance.now(); ` +
    `process.stdout.write(JSON.stringify([t1 - t0, t2 - t0, r.statusCode])); process.exit(0);`;
  const stdout = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: out,
    encoding: "utf8",
    env: {
      PATH: process.env.PATH,
      AWS_REGION: "us-east-1",
      NODE_ENV: "production",
      WAYPOINT_LOG_LEVEL: "silent",
    },
  });
  const [imp, first, status] = JSON.parse(stdout) as [number, number, number];
  if (status >= 500) throw new Error(`${method} ${path}: ${status}`);
  return [imp, first];
}

/** One request per domain of functions/src/domains.ts (and the full-app fallback), none touching the table. */
const PROBES: { domain: string; method: string; path: string; body?: string; expect: string }[] = [
  { domain: "session", method: "POST", path: "/auth/login", body: "{}", expect: "422" },
  { domain: "registry", method: "GET", path: "/api/individuals", expect: "401" },
  { domain: "cases", method: "GET", path: "/api/cases", expect: "401" },
  { domain: "referrals", method: "GET", path: "/api/referrals", expect: "401" },
  { domain: "resettlement", method: "GET", path: "/api/resettlement", expect: "401" },
  { domain: "hosting", method: "GET", path: "/api/hosts", expect: "401" },
  { domain: "reintegration", method: "GET", path: "/api/returns", expect: "401" },
  { domain: "relocation", method: "GET", path: "/api/relocations", expect: "401" },
  { domain: "intake", method: "GET", path: "/api/kobo-forms", expect: "401" },
  { domain: "audit", method: "GET", path: "/api/audit", expect: "401" },
  { domain: "reports", method: "GET", path: "/api/dashboard", expect: "401" },
  { domain: "payments", method: "GET", path: "/api/payments", expect: "401" },
  { domain: "partner", method: "POST", path: "/v1/referrals", body: "{}", expect: "401" },
  { domain: "partner-intake", method: "POST", path: "/v1/intake/kobo/form1", body: "{}", expect: "401" },
  { domain: "(full app: OpenAPI document)", method: "GET", path: "/api/openapi.json", expect: "200" },
];

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
  // The same app with every domain imported at cold start (how the entry worked before domains.ts).
  const allDomainsEntry = join(out, "all-domains-entry.ts");
  writeFileSync(
    allDomainsEntry,
    `import { handle } from "hono/aws-lambda";\n` +
      `import { app } from ${JSON.stringify(join(root, "functions", "src", "app.ts"))};\n` +
      `export const handler = handle(app);\n`,
  );
  const allDomains = await bundle("api-lambda-all-domains", { file: allDomainsEntry }, { splitting: true });
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
  for (const f of [bare.file, api.file, oneFile.file, allDomains.file, sdkFile]) coldImport(f);
  const times = {
    api: [] as number[],
    oneFile: [] as number[],
    allDomains: [] as number[],
    bare: [] as number[],
    sdk: [] as number[],
  };
  for (let i = 0; i < RUNS; i++) {
    times.bare.push(coldImport(bare.file));
    times.api.push(coldImport(api.file));
    times.oneFile.push(coldImport(oneFile.file));
    times.allDomains.push(coldImport(allDomains.file));
    times.sdk.push(coldImport(sdkFile));
  }
  // Cold start to first response, per domain, for the deployed entry and for the all-domains baseline.
  const first = PROBES.map((p) => ({ ...p, split: [] as number[], all: [] as number[] }));
  for (let i = 0; i < RUNS; i++)
    for (const p of first) {
      p.split.push(coldFirstResponse(api.file, p.method, p.path, p.body)[1]);
      p.all.push(coldFirstResponse(allDomains.file, p.method, p.path, p.body)[1]);
    }
  const domainsOnly = first.filter((p) => !p.domain.startsWith("("));
  const worst = domainsOnly.reduce((a, b) => (median(b.split) > median(a.split) ? b : a));
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
    row(allDomains, times.allDomains, "every domain imported at cold start (the entry before domains.ts)"),
    row(oneFile, times.oneFile, "same code as one file, no splitting"),
    row(bare, times.bare, "baseline"),
    `| external \`@aws-sdk/*\` loaded at cold start, alone | (not in bundle) | | | ${ms(median(times.sdk))} | ${range(times.sdk)} | included in the API import time |`,
    "",
    "",
    `Cold start to first response (import + one request that needs no database; median of ${RUNS} fresh processes):`,
    "",
    "| domain | request | answer | as deployed | every domain at cold start | ratio |",
    "|---|---|---:|---:|---:|---:|",
    ...first.map(
      (p) =>
        `| ${p.domain} | \`${p.method} ${p.path}\` | ${p.expect} | ${ms(median(p.split))} | ${ms(median(p.all))} | ×${(median(p.split) / median(p.all)).toFixed(2)} |`,
    ),
    "",
    `- ratio API / bare Hono: loaded at cold start ×${(api.eagerBytes / bare.bytes).toFixed(1)}, import ×${(apiMs / bareMs).toFixed(1)}`,
    `- target bundle ≤ 1 MB, read as the code a cold start loads: ${kb(api.eagerBytes)} ${verdict(api.eagerBytes <= TARGET_BYTES)}` +
      `; the deployed package (all chunks, incl. those loaded on first use) is ${kb(api.bytes)} ${verdict(api.bytes <= TARGET_BYTES)}`,
    `- target import ≤ ${TARGET_IMPORT_MS} ms: ${ms(apiMs)} ${verdict(apiMs <= TARGET_IMPORT_MS)}; ` +
      `slowest domain, cold start to first response: ${worst.domain} ${ms(median(worst.split))} ${verdict(median(worst.split) <= TARGET_IMPORT_MS)}` +
      ` (every domain at cold start: import ${ms(median(times.allDomains))})`,
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
