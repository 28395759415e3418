import { Entity } from "electrodb";
import { entityOptions } from "../common/db.ts";
import { RateLimitedError } from "../common/errors.ts";

/** A fixed-window request counter shared by every Lambda instance (atomic ADD on one item per window). */
export const RateWindowEntity = new Entity(
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

  /**
   * Counts one request of `bucket` (an API key, an IP address) and throws RateLimitedError with the seconds
   * left in the window once the limit is passed.
   */
  export async function hit(bucket: string, rule: Rule, now = Date.now()): Promise<{ remaining: number }> {
    const windowMs = rule.windowSeconds * 1000;
    const window = Math.floor(now / windowMs);
    const res = await RateWindowEntity.update({ bucket, window })
      .add({ count: 1 })
      .set({ expiresAt: Math.ceil(((window + 1) * windowMs) / 1000) + 60 })
      .go({ response: "updated_new" });
    const count = (res.data as { count?: number }).count ?? 1;
    if (count > rule.limit) {
      throw new RateLimitedError(Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000)));
    }
    return { remaining: rule.limit - count };
  }
}
