import type { Entity } from "electrodb";
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
    const res = (await entity.get(pending).go({
      concurrency: opts.concurrency ?? 4,
      ...(opts.attributes ? { attributes: opts.attributes } : {}),
      ...(opts.consistent ? { consistent: true } : {}),
    })) as {
      data: T[];
      unprocessed?: Record<string, unknown>[];
    };
    return { items: res.data, unprocessed: res.unprocessed ?? [] };
  });
}
