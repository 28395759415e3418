import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";
import { RateLimitedError } from "../common/errors.ts";

/** A fixed-window request counter shared by every Lambda instance (atomic ADD on one item per window). */
export const RateWindowEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "ratewindow", version: "1", service: "waypoint" },
        attributes: {
          bucket: { type: "string", required: true },
          window: { type: "number", required: true },
          count: { type: "number" },
          /** TTL (epoch seconds): windows disappear shortly after they close. */
          expiresAt: { type: "number" },
        },
        indexes: {
          // the counter of one caller in one window
          primary: {
            pk: { field: "pk", composite: ["bucket", "window"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

export namespace RateLimit {
  export interface Rule {
    /** Requests allowed per window. */
    limit: number;
    windowSeconds: number;
  }
  /** Defaults; an organisation may carry its own `rateLimitPerMinute`. */
  export const PartnerKey: Rule = { limit: 600, windowSeconds: 60 };
  export const PublicIp: Rule = { limit: 10, windowSeconds: 60 };

  /** Hits counted locally before they are added to the shared counter, while well below the limit. */
  export const BATCH = 10;
  /** Local hits are added to the shared counter at least this often. */
  export const FLUSH_MS = 1_000;

  interface Local {
    window: number;
    /** Hits of this instance not yet added to the shared counter. */
    pending: number;
    /** The shared count (all instances) at the last flush. */
    known: number;
    flushedAt: number;
  }
  const local = new Map<string, Local>();

  /**
   * Counts one request of `bucket` (an API key, an IP address) and throws RateLimitedError with the seconds
   * left in the window once the limit is passed.
   *
   * The count is shared by every Lambda instance (an atomic ADD on one item per window), but an instance adds
   * its hits in small batches while the count is below half the limit: every `BATCH` hits or `FLUSH_MS`,
   * whichever comes first. From half the limit on, every hit goes to the shared counter, so the limit itself
   * is enforced exactly; what batching can let through is at most `BATCH` hits per instance that another
   * instance has already counted. It saves a write on nine requests in ten of a busy partner.
   */
  export async function hit(bucket: string, rule: Rule, now = Date.now()): Promise<{ remaining: number }> {
    const windowMs = rule.windowSeconds * 1000;
    const window = Math.floor(now / windowMs);
    const retryAfter = () => Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000));
    let s = local.get(bucket);
    if (!s || s.window !== window) {
      s = { window, pending: 0, known: 0, flushedAt: now };
      if (local.size > 10_000) local.clear();
      local.set(bucket, s);
    }
    s.pending++;
    const estimate = s.known + s.pending;
    const flush = s.pending >= BATCH || estimate * 2 >= rule.limit || now - s.flushedAt >= FLUSH_MS;
    if (!flush) return { remaining: rule.limit - estimate };
    const n = s.pending;
    s.pending = 0;
    s.flushedAt = now;
    const res = await RateWindowEntity.update({ bucket, window })
      .add({ count: n })
      .set({ expiresAt: Math.ceil(((window + 1) * windowMs) / 1000) + 60 })
      .go({ response: "updated_new" });
    const count = (res.data as { count?: number }).count ?? n;
    s.known = Math.max(s.known, count);
    if (count > rule.limit) throw new RateLimitedError(retryAfter());
    return { remaining: rule.limit - count };
  }

  /** Forgets this instance's unflushed hits (tests). */
  export function resetLocal(): void {
    local.clear();
  }
}
