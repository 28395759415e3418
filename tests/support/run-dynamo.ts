import { freePort, startDynamoLocal, type DynamoLocal } from "../../packages/local/src/dynamo-local.ts";
import { buildWebAsync } from "../e2e/build-web.ts";

/**
 * A test run's one DynamoDB Local (in memory, free port), started while web/dist is built (when it is not built
 * from the working tree already); resolves once both are done. Java runs with the serial collector: on two cores
 * the default collector's own threads take CPU from the tests (12 integration files: 164 s instead of 204 s, one
 * run each on a shared machine). Used by the integration and the browser runs' global setups.
 */
export async function startRunDynamo(): Promise<DynamoLocal> {
  const web = buildWebAsync();
  web.catch(() => undefined);
  const java = process.env.JAVA_TOOL_OPTIONS;
  process.env.JAVA_TOOL_OPTIONS = "-XX:+UseSerialGC";
  let dynamo: DynamoLocal;
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
  return dynamo;
}
