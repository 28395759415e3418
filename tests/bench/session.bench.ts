/**
 * What a session costs.
 *
 * 1. The session check on every staff request (auth/session.ts: the token's session revision against the user's,
 *    cached per process for Session.TTL_MS): the same trivial route through Hono's `app.request`, once behind the
 *    real staff guard (`staffAuth`: JWT verify + session check) and once behind a guard that only verifies the
 *    JWT (`Auth.decode`), interleaved in the same run; the difference of the medians is what the check adds
 *    (target < 1 ms at p50). Also the check alone on a cold cache (one GetItem on DynamoDB Local).
 * 2. Sign-in with e-mail and password (Argon2id, sign-in limits, token), 20 users at once, 5 rounds: p95 (target
 *    < 300 ms on the local stack).
 * 3. Sign-in with password and TOTP (the challenge, then the code), 20 users at once: p95 (same target).
 * 4. The floor under 2 and 3 on this machine: 20 password checks at once and nothing else (the same queue of one
 *    hash per core), p95; and where a sign-in's CPU goes during the waves (DynamoDB calls per sign-in, CPU of
 *    DynamoDB Local and of this process per sign-in), since twenty at once on 2 cores are bound by CPU.
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Hono } from "hono";
import { benchStack, percentile } from "./support/registry.ts";

export const description =
  "Session check cost per API request (p50, vs. JWT only) and password sign-in, 20 concurrent users (p95)";

type Core = Awaited<ReturnType<typeof benchStack>>["core"];

/** One round of `n` users signing in at once; returns each sign-in's milliseconds. */
export async function signInRound(
  app: { request: (path: string, init: RequestInit) => Response | Promise<Response> },
  users: { email: string; password: string }[],
  round: number,
): Promise<number[]> {
  return Promise.all(
    users.map(async (u, i) => {
      const t = performance.now();
      const res = await app.request("/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": `10.${round}.0.${i + 1}` },
        body: JSON.stringify({ email: u.email, password: u.password }),
      });
      if (res.status !== 200) throw new Error(`sign-in ${res.status}: ${await res.text()}`);
      return performance.now() - t;
    }),
  );
}

const ms = (x: number) => `${x.toFixed(3)} ms`;

/** CPU milliseconds a process has used (user + system), from /proc (Linux); 0 elsewhere. */
function cpuOf(pid: number | undefined): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return 0;
  }
}

/** DynamoDB calls, CPU of DynamoDB Local and of this process (hash threads included) while `work` runs. */
async function budget<T>(javaPid: number | undefined, calls: () => number, work: () => Promise<T>) {
  const c0 = calls();
  const j0 = cpuOf(javaPid);
  const p0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await work();
  const p = process.cpuUsage(p0);
  return {
    out,
    calls: calls() - c0,
    java: cpuOf(javaPid) - j0,
    node: (p.user + p.system) / 1000,
    wall: performance.now() - t0,
  };
}

/**
 * Sign-in with password and TOTP (auth/totp.ts), `users.length` users at once: each time is the password step
 * (a challenge) plus the code step (a session), back to back. Each user signs in once (a code is accepted once
 * per 30-second step, so a round needs users who have not used this step yet).
 */
export async function secondFactorRound(
  app: { request: (path: string, init: RequestInit) => Response | Promise<Response> },
  users: { email: string; password: string; secret: string }[],
  round: number,
  codeFor: (secret: string, at?: number) => string,
): Promise<{ total: number; code: number }[]> {
  return Promise.all(
    users.map(async (u, i) => {
      const headers = { "content-type": "application/json", "x-forwarded-for": `10.${100 + round}.0.${i + 1}` };
      const t = performance.now();
      const step1 = await app.request("/auth/login", {
        method: "POST",
        headers,
        body: JSON.stringify({ email: u.email, password: u.password }),
      });
      const { challenge } = (await step1.json()) as { challenge?: string };
      if (!challenge) throw new Error(`sign-in gave no second-factor challenge (${step1.status})`);
      const c = performance.now();
      const step2 = await app.request("/auth/second-factor", {
        method: "POST",
        headers,
        body: JSON.stringify({ challenge, code: codeFor(u.secret, Date.now() + 30_000) }),
      });
      if (step2.status !== 200) throw new Error(`second factor ${step2.status}: ${await step2.text()}`);
      const end = performance.now();
      return { total: end - t, code: end - c };
    }),
  );
}

