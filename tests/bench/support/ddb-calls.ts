/**
 * CPU per DynamoDB Local call, by kind, one call at a time (300 each, after a warm-up pass): what a sign-in's
 * reads cost DynamoDB Local's Java process and this process when nothing runs concurrently (compare with the
 * per-call CPU under a wave of 20 sign-ins in session.bench.ts). Run alone:
 * `/work/notes/run-bench.sh node --import tsx tests/bench/support/ddb-calls.ts`.
 */
import { createRequire } from "node:module";
import { benchStack } from "./registry.ts";
const require = createRequire(import.meta.url);
const stack = await benchStack(`ddbcalls-${Date.now()}`);
try {
  const core = stack.core;
  const { UserEntity } = await import("@waypoint/core/user/user.entity");
  const { batchGetEach } = await import("@waypoint/core/common/batch-get");
  const { SignInGuard } = await import("@waypoint/core/auth/guard");
  const { SecondFactor } = await import("@waypoint/core/auth/totp");
  const javaCpu = () => {
    const f = require("node:fs").readFileSync(`/proc/${stack.dynamo.child!.pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(f[11]) + Number(f[12])) * 10;
  };
  const users = await core.Actor.provide({ type: "system", reason: "bench" }, async () => {
    const out = [];
    for (let i = 0; i < 20; i++)
      out.push(await core.User.create({ email: `calls-${i}@example.org`, name: `C ${i}`, grants: [{ operationID: stack.op.operationID, role: "caseworker", officeIDs: [] }] }));
    return out;
  });
  const kinds: Record<string, (i: number) => Promise<unknown>> = {
    "GetItem user": (i) => UserEntity.get({ userID: users[i % 20]!.userID }).go(),
    "GetItem user consistent": (i) => UserEntity.get({ userID: users[i % 20]!.userID }).go({ consistent: true }),
    "Query gsi1 byEmail": (i) => UserEntity.query.byEmail({ email: users[i % 20]!.email }).go(),
    "BatchGet 3 keys": (i) => batchGetEach([SignInGuard.readRequest(users[i % 20]!.email, `10.0.0.${i % 20}`), SecondFactor.readRequest(users[i % 20]!.userID)], { consistent: true }),
    "BatchGet 2 keys (user+factor)": (i) => batchGetEach([{ entity: UserEntity, keys: [{ userID: users[i % 20]!.userID }] }, SecondFactor.readRequest(users[i % 20]!.userID)], { consistent: true }),
    "BatchGet 4 keys (user+guards+factor)": (i) => batchGetEach([{ entity: UserEntity, keys: [{ userID: users[i % 20]!.userID }] }, SignInGuard.readRequest(users[i % 20]!.email, `10.0.0.${i % 20}`), SecondFactor.readRequest(users[i % 20]!.userID)], { consistent: true }),
  };
  for (const round of [0, 1])
    for (const [k, f] of Object.entries(kinds)) {
      const N = 300;
      const j0 = javaCpu(); const c0 = process.cpuUsage(); const t0 = performance.now();
      for (let i = 0; i < N; i++) await f(i);
      const c = process.cpuUsage(c0);
      if (round) console.log(`${k.padEnd(40)} wall ${((performance.now() - t0) / N).toFixed(2)} ms  java CPU ${((javaCpu() - j0) / N).toFixed(2)} ms  node CPU ${((c.user + c.system) / 1000 / N).toFixed(2)} ms`);
    }
} finally {
  await stack.stop();
}
