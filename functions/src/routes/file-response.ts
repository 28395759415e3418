import { Readable } from "node:stream";
import type { Context } from "hono";

/**
 * A stored file answered to its reader: a 303 to a short-lived link on AWS, otherwise the stream with a safe
 * download name (ASCII fallback and the UTF-8 name), never cached, never sniffed.
 */
export function fileResponse(
  c: Context,
  file: {
    info: { fileName: string; contentType: string; size: number; sha256?: string };
    body?: Readable;
    link?: string;
  },
): Response {
  if (file.link) {
    c.header("cache-control", "no-store");
    return c.redirect(file.link, 303);
  }
  const { info } = file;
  const ascii = info.fileName.replace(/[^\w.\- ]/g, "_");
  return c.body(Readable.toWeb(file.body!) as ReadableStream, 200, {
    "content-type": info.contentType,
    "content-disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(info.fileName)}`,
    "content-length": String(info.size),
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
    ...(info.sha256 ? { "x-checksum-sha256": info.sha256 } : {}),
  });
}
