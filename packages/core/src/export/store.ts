import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { copyFile, mkdir, mkdtemp, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { pipeline } from "node:stream/promises";
import { dirname, join, resolve } from "node:path";
import type { Readable } from "node:stream";
import type { S3Client } from "@aws-sdk/client-s3";
import { loadPresigner, loadS3 } from "../common/lazy.ts";
import { config } from "../config.ts";
import { InvalidError, NotFoundError, UnauthorizedError } from "../common/errors.ts";

const clients = new Map<string, S3Client>();
const client = async () => {
  const { S3Client: Client } = await loadS3();
  const store = config().objectStore;
  const endpoint = store.kind === "s3" ? store.endpoint : undefined;
  let c = clients.get(endpoint ?? "");
  if (!c) {
    // An S3-compatible endpoint (MinIO, tests) is addressed by path; AWS by the bucket's own host name.
    c = endpoint
      ? new Client({
          region: config().region === "local" ? "us-east-1" : config().region,
          endpoint,
          forcePathStyle: true,
          requestChecksumCalculation: "WHEN_REQUIRED",
        })
      : new Client({ region: config().region });
    clients.set(endpoint ?? "", c);
  }
  return c;
};

/** Local upload links: `<payload>.<HMAC>` signed with the instance's secret, as a presigned S3 URL is. */
interface UploadToken {
  key: string;
  /** Expiry, epoch milliseconds. */
  exp: number;
  contentType: string;
  maxBytes: number;
}
const tokenMac = (payload: string) =>
  createHmac("sha256", config().authSecret).update(`waypoint-upload:${payload}`).digest("base64url");
function signToken(t: UploadToken): string {
  const payload = Buffer.from(JSON.stringify(t)).toString("base64url");
  return `${payload}.${tokenMac(payload)}`;
}
function verifyToken(token: string): UploadToken {
  const [payload = "", mac = ""] = token.split(".");
  const want = Buffer.from(tokenMac(payload));
  const got = Buffer.from(mac);
  const t =
    got.length === want.length && timingSafeEqual(got, want)
      ? (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as UploadToken)
      : undefined;
  if (!t || typeof t.exp !== "number" || t.exp < Date.now())
    throw new UnauthorizedError("The upload link is invalid or has expired");
  return t;
}

/**
 * Object storage port: a folder under the data directory locally, the linked bucket on AWS. Files are handed
 * over as finished local files (exports are written to a temp file first, streaming), so memory stays bounded
 * whatever the size.
 */
export namespace ObjectStore {
  function safeKey(key: string): string {
    if (key.split("/").some((part) => part === ".." || part === ""))
      throw InvalidError.field("key", "invalid.key", "Bad object key");
    return key;
  }

  export async function putFile(key: string, file: string, contentType: string): Promise<void> {
    const store = config().objectStore;
    safeKey(key);
    if (store.kind === "folder") {
      const target = resolve(join(store.path, key));
      await mkdir(dirname(target), { recursive: true });
      await rename(file, target).catch(() => copyFile(file, target));
      return;
    }
    await upload(await client(), store.bucket, key, file, contentType);
  }

  /** A finished local file into the bucket, streamed (its length known, so no buffering). */
  async function upload(s3Client: S3Client, bucket: string, key: string, file: string, contentType: string) {
    const { size } = await stat(file);
    const { PutObjectCommand } = await loadS3();
    await s3Client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: createReadStream(file),
        ContentLength: size,
        ContentType: contentType,
      }),
    );
  }

  /** Small objects already in memory (uploaded documents, bounded by the upload limit). */
  export async function put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    const store = config().objectStore;
    safeKey(key);
    if (store.kind === "folder") {
      const target = resolve(join(store.path, key));
      await mkdir(dirname(target), { recursive: true, mode: 0o700 });
      await writeFile(target, body, { mode: 0o600 });
      return;
    }
    const { PutObjectCommand } = await loadS3();
    await (
      await client()
    ).send(new PutObjectCommand({ Bucket: store.bucket, Key: key, Body: body, ContentType: contentType }));
  }

  export async function get(key: string): Promise<Readable> {
    const store = config().objectStore;
    safeKey(key);
    if (store.kind === "folder") return createReadStream(resolve(join(store.path, key)));
    const { GetObjectCommand } = await loadS3();
    const res = await (await client()).send(new GetObjectCommand({ Bucket: store.bucket, Key: key }));
    return res.Body as Readable;
  }

  /** How long a download link works. Long enough to start the download, short enough that a leaked link is dead. */
  export const LINK_SECONDS = 60;
  /** How long an upload link works: long enough to start sending 10 MB over a slow line. */
  export const UPLOAD_LINK_SECONDS = 300;

  export interface UploadLink {
    url: string;
    method: "PUT";
    /** Headers the upload must carry (the signed content type). */
    headers: Record<string, string>;
    expiresAt: string;
  }

  /**
   * A short-lived link the client sends one file to. On AWS a presigned PUT straight to the bucket: a file never
   * passes through a Lambda, whose request and response bodies stop at 6 MB (4.5 MB of content once base64'd).
   * For the local folder store, the local equivalent: `PUT /api/files/{token}` on the API, the token signed with
   * the instance's secret and naming the key, type, size limit and expiry (`acceptUpload` checks them).
   */
  export async function uploadLink(
    key: string,
    file: { contentType: string; maxBytes: number },
  ): Promise<UploadLink> {
    const store = config().objectStore;
    safeKey(key);
    const exp = Date.now() + UPLOAD_LINK_SECONDS * 1000;
    const headers = { "content-type": file.contentType };
    const expiresAt = new Date(exp).toISOString();
    if (store.kind === "folder") {
      const token = signToken({ key, exp, contentType: file.contentType, maxBytes: file.maxBytes });
      return { url: `/api/files/${token}`, method: "PUT", headers, expiresAt };
    }
    const [{ PutObjectCommand }, { getSignedUrl }] = await Promise.all([loadS3(), loadPresigner()]);
    const command = new PutObjectCommand({ Bucket: store.bucket, Key: key, ContentType: file.contentType });
    const url = await getSignedUrl(await client(), command, { expiresIn: UPLOAD_LINK_SECONDS });
    return { url, method: "PUT", headers, expiresAt };
  }

  /**
   * Receives a file sent to a local upload link (folder store only; on AWS the bucket receives it). The token is
   * the authorisation, as the signature of a presigned URL is; the file is written whole or not at all, and
   * refused above the link's size limit.
   */
  export async function acceptUpload(token: string, body: Readable): Promise<{ key: string; size: number }> {
    const store = config().objectStore;
    if (store.kind !== "folder") throw new NotFoundError("route", "/api/files");
    const t = verifyToken(token);
    const target = resolve(join(store.path, safeKey(t.key)));
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    const partial = `${target}.${randomUUID()}.part`;
    let size = 0;
    try {
      await pipeline(
        body,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            size += chunk.length;
            if (size > t.maxBytes)
              throw InvalidError.field(
                "content",
                "invalid.tooLarge",
                `Files up to ${t.maxBytes / 1024 / 1024} MB`,
              );
            yield chunk;
          }
        },
        createWriteStream(partial, { mode: 0o600 }),
      );
      await rename(partial, target);
    } finally {
      await rm(partial, { force: true });
    }
    return { key: t.key, size };
  }

  /**
   * A signed ticket that hands what an upload link was given for (the record, the key, who asked) back to the call
   * that completes it: `<payload>.<HMAC>` with the instance's secret, the HMAC bound to `purpose`, with an expiry.
   */
  export function sealTicket(purpose: string, value: object, seconds = 3600): string {
    const payload = Buffer.from(JSON.stringify({ ...value, exp: Date.now() + seconds * 1000 })).toString(
      "base64url",
    );
    return `${payload}.${ticketMac(purpose, payload)}`;
  }
  /** The ticket's value when it is intact, sealed for `purpose` and not expired; otherwise undefined. */
  export function openTicket<T extends object>(purpose: string, ticket: string): T | undefined {
    const [payload = "", mac = ""] = ticket.split(".");
    const want = Buffer.from(ticketMac(purpose, payload));
    const got = Buffer.from(mac);
    if (got.length !== want.length || !timingSafeEqual(got, want)) return undefined;
    const t = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as T & { exp: number };
    return typeof t.exp === "number" && t.exp >= Date.now() ? t : undefined;
  }
  const ticketMac = (purpose: string, payload: string) =>
    createHmac("sha256", config().authSecret)
      .update(`waypoint-ticket:${purpose}:${payload}`)
      .digest("base64url");

  /** The size of a stored object, or undefined when there is none. */
  export async function head(key: string): Promise<{ size: number } | undefined> {
    const store = config().objectStore;
    safeKey(key);
    if (store.kind === "folder") {
      const st = await stat(resolve(join(store.path, key))).catch(() => undefined);
      return st?.isFile() ? { size: st.size } : undefined;
    }
    const { HeadObjectCommand } = await loadS3();
    try {
      const res = await (await client()).send(new HeadObjectCommand({ Bucket: store.bucket, Key: key }));
      return { size: res.ContentLength ?? 0 };
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (err as Error).name === "NotFound") return undefined;
      throw err;
    }
  }

  export async function remove(key: string): Promise<void> {
    const store = config().objectStore;
    safeKey(key);
    if (store.kind === "folder") return rm(resolve(join(store.path, key)), { force: true });
    const { DeleteObjectCommand } = await loadS3();
    await (await client()).send(new DeleteObjectCommand({ Bucket: store.bucket, Key: key }));
  }

  /**
   * A short-lived link to download an object straight from the bucket (AWS), or undefined for the local folder
   * (the API streams those). A Lambda response is limited to 6 MB, and a payment file of a large batch is bigger:
   * the API checks the right to download, audits it, and redirects to this link.
   */
  export async function downloadLink(
    key: string,
    file: { fileName: string; contentType: string },
  ): Promise<string | undefined> {
    const store = config().objectStore;
    safeKey(key);
    if (store.kind === "folder") return undefined;
    return presign(await client(), store.bucket, key, file);
  }

  /**
   * A generated file (a report export) too big for a Lambda response, handed over through the bucket: written to
   * a temporary file (bounded memory), uploaded under `downloads/` (the bucket expires that prefix after a day,
   * infra/storage.ts) and returned as a short-lived link. Undefined for the local folder store: the API streams.
   */
  export async function offload(
    body: Readable,
    file: { fileName: string; contentType: string },
  ): Promise<string | undefined> {
    const store = config().objectStore;
    if (store.kind === "folder") return undefined;
    return offloadTo(await client(), store.bucket, body, file);
  }

  /** `offload` to a given client and bucket (tests use an S3-compatible endpoint). */
  export async function offloadTo(
    s3Client: S3Client,
    bucket: string,
    body: Readable,
    file: { fileName: string; contentType: string },
  ): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "waypoint-download-"));
    const local = join(dir, "file");
    try {
      await pipeline(body, createWriteStream(local));
      const key = `${DOWNLOADS}/${randomUUID()}/${file.fileName.replace(/[^\w.-]/g, "_")}`;
      await upload(s3Client, bucket, key, local, file.contentType);
      return presign(s3Client, bucket, key, file);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Prefix of files handed over by `offload`; the bucket deletes them after a day (infra/storage.ts). */
  export const DOWNLOADS = "downloads";

  /** The presigned GET (exported for tests: signing needs credentials, not the network). */
  export async function presign(
    s3Client: S3Client,
    bucket: string,
    key: string,
    file: { fileName: string; contentType: string },
  ): Promise<string> {
    const [{ GetObjectCommand }, { getSignedUrl }] = await Promise.all([loadS3(), loadPresigner()]);
    const command = new GetObjectCommand({
      Bucket: bucket,
      Key: key,
      ResponseContentType: file.contentType,
      ResponseContentDisposition: `attachment; filename="${file.fileName.replace(/["\\\r\n]/g, "_")}"`,
    });
    return getSignedUrl(s3Client, command, { expiresIn: LINK_SECONDS });
  }
}
