import { nowIso } from "../common/db.ts";
import { mapLimit } from "../common/concurrency.ts";
import { log } from "../common/log.ts";
import { jobHandlers } from "./handlers.ts";
import { JobEntity } from "./job.entity.ts";
import { jobTxItem } from "./tx.ts";

/**
 * Deferred work that must not slow down, or be lost by, the request that causes it: e.g. looking for the
 * registered individual a partner's referral is about (several index queries) happens after the referral is
 * stored, not while the partner waits.
 *
 * - `Job.txItem(...)` goes into the same transaction as the change, so the job exists exactly when the change does.
 * - `Job.run()` takes due jobs, leases each one (a conditional write, so two runners never run the same job),
 *   runs its handler and deletes it. A handler that throws is retried with exponential backoff; after
 *   `MAX_ATTEMPTS` the job stays in state `failed` for an operator to look at. A runner that dies mid-job
 *   leaves the lease to expire, and the job runs again: handlers must be idempotent.
 * - Handlers are listed by kind in `handlers.ts`; `Job.register` adds one more (tests).
 */
export namespace Job {
  export type Stored = NonNullable<Awaited<ReturnType<typeof load>>>;
  export type Handler = (ref: string, job: Stored) => Promise<void>;

  export const MAX_ATTEMPTS = 6;
  /** How long a runner holds a job before another may take it. */
  export const LEASE_MS = 60_000;

  const extra = new Map<string, Handler>();

  export function register(kind: string, handler: Handler): void {
    extra.set(kind, handler);
  }

  /** The put of a new job, to add to the transaction of the change that needs it. */
  export const txItem = jobTxItem;

  async function load(jobID: string) {
    return (await JobEntity.get({ jobID }).go()).data;
  }

  export function backoff(attempts: number, baseMs = 5_000): number {
    return Math.min(baseMs * 2 ** (attempts - 1), 30 * 60_000);
  }

  export interface RunOptions {
    limit?: number;
    /** Only these kinds (tests); default every registered kind. */
    kinds?: string[];
    backoffBaseMs?: number;
  }

  /** Runs the jobs due now. Returns how many finished, will be retried, or failed for good. */
  export async function run(opts: RunOptions = {}) {
    const now = Date.now();
    const due = await JobEntity.query
      .due({ lane: "jobs", state: "pending" })
      .lte({ runAt: now })
      .go({ limit: opts.limit ?? 100 });
    const result = { done: 0, retrying: 0, failed: 0 };
    const jobs = due.data.filter((j) => !opts.kinds || opts.kinds.includes(j.kind));
    await mapLimit(jobs, 4, async (j) => {
      const leased = await JobEntity.patch({ jobID: j.jobID })
        .set({ runAt: now + LEASE_MS, timeUpdated: nowIso() })
        .where((a, { eq }) => `${eq(a.state, "pending")} AND ${eq(a.runAt, j.runAt)}`)
        .go({ response: "none" })
        .then(() => true)
        .catch(() => false);
      if (!leased) return;
      const handler =
        extra.get(j.kind) ?? (Object.hasOwn(jobHandlers, j.kind) ? jobHandlers[j.kind] : undefined);
      try {
        if (!handler) throw new Error(`no handler for job kind ${j.kind}`);
        await handler(j.ref, j);
        await JobEntity.delete({ jobID: j.jobID }).go({ response: "none" });
        result.done++;
      } catch (err) {
        const attempts = j.attempts + 1;
        const failed = attempts >= MAX_ATTEMPTS;
        await JobEntity.patch({ jobID: j.jobID })
          .set({
            lane: "jobs",
            state: failed ? "failed" : "pending",
            attempts,
            runAt: failed ? Date.now() : Date.now() + backoff(attempts, opts.backoffBaseMs),
            lastError: (err as Error).name || "Error",
            timeUpdated: nowIso(),
          })
          .go({ response: "none" });
        result[failed ? "failed" : "retrying"]++;
        log.warn({ jobID: j.jobID, kind: j.kind, attempts, err: (err as Error).name }, "job attempt failed");
      }
    });
    return result;
  }

  /** Jobs that gave up (for an operator), oldest first. */
  export async function failed(limit = 100) {
    return (await JobEntity.query.due({ lane: "jobs", state: "failed" }).go({ limit })).data;
  }

  export const get = load;
}
