import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { config } from "./config.ts";

let client: DynamoDBDocumentClient | undefined;
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
        }
      : { region: c.region },
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
