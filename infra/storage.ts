/**
 * The single DynamoDB table and the bucket for exports and documents.
 *
 * The table is built from the same `Table` constant the local bootstrap uses (packages/core/src/table.ts), so the
 * key schema and GSIs on AWS can never drift from a laptop's. SST names the physical table
 * `<app>-<stage>-TableTable-<suffix>`; the Lambda learns the name through the link (`SST_RESOURCE_Table`).
 */
import { Table } from "../packages/core/src/table.ts";

/** Set `WAYPOINT_TABLE_STREAM=1` at deploy time to enable a stream (e.g. for a future outbox/webhook consumer). */
const withStream = process.env.WAYPOINT_TABLE_STREAM === "1";

const fields: Record<string, "string"> = {
  [Table.partitionKey]: "string",
  [Table.sortKey]: "string",
};
const globalIndexes: Record<string, { hashKey: string; rangeKey: string }> = {};
for (const [name, index] of Object.entries(Table.indexes)) {
  fields[index.partitionKey] = "string";
  fields[index.sortKey] = "string";
  globalIndexes[name] = { hashKey: index.partitionKey, rangeKey: index.sortKey };
}

export const table = new sst.aws.Dynamo("Table", {
  fields,
  primaryIndex: { hashKey: Table.partitionKey, rangeKey: Table.sortKey },
  globalIndexes,
  ttl: Table.ttlAttribute,
  // On-demand billing and point-in-time recovery are SST's defaults for this component.
  deletionProtection: $app.stage === "production",
  ...(withStream ? { stream: "new-and-old-images" as const } : {}),
});

/** Exports (payment files, registry extracts) and uploaded documents. Private; HTTPS only (SST defaults). */
export const files = new sst.aws.Bucket("Files", {
  versioning: $app.stage === "production",
  // Report files handed over through the bucket (ObjectStore.offload: `downloads/`, 60-second links) are gone a
  // day later; payment export files and documents are kept.
  lifecycle: [{ id: "expire-downloads", prefix: "downloads/", expiresIn: "1 day" }],
});
