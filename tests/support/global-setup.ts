import type { TestProject } from "vitest/node";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ensureTable } from "../../packages/local/src/bootstrap.ts";
import type { DynamoLocal } from "../../packages/local/src/dynamo-local.ts";
import { startRunDynamo } from "./run-dynamo.ts";

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
  dynamo = await startRunDynamo();
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
