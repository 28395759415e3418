import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { nowIso } from "../common/db.ts";
import { DataKeyEntity } from "./datakey.entity.ts";
import { masterKey } from "./keys.ts";

/**
 * Field-level encryption of narratives (case notes, incident descriptions, BID reasons): AES-256-GCM under the
 * operation's data key (envelope: the data key is stored wrapped by KMS or the local master key, and kept in
 * memory once unwrapped). A copy of the table (backup, export, a leaked read permission) shows ciphertext only.
 * Format: `nar.v1.<iv>.<ciphertext>.<tag>` (base64url), the operation ID as additional authenticated data.
 * Search and reports never need narratives, so nothing else changes.
 */
const PREFIX = "nar.v1.";
const keys = new Map<string, Promise<Buffer>>();

async function dataKey(operationID: string): Promise<Buffer> {
  let k = keys.get(operationID);
  if (!k) {
    k = loadOrCreate(operationID);
    keys.set(operationID, k);
    k.catch(() => keys.delete(operationID));
  }
  return k;
}

async function loadOrCreate(operationID: string): Promise<Buffer> {
  const master = await masterKey();
  for (let attempt = 0; attempt < 2; attempt++) {
    const stored = (await DataKeyEntity.get({ operationID }).go({ consistent: true })).data;
    if (stored) return master.unwrap(operationID, Buffer.from(stored.wrapped, "base64"));
    const { plaintext, wrapped } = await master.generate(operationID);
    try {
      await DataKeyEntity.create({
        operationID,
        wrappedBy: master.id,
        wrapped: wrapped.toString("base64"),
        timeCreated: nowIso(),
      }).go();
      return plaintext;
    } catch {
      // another process made the operation's key first: read theirs
    }
  }
  throw new Error("The operation's data key could not be made");
}

export namespace Narrative {
  export const isSealed = (v: unknown): v is string => typeof v === "string" && v.startsWith(PREFIX);

  export async function seal(operationID: string, text: string): Promise<string> {
    if (isSealed(text)) return text;
    const key = await dataKey(operationID);
    const iv = randomBytes(12);
    const c = createCipheriv("aes-256-gcm", key, iv);
    c.setAAD(Buffer.from(operationID));
    const ct = Buffer.concat([c.update(text, "utf8"), c.final()]);
    return `${PREFIX}${iv.toString("base64url")}.${ct.toString("base64url")}.${c.getAuthTag().toString("base64url")}`;
  }

  /** The text of a sealed narrative; a value stored before encryption is returned as it is. */
  export async function open(operationID: string, stored: string): Promise<string> {
    if (!isSealed(stored)) return stored;
    const key = await dataKey(operationID);
    const [iv, ct, tag] = stored.slice(PREFIX.length).split(".") as [string, string, string];
    const d = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    d.setAAD(Buffer.from(operationID));
    d.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([d.update(Buffer.from(ct, "base64url")), d.final()]).toString("utf8");
  }

  /** `record` with `fields` sealed (strings only). */
  export async function sealFields<T extends Record<string, unknown>>(
    operationID: string,
    record: T,
    fields: readonly string[],
  ): Promise<T> {
    const out: Record<string, unknown> = { ...record };
    for (const f of fields)
      if (typeof out[f] === "string") out[f] = await seal(operationID, out[f] as string);
    return out as T;
  }

  /** `record` with `fields` opened. */
  export async function openFields<T extends Record<string, unknown>>(
    record: T,
    fields: readonly string[],
    operationID = record.operationID as string,
  ): Promise<T> {
    if (!fields.some((f) => isSealed(record[f]))) return record;
    const out: Record<string, unknown> = { ...record };
    for (const f of fields) if (isSealed(out[f])) out[f] = await open(operationID, out[f] as string);
    return out as T;
  }

  /** An audit diff with the narrative fields' before/after sealed. */
  export async function sealDiff(
    operationID: string,
    changes: Record<string, { before?: unknown; after?: unknown }>,
    fields: readonly string[],
  ) {
    const out = { ...changes };
    for (const f of fields) {
      const c = out[f];
      if (!c) continue;
      out[f] = {
        before: typeof c.before === "string" ? await seal(operationID, c.before) : c.before,
        after: typeof c.after === "string" ? await seal(operationID, c.after) : c.after,
      };
    }
    return out;
  }

  /** Forgets unwrapped keys (tests; a key rotation). */
  export function forgetKeys(): void {
    keys.clear();
  }
}
