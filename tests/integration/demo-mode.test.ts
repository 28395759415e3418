import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { resetConfig } from "@waypoint/core";
import { call, createTestOperation } from "../support/fixtures.ts";

const run = promisify(execFile);
const root = join(import.meta.dirname, "../..");
const dirs: string[] = [];
const saved = { ...process.env };

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  for (const k of ["WAYPOINT_DEMO", "SST_RESOURCE_Table", "SST_RESOURCE_AuthSecret"]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  resetConfig();
});

const DEMO = JSON.stringify({ accounts: ["admin@example.org"], password: "waypoint-demo" });

describe("nothing of the demo reaches a deployed stage", () => {
  it("the sign-in page learns the demo accounts from a local demo server only, never from an AWS stage", async () => {
    const plain = await call("GET", "/auth/config");
    expect(plain.status).toBe(200);
    expect(plain.json).toEqual({ demo: null });

    process.env.WAYPOINT_DEMO = DEMO;
    resetConfig();
    const local = await call("GET", "/auth/config");
    expect(local.json).toEqual({ demo: { accounts: ["admin@example.org"], password: "waypoint-demo" } });

    // The same variable on a deployed stage (SST-linked resources) shows nothing.
    process.env.SST_RESOURCE_Table = JSON.stringify({ name: "waypoint-prod" });
    process.env.SST_RESOURCE_AuthSecret = JSON.stringify({ value: "stage-secret" });
    resetConfig();
    const aws = await call("GET", "/auth/config");
    expect(aws.json).toEqual({ demo: null });
  });

  it("the web app's source (what every build is made of) names no demo account or password", () => {
    const hits: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(ts|tsx|css|html|json)$/.test(e.name) && !e.name.endsWith(".test.ts")) {
          const text = readFileSync(p, "utf8");
          if (/waypoint-demo|@example\.org/.test(text)) hits.push(relative(root, p));
        }
      }
    };
    walk(join(root, "web", "src"));
    expect(hits).toEqual([]);
    expect(readFileSync(join(root, "web", "index.html"), "utf8")).not.toMatch(/waypoint-demo|@example\.org/);
  });
});

describe("the CLI is for local mode only", () => {
  /** A data folder describing a running local instance: the test's own DynamoDB Local. */
  function dataDir(endpoint = process.env.WAYPOINT_DYNAMO_ENDPOINT!) {
    const d = mkdtempSync(join(tmpdir(), "wp-cli-"));
    dirs.push(d);
    writeFileSync(
      join(d, "runtime.json"),
      JSON.stringify({
        url: "http://127.0.0.1:1",
        dynamoEndpoint: endpoint,
        pid: 1,
        tableName: "waypoint-test",
      }),
    );
    writeFileSync(join(d, "auth-secret"), process.env.WAYPOINT_AUTH_SECRET!);
    return d;
  }
  const cli = (args: string[], env: Record<string, string>) =>
    run(process.execPath, ["packages/local/bin/waypoint.js", ...args], {
      cwd: root,
      env: { ...process.env, AWS_EC2_METADATA_DISABLED: "true", ...env },
      timeout: 60_000,
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }),
    );

  it("prints a token against the local instance, and refuses when AWS settings are present", async () => {
    const op = await createTestOperation();
    const email = op.users.admin.email;
    const data = dataDir();
    const ok = await cli(["token", "--email", email], { WAYPOINT_DATA: data });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.trim()).toMatch(/^ey/);

    // Inside `sst shell` (linked resources of a stage): the token would be signed with the stage's secret.
    const aws = await cli(["token", "--email", email], {
      WAYPOINT_DATA: data,
      SST_RESOURCE_Table: JSON.stringify({ name: "waypoint-prod-table" }),
      SST_RESOURCE_AuthSecret: JSON.stringify({ value: "stage-secret" }),
    });
    expect(aws.code).toBe(1);
    expect(aws.stderr).toContain("local mode only");
    expect(aws.stderr).toContain("SST_RESOURCE_Table");
    expect(aws.stdout).toBe("");

    const partner = await cli(["partner", "create", "--name", "X", "--scopes", "referrals:read"], {
      WAYPOINT_DATA: data,
      SST_STAGE: "production",
    });
    expect(partner.code).toBe(1);
    expect(partner.stderr).toContain("local mode only");
  });

  it("refuses a runtime file whose database is not on this machine", async () => {
    const op = await createTestOperation();
    const remote = dataDir("https://dynamodb.us-east-1.amazonaws.com");
    const res = await cli(["token", "--email", op.users.admin.email], { WAYPOINT_DATA: remote });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("local mode only");
    expect(res.stdout).toBe("");
  });
});

describe("the local data folder is its owner's only", () => {
  it("folders 0700 and files 0600: what was there, the database, runtime.json, auth secret, documents", async () => {
    const { mkdirSync, chmodSync } = await import("node:fs");
    const { freePort } = await import("../../packages/local/src/dynamo-local.ts");
    const { startLocal } = await import("../../packages/local/src/runtime.ts");
    const d = mkdtempSync(join(tmpdir(), "wp-data-"));
    dirs.push(d);
    // An older install, readable by everyone.
    mkdirSync(join(d, "files", "documents"), { recursive: true });
    writeFileSync(join(d, "files", "documents", "passport.pdf"), "x");
    chmodSync(d, 0o755);
    for (const p of ["files", "files/documents"]) chmodSync(join(d, p), 0o755);
    chmodSync(join(d, "files", "documents", "passport.pdf"), 0o644);

    const env = { ...process.env };
    const umask = process.umask();
    const stack = await startLocal({ dataDir: d, port: await freePort(), buildWeb: false, seed: false });
    try {
      const mode = (p: string) => statSync(join(d, p)).mode & 0o777;
      const all = (dir: string): string[] =>
        readdirSync(join(d, dir), { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? [join(dir, e.name), ...all(join(dir, e.name))] : [join(dir, e.name)],
        );
      // Something stored through the running instance: a document in the local object store.
      const { ObjectStore } = await import("@waypoint/core/export/store");
      await ObjectStore.put("documents/doc_1/letter.pdf", new TextEncoder().encode("x"), "application/pdf");
      expect(mode("")).toBe(0o700);
      const entries = all("");
      expect(entries).toEqual(
        expect.arrayContaining([
          "runtime.json",
          "auth-secret",
          "dynamodb",
          "files/documents/doc_1/letter.pdf",
        ]),
      );
      expect(entries.some((p) => p.startsWith("dynamodb/") && p.endsWith(".db"))).toBe(true);
      for (const p of entries) {
        const dir = statSync(join(d, p)).isDirectory();
        expect(mode(p), p).toBe(dir ? 0o700 : 0o600);
      }
    } finally {
      await stack.stop();
      process.umask(umask);
      for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k];
      Object.assign(process.env, env);
      resetConfig();
    }
  }, 120_000);
});
