import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { repoRoot, webDist } from "../../packages/local/src/paths.ts";

/** What web/dist is built from: the web app, the schema package it imports, the locked dependencies. */
const INPUTS = [
  "web/index.html",
  "web/package.json",
  "web/tsconfig.json",
  "web/vite.config.ts",
  "web/public",
  "web/src",
  "packages/schema",
  "package-lock.json",
];
const stampFile = join(repoRoot, "node_modules", ".cache", "waypoint-web-build.json");

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, encoding: "utf8" })
    .filter((f) => !f.split(/[\\/]/).includes("node_modules"))
    .map((f) => join(path, f))
    .filter((f) => statSync(f).isFile())
    .sort();
}

/**
 * The inputs' fingerprint (every file's path and content, and the one build setting read from the environment),
 * beside the fingerprint of the index.html the build wrote: it names the entry chunk by a hash of its content, so a
 * web/dist rebuilt since by another hand (an unminified benchmark build) no longer matches.
 */
function stamp(): { inputs: string; index: string | null } {
  const h = createHash("sha256");
  for (const f of INPUTS.flatMap((p) => files(join(repoRoot, p)))) {
    h.update(relative(repoRoot, f)).update("\0").update(readFileSync(f)).update("\0");
  }
  h.update(`VITE_NO_MINIFY=${process.env.VITE_NO_MINIFY ?? ""}`);
  const index = join(webDist, "index.html");
  return {
    inputs: h.digest("hex"),
    index: existsSync(index) ? createHash("sha256").update(readFileSync(index)).digest("hex") : null,
  };
}

function upToDate(): { fresh: boolean; inputs: string } {
  const now = stamp();
  try {
    const was = JSON.parse(readFileSync(stampFile, "utf8")) as { inputs: string; index: string };
    return { fresh: now.index !== null && was.inputs === now.inputs && was.index === now.index, ...now };
  } catch {
    return { fresh: false, ...now };
  }
}

function remember(inputs: string) {
  const { index } = stamp();
  mkdirSync(join(stampFile, ".."), { recursive: true });
  writeFileSync(stampFile, JSON.stringify({ inputs, index }));
}

// vitest runs with NODE_ENV=test, which would make Vite bundle React's development build: test what users get
const build = ["npm", ["run", "build", "-w", "web"]] as const;
const buildEnv = () => ({ ...process.env, NODE_ENV: "production" });

/**
 * Builds web/dist so the browser sees the UI as it is in the working tree, not a stale build; a web/dist built from
 * exactly these sources is kept (the integration run builds it for `npm start`'s tests, the browser run then finds
 * it built). Once per run: the e2e global setup builds and sets WAYPOINT_WEB_BUILT, and a file's own call is then a
 * no-op.
 */
export function buildWeb() {
  const inputs = staleInputs();
  if (inputs === null) return;
  execFileSync(build[0], build[1], { cwd: repoRoot, stdio: "ignore", env: buildEnv() });
  remember(inputs);
}

/** `buildWeb` without blocking the process: a global setup starts DynamoDB Local meanwhile. */
export async function buildWebAsync() {
  const inputs = staleInputs();
  if (inputs === null) return;
  await promisify(execFile)(build[0], build[1], { cwd: repoRoot, env: buildEnv(), maxBuffer: 64 << 20 });
  remember(inputs);
}

/** null when web/dist needs no build (built this run, or from these sources); else the inputs' fingerprint. */
function staleInputs(): string | null {
  if (process.env.WAYPOINT_WEB_BUILT) return null;
  const { fresh, inputs } = upToDate();
  if (fresh) return null;
  rmSync(stampFile, { force: true });
  return inputs;
}
