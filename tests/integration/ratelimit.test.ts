import { describe, expect, it } from "vitest";
import { RateLimit, RateWindowEntity } from "@waypoint/core/ratelimit/index";

const rule = { limit: 100, windowSeconds: 3600 };
/** A fixed instant in the middle of a window, so a test never straddles two windows. */
const now = Math.floor(Date.now() / 3_600_000) * 3_600_000 + 1_800_000;
const windowOf = (t: number) => Math.floor(t / 3_600_000);

async function shared(bucket: string) {
  return (await RateWindowEntity.get({ bucket, window: windowOf(now) }).go()).data?.count ?? 0;
}

describe("rate limit shared by instances, counted in batches below half the limit", () => {
  it("adds hits in batches of ten while far from the limit, then every hit, and refuses the 101st", async () => {
    const bucket = `test:${Math.random()}`;
    for (let i = 1; i <= 45; i++) await RateLimit.hit(bucket, rule, now);
    // Hits 1-40 reached the shared counter in four batches; 41-45 are still local.
    expect(await shared(bucket)).toBe(40);
    for (let i = 46; i <= 50; i++) await RateLimit.hit(bucket, rule, now);
    expect(await shared(bucket)).toBe(50);
    await RateLimit.hit(bucket, rule, now);
    expect(await shared(bucket)).toBe(51);
    for (let i = 52; i <= 100; i++) await RateLimit.hit(bucket, rule, now);
    await expect(RateLimit.hit(bucket, rule, now)).rejects.toMatchObject({ name: "RateLimitedError" });
    expect(await shared(bucket)).toBe(101);
  });

  it("flushes local hits after a second even when few", async () => {
    const bucket = `test:${Math.random()}`;
    await RateLimit.hit(bucket, rule, now);
    await RateLimit.hit(bucket, rule, now + 10);
    expect(await shared(bucket)).toBe(0);
    await RateLimit.hit(bucket, rule, now + RateLimit.FLUSH_MS);
    expect(await shared(bucket)).toBe(3);
  });

  it("honours hits other instances counted: at most one batch more than the limit gets through", async () => {
    const bucket = `test:${Math.random()}`;
    // Another instance has already used 97 of the 100.
    await RateWindowEntity.update({ bucket, window: windowOf(now) })
      .add({ count: 97 })
      .go();
    let allowed = 0;
    for (let i = 0; i < 30; i++) {
      try {
        await RateLimit.hit(bucket, rule, now);
        allowed++;
      } catch (err) {
        expect((err as Error).name).toBe("RateLimitedError");
      }
    }
    expect(allowed).toBeGreaterThanOrEqual(3);
    expect(allowed).toBeLessThanOrEqual(3 + RateLimit.BATCH);
    // From the first flush on, this instance knows the shared count and refuses every further hit.
    await expect(RateLimit.hit(bucket, rule, now)).rejects.toMatchObject({ name: "RateLimitedError" });
  });

  it("keeps a tight limit exact (public form: 10 per minute per address)", async () => {
    const bucket = `ip:test-${Math.random()}`;
    const results: string[] = [];
    for (let i = 0; i < 12; i++)
      results.push(
        await RateLimit.hit(bucket, RateLimit.PublicIp, now).then(
          () => "ok",
          (err: Error) => err.name,
        ),
      );
    expect(results).toEqual([...Array(10).fill("ok"), "RateLimitedError", "RateLimitedError"]);
  });
});
