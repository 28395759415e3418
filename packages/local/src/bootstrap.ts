import {
  CreateTableCommand,
  DescribeTableCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndexDescription,
} from "@aws-sdk/client-dynamodb";
import { Table } from "@waypoint/core/table";

/**
 * Creates the table from the shared definition, or adds the GSIs it lacks. Safe to run on every start.
 * Returns what it did, for the start banner and tests.
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string = Table.name,
): Promise<{ created: boolean; addedIndexes: string[] }> {
  const existing = await client
    .send(new DescribeTableCommand({ TableName: tableName }))
    .then((r) => r.Table)
    .catch((e: Error) => {
      if (e.name === "ResourceNotFoundException") return undefined;
      throw e;
    });
  const gsis = Object.entries(Table.indexes);
  if (!existing) {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
          Table.partitionKey,
          Table.sortKey,
          ...gsis.flatMap(([, i]) => [i.partitionKey, i.sortKey]),
        ].map((a) => ({
          AttributeName: a,
          AttributeType: "S",
        })),
        KeySchema: [
          { AttributeName: Table.partitionKey, KeyType: "HASH" },
          { AttributeName: Table.sortKey, KeyType: "RANGE" },
        ],
        GlobalSecondaryIndexes: gsis.map(([name, i]) => ({
          IndexName: name,
          KeySchema: [
            { AttributeName: i.partitionKey, KeyType: "HASH" },
            { AttributeName: i.sortKey, KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        })),
      }),
    );
    await client
      .send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: Table.ttlAttribute, Enabled: true },
        }),
      )
      .catch(() => undefined);
    return { created: true, addedIndexes: gsis.map(([n]) => n) };
  }
  const have = new Set(
    (existing.GlobalSecondaryIndexes ?? []).map((g: GlobalSecondaryIndexDescription) => g.IndexName),
  );
  const added: string[] = [];
  for (const [name, i] of gsis) {
    if (have.has(name)) continue;
    // DynamoDB accepts one GSI creation per UpdateTable call.
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [i.partitionKey, i.sortKey].map((a) => ({
          AttributeName: a,
          AttributeType: "S",
        })),
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: name,
              KeySchema: [
                { AttributeName: i.partitionKey, KeyType: "HASH" },
                { AttributeName: i.sortKey, KeyType: "RANGE" },
              ],
              Projection: { ProjectionType: "ALL" },
            },
          },
        ],
      }),
    );
    added.push(name);
  }
  return { created: false, addedIndexes: added };
}
