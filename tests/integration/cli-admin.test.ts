import { afterEach, describe, expect, it } from "vitest";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { Actor, Auth, Operation, User, resetConfig, resetEntities } from "@waypoint/core";
import { open, SealKeys, seal } from "@waypoint/core/common/seal";
import { resetDynamo } from "@waypoint/core/dynamo";
import { UserEntity } from "@waypoint/core/user/user.entity";
import { ensureTable } from "../../packages/local/src/bootstrap.ts";
import { freePort } from "../../packages/local/src/dynamo-local.ts";

const run = promisify(execFile);
const root = join(import.meta.dirname, "../..");
const started: ChildProcess[] = [];
afterEach(() => {
  for (const c of started.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
});

/** The environment of an operator's shell: none of the test's SST or table settings. */
function shell(env: Record<string, string | undefined>) {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env }))
    if (
      v !== undefined &&
      !k.startsWith("SST_") &&
      k !== "WAYPOINT_TABLE" &&
      !(k in env && env[k] === undefined)
    )
      clean[k] = v;
  return clean;
}

/** `npx waypoint …` as an operator runs it. */
function waypoint(args: string[], env: Record<string, string | undefined> = {}) {
  const clean = shell(env);
  return run(process.execPath, ["packages/local/bin/waypoint.js", ...args], { cwd: root, env: clean }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );
}

/** Runs `fn` with core pointed at another table of the same DynamoDB Local. */
async function onTable<R>(table: string, fn: () => Promise<R>): Promise<R> {
  const before = process.env.WAYPOINT_TABLE;
  process.env.WAYPOINT_TABLE = table;
  resetConfig();
  resetDynamo();
  resetEntities();
  try {
    return await fn();
  } finally {
    process.env.WAYPOINT_TABLE = before;
    resetConfig();
    resetDynamo();
    resetEntities();
  }
}

