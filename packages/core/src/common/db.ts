import { TransactWriteCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { config } from "../config.ts";
import { documentClient } from "../dynamo.ts";
import { CallAudit } from "./call-audit.ts";
import { ConflictError } from "./errors.ts";

/** Options every ElectroDB entity is built with: the one table, the one client. */
export function entityOptions() {
  // The client is resolved per call, so configuration set after import (local runtime, tests, CLI) applies.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- ElectroDB types the v3 client's send as (any) => any
  const client = { send: (command: any, options?: any) => documentClient().send(command, options) };
  return { table: config().tableName, client };
}

type Params = Record<string, unknown>;
/** One write inside a transaction, built from ElectroDB's `.params()` so keys and conditions stay ElectroDB's. */
export type TxItem = { put: Params } | { update: Params } | { delete: Params } | { check: Params };

export interface TxOutcome {
  ok: boolean;
  /** Index of each item whose condition failed (when `ok` is false). */
  failed: number[];
}

function strip(p: Params): Params {
  const { ReturnValues: _r, ...rest } = p;
  return rest;
}

/**
 * Writes all items atomically (DynamoDB caps a transaction at 100 actions). A failed condition is an outcome,
 * not an exception, so callers can turn it into a 409 or a per-row result.
 */
export async function transactWrite(items: TxItem[], token?: string): Promise<TxOutcome> {
  if (items.length > 100) throw new RangeError("A DynamoDB transaction holds at most 100 items");
  // The API call's own audit event rides along with the first transaction of the request (see call-audit.ts);
  // appended last, so the indexes of failed conditions still point at the caller's items.
  const call = items.length < 100 ? CallAudit.pending() : undefined;
  const all = call ? [...items, call.item()] : items;
  const TransactItems: NonNullable<TransactWriteCommandInput["TransactItems"]> = all.map((i) => {
    if ("put" in i) return { Put: strip(i.put) as never };
    if ("update" in i) return { Update: strip(i.update) as never };
    if ("delete" in i) return { Delete: strip(i.delete) as never };
    return { ConditionCheck: strip(i.check) as never };
  });
  // Another transaction on one of the same items (e.g. two households taking seats on one trip) cancels this
  // one with "TransactionConflict" and no failed condition: nothing was written, so it is retried.
  for (let attempt = 1; ; attempt++) {
    try {
      await documentClient().send(new TransactWriteCommand({ TransactItems, ClientRequestToken: token }));
      if (call) call.committed = true;
      return { ok: true, failed: [] };
    } catch (err) {
      if (
        err instanceof TransactionCanceledException ||
        (err as Error).name === "TransactionCanceledException"
      ) {
        const reasons = (err as TransactionCanceledException).CancellationReasons ?? [];
        const failed = reasons.flatMap((r, i) => (r.Code === "ConditionalCheckFailed" ? [i] : []));
        if (failed.length > 0) return { ok: false, failed };
        if (attempt < TX_CONFLICT_ATTEMPTS && reasons.some((r) => r.Code === "TransactionConflict")) {
          await new Promise((r) => setTimeout(r, 20 * 2 ** attempt * (0.5 + Math.random())));
          continue;
        }
      }
      throw err;
    }
  }
}

/**
 * `transactWrite` for a write with no failure outcome of its own to report (a create with a fresh ID, an upsert):
 * a failed condition means someone else wrote first, so it is a ConflictError (409, or `conflict()`), never a
 * success that stored nothing. A caller that can tell more (a taken number, a slot) checks `transactWrite`'s
 * outcome itself; none ignores it.
 */
export async function transactWriteOrConflict(
  items: TxItem[],
  conflict: (failed: number[]) => Error = () =>
    new ConflictError(
      "A record this write depends on changed; reload and retry",
      undefined,
      "conflict.constraint",
    ),
): Promise<void> {
  const tx = await transactWrite(items);
  if (!tx.ok) throw conflict(tx.failed);
}

/** Attempts at a transaction cancelled only by concurrent transactions on the same items. */
const TX_CONFLICT_ATTEMPTS = 6;

export function nowIso(): string {
  return new Date().toISOString();
}
