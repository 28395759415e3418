/**
 * Builds the API Lambda the way SST deploys it (infra/api.ts: esbuild, ESM, minified, node22, `@aws-sdk/*`
 * external, `splitting: true`, the plugins of infra/esbuild-plugins.mjs, a `require` banner for the CommonJS
 * dependencies). Used by tests/integration/lambda-bundle.test.ts (the built artefact works) and by
 * tests/bench/bundle.bench.ts (its size and cold import time), so both look at the same thing.
 */
import { join } from "node:path";
import { build, type Metafile } from "esbuild";
import lambdaPlugins from "../../infra/esbuild-plugins.mjs";

export const root = join(import.meta.dirname, "..", "..");

// ESM output of CommonJS dependencies needs a real `require` (SST adds the same banner to ESM functions).
const banner = `import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);`;

export interface LambdaBuild {
  /** Absolute path of the entry file (what Lambda imports). */
  entry: string;
  metafile: Metafile;
  /** Output paths (relative to the repo root, as in the metafile) a cold start loads: the entry and its static imports. */
  eager: Set<string>;
}

/**
 * The entry output and every chunk it imports statically (transitively). Chunks of `import()` targets also
 * carry an `entryPoint` in the metafile, so the entry is found by its file name.
 */
export function eagerOutputs(metafile: Metafile, label: string): Set<string> {
  const outputs = metafile.outputs;
  const seen = new Set<string>();
  const stack = Object.keys(outputs).filter((k) => k.endsWith(`/${label}.js`));
  while (stack.length) {
    const k = stack.pop()!;
    if (seen.has(k)) continue;
    seen.add(k);
    for (const imp of outputs[k]!.imports)
      if (imp.kind === "import-statement" && !imp.external) stack.push(imp.path);
  }
  return seen;
}

export async function buildLambda(
  label: string,
  entry: { file: string } | { contents: string },
  /**
   * `plain`: built like the other functions of infra/ (no build-time plugins, no `require` banner), e.g. the
   * scheduled webhook Lambda of infra/webhooks.ts.
   */
  opts: { outdir: string; splitting: boolean; plain?: boolean },
): Promise<LambdaBuild> {
  const result = await build({
    ...("file" in entry
      ? { entryPoints: { [label]: entry.file } }
      : {
          stdin: {
            contents: entry.contents,
            resolveDir: join(root, "functions"),
            loader: "ts",
            sourcefile: `${label}.ts`,
          },
        }),
    absWorkingDir: root,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    minify: true,
    splitting: opts.splitting,
    external: ["@aws-sdk/*"],
    ...(opts.plain ? {} : { plugins: lambdaPlugins, banner: { js: banner } }),
    ...("file" in entry ? { outdir: opts.outdir } : { outfile: join(opts.outdir, `${label}.js`) }),
    metafile: true,
    logLevel: "warning",
  });
  const entryOut = Object.keys(result.metafile.outputs).find((k) => k.endsWith(`/${label}.js`))!;
  return {
    entry: join(root, entryOut),
    metafile: result.metafile,
    eager: eagerOutputs(result.metafile, label),
  };
}

/** Input files (node_modules paths or workspace paths) that end up in the given outputs. */
export function inputsOf(metafile: Metafile, outputs: (name: string) => boolean): string[] {
  return Object.entries(metafile.outputs)
    .filter(([name]) => outputs(name))
    .flatMap(([, o]) => Object.keys(o.inputs));
}