export default async function (): Promise<string> {
  const stack = await benchStack(`bench-session-${Date.now()}`);
  try {
    const core: Core = stack.core;
    const { staffAuth } = await import("@waypoint/functions/middleware/auth");
    const { app } = await import("@waypoint/functions");
    const { PasswordHash } = await import("@waypoint/core/user/hash");
    // one hash alone on this machine now (the floor under any sign-in's time)
    const alone: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await PasswordHash.hash("bench-password-long-enough");
      alone.push(performance.now() - t);
    }
    // the floor: 20 password checks at once through the same queue, and nothing else (5 rounds)
    const stored = await PasswordHash.hash("bench-password-long-enough");
    const hashOnly: number[] = [];
    for (let r = 0; r < 5; r++)
      hashOnly.push(
        ...(await Promise.all(
          Array.from({ length: 20 }, async () => {
            const t = performance.now();
            if (!(await PasswordHash.verify("bench-password-long-enough", stored))) throw new Error("verify");
            return performance.now() - t;
          }),
        )),
      );
    // every DynamoDB call this process makes (the SDK's middleware stack: one count per command sent)
    const { documentClient } = await import("@waypoint/core/dynamo");
    let ddbCalls = 0;
    documentClient().middlewareStack.add(
      (next) => (args) => {
        ddbCalls++;
        return next(args);
      },
      { step: "initialize", name: "benchCallCount" },
    );
    const javaPid = stack.dynamo.child!.pid;
    const token = stack.admin.token;
    const route = (c: { json: (v: unknown) => Response }) => c.json({ ok: true });
    const checked = new Hono().use("*", staffAuth).get("/x", route);
    const jwtOnly = new Hono()
      .use("*", async (c, next) => {
        const claims = await core.Auth.decode(
          /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")![1]!,
        );
        await core.Actor.provide(
          {
            type: "user",
            userID: claims.sub,
            email: claims.email,
            operationID: claims.op,
            role: claims.role,
            officeIDs: claims.offices,
          },
          next,
        );
      })
      .get("/x", route);
    const headers = { authorization: `Bearer ${token}` };
    const once = async (a: Hono) => {
      const t = performance.now();
      const res = await a.request("/x", { headers });
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      return performance.now() - t;
    };
    // warm up both (JIT, the first cache fill)
    for (let i = 0; i < 300; i++) {
      await once(checked);
      await once(jwtOnly);
    }
    const withCheck: number[] = [];
    const without: number[] = [];
    for (let i = 0; i < 5000; i++) {
      withCheck.push(await once(checked));
      without.push(await once(jwtOnly));
    }
    const p50With = percentile(withCheck, 50);
    const p50Without = percentile(without, 50);
    const added = p50With - p50Without;

    // the check alone, cache cold: one GetItem per user per TTL
    const cold: number[] = [];
    for (let i = 0; i < 200; i++) {
      core.Session.clear();
      const t = performance.now();
      await core.Session.check(stack.admin.user.userID, 0);
      cold.push(performance.now() - t);
    }

    // sign-in, 20 users at once
    const password = "bench-password-long-enough";
    const users = await core.Actor.provide({ type: "system", reason: "bench" }, async () => {
      const out: { email: string; password: string }[] = [];
      for (let i = 0; i < 20; i++) {
        const email = `signin-${i}-${Date.now()}@example.org`;
        await core.User.create({
          email,
          name: `Sign-in ${i}`,
          password,
          grants: [
            { operationID: stack.op.operationID, role: "caseworker", officeIDs: [stack.office.officeID] },
          ],
        });
        out.push({ email, password });
      }
      return out;
    });
    await signInRound(app, users, 0); // warm-up
    const pw = await budget(javaPid, () => ddbCalls, async () => {
      const out: number[] = [];
      for (let r = 1; r <= 5; r++) out.push(...(await signInRound(app, users, r)));
      return out;
    });
    const signIns = pw.out;
    const p95 = percentile(signIns, 95);

    // sign-in with password and TOTP: 3 rounds of 20 enrolled supervisors at once (each signs in once)
    const { SecondFactor } = await import("@waypoint/core/auth/totp");
    const ROUNDS = 3;
    const enrolled = await core.Actor.provide({ type: "system", reason: "bench" }, async () => {
      const out: { email: string; password: string; secret: string }[] = [];
      for (let i = 0; i < 20 * ROUNDS; i++) {
        const email = `totp-${i}-${Date.now()}@example.org`;
        const u = await core.User.create({
          email,
          name: `TOTP ${i}`,
          password,
          grants: [
            { operationID: stack.op.operationID, role: "supervisor", officeIDs: [stack.office.officeID] },
          ],
        });
        const { secret } = await SecondFactor.startEnrolment(u);
        await SecondFactor.confirmEnrolment(u.userID, SecondFactor.codeFor(secret), stack.op.operationID);
        out.push({ email, password, secret });
      }
      return out;
    });
    const tf = await budget(javaPid, () => ddbCalls, async () => {
      const out: { total: number; code: number }[] = [];
      for (let r = 0; r < ROUNDS; r++)
        out.push(...(await secondFactorRound(app, enrolled.slice(r * 20, r * 20 + 20), r, SecondFactor.codeFor)));
      return out;
    });
    const rounds = tf.out;
    const totp = rounds.map((x) => x.total);
    const codeStep = rounds.map((x) => x.code);
    const p95Totp = percentile(totp, 95);

    return [
      `Session check (${withCheck.length} requests each way, interleaved, same run; cache TTL ${core.Session.TTL_MS / 1000} s):`,
      "",
      "| measure | value | target |",
      "| --- | ---: | --- |",
      `| request p50, staff guard with session check | ${ms(p50With)} | |`,
      `| request p50, JWT verify only | ${ms(p50Without)} | |`,
      `| **added by the session check, p50** | **${ms(added)}** | < 1 ms ${added < 1 ? "✅" : "❌"} |`,
      `| request p95 with / without | ${ms(percentile(withCheck, 95))} / ${ms(percentile(without, 95))} | |`,
      `| check alone on a cold cache (GetItem, DynamoDB Local) p50 / p95 | ${ms(percentile(cold, 50))} / ${ms(percentile(cold, 95))} | |`,
      "",
      `One password hash alone, median of 5: ${percentile(alone, 50).toFixed(0)} ms (so 20 at once on ${availableParallelism()} cores need at least ${((20 * percentile(alone, 50)) / availableParallelism()).toFixed(0)} ms before the last answer).`,
      "",
      `Sign-in with password, 20 users at once, 5 rounds (${signIns.length} sign-ins, ${PasswordHash.describe()}, at most ${availableParallelism()} hashes at once):`,
      "",
      "| measure | value | target |",
      "| --- | ---: | --- |",
      `| p50 | ${percentile(signIns, 50).toFixed(0)} ms | |`,
      `| **p95** | **${p95.toFixed(0)} ms** | < 300 ms ${p95 < 300 ? "✅" : "❌"} |`,
      `| max | ${Math.max(...signIns).toFixed(0)} ms | |`,
      "",
      `Sign-in with password and TOTP (password step + code step), 20 users at once, ${ROUNDS} rounds (${totp.length} sign-ins):`,
      "",
      "| measure | value | target |",
      "| --- | ---: | --- |",
      `| p50 | ${percentile(totp, 50).toFixed(0)} ms | |`,
      `| **p95** | **${p95Totp.toFixed(0)} ms** | < 300 ms ${p95Totp < 300 ? "✅" : "❌"} |`,
      `| max | ${Math.max(...totp).toFixed(0)} ms | |`,
      `| the code step alone (challenge check, TOTP, conditional write, token) p50 / p95 | ${percentile(codeStep, 50).toFixed(0)} ms / ${percentile(codeStep, 95).toFixed(0)} ms | |`,
      "",
      `The floor on this machine: 20 password checks at once and nothing else (the same queue, ${hashOnly.length / 20} rounds): p50 ${percentile(hashOnly, 50).toFixed(0)} ms, **p95 ${percentile(hashOnly, 95).toFixed(0)} ms**, max ${Math.max(...hashOnly).toFixed(0)} ms.`,
      "",
      "Where a sign-in's work goes during the waves above (CPU from /proc; this process's CPU includes the hash threads):",
      "",
      "| per sign-in | password | password + TOTP |",
      "| --- | ---: | ---: |",
      `| DynamoDB calls | ${(pw.calls / signIns.length).toFixed(2)} | ${(tf.calls / totp.length).toFixed(2)} |`,
      `| DynamoDB Local CPU | ${(pw.java / signIns.length).toFixed(1)} ms | ${(tf.java / totp.length).toFixed(1)} ms |`,
      `| this process's CPU (hash included) | ${(pw.node / signIns.length).toFixed(1)} ms | ${(tf.node / totp.length).toFixed(1)} ms |`,
      `| both, per wave of 20, over ${availableParallelism()} cores | ${((20 * (pw.java + pw.node)) / signIns.length / availableParallelism()).toFixed(0)} ms | ${((20 * (tf.java + tf.node)) / totp.length / availableParallelism()).toFixed(0)} ms |`,
      `| wall time per wave | ${((pw.wall * 20) / signIns.length).toFixed(0)} ms | ${((tf.wall * 20) / totp.length).toFixed(0)} ms |`,
    ].join("\n");
  } finally {
    await stack.stop();
  }
}
