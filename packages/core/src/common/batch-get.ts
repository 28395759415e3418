import { BatchGetCommand } from "@aws-sdk/lib-dynamodb";
import type { Entity } from "electrodb";
import { documentClient } from "../dynamo.ts";
import { UnavailableError } from "./errors.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any ElectroDB entity; callers keep their types
type AnyEntity = Entity<any, any, any, any>;

/** Retries after the first request, with exponential back-off (about 40 ms, 80 ms … 5 s), before giving up. */
const RETRIES = 8;

/**
 * The one loop every batch read goes through: DynamoDB answers a BatchGetItem with the keys it did not get to
 * (`UnprocessedKeys`, under throttling or past 16 MB), and a record missing from a batch read is not "not found".
 * `fetch` reads some keys and says which it left unprocessed; those are asked again with back-off and jitter until
 * none is left. Still unprocessed after the retries: UnavailableError (503), never a silently shorter answer.
 */
export async function retryUnprocessed<K, T>(
  keys: readonly K[],
  fetch: (keys: K[]) => Promise<{ items: readonly T[]; unprocessed: readonly K[] }>,
): Promise<T[]> {
  const out: T[] = [];
  let pending = [...keys];
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > RETRIES)
      throw new UnavailableError(`The database kept keys unprocessed after ${RETRIES} retries`);
    if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt * (0.5 + Math.random())));
    const res = await fetch(pending);
    out.push(...res.items);
    pending = [...res.unprocessed];
  }
  return out;
}

/**
 * Records by key through ElectroDB's batch get (it sends 100 keys a request, `concurrency` requests at once),
 * retrying the keys DynamoDB leaves unprocessed (`retryUnprocessed`). Use it for every batch get: ElectroDB
 * returns unprocessed keys in `unprocessed` and does not retry them. Order is not kept; missing records are absent.
 */
export async function batchGet<T>(
  entity: AnyEntity,
  keys: readonly Record<string, unknown>[],
  opts: { attributes?: string[]; concurrency?: number; consistent?: boolean } = {},
): Promise<T[]> {
  if (keys.length === 0) return [];
  return retryUnprocessed<Record<string, unknown>, T>(keys, async (pending) => {
    // ElectroDB's option is `concurrent` (an unknown `concurrency` is ignored and its requests go one by one)
    const res = (await entity.get(pending).go({
      concurrent: opts.concurrency ?? 4,
      ...(opts.attributes ? { attributes: opts.attributes } : {}),
      ...(opts.consistent ? { consistent: true } : {}),
    })) as {
      data: T[];
      unprocessed?: Record<string, unknown>[];
    };
    return { items: res.data, unprocessed: res.unprocessed ?? [] };
  });
}

type Owner = { ownsItem(item: Record<string, unknown>): boolean };

/**
 * Records of several entities of the one table by key, in one BatchGetItem per 100 keys whatever entity each key
 * is for (a batch of messages' consents and their addresses' opt-outs: one round trip instead of two), with the
 * same retries of unprocessed keys as `batchGet`. Answers one list per request, in the requests' order; order
 * within a list is not kept; missing records are absent.
 */
export async function batchGetEach(
  requests: readonly { entity: AnyEntity; keys: readonly Record<string, unknown>[] }[],
  opts: { consistent?: boolean } = {},
): Promise<unknown[][]> {
  const out: unknown[][] = requests.map(() => []);
  let table: string | undefined;
  // DynamoDB refuses a request that names one key twice
  const keys = new Map<string, Record<string, unknown>>();
  for (const r of requests)
    for (const k of r.keys) {
      const p = r.entity.get(k as never).params() as { TableName: string; Key: Record<string, unknown> };
      table ??= p.TableName;
      keys.set(JSON.stringify(p.Key), p.Key);
    }
  if (!table || keys.size === 0) return out;
  const all = [...keys.values()];
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < all.length; i += 100) chunks.push(all.slice(i, i + 100));
  const items = (
    await Promise.all(
      chunks.map((chunk) =>
        retryUnprocessed<Record<string, unknown>, Record<string, unknown>>(chunk, async (pending) => {
          const res = await documentClient().send(
            new BatchGetCommand({
              RequestItems: {
                [table!]: { Keys: pending, ...(opts.consistent ? { ConsistentRead: true } : {}) },
              },
            }),
          );
          return {
            items: (res.Responses?.[table!] ?? []) as Record<string, unknown>[],
            unprocessed: (res.UnprocessedKeys?.[table!]?.Keys ?? []) as Record<string, unknown>[],
          };
        }),
      ),
    )
  ).flat();
  for (const item of items) {
    // the entity whose item it is (its ElectroDB name and version attributes)
    const i = requests.findIndex((r) => (r.entity as unknown as Owner).ownsItem(item));
    if (i >= 0) out[i]!.push(requests[i]!.entity.parse({ Item: item }).data);
  }
  return out;
}
