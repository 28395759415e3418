import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { config } from "./config.ts";
import { dynamoClient } from "./dynamo.ts";

export namespace Health {
  /** Is the table reachable and active? Answers within `timeoutMs`. */
  export async function check(timeoutMs = 2000): Promise<{ ok: boolean; table: string; status?: string }> {
    const table = config().tableName;
    try {
      const res = await dynamoClient().send(new DescribeTableCommand({ TableName: table }), {
        abortSignal: AbortSignal.timeout(timeoutMs),
      });
      return { ok: res.Table?.TableStatus === "ACTIVE", table, status: res.Table?.TableStatus };
    } catch {
      return { ok: false, table };
    }
  }
}
