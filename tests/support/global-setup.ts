import type { TestProject } from "vitest/node";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ensureTable } from "../../packages/local/src/bootstrap.ts";
import { freePort, startDynamoLocal, type DynamoLocal } from "../../packages/local/src/dynamo-local.ts";
import { buildWebAsync } from "../e2e/build-web.ts";

let dynamo: DynamoLocal | undefined;

/**
 * One real DynamoDB Local (in memory, free port) for the whole run. Tests isolate themselves by unique data
 * (their own operation, offices and users), never by mocks.
 *
 * web/dist is built here, while Java starts, when it is not built from the working tree already: the tests of
 * `npm start` (local-runtime, cli-admin) would otherwise each build it on a fresh clone (CI), two of them at once in
 * the same folder, and the browser run after this one builds it again; now the browser run finds it built.
 */
export default async function setup(project: TestProject) {
  const web = buildWebAsync();
  web.catch(() => undefined);
  // the serial collector, as the browser run's: on two cores, Java's default collector's own threads take CPU from
  // the tests (12 integration files: 164 s instead of 204 s, one run each on a shared machine)
  const java = process.env.JAVA_TOOL_OPTIONS;
  process.env.JAVA_TOOL_OPTIONS = "-XX:+UseSerialGC";
  try {
    dynamo = await startDynamoLocal({ port: await freePort() });
  } finally {
    if (java === undefined) delete process.env.JAVA_TOOL_OPTIONS;
    else process.env.JAVA_TOOL_OPTIONS = java;
  }
  try {
    await web;
  } catch (err) {
    await dynamo.stop();
    throw err;
  }
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  await ensureTable(client, "waypoint-test");
  client.destroy();
  process.env.WAYPOINT_DYNAMO_ENDPOINT = dynamo.endpoint;
  process.env.WAYPOINT_TABLE = "waypoint-test";
  process.env.WAYPOINT_AUTH_SECRET = "test-secret-0123456789abcdef0123456789abcdef";
  project.provide("dynamoEndpoint", dynamo.endpoint);
  return async () => {
    await dynamo?.stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}
