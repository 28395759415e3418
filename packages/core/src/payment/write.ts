import type { Entity } from "electrodb";
import { mapLimit } from "../common/concurrency.ts";
import { UnavailableError } from "../common/errors.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any ElectroDB entity; callers keep their types
type AnyEntity = Entity<any, any, any, any>;

/**
 * Writes many new records with DynamoDB batch writes (25 per request, `concurrency` requests in flight), retrying
 * what DynamoDB leaves unprocessed. Used for bulk creation only: each record is new (fresh ID), so a retry cannot
 * overwrite anyone's change; edits always go through writeVersioned.
 */
export async function putAll(
  entity: AnyEntity,
  items: Record<string, unknown>[],
  idField: string,
  concurrency = 8,
): Promise<void> {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  await mapLimit(chunks, concurrency, async (chunk) => {
    let pending = chunk;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 8) throw new UnavailableError("The database kept items unprocessed after 8 retries");
      if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      const res = (await entity.put(pending).go()) as { unprocessed?: unknown[] };
      // ElectroDB reports unprocessed items by their key composites.
      const left = new Set(
        ((res.unprocessed ?? []) as Record<string, unknown>[]).map((k) => String(k[idField])),
      );
      pending = pending.filter((p) => left.has(String(p[idField])));
    }
  });
}

/** Reads many records by key with batch gets (100 per request, `concurrency` in flight), retrying unprocessed keys. */
export async function getAll<T>(
  entity: AnyEntity,
  keys: Record<string, string>[],
  concurrency = 8,
): Promise<T[]> {
  const chunks: Record<string, string>[][] = [];
  for (let i = 0; i < keys.length; i += 100) chunks.push(keys.slice(i, i + 100));
  const pages = await mapLimit(chunks, concurrency, async (chunk) => {
    const out: T[] = [];
    let pending = chunk;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 8) throw new UnavailableError("The database kept keys unprocessed after 8 retries");
      if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      const res = (await entity.get(pending).go()) as { data: unknown[]; unprocessed?: unknown[] };
      out.push(...(res.data as T[]));
      pending = (res.unprocessed ?? []) as Record<string, string>[];
    }
    return out;
  });
  return pages.flat();
}
