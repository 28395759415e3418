import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { SigningKeys } from "../auth/keys.ts";
import { AtRestKeyEntity } from "../privacy/at-rest-key.entity.ts";
import { AT_REST, masterKey } from "../privacy/keys.ts";
import { nowIso } from "./db.ts";

/**
 * Secrets the platform must be able to use again (not just verify): users' authenticator (TOTP) secrets,
 * partners' webhook signing secrets, single sign-on client secrets. Stored sealed: AES-256-GCM under an at-rest
 * key of the deployment's key ring (privacy/at-rest-key.entity.ts), itself stored wrapped by the master key (AWS
 * KMS when deployed, the local key file locally: privacy/keys.ts). A copy of the table (backup, export, a leaked
 * read permission) then does not reveal them, and rotating the AuthSecret (which signs sessions) does not touch
 * them.
 *
 * Format: `sealed.v2.<key id>.<iv>.<ciphertext>.<tag>` (base64url), the purpose and key ID as additional data
 * (a value sealed for webhooks does not open as an authenticator secret). `SealKeys.rotate()` adds a key that
 * seals from then on; values sealed with older keys still open (their key ID says which).
 *
 * Values sealed before (`sealed.v1.`: a key derived from the AuthSecret) still open while the AuthSecret that
 * sealed them is accepted (the current one, or the previous one during a rotation's grace hour: auth/keys.ts).
 * `open()` says when a value is of that kind (`stale`); its callers seal it again at use, and the scheduled job
 * seals every remaining one again once (privacy/reseal-secrets.ts). Values stored before sealing existed
 * are returned as they are.
 */
const V2 = "sealed.v2.";
const V1 = "sealed.v1.";

interface Ring {
  current: string;
  keys: Map<string, Buffer>;
}
let ring: Promise<Ring> | undefined;

async function loadRing(): Promise<Ring> {
  const master = await masterKey();
  for (let attempt = 0; attempt < 3; attempt++) {
    const items = (await AtRestKeyEntity.query.primary({ ring: "atrest" }).go({ pages: "all", consistent: true }))
      .data;
    if (items.length) {
      const keys = new Map<string, Buffer>();
      for (const k of items) keys.set(k.keyID, await master.unwrap(k.keyID, Buffer.from(k.wrapped, "base64"), AT_REST));
      const current = items.map((k) => k.keyID).sort().at(-1)!;
      return { current, keys };
    }
    // the first use of this deployment: make key 0001 (another process may make it first: then read theirs)
    await createKey("0001").catch(() => undefined);
  }
  throw new Error("The at-rest key could not be made");
}

async function createKey(keyID: string): Promise<void> {
  const master = await masterKey();
  const { wrapped } = await master.generate(keyID, AT_REST);
  await AtRestKeyEntity.create({
    ring: "atrest",
    keyID,
    wrappedBy: master.id,
    wrapped: wrapped.toString("base64"),
    timeCreated: nowIso(),
  }).go();
}

function keyRing(): Promise<Ring> {
  if (!ring) {
    ring = loadRing();
    ring.catch(() => (ring = undefined));
  }
  return ring;
}

/** The key `keyID`, reading the ring again once if it is not known here (another process rotated). */
async function keyOf(keyID: string): Promise<Buffer> {
  let k = (await keyRing()).keys.get(keyID);
  if (!k) {
    ring = undefined;
    k = (await keyRing()).keys.get(keyID);
  }
  if (!k) throw new Error(`Unknown at-rest key ${keyID}`);
  return k;
}

const aad = (purpose: string, keyID: string) => Buffer.from(`waypoint/${purpose}/${keyID}`);

export namespace SealKeys {
  /** The ID of the key new values are sealed with. */
  export async function current(): Promise<string> {
    return (await keyRing()).current;
  }

  /**
   * Adds a key to the ring (the next ID) that seals new values from then on, here at once and in other
   * processes when they next read the ring; values sealed with older keys keep opening. Returns its ID.
   */
  export async function rotate(): Promise<string> {
    ring = undefined;
    const { current } = await keyRing();
    const next = String(Number(current) + 1).padStart(4, "0");
    await createKey(next); // fails if another rotation made it first: a conflict, nothing lost
    ring = undefined;
    return next;
  }

  /** Forgets the keys read (tests; a restore of the table). */
  export function forget(): void {
    ring = undefined;
  }

  /** A key of the ring as a MAC key for `purpose` (recovery codes' HMACs): HKDF of the at-rest key. */
  export async function macKey(purpose: string, keyID?: string): Promise<{ keyID: string; key: Buffer }> {
    const id = keyID ?? (await current());
    const base = await keyOf(id);
    return { keyID: id, key: Buffer.from(hkdfSync("sha256", base, "waypoint", `waypoint/mac/${purpose}`, 32)) };
  }
}

/** Seals `plaintext` for `purpose` with the ring's current key. */
export async function seal(purpose: string, plaintext: string): Promise<string> {
  const { current } = await keyRing();
  const key = await keyOf(current);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aad(purpose, current));
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${V2}${current}.${iv.toString("base64url")}.${ct.toString("base64url")}.${cipher.getAuthTag().toString("base64url")}`;
}

/** Whether a stored value should be sealed again: sealed the old way (AuthSecret), or not sealed at all. */
export const sealedTheOldWay = (stored: string): boolean => !stored.startsWith(V2);

/**
 * The plaintext of a sealed value, and whether it was sealed the old way (then seal it again: `stale`).
 * Throws when it cannot be opened (a v1 value whose AuthSecret is gone, a tampered value).
 */
export async function open(purpose: string, stored: string): Promise<{ plaintext: string; stale: boolean }> {
  if (stored.startsWith(V2)) {
    const [keyID, iv, ct, tag] = stored.slice(V2.length).split(".") as [string, string, string, string];
    const decipher = createDecipheriv("aes-256-gcm", await keyOf(keyID), Buffer.from(iv, "base64url"));
    decipher.setAAD(aad(purpose, keyID));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    const plaintext = Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
    return { plaintext, stale: false };
  }
  if (stored.startsWith(V1)) return { plaintext: openV1(purpose, stored), stale: true };
  return { plaintext: stored, stale: true };
}

/** The plaintext of a sealed value (see `open`). */
export async function unseal(purpose: string, stored: string): Promise<string> {
  return (await open(purpose, stored)).plaintext;
}

/** `sealed.v1.<iv>.<ciphertext>.<tag>`: AES-256-GCM under HKDF(AuthSecret, purpose); read only, never written. */
function openV1(purpose: string, stored: string): string {
  const [iv, ct, tag] = stored.slice(V1.length).split(".") as [string, string, string];
  const attempt = (secret: string) => {
    const key = Buffer.from(hkdfSync("sha256", secret, "waypoint", `waypoint/seal/${purpose}`, 32));
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
  };
  const [first, ...older] = SigningKeys.accepted();
  try {
    return attempt(first!);
  } catch (err) {
    for (const s of older) {
      try {
        return attempt(s);
      } catch {
        // not this one either
      }
    }
    throw err;
  }
}
