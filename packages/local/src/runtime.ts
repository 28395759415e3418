import { randomBytes } from "node:crypto";
import { spawn, type ChildProcess } from "node:child_process";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { assertPortFree, freePort, startDynamoLocal, type DynamoLocal } from "./dynamo-local.ts";
import { dataDirFrom, repoRoot, webDist } from "./paths.ts";
import type { LocalWorkflowRunner } from "./workflows.ts";

export interface LocalOptions {
  port?: number;
  memory?: boolean;
  dataDir?: string;
  seed?: boolean;
  /**
   * Leave out these demo seeders (by name, see `seed/index.ts`), e.g. the four country operations' data for a test
   * that signs in only as Mexico's users.
   */
  skipSeeders?: string[];
  /**
   * Open the server once the foundation (offices, users) is seeded and load the rest of the demo data
   * behind it (`npm start`), instead of waiting for all of it (tests).
   */
  seedInBackground?: boolean;
  /** Tell the CLI where an in-memory instance is (`npm start -- --memory`; see `memoryPointer`). */
  announce?: boolean;
  /** Build the web app when web/dist is missing. */
  buildWeb?: boolean;
  onProgress?: (msg: string) => void;
  /**
   * A DynamoDB Local that is already running (its endpoint) and a table name of this stack's own in it, instead of a
   * Java process of its own: the browser test files share one (tests/e2e/global-setup.ts), each with its own table,
   * which is created here and deleted at stop. Only with `memory`.
   */
  sharedDynamo?: { endpoint: string; table: string };
}

export interface LocalStack {
  url: string;
  dataDir: string;
  /** The stack's DynamoDB Local: its own Java process (`child`), or a shared one (`sharedDynamo`: no child). */
  dynamo: { endpoint: string; child?: ChildProcess };
  /** True when this start seeded demo data (all of it, or the foundation with the rest in the background). */
  seeded: boolean;
  /** Settles when background seeding is over (at once when seeding was not in the background). */
  seeding: Promise<void>;
  workflows: LocalWorkflowRunner;
  stop(): Promise<void>;
}

export interface RuntimeInfo {
  url: string;
  dynamoEndpoint: string;
  pid: number;
  tableName: string;
  /** Where its data (and auth secret) live: a temporary folder for `--memory`. */
  dataDir?: string;
}

function buildWeb(say: (m: string) => void): Promise<void> {
  say("building the web app (first start only)");
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "build", "-w", "web"], {
      cwd: repoRoot,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`the web app did not build: ${err.trim().split("\n").pop() ?? code}`)),
    );
  });
}

export const runtimeFile = (dataDir: string) => join(dataDir, "runtime.json");
/**
 * `npm start -- --memory` keeps its data in a temporary folder; this file (the user's own, 0600, in the temporary
 * directory) points the CLI at it, with the instance's pid so a stale one is recognised. Removed on stop.
 */
export const memoryPointer = () => join(tmpdir(), `wp-memory-runtime-${process.getuid?.() ?? "user"}.json`);

/**
 * The data folder holds the database, documents, exports, the auth secret and runtime.json: only its owner may
 * read it. Folders become 0700 and files 0600, what exists already (an older install) included; the process
 * umask (077) makes what this process and DynamoDB Local create next the same.
 */
export function protectDataDir(dataDir: string) {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const walk = (p: string) => {
    const st = lstatSync(p);
    if (st.isSymbolicLink()) return;
    if (st.isDirectory()) {
      chmodSync(p, 0o700);
      for (const e of readdirSync(p)) walk(join(p, e));
    } else chmodSync(p, 0o600);
  };
  walk(dataDir);
  process.umask(0o077);
}

