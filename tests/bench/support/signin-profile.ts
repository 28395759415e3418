/**
 * Where a sign-in's time goes under a wave of 20 at once (tests/bench/session.bench.ts's figure): every DynamoDB
 * call and every step of the password sign-in and the code step, timed per sign-in. Not a benchmark of its own;
 * run alone on a quiet machine: `/work/notes/run-bench.sh node --import tsx tests/bench/support/signin-profile.ts`.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
import { monitorEventLoopDelay } from "node:perf_hooks";
import { benchStack, percentile } from "./registry.ts";
import { secondFactorRound, signInRound } from "../session.bench.ts";

type Rec = { step: string; ms: number };
const als = new AsyncLocalStorage<Rec[]>();
const all: Rec[][] = [];

function wrap<T extends object>(obj: T, name: keyof T & string, label: string) {
  const f = obj[name] as unknown as (...a: unknown[]) => Promise<unknown>;
  (obj as Record<string, unknown>)[name] = async (...a: unknown[]) => {
    const t = performance.now();
    try {
      return await f.apply(obj, a);
    } finally {
      als.getStore()?.push({ step: label, ms: performance.now() - t });
    }
  };
}

const stack = await benchStack(`profile-${Date.now()}`);
try {
  const core = stack.core;
  const { app: realApp } = await import("@waypoint/functions");
  const { documentClient } = await import("@waypoint/core/dynamo");
  const { SignInGuard } = await import("@waypoint/core/auth/guard");
  const { SecondFactor } = await import("@waypoint/core/auth/totp");
  const { User } = await import("@waypoint/core/user/index");
  const dc = documentClient();
  const send = dc.send.bind(dc);
  (dc as { send: unknown }).send = async (cmd: { constructor: { name: string }; input?: Record<string, unknown> }, o?: unknown) => {
    const t = performance.now();
    try {
      return await send(cmd as never, o as never);
    } finally {
      const input = cmd.input ?? {};
      const what = String((input.Key as { pk?: string } | undefined)?.pk ?? input.IndexName ?? "").split("#")[0];
      als.getStore()?.push({ step: `ddb ${cmd.constructor.name.replace("Command", "")} ${what}`, ms: performance.now() - t });
    }
  };
  for (const n of ["assertOpen", "failed", "succeeded"] as const) wrap(SignInGuard, n, `guard.${n}`);
  for (const n of ["byEmailWithSecret", "verifyPassword", "rehashPassword", "get"] as const) wrap(User, n, `user.${n}`);
  for (const n of ["gate", "spend", "readChallenge"] as const) wrap(SecondFactor, n, `2fa.${n}`);
  wrap(core.Auth, "issue", "auth.issue");

  const app = {
    request: (p: string, init: RequestInit) => {
      const recs: Rec[] = [];
      all.push(recs);
      const t = performance.now();
      return als.run(recs, async () => {
        const r = await realApp.request(p, init);
        recs.push({ step: `TOTAL ${p}`, ms: performance.now() - t });
        return r;
      });
    },
  };

  const password = "bench-password-long-enough";
  const { users, enrolled } = await core.Actor.provide({ type: "system", reason: "bench" }, async () => {
    const users = [];
    const enrolled = [];
    for (let i = 0; i < 20; i++) {
      const email = `prof-${i}-${Date.now()}@example.org`;
      await core.User.create({
        email,
        name: `P ${i}`,
        password,
        grants: [{ operationID: stack.op.operationID, role: "caseworker", officeIDs: [stack.office.officeID] }],
      });
      users.push({ email, password });
    }
    for (let i = 0; i < 40; i++) {
      const email = `proft-${i}-${Date.now()}@example.org`;
      const u = await core.User.create({
        email,
        name: `T ${i}`,
        password,
        grants: [{ operationID: stack.op.operationID, role: "supervisor", officeIDs: [stack.office.officeID] }],
      });
      const { secret } = await SecondFactor.startEnrolment(u);
      await SecondFactor.confirmEnrolment(u.userID, SecondFactor.codeFor(secret), stack.op.operationID);
      enrolled.push({ email, password, secret });
    }
    return { users, enrolled };
  });
  await signInRound(app, users, 0);
  all.length = 0;
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const javaCpu = () => {
    const f = require("node:fs").readFileSync(`/proc/${stack.dynamo.child!.pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(f[11]) + Number(f[12])) * 10;
  };
  const { Session: Inspector } = await import("node:inspector/promises");
  const insp = new Inspector();
  insp.connect();
  if (process.env.PROFILE_OUT) {
    await insp.post("Profiler.enable");
    await insp.post("Profiler.start");
  }
  const j0 = javaCpu();
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  const totals: number[] = [];
  for (let r = 1; r <= 3; r++) totals.push(...(await signInRound(app, users, r)));
  const wall = performance.now() - w0;
  const cpu = process.cpuUsage(cpu0);
  const java = javaCpu() - j0;
  if (process.env.PROFILE_OUT) {
    const { profile } = await insp.post("Profiler.stop");
    require("node:fs").writeFileSync(process.env.PROFILE_OUT, JSON.stringify(profile));
  }
  h.disable();
  const report = (label: string) => {
    const by = new Map<string, number[]>();
    for (const recs of all) for (const r of recs) by.set(r.step, [...(by.get(r.step) ?? []), r.ms]);
    console.log(`\n${label}`);
    for (const [k, v] of [...by].sort()) {
      const perReq = v.length / all.length;
      console.log(
        `${k.padEnd(40)} n/req ${perReq.toFixed(2)}  p50 ${percentile(v, 50).toFixed(1).padStart(7)}  p95 ${percentile(v, 95).toFixed(1).padStart(7)}  mean ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(1).padStart(7)}`,
      );
    }
  };
  report(`password sign-in, 3 waves of 20: p50 ${percentile(totals, 50).toFixed(0)} p95 ${percentile(totals, 95).toFixed(0)}; node CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (incl. hash threads), DynamoDB Local CPU ${java} ms, over ${wall.toFixed(0)} ms wall; event-loop delay p50 ${(h.percentile(50) / 1e6).toFixed(1)} ms max ${(h.max / 1e6).toFixed(1)} ms`);
  all.length = 0;
  const t2 = [];
  for (let r = 0; r < 2; r++) t2.push(...(await secondFactorRound(app, enrolled.slice(r * 20, r * 20 + 20), r, SecondFactor.codeFor)));
  report(`password + TOTP, 2 waves of 20: p50 ${percentile(t2.map((x) => x.total), 50).toFixed(0)} p95 ${percentile(t2.map((x) => x.total), 95).toFixed(0)}; code step p50 ${percentile(t2.map((x) => x.code), 50).toFixed(0)}`);
} finally {
  await stack.stop();
}
