import { createHmac, timingSafeEqual } from "node:crypto";
import { config } from "../config.ts";
import { InvalidError } from "./errors.ts";

/**
 * Opaque, tamper-proof list cursors. ElectroDB's cursor is base64 of the last key; handing it out raw would let a
 * client forge keys. We bind it to the query (`scope`, e.g. the index and filter) and sign it with HMAC-SHA256.
 */
export namespace Cursor {
  const mac = (data: string) => createHmac("sha256", config().authSecret).update(data).digest("base64url");

  export function sign(raw: string | null | undefined, scope: string): string | null {
    if (!raw) return null;
    const body = Buffer.from(JSON.stringify({ c: raw, s: scope })).toString("base64url");
    return `${body}.${mac(body)}`;
  }

  export function verify(cursor: string | undefined, scope: string): string | null {
    if (!cursor) return null;
    const [body, sig] = cursor.split(".");
    const bad = () =>
      InvalidError.field("cursor", "invalid.cursor", "The cursor is invalid or belongs to another query");
    if (!body || !sig) throw bad();
    const expected = Buffer.from(mac(body));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw bad();
    const { c, s } = JSON.parse(Buffer.from(body, "base64url").toString()) as { c: string; s: string };
    if (s !== scope) throw bad();
    return c;
  }
}
