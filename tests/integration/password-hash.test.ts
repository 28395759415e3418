import { scryptSync, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hash as argon2hash, verify as argon2verify } from "@node-rs/argon2";
import { User } from "@waypoint/core";
import { PasswordHash } from "@waypoint/core/user/hash";
import { UserEntity } from "@waypoint/core/user/user.entity";
import { as, call, createTestOperation, system } from "../support/fixtures.ts";

/**
 * Password hashes: Argon2id at OWASP's parameters (m=19456 KiB, t=2, p=1), with the scrypt hashes stored before
 * still verifying, and replaced by an Argon2id hash at the next successful sign-in. The tests' fixtures hash at a
 * test cost (tests/support/env.ts): here the guidance parameters are used explicitly where they are checked.
 */
const scryptV2 = (password: string) => {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N: 2 ** 14, r: 8, p: 5, maxmem: 64 * 2 ** 20 });
  return `scrypt$ln=14,r=8,p=5$${salt.toString("base64")}$${key.toString("base64")}`;
};

async function withGuidanceCost<T>(fn: () => Promise<T>): Promise<T> {
  const saved = process.env.WAYPOINT_PASSWORD_COST;
  delete process.env.WAYPOINT_PASSWORD_COST;
  try {
    return await fn();
  } finally {
    process.env.WAYPOINT_PASSWORD_COST = saved;
  }
}

