import { AsyncLocalStorage } from "node:async_hooks";
import type { TxItem } from "./db.ts";

/**
 * The audit event of an API call (partner calls: who, which route, outcome), carried through the request so the
 * first transaction the call commits writes it as one more item: one write instead of two for every successful
 * partner write, and the call's record can never be missing for a change it made. The HTTP layer records the
 * event itself when no transaction took it, or when the call failed after committing.
 */
export interface PendingCallAudit {
  /** The audit put, built when a transaction takes it. */
  item: () => TxItem;
  /** Set once a transaction carrying the item has committed. */
  committed: boolean;
}

const store = new AsyncLocalStorage<PendingCallAudit>();

export namespace CallAudit {
  export function run<T>(call: PendingCallAudit, fn: () => T): T {
    return store.run(call, fn);
  }

  /** The call's pending audit item, if this request has one that no transaction has taken yet. */
  export function pending(): PendingCallAudit | undefined {
    const call = store.getStore();
    return call && !call.committed ? call : undefined;
  }
}
