import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { config } from "../config.ts";

/**
 * Master keys that wrap the operations' data keys (envelope encryption). On AWS: KMS (`GenerateDataKey` makes a
 * data key and its wrapped copy, `Decrypt` unwraps it; the operation is the encryption context, so a wrapped key
 * of one operation does not open for another). Locally: a 32-byte key file (0600) next to the data folder.
 *
 * The same master key wraps the deployment's at-rest keys (common/seal.ts: authenticator secrets, webhook and
 * single sign-on client secrets), with their own purpose in the context: `generate(keyID, AT_REST)`.
 */
export const NARRATIVES = "waypoint-narratives";
export const AT_REST = "waypoint-at-rest";

export interface MasterKey {
  /** How the wrapped copy is labelled in the table. */
  readonly id: string;
  /** `id`: the operation (narratives, the default purpose) or the at-rest key's ID (`AT_REST`). */
  generate(id: string, purpose?: string): Promise<{ plaintext: Buffer; wrapped: Buffer }>;
  unwrap(id: string, wrapped: Buffer, purpose?: string): Promise<Buffer>;
}

/** KMS encryption context: the operation for narratives (as first written), the key's ID for at-rest keys. */
const kmsContext = (id: string, purpose = NARRATIVES): Record<string, string> =>
  purpose === NARRATIVES ? { operationID: id, purpose } : { keyID: id, purpose };
/** Local wrapping's additional data: the operation alone for narratives (as first written). */
const localAad = (id: string, purpose = NARRATIVES) => Buffer.from(purpose === NARRATIVES ? id : `${purpose}/${id}`);

/** The part of the AWS SDK's KMSClient this uses (GenerateDataKeyCommand / DecryptCommand, as documented). */
export interface KmsLike {
  send(command: unknown): Promise<{ Plaintext?: Uint8Array; CiphertextBlob?: Uint8Array }>;
}
export interface KmsCommands {
  GenerateDataKeyCommand: new (input: {
    KeyId: string;
    KeySpec: "AES_256";
    EncryptionContext: Record<string, string>;
  }) => unknown;
  DecryptCommand: new (input: {
    CiphertextBlob: Uint8Array;
    KeyId: string;
    EncryptionContext: Record<string, string>;
  }) => unknown;
}

export function kmsMasterKey(keyId: string, client: KmsLike, commands: KmsCommands): MasterKey {
  return {
    id: `kms:${keyId}`,
    async generate(operationID, purpose) {
      const res = await client.send(
        new commands.GenerateDataKeyCommand({
          KeyId: keyId,
          KeySpec: "AES_256",
          EncryptionContext: kmsContext(operationID, purpose),
        }),
      );
      if (!res.Plaintext || !res.CiphertextBlob) throw new Error("KMS returned no data key");
      return { plaintext: Buffer.from(res.Plaintext), wrapped: Buffer.from(res.CiphertextBlob) };
    },
    async unwrap(operationID, wrapped, purpose) {
      const res = await client.send(
        new commands.DecryptCommand({
          CiphertextBlob: wrapped,
          KeyId: keyId,
          EncryptionContext: kmsContext(operationID, purpose),
        }),
      );
      if (!res.Plaintext) throw new Error("KMS could not unwrap the data key");
      return Buffer.from(res.Plaintext);
    },
  };
}

/** AES-256-GCM key wrapping under a local 32-byte key (the local runtime and tests). */
export function localMasterKey(key: Buffer): MasterKey {
  return {
    id: "local",
    async generate(operationID, purpose) {
      const plaintext = randomBytes(32);
      return { plaintext, wrapped: wrap(key, localAad(operationID, purpose), plaintext) };
    },
    async unwrap(operationID, wrapped, purpose) {
      const iv = wrapped.subarray(0, 12);
      const tag = wrapped.subarray(wrapped.length - 16);
      const d = createDecipheriv("aes-256-gcm", key, iv);
      d.setAAD(localAad(operationID, purpose));
      d.setAuthTag(tag);
      return Buffer.concat([d.update(wrapped.subarray(12, wrapped.length - 16)), d.final()]);
    },
  };
}

function wrap(key: Buffer, aad: Buffer, plaintext: Buffer): Buffer {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key, iv);
  c.setAAD(aad);
  return Buffer.concat([iv, c.update(plaintext), c.final(), c.getAuthTag()]);
}

/** The local key file: `WAYPOINT_KEY_FILE`, or `master.key` in the data folder; made (0600) on first use. */
export function localKeyFile(): Buffer {
  const path = process.env.WAYPOINT_KEY_FILE ?? `${process.env.WAYPOINT_DATA ?? ".waypoint"}/master.key`;
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      writeFileSync(path, randomBytes(32), { mode: 0o600, flag: "wx" });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    chmodSync(path, 0o600);
  }
  const key = readFileSync(path);
  if (key.length !== 32) throw new Error(`The key file ${path} must hold 32 bytes`);
  return key;
}

let master: MasterKey | undefined;
let masterFor: string | undefined;

/** The deployment's master key: KMS when a key is configured (AWS), the local key file otherwise. */
export async function masterKey(): Promise<MasterKey> {
  const kmsKey = process.env.WAYPOINT_KMS_KEY_ID;
  const want = kmsKey ? `kms:${kmsKey}` : `local:${config().mode}`;
  if (master && masterFor === want) return master;
  if (kmsKey) {
    // loaded only where a KMS key is configured; the package is an optional dependency of the Lambda bundle
    const name = "@aws-sdk/client-kms";
    const kms = (await import(/* @vite-ignore */ name)) as KmsCommands & {
      KMSClient: new (c: { region: string }) => KmsLike;
    };
    master = kmsMasterKey(kmsKey, new kms.KMSClient({ region: config().region }), kms);
  } else {
    if (config().mode === "aws") throw new Error("WAYPOINT_KMS_KEY_ID is required on AWS");
    master = localMasterKey(localKeyFile());
  }
  masterFor = want;
  return master;
}

/** Tests swap the master key (a KMS adapter over a stand-in client). */
export function useMasterKey(k: MasterKey | undefined): void {
  master = k;
  masterFor = k
    ? process.env.WAYPOINT_KMS_KEY_ID
      ? `kms:${process.env.WAYPOINT_KMS_KEY_ID}`
      : `local:${config().mode}`
    : undefined;
}
