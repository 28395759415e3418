import { afterEach, describe, expect, it } from "vitest";
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "../../packages/local/src/dynamo-local.ts";

const run = promisify(execFile);
const root = join(import.meta.dirname, "../..");

const started: ChildProcess[] = [];

// A test that fails or times out must not leave a Waypoint (and its Java child) running.
afterEach(() => {
  for (const c of started.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
});

/** `npm start` as a newcomer runs it (node packages/local/bin/start.js), with a data dir and port of its own. */
function start(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ["packages/local/bin/start.js", ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  return { child, output: () => out };
}

async function waitFor(url: string, timeoutMs = 60_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      return await fetch(url);
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`${url} did not answer`);
}

const javaChildren = async (pid: number) => {
  const { stdout } = await run("ps", ["-o", "pid=,args=", "--ppid", String(pid)]).catch(() => ({
    stdout: "",
  }));
  return stdout
    .split("\n")
    .filter((l) => l.includes("DynamoDBLocal"))
    .map((l) => Number(l.trim().split(/\s+/)[0]));
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const exited = (c: ChildProcess) =>
  new Promise((r) => (c.exitCode !== null ? r(c.exitCode) : c.once("exit", r)));

describe("npm start", () => {
  it("serves /health, prints the sign-in, keeps data across restarts, resumes seeding where it stopped, and leaves no java behind after SIGTERM", async () => {
    const data = mkdtempSync(join(tmpdir(), "wp-start-"));
    const port = String(await freePort());
    try {
      const first = start([], { WAYPOINT_DATA: data, PORT: port });
      const t0 = Date.now();
      const health = await waitFor(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      expect(Date.now() - t0).toBeLessThan(60_000);
      await new Promise((r) => setTimeout(r, 300));
      expect(first.output()).toContain("admin@example.org");
      expect(first.output()).toContain("waypoint-demo");
      const java = await javaChildren(first.child.pid!);
      expect(java).toHaveLength(1);

      // The CLI works against the running instance.
      const { stdout: token } = await run(
        process.execPath,
        ["packages/local/bin/waypoint.js", "token", "--email", "admin@example.org"],
        { cwd: root, env: { ...process.env, WAYPOINT_DATA: data } },
      );
      const me = await fetch(`http://127.0.0.1:${port}/api/me`, {
        headers: { authorization: `Bearer ${token.trim()}` },
      });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { role: string }).role).toBe("admin");
      const partner = await run(
        process.execPath,
        [
          "packages/local/bin/waypoint.js",
          "partner",
          "create",
          "--name",
          "Casa Refugiados",
          "--scopes",
          "referrals:write,referrals:read",
        ],
        { cwd: root, env: { ...process.env, WAYPOINT_DATA: data } },
      );
      expect(partner.stdout).toMatch(/wpk_[0-9A-Z]{26}_/);
      const bad = await run(
        process.execPath,
        ["packages/local/bin/waypoint.js", "token", "--email", "nobody@example.org"],
        { cwd: root, env: { ...process.env, WAYPOINT_DATA: data } },
      ).catch((e) => e);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain("No staff user");

      // The rest of the demo data loads behind the open server, one seeder after another. Once the relocation
      // seeder is over (the payments seeder has begun), the eligible-households page finds households that said they
      // want to relocate, and the interest form's leads wait in the enquiry queue.
      const deadline = Date.now() + 300_000;
      while (!first.output().includes("seeding demo data: payments") && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 250));
      expect(first.output()).toContain("seeding demo data: payments");
      const auth = { headers: { authorization: `Bearer ${token.trim()}` } };
      const interested = (await (
        await fetch(`http://127.0.0.1:${port}/api/relocation-desk/candidates?interested=yes`, auth)
      ).json()) as { items: { interested: boolean; headName?: string }[] };
      expect(interested.items.length).toBeGreaterThanOrEqual(5);
      expect(interested.items.every((c) => c.interested && c.headName)).toBe(true);
      const leads = (await (
        await fetch(`http://127.0.0.1:${port}/api/intake/leads?limit=100`, auth)
      ).json()) as {
        items: { programme?: string; givenName?: string }[];
      };
      expect(leads.items.filter((l) => l.programme === "local_integration").length).toBeGreaterThanOrEqual(4);
      // stopped in the middle of seeding, as a newcomer's Ctrl-C would
      first.child.kill("SIGTERM");
      await exited(first.child);
      expect(java.filter(alive)).toEqual([]);

      // Second start: the data is still there (what was seeded is not seeded again), seeding resumes at the seeder
      // it was stopped in and goes on past it, and the token signed before still works (same secret).
      const second = start([], { WAYPOINT_DATA: data, PORT: port });
      expect((await waitFor(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      const again = await fetch(`http://127.0.0.1:${port}/api/me`, {
        headers: { authorization: `Bearer ${token.trim()}` },
      });
      expect(again.status).toBe(200);
      const still = (await (
        await fetch(`http://127.0.0.1:${port}/api/relocation-desk/candidates?interested=yes`, auth)
      ).json()) as { items: unknown[] };
      expect(still.items.length).toBe(interested.items.length);
      const resumed = Date.now() + 120_000;
      while (!/seeding demo data: (programmes|community)/.test(second.output()) && Date.now() < resumed) {
        if (second.output().includes("could not be loaded")) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(second.output()).not.toContain("could not be loaded");
      expect(second.output()).toContain("seeding demo data: payments");
      expect(second.output()).toMatch(/seeding demo data: (programmes|community)/);
      for (const done of ["foundation", "registry", "cases", "relocation"])
        expect(second.output()).not.toContain(`seeding demo data: ${done}`);
      second.child.kill("SIGINT");
      await exited(second.child);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  }, 480_000);

  it("--memory leaves nothing behind", async () => {
    const before = new Set(readdirSync(tmpdir()).filter((f) => f.startsWith("waypoint-")));
    const port = String(await freePort());
    const data = join(tmpdir(), `wp-never-${Date.now()}`);
    const s = start(["--memory"], { WAYPOINT_DATA: data, PORT: port });
    expect((await waitFor(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    const java = await javaChildren(s.child.pid!);
    s.child.kill("SIGTERM");
    await exited(s.child);
    expect(java.filter(alive)).toEqual([]);
    expect(existsSync(data)).toBe(false);
    const after = readdirSync(tmpdir()).filter((f) => f.startsWith("waypoint-") && !before.has(f));
    expect(after).toEqual([]);
  }, 90_000);

  it("says in one line what to do when the port is busy", async () => {
    const port = await freePort();
    const { createServer } = await import("node:net");
    const blocker = createServer().listen(port, "127.0.0.1");
    try {
      const s = start(["--memory"], { PORT: String(port) });
      const code = await exited(s.child);
      expect(code).toBe(1);
      expect(s.output()).toMatch(/Port \d+ \(web and API\) is busy: stop the other process or set PORT=/);
    } finally {
      blocker.close();
    }
  }, 30_000);
});
