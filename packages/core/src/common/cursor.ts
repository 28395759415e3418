import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { SigningKeys } from "../auth/keys.ts";
import { config } from "../config.ts";
import { InvalidError } from "./errors.ts";

/**
 * Opaque, tamper-proof list cursors. ElectroDB's cursor is base64 of the last key, and a name-sorted list's last
 * key holds the last person's folded name (the query scope holds the typed search text): a cursor travels in URLs,
 * browser history and proxy logs, so it must carry neither. The cursor is encrypted (AES-256-GCM under a key
 * derived from the deployment's secret) and bound to its query (`scope`, the additional authenticated data):
 * a client can neither read nor forge it, nor replay it on another query.
 * Format: `<iv>.<ciphertext>.<tag>`, base64url.
 */
export namespace Cursor {
  const cache = new Map<string, Buffer>();
  function key(secret = config().authSecret): Buffer {
    let k = cache.get(secret);
    if (!k) {
      if (cache.size > 4) cache.clear();
      k = Buffer.from(hkdfSync("sha256", secret, "waypoint", "waypoint/cursor/v2", 32));
      cache.set(secret, k);
    }
    return k;
  }

  export function sign(raw: string | null | undefined, scope: string): string | null {
    if (!raw) return null;
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key(), iv);
    cipher.setAAD(Buffer.from(scope));
    const ct = Buffer.concat([cipher.update(raw, "utf8"), cipher.final()]);
    return `${iv.toString("base64url")}.${ct.toString("base64url")}.${cipher.getAuthTag().toString("base64url")}`;
  }

  export function verify(cursor: string | undefined, scope: string): string | null {
    if (!cursor) return null;
    const bad = () =>
      InvalidError.field("cursor", "invalid.cursor", "The cursor is invalid or belongs to another query");
    const [iv, ct, tag, extra] = cursor.split(".");
    if (!iv || !ct || !tag || extra !== undefined) throw bad();
    // the current secret, then (after a rotation, during its grace) the previous one
    for (const secret of SigningKeys.accepted()) {
      try {
        const decipher = createDecipheriv("aes-256-gcm", key(secret), Buffer.from(iv, "base64url"));
        decipher.setAAD(Buffer.from(scope));
        decipher.setAuthTag(Buffer.from(tag, "base64url"));
        return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString(
          "utf8",
        );
      } catch {
        // not this secret
      }
    }
    throw bad();
  }
}
