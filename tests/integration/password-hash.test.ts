import { scryptSync, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PasswordHash } from "@waypoint/core/user/hash";

/**
 * Password hashes at the parameters of current guidance (OWASP: scrypt N=2^14, r=8, p=5, rated as strong as
 * N=2^17 p=1), with older hashes still verifying. The tests' fixtures hash at a test cost (tests/support/env.ts):
 * here the guidance parameters are used explicitly.
 */
describe("password hashes", () => {
  it("hashes at the guidance's parameters, verifies them, and still verifies the first format", async () => {
    const saved = process.env.WAYPOINT_PASSWORD_COST;
    delete process.env.WAYPOINT_PASSWORD_COST;
    try {
      expect(PasswordHash.current()).toEqual({ ln: 14, r: 8, p: 5 });
      const stored = await PasswordHash.hash("lantern-orchid-meadow-41");
      expect(stored).toMatch(/^scrypt\$ln=14,r=8,p=5\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
      // the stored value is what scrypt with those parameters gives for its salt
      const [, , salt, hash] = stored.split("$");
      const again = scryptSync("lantern-orchid-meadow-41", Buffer.from(salt!, "base64"), 32, {
        N: 2 ** 14,
        r: 8,
        p: 5,
        maxmem: 64 * 2 ** 20,
      });
      expect(again.toString("base64")).toBe(hash);
      expect(await PasswordHash.verify("lantern-orchid-meadow-41", stored)).toBe(true);
      expect(await PasswordHash.verify("lantern-orchid-meadow-42", stored)).toBe(false);
      expect(PasswordHash.outdated(stored)).toBe(false);

      // a hash of the first format (Node's defaults N=2^14, p=1): verifies, and is outdated
      const s = randomBytes(16);
      const legacy = `scrypt$${s.toString("base64")}$${scryptSync("old-password-of-2025", s, 32).toString("base64")}`;
      expect(await PasswordHash.verify("old-password-of-2025", legacy)).toBe(true);
      expect(await PasswordHash.verify("old-password-of-2026", legacy)).toBe(false);
      expect(PasswordHash.outdated(legacy)).toBe(true);

      // no stored hash (an invited account, an unknown e-mail): false, after the same work
      expect(await PasswordHash.verify("anything-at-all-1", undefined)).toBe(false);
      expect(await PasswordHash.verify("anything-at-all-1", "scrypt$ln=99,r=8,p=1$AA==$AA==")).toBe(false);
    } finally {
      process.env.WAYPOINT_PASSWORD_COST = saved;
    }
  });

  it("runs many hashes at once in order of arrival, one per core, and all of them right", async () => {
    const stored = await PasswordHash.hash("queue-check-password-7");
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => PasswordHash.verify(i % 2 ? "queue-check-password-7" : "wrong-one-x", stored)),
    );
    expect(results).toEqual(Array.from({ length: 12 }, (_, i) => i % 2 === 1));
  });
});
