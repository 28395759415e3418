import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ensureTable } from "../../../packages/local/src/bootstrap.ts";
import { freePort, startDynamoLocal, type DynamoLocal } from "../../../packages/local/src/dynamo-local.ts";

/**
 * A private DynamoDB Local (in memory) for a benchmark, with the table created from the one table definition and
 * core pointed at it. Core is imported after the environment is set.
 */
export async function benchStack(table: string) {
  const dynamo: DynamoLocal = await startDynamoLocal({ port: await freePort() });
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  process.env.WAYPOINT_DYNAMO_ENDPOINT = dynamo.endpoint;
  process.env.WAYPOINT_TABLE = table;
  process.env.WAYPOINT_AUTH_SECRET ??= "bench-secret-0123456789abcdef0123456789abcdef";
  process.env.WAYPOINT_LOG_LEVEL = "silent";
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  await ensureTable(client, table);
  client.destroy();
  const core = await import("@waypoint/core");
  core.resetConfig();
  const system = { type: "system" as const, reason: "bench" };
  const { op, office, offices, admin } = await core.Actor.provide(system, async () => {
    const op = await core.Operation.create({ code: "BEN", name: "Bench", country: "MX", currency: "MXN" });
    const offices = [];
    for (const code of ["TAP", "MTY", "GDL"])
      offices.push(await core.Operation.createOffice({ operationID: op.operationID, code, name: code }));
    const user = await core.User.create({
      email: `bench-${Date.now()}@example.org`,
      name: "Bench admin",
      grants: [{ operationID: op.operationID, role: "admin", officeIDs: [] }],
    });
    const { token } = await core.Auth.issue(user);
    return { op, office: offices[0]!, offices, admin: { user, token } };
  });
  return { dynamo, core, op, office, offices, admin, stop: () => dynamo.stop() };
}

export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
