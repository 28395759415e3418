import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { config } from "./config.ts";

let client: DynamoDBDocumentClient | undefined;

/**
 * The SDK's default logger has an `info` that discards, yet the SDK first builds a redacted copy of every
 * request for it (a walk of every attribute of every item: a tenth of the CPU of a bulk write). Without `info`
 * it skips that work; warnings and errors still go nowhere, as with the default.
 */
const quiet = {
  debug: () => undefined,
  warn: () => undefined,
  error: () => undefined,
} as unknown as DynamoDBClientConfig["logger"];
let raw: DynamoDBClient | undefined;
let rawEndpoint: string | undefined;

export function dynamoClient(): DynamoDBClient {
  const c = config();
  if (raw && rawEndpoint === c.dynamoEndpoint) return raw;
  if (raw) resetDynamo();
  rawEndpoint = c.dynamoEndpoint;
  raw = new DynamoDBClient(
    c.dynamoEndpoint
      ? {
          endpoint: c.dynamoEndpoint,
          region: "local",
          credentials: { accessKeyId: "local", secretAccessKey: "local" },
          maxAttempts: 5,
          logger: quiet,
        }
      : { region: c.region, logger: quiet },
  );
  return raw;
}

export function documentClient(): DynamoDBDocumentClient {
  if (client && rawEndpoint !== config().dynamoEndpoint) resetDynamo();
  client ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return client;
}

export function resetDynamo(): void {
  raw?.destroy();
  raw = undefined;
  client = undefined;
}