describe("password hashes", () => {
  it("hashes with Argon2id at the guidance's parameters, verifies them, and still verifies both scrypt formats", async () => {
    await withGuidanceCost(async () => {
      expect(PasswordHash.current()).toEqual({ m: 19456, t: 2, p: 1 });
      const stored = await PasswordHash.hash("lantern-orchid-meadow-41");
      expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
      // the stored value is a standard PHC string: the library checks it by itself, with no parameters given
      expect(await argon2verify(stored, "lantern-orchid-meadow-41")).toBe(true);
      expect(await PasswordHash.verify("lantern-orchid-meadow-41", stored)).toBe(true);
      expect(await PasswordHash.verify("lantern-orchid-meadow-42", stored)).toBe(false);
      expect(PasswordHash.outdated(stored)).toBe(false);

      // weaker Argon2id (less memory, one pass): verifies, and is outdated
      const weak = await argon2hash("weaker-params-password-1", { memoryCost: 4096, timeCost: 1, parallelism: 1 });
      expect(weak).toMatch(/^\$argon2id\$v=19\$m=4096,t=1,p=1\$/);
      expect(await PasswordHash.verify("weaker-params-password-1", weak)).toBe(true);
      expect(PasswordHash.outdated(weak)).toBe(true);

      // scrypt as this code stored it until now (N=2^14, r=8, p=5): verifies, and is outdated
      const scrypt = scryptV2("old-password-of-november");
      expect(await PasswordHash.verify("old-password-of-november", scrypt)).toBe(true);
      expect(await PasswordHash.verify("old-password-of-december", scrypt)).toBe(false);
      expect(PasswordHash.outdated(scrypt)).toBe(true);

      // the first format (Node's defaults N=2^14, p=1): verifies, and is outdated
      const s = randomBytes(16);
      const legacy = `scrypt$${s.toString("base64")}$${scryptSync("old-password-of-2025", s, 32).toString("base64")}`;
      expect(await PasswordHash.verify("old-password-of-2025", legacy)).toBe(true);
      expect(await PasswordHash.verify("old-password-of-2026", legacy)).toBe(false);
      expect(PasswordHash.outdated(legacy)).toBe(true);

      // no stored hash (an invited account, an unknown e-mail) or an unreadable one: false, after the same work
      expect(await PasswordHash.verify("anything-at-all-1", undefined)).toBe(false);
      expect(await PasswordHash.verify("anything-at-all-1", "scrypt$ln=99,r=8,p=1$AA==$AA==")).toBe(false);
      expect(await PasswordHash.verify("anything-at-all-1", "$argon2id$v=19$m=99999999,t=2,p=1$AAAA$AAAA")).toBe(false);
    });
  });

  it("runs many hashes at once in order of arrival, one per core, and all of them right", async () => {
    const stored = await PasswordHash.hash("queue-check-password-7");
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => PasswordHash.verify(i % 2 ? "queue-check-password-7" : "wrong-one-x", stored)),
    );
    expect(results).toEqual(Array.from({ length: 12 }, (_, i) => i % 2 === 1));
  });

  it("replaces a scrypt hash with Argon2id at the next successful sign-in, never at a failed one", async () => {
    const op = await createTestOperation();
    const email = `rehash.${op.operationID.slice(-6)}@hash.example.org`.toLowerCase();
    const password = "amber-quill-harbour-58";
    const u = await as(system, () =>
      User.create({
        email,
        name: "Rehash Person",
        password,
        grants: [{ operationID: op.operationID, role: "caseworker", officeIDs: [op.officeA] }],
      }),
    );
    // as if stored before Argon2id: the scrypt hash of the same password
    const old = scryptV2(password);
    await UserEntity.patch({ userID: u.userID }).set({ passwordHash: old }).go();
    const read = async () => (await UserEntity.get({ userID: u.userID }).go({ consistent: true })).data!;
    const versionBefore = (await read()).version;

    // a wrong password changes nothing
    expect((await call("POST", "/auth/login", { body: { email, password: "not-the-password-1" } })).status).toBe(401);
    expect((await read()).passwordHash).toBe(old);

    // the right one signs in and leaves an Argon2id hash of it, at the version it had
    const first = await call("POST", "/auth/login", { body: { email, password } });
    expect(first.status, first.text).toBe(200);
    expect(first.json.token).toBeTruthy();
    const after = await read();
    expect(after.passwordHash).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=1\$/);
    expect(await argon2verify(after.passwordHash!, password)).toBe(true);
    expect(after.version).toBe(versionBefore);

    // signs in again with the new hash, which is not replaced again
    const second = await call("POST", "/auth/login", { body: { email, password } });
    expect(second.status, second.text).toBe(200);
    expect((await read()).passwordHash).toBe(after.passwordHash);
  });

  it("does not overwrite a password changed between the sign-in's read and its rehash (conditional on the version)", async () => {
    const op = await createTestOperation();
    const u = await as(system, () =>
      User.create({
        email: `rehash-race.${op.operationID.slice(-6)}@hash.example.org`.toLowerCase(),
        name: "Rehash Race",
        password: "first-password-cobalt-7",
        grants: [{ operationID: op.operationID, role: "caseworker", officeIDs: [op.officeA] }],
      }),
    );
    const old = scryptV2("first-password-cobalt-7");
    await UserEntity.patch({ userID: u.userID }).set({ passwordHash: old }).go();
    const seen = (await UserEntity.get({ userID: u.userID }).go({ consistent: true })).data!;

    // meanwhile the password is changed (a reset link: a new hash and a new version)
    const changed = await PasswordHash.hash("second-password-cobalt-8");
    await UserEntity.patch({ userID: u.userID }).set({ passwordHash: changed }).add({ version: 1 }).go();

    // the sign-in that read the old record rehashes the old password: refused by the condition
    expect(await User.rehashPassword(seen, "first-password-cobalt-7")).toBe(false);
    const now = (await UserEntity.get({ userID: u.userID }).go({ consistent: true })).data!;
    expect(now.passwordHash).toBe(changed);

    // at the stored version, a current hash is left alone, and an outdated one is replaced
    expect(await User.rehashPassword(now, "second-password-cobalt-8")).toBe(false);
    await UserEntity.patch({ userID: u.userID }).set({ passwordHash: scryptV2("second-password-cobalt-8") }).go();
    const again = (await UserEntity.get({ userID: u.userID }).go({ consistent: true })).data!;
    expect(await User.rehashPassword(again, "second-password-cobalt-8")).toBe(true);
    expect(
      await PasswordHash.verify(
        "second-password-cobalt-8",
        (await UserEntity.get({ userID: u.userID }).go({ consistent: true })).data!.passwordHash,
      ),
    ).toBe(true);
  });
});
