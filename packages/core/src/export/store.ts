import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { copyFile, mkdir, mkdtemp, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { pipeline } from "node:stream/promises";
import { dirname, join, resolve } from "node:path";
import type { Readable } from "node:stream";
import type { S3Client } from "@aws-sdk/client-s3";
import { loadPresigner, loadS3 } from "../common/lazy.ts";
import { config } from "../config.ts";
import { InvalidError } from "../common/errors.ts";

let s3: S3Client | undefined;
const client = async () => {
  const { S3Client: Client } = await loadS3();
  return (s3 ??= new Client({ region: config().region }));
};

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
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, body);
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