describe("npx waypoint admin create (first admin of a deployed stage)", () => {
  it("finds the stage's table, opens the first operation, creates the admin with a temporary password to change, and refuses a second time", async () => {
    const endpoint = process.env.WAYPOINT_DYNAMO_ENDPOINT!;
    const stage = `s${Date.now().toString(36)}`;
    const table = `waypoint-${stage}-TableTable-abc1234`;
    const client = new DynamoDBClient({
      endpoint,
      region: "local",
      credentials: { accessKeyId: "x", secretAccessKey: "x" },
    });
    await ensureTable(client, table);
    client.destroy();

    const missing = await waypoint([
      "admin",
      "create",
      "--email",
      "ana@agency.example",
      "--stage",
      stage,
      "--endpoint",
      endpoint,
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no operation yet");

    const res = await waypoint([
      "admin",
      "create",
      "--email",
      "Ana@Agency.example",
      "--name",
      "Ana Admin",
      "--stage",
      stage,
      "--endpoint",
      endpoint,
      "--country",
      "SN",
      "--currency",
      "XOF",
      "--time-zone",
      "Africa/Dakar",
      "--operation-name",
      "Sénégal",
      "--languages",
      "fr,en",
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`table ${table}`);
    const password = res.stdout.trim().split("\n").pop()!;
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);

    await onTable(table, async () => {
      const ops = await Actor.provide({ type: "system", reason: "test" }, () => Operation.list());
      expect(ops).toHaveLength(1);
      expect(ops[0]).toMatchObject({
        name: "Sénégal",
        country: "SN",
        currency: "XOF",
        timeZone: "Africa/Dakar",
      });
      const user = await User.byEmail("ana@agency.example");
      expect(user?.grants).toEqual([{ operationID: ops[0]!.operationID, role: "admin", officeIDs: [] }]);
      const stored = (await UserEntity.get({ userID: user!.userID }).go()).data;
      expect(stored?.mustChangePassword).toBe(true);
      // the printed password is the account's (sign-in may then ask for a second factor)
      expect(await User.verifyPassword(password, stored?.passwordHash)).toBe(true);
      const { me } = await Auth.issue(user!);
      expect(me).toMatchObject({ role: "admin", timeZone: "Africa/Dakar" });
    });

    const again = await waypoint([
      "admin",
      "create",
      "--email",
      "ana@agency.example",
      "--stage",
      stage,
      "--endpoint",
      endpoint,
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already exists");

    const wrongStage = await waypoint([
      "admin",
      "create",
      "--email",
      "x@agency.example",
      "--stage",
      "nosuchstage",
      "--endpoint",
      endpoint,
    ]);
    expect(wrongStage.code).toBe(1);
    expect(wrongStage.stderr).toContain("No Waypoint table for stage nosuchstage");
  }, 120_000);
});

describe("npx waypoint admin rotate-at-rest-key", () => {
  it("adds the next at-rest key: values sealed before still open, new values carry the new key's ID", async () => {
    const endpoint = process.env.WAYPOINT_DYNAMO_ENDPOINT!;
    const stage = `k${Date.now().toString(36)}`;
    const table = `waypoint-${stage}-TableTable-rot5678`;
    const client = new DynamoDBClient({
      endpoint,
      region: "local",
      credentials: { accessKeyId: "x", secretAccessKey: "x" },
    });
    await ensureTable(client, table);
    client.destroy();
    try {
      const before = await onTable(table, async () => {
        SealKeys.forget();
        return {
          value: await seal("webhook-secret", "whsec_sealed-before-rotation"),
          keyID: await SealKeys.current(),
        };
      });
      expect(before.value.startsWith(`sealed.v2.${before.keyID}.`)).toBe(true);

      const res = await waypoint(["admin", "rotate-at-rest-key", "--stage", stage, "--endpoint", endpoint]);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toContain(`table ${table}`);
      const added = /at-rest key (\d{4}) added/.exec(res.stdout)?.[1];
      expect(added, res.stdout).toBeDefined();
      expect(Number(added)).toBe(Number(before.keyID) + 1);
      expect(res.stdout).toContain(`values sealed with ${before.keyID} and older keys still open`);

      await onTable(table, async () => {
        SealKeys.forget(); // as a running function reading the ring again
        expect(await SealKeys.current()).toBe(added);
        expect(await open("webhook-secret", before.value)).toEqual({
          plaintext: "whsec_sealed-before-rotation",
          stale: false,
        });
        const after = await seal("webhook-secret", "whsec_sealed-after-rotation");
        expect(after.startsWith(`sealed.v2.${added}.`)).toBe(true);
        expect((await open("webhook-secret", after)).plaintext).toBe("whsec_sealed-after-rotation");
      });

      // a deployed stage needs its KMS key: refused before anything is written
      const noKms = await waypoint(["admin", "rotate-at-rest-key", "--stage", stage], {
        WAYPOINT_DYNAMO_ENDPOINT: undefined,
        WAYPOINT_KMS_KEY_ID: undefined,
      });
      expect(noKms.code).toBe(1);
      expect(noKms.stderr).toContain("--kms-key is required");
    } finally {
      SealKeys.forget(); // the ring read from the other table is not this test run's
    }
  }, 120_000);
});

describe("the CLI reaches an instance started with npm start -- --memory", () => {
  it("prints a token the in-memory instance accepts", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "wp-cli-"));
    const data = join(tmp, "data");
    const port = String(await freePort());
    const env = { WAYPOINT_DATA: data, PORT: port, TMPDIR: tmp };
    const child = spawn(process.execPath, ["packages/local/bin/start.js", "--memory"], {
      cwd: root,
      env: shell({ ...env, WAYPOINT_DYNAMO_ENDPOINT: undefined, WAYPOINT_DYNAMO_PORT: undefined }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    started.push(child);
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    try {
      const deadline = Date.now() + 150_000;
      while (!out.includes("Waypoint is running") && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 300));
      expect(out).toContain("Waypoint is running");
      const res = await waypoint(["token", "--email", "admin@example.org"], {
        ...env,
        WAYPOINT_DYNAMO_ENDPOINT: undefined,
      });
      expect(res.code, res.stderr).toBe(0);
      const me = await fetch(`http://127.0.0.1:${port}/api/me`, {
        headers: { authorization: `Bearer ${res.stdout.trim()}` },
      });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { email: string }).email).toBe("admin@example.org");
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 200_000);
});
