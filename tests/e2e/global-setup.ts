import type { DynamoLocal } from "../../packages/local/src/dynamo-local.ts";
import { startRunDynamo } from "../support/run-dynamo.ts";

let dynamo: DynamoLocal | undefined;

/**
 * Builds web/dist once for the whole browser run, unless the integration run just built it from the same sources
 * (files run two at a time: two builds writing the same directory at once would race), and tells the files it is
 * done. Starts the one DynamoDB Local (in memory) every file's stack
 * uses, each with a table of its own (`startStack`): one Java process for the run instead of one per file, whose
 * start and first minute of compiling cost about 15 s of CPU each time. It runs with Java's full optimiser (the
 * quick compiler alone suited a file's short-lived one; this one serves every file for the whole run).
 */
export default async function setup() {
  dynamo = await startRunDynamo();
  process.env.WAYPOINT_WEB_BUILT = "1";
  process.env.WAYPOINT_E2E_DYNAMO = dynamo.endpoint;
  return async () => {
    await dynamo?.stop();
  };
}
