import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { SigningKeys } from "../auth/keys.ts";
import { config } from "../config.ts";

/**
 * Secrets the platform must be able to use again (not just verify), such as partners' webhook signing secrets,
 * are stored sealed: AES-256-GCM under a key derived (HKDF-SHA256) from the deployment's AuthSecret and a
 * per-purpose label. A copy of the table (backup, export, a leaked read permission) then does not reveal them.
 * Format: `sealed.v1.<iv>.<ciphertext>.<tag>` (base64url). Rotating the AuthSecret makes sealed values
 * unreadable once the rotation's grace period is over (during it, the previous secret still opens them: auth/keys.ts):
 * partners then set their webhook again (which issues a new secret).
 */
const PREFIX = "sealed.v1.";

function key(purpose: string, secret = config().authSecret): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "waypoint", `waypoint/seal/${purpose}`, 32));
}

export function seal(purpose: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(purpose), iv);
  cipher.setAAD(Buffer.from(purpose));
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${PREFIX}${iv.toString("base64url")}.${ct.toString("base64url")}.${cipher.getAuthTag().toString("base64url")}`;
}

/** The plaintext of a sealed value; values stored before sealing existed are returned as they are. */
export function unseal(purpose: string, stored: string): string {
  if (!stored.startsWith(PREFIX)) return stored;
  const [iv, ct, tag] = stored.slice(PREFIX.length).split(".") as [string, string, string];
  const open = (secret: string) => {
    const decipher = createDecipheriv("aes-256-gcm", key(purpose, secret), Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
  };
  const [current, ...older] = SigningKeys.accepted();
  try {
    return open(current!);
  } catch (err) {
    for (const s of older) {
      try {
        return open(s);
      } catch {
        // not this one either
      }
    }
    throw err;
  }
}
