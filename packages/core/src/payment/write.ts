import type { Entity } from "electrodb";
import { BatchGetItemCommand, BatchWriteItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { batchGet, retryUnprocessed } from "../common/batch-get.ts";
import { mapLimit } from "../common/concurrency.ts";
import { UnavailableError } from "../common/errors.ts";
import { marshallParams, PutTemplates, RequestTemplate, type Slots } from "../common/template.ts";
import { dynamoClient } from "../dynamo.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any ElectroDB entity; callers keep their types
type AnyEntity = Entity<any, any, any, any>;

/**
 * Writes many new records with DynamoDB batch writes (25 per request, `concurrency` requests in flight), retrying
 * what DynamoDB leaves unprocessed. Used for bulk creation only: each record is new (fresh ID), so a retry cannot
 * overwrite anyone's change; edits always go through writeVersioned. Items are built by ElectroDB through put
 * templates (see common/template.ts) from `put` (ElectroDB's put by default); `before(i)` runs before the
 * request holding item `i` is sent (the bulk audit event of its chunk).
 */
export async function putAll(
  entity: AnyEntity,
  items: Record<string, unknown>[],
  concurrency = 8,
  before?: (index: number) => Promise<void>,
  put = (item: Record<string, unknown>) => entity.put(item).params() as Record<string, unknown>,
): Promise<void> {
  const templates = new PutTemplates(put);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const start = next;
      const end = (next = Math.min(items.length, next + 25));
      await before?.(start);
      if (end - 1 !== start) await before?.(end - 1);
      let table = "";
      let pending = items.slice(start, end).map((item) => {
        const p =
          templates.fill(item) ?? marshallParams(entity.put(item).params() as Record<string, unknown>);
        table = p.TableName as string;
        return { PutRequest: { Item: p.Item as Record<string, AttributeValue> } };
      });
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 8) throw new UnavailableError("The database kept items unprocessed after 8 retries");
        if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
        const res = await dynamoClient().send(
          new BatchWriteItemCommand({ RequestItems: { [table]: pending } }),
        );
        pending = (res.UnprocessedItems?.[table] ?? []) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.ceil(items.length / 25)) }, worker));
}

/** Reads many records by key with batch gets (100 per request, `concurrency` in flight), retrying unprocessed keys. */
export async function getAll<T>(
  entity: AnyEntity,
  keys: Record<string, string>[],
  concurrency = 8,
): Promise<T[]> {
  return batchGet<T>(entity, keys, { concurrency });
}

/**
 * Reads only `attributes` of many records by key (100 per request, `concurrency` in flight), retrying unprocessed
 * keys: for checking thousands of references at once without reading and formatting whole records.
 */
export async function getFields<T>(
  entity: AnyEntity,
  keys: Slots[],
  attributes: string[],
  concurrency = 8,
): Promise<T[]> {
  if (keys.length === 0) return [];
  const template = new RequestTemplate((k) => entity.get(k).params() as Record<string, unknown>, keys[0]!);
  const first = template.fill(keys[0]!);
  const table = first.TableName as string;
  const names = Object.fromEntries(attributes.map((a, i) => [`#f${i}`, a]));
  const projection = Object.keys(names).join(", ");
  const chunks: Record<string, AttributeValue>[][] = [];
  for (let i = 0; i < keys.length; i += 100)
    chunks.push(keys.slice(i, i + 100).map((k) => template.fill(k).Key as Record<string, AttributeValue>));
  const pages = await mapLimit(chunks, concurrency, (chunk) =>
    retryUnprocessed(chunk, async (pending) => {
      const res = await dynamoClient().send(
        new BatchGetItemCommand({
          RequestItems: {
            [table]: { Keys: pending, ProjectionExpression: projection, ExpressionAttributeNames: names },
          },
        }),
      );
      return {
        items: (res.Responses?.[table] ?? []).map((item) => unmarshall(item) as T),
        unprocessed: (res.UnprocessedKeys?.[table]?.Keys ?? []) as typeof pending,
      };
    }),
  );
  return pages.flat();
}