function authSecret(dataDir: string, memory: boolean): string {
  const file = join(dataDir, "auth-secret");
  // in memory mode, a fresh secret in the temporary folder (0700), so the CLI can sign tokens for this instance
  if (memory) writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

/**
 * Everything `npm start` runs, in one process: DynamoDB Local, the table, demo data, the Hono app (the same
 * object the Lambda wraps) with the built web app, and the local workflow runner. `stop()` tears it all down.
 */
export async function startLocal(opts: LocalOptions = {}): Promise<LocalStack> {
  const say = opts.onProgress ?? (() => undefined);
  const port = opts.port ?? Number(process.env.PORT ?? 3000);
  await assertPortFree(port, "web and API");
  const memory = Boolean(opts.memory);
  const shared = opts.sharedDynamo;
  if (shared && !memory) throw new Error("a shared DynamoDB Local is for in-memory stacks only");
  const dataDir = memory ? mkdtempSync(join(tmpdir(), "waypoint-")) : (opts.dataDir ?? dataDirFrom());
  if (memory) mkdirSync(dataDir, { recursive: true });
  else protectDataDir(dataDir);

  // The first start builds the web app while DynamoDB Local starts and the foundation is seeded.
  const webBuild =
    opts.buildWeb !== false && !existsSync(join(webDist, "index.html")) ? buildWeb(say) : Promise.resolve();
  webBuild.catch(() => undefined);
  say("starting DynamoDB Local");
  // Load the app's modules while Java starts: each takes seconds, on different cores (the imports below then find
  // them loaded). Nothing reads the environment set below at import time: core reads its configuration when used.
  const modules = Promise.all([
    import("@waypoint/core"),
    import("./seed/index.ts"),
    import("./workflows.ts"),
    import("./machines.ts"),
    import("@waypoint/functions"),
  ]);
  modules.catch(() => undefined);
  const dynamo: Pick<DynamoLocal, "endpoint" | "stop"> & { child?: ChildProcess } = shared
    ? { endpoint: shared.endpoint, stop: () => dropTable(shared.endpoint, shared.table) }
    : await startDynamoLocal({
        port: Number(process.env.WAYPOINT_DYNAMO_PORT ?? (await freePort())),
        dataDir: memory ? undefined : dataDir,
      });
  let server: { close: (cb?: () => void) => void; closeAllConnections?: () => void } | undefined;
  let workflows: LocalWorkflowRunner | undefined;
  let unregisterMachines: (() => void) | undefined;
  let webhookTimer: ReturnType<typeof setInterval> | undefined;
  let jobTimer: ReturnType<typeof setInterval> | undefined;
  let retentionTimer: ReturnType<typeof setInterval> | undefined;
  let stopping = false;
  const stop = async () => {
    stopping = true;
    clearInterval(webhookTimer);
    clearInterval(jobTimer);
    clearInterval(retentionTimer);
    await workflows?.stop();
    // core would otherwise keep handing new executions to this stopped runner (a stack stopped and another started
    // in the same process: tests); with no adapter, local executions are queued for the next start
    unregisterMachines?.();
    await new Promise<void>((r) => {
      if (!server) return r();
      server.close(() => r());
      // Keep-alive connections (a browser tab) would otherwise hold close() open forever.
      server.closeAllConnections?.();
    });
    await dynamo.stop();
    rmSync(runtimeFile(dataDir), { force: true });
    if (memory) {
      rmSync(dataDir, { recursive: true, force: true });
      try {
        const p = JSON.parse(readFileSync(memoryPointer(), "utf8")) as RuntimeInfo;
        if (p.dataDir === dataDir) rmSync(memoryPointer(), { force: true });
      } catch {
        // no pointer, or another instance's
      }
    }
  };
  try {
    process.env.WAYPOINT_DYNAMO_ENDPOINT = dynamo.endpoint;
    if (shared) process.env.WAYPOINT_TABLE = shared.table;
    process.env.WAYPOINT_DATA = dataDir;
    process.env.WAYPOINT_FILES = join(dataDir, "files");
    process.env.WAYPOINT_AUTH_SECRET = authSecret(dataDir, memory);
    // A local instance is a demo: its sign-in page may show the demo accounts (GET /auth/config); AWS never does.
    const { DEMO_USERS, DEMO_PASSWORD } = await import("./seed/foundation.ts");
    const { COUNTRY_USERS } = await import("./seed/countries.ts");
    process.env.WAYPOINT_DEMO = JSON.stringify({
      accounts: [...DEMO_USERS, ...COUNTRY_USERS].map((u) => u.email),
      password: DEMO_PASSWORD,
    });
    const core = await import("@waypoint/core");
    core.resetConfig();
    // Entities are built on first use (common/entity.ts); build them all now so a model ElectroDB rejects stops
    // the start instead of failing a request later.
    core.buildAllEntities();
    const { ensureTable } = await import("./bootstrap.ts");
    await ensureTable(core.dynamoClient(), core.config().tableName);

    let seeded = false;
    const { seedDemo } = await import("./seed/index.ts");
    const seedSay = (name: string) => say(`seeding demo data: ${name}`);
    if (opts.seed !== false)
      seeded = await seedDemo(seedSay, opts.seedInBackground ? 1 : undefined, opts.skipSeeders);
    // a data folder seeded before the staff directory existed: list its demo users there (booking finds interpreters)
    if (opts.seed !== false && !seeded)
      await core.Actor.provide({ type: "system", reason: "staff directory" }, async () => {
        for (const u of DEMO_USERS) {
          const found = await core.User.byEmail(u.email);
          if (found) await core.User.refreshDirectory(found);
        }
      });

    await webBuild;

    const { LocalWorkflowRunner } = await import("./workflows.ts");
    workflows = new LocalWorkflowRunner();
    const { registerLocalMachines } = await import("./machines.ts");

    const { serve } = await import("@hono/node-server");
    const { serveStatic } = await import("@hono/node-server/serve-static");
    const { Hono } = await import("hono");
    const { app } = await import("@waypoint/functions");
    const root = relative(process.cwd(), webDist) || ".";
    const { securityHeaders, webHeaders } = await import("@waypoint/functions/middleware/security-headers");
    const site = new Hono()
      .route("/", app)
      // the web app's CSP and headers, as on CloudFront (functions/src/middleware/security-headers.ts)
      .use("*", securityHeaders(webHeaders()))
      // Vite's bundles are named by their content: cached for good, so a second visit does not fetch them again;
      // a name that is not there (a chunk of an earlier build) is a 404, never the app's page in its place
      .get(
        "/assets/*",
        serveStatic({
          root,
          onFound: (_path, c) => {
            c.header("cache-control", "public, max-age=31536000, immutable");
          },
        }),
        (c) => c.text("Not found", 404),
      )
      .use("*", serveStatic({ root }))
      .get("*", serveStatic({ root, path: "index.html" }));
    // The API's own 404s must stay problem+json; only non-API paths fall through to the web app.
    const fetch = (req: Request) => {
      const p = new URL(req.url).pathname;
      return /^\/(api|v1|auth|health)(\/|$)/.test(p) ? app.fetch(req) : site.fetch(req);
    };
    await new Promise<void>((resolve, reject) => {
      const s = serve({ fetch, port, hostname: "127.0.0.1" }, () => resolve());
      s.once("error", reject);
      server = s;
    });
    const url = `http://127.0.0.1:${port}`;
    const info: RuntimeInfo = {
      url,
      dynamoEndpoint: dynamo.endpoint,
      pid: process.pid,
      tableName: core.config().tableName,
      dataDir,
    };
    writeFileSync(runtimeFile(dataDir), JSON.stringify(info, null, 2), { mode: 0o600 });
    if (memory && opts.announce) {
      rmSync(memoryPointer(), { force: true });
      writeFileSync(memoryPointer(), JSON.stringify(info, null, 2), { mode: 0o600 });
    }
    // Partner webhooks: the same outbox dispatch the AWS schedule runs, every few seconds.
    webhookTimer = setInterval(
      () => {
        core.Actor.provide({ type: "system", reason: "webhooks" }, () => core.Webhook.dispatch()).catch(
          (err: Error) => core.log.warn({ err: err.name }, "webhook dispatch failed"),
        );
      },
      Number(process.env.WAYPOINT_WEBHOOK_INTERVAL_MS ?? 5000),
    );
    webhookTimer.unref();
    // Deferred jobs (e.g. matching a partner's referral to a registered individual): the same runner the AWS
    // background schedule calls, every two seconds here, one run at a time.
    let jobsRunning = false;
    jobTimer = setInterval(
      () => {
        if (jobsRunning) return;
        jobsRunning = true;
        core.Actor.provide({ type: "system", reason: "jobs" }, () => core.Job.run())
          .catch((err: Error) => core.log.warn({ err: err.name }, "job run failed"))
          .finally(() => (jobsRunning = false));
      },
      Number(process.env.WAYPOINT_JOB_INTERVAL_MS ?? 2000),
    );
    jobTimer.unref();
    // The retention job (core/retention): what the AWS schedule runs every hour, on the same interval here
    // (WAYPOINT_RETENTION_INTERVAL_MS); an admin can also run it now from the retention screen.
    let retentionRunning = false;
    retentionTimer = setInterval(
      () => {
        if (retentionRunning) return;
        retentionRunning = true;
        core.Actor.provide({ type: "system", reason: "retention" }, () =>
          core.Retention.runScheduled({ deadline: Date.now() + 10 * 60_000 }),
        )
          .catch((err: Error) => core.log.warn({ err: err.name }, "retention run failed"))
          .finally(() => (retentionRunning = false));
      },
      Number(process.env.WAYPOINT_RETENTION_INTERVAL_MS ?? 3_600_000),
    );
    retentionTimer.unref();
    const runner = workflows;
    // Machines are attached only once seeding is over: executions the seeders start are recorded as QUEUED
    // and run here, instead of racing the seeders that are still writing the same relocations.
    const resume = async () => {
      unregisterMachines = await registerLocalMachines(runner);
      const resumed = await runner.resumeAll();
      if (resumed > 0) say(`resumed ${resumed} workflow execution(s)`);
    };
    let seeding: Promise<void>;
    if (opts.seed !== false && opts.seedInBackground) {
      // Relocation seeding queues executions; they start when the runner resumes, after seeding.
      seeding = seedDemo(seedSay, undefined, opts.skipSeeders)
        .then(async (more) => {
          seeded ||= more;
          if (more) say("demo data ready");
          await resume();
        })
        .catch((err: Error) => {
          if (!stopping)
            say(`demo data could not be loaded (${err.name}: ${err.message}); it resumes at the next start`);
        });
    } else {
      await resume();
      seeding = Promise.resolve();
    }
    return { url, dataDir, dynamo, seeded, seeding, workflows, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Deletes a stack's table from a shared DynamoDB Local (its memory goes with it); a table never made is no error. */
async function dropTable(endpoint: string, table: string): Promise<void> {
  const { DynamoDBClient, DeleteTableCommand } = await import("@aws-sdk/client-dynamodb");
  const client = new DynamoDBClient({
    endpoint,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    await client.send(new DeleteTableCommand({ TableName: table })).catch((e: Error) => {
      if (e.name !== "ResourceNotFoundException") throw e;
    });
  } finally {
    client.destroy();
  }
}
