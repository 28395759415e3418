import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { resetConfig } from "@waypoint/core";

/**
 * The AWS path of the object store, against an S3-compatible endpoint on loopback (path-style PUT, HEAD and GET of a
 * bucket named `files`): core is pointed at it for the calling `describe` block and put back after it. `objects`
 * holds what was stored, by path (`/files/<key>`); `endpoint()` is its origin.
 */
export function s3CompatibleBucket() {
  const objects = new Map<string, { body: Buffer; type?: string }>();
  let server: Server | undefined;
  let endpoint = "";
  const names = ["WAYPOINT_S3_BUCKET", "WAYPOINT_S3_ENDPOINT", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"];
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    const s = createServer((req, res) => {
      const path = decodeURIComponent(req.url!.split("?")[0]!);
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const o = objects.get(path);
        if (req.method === "PUT") {
          objects.set(path, { body: Buffer.concat(chunks), type: req.headers["content-type"] });
          return void res.writeHead(200, { ETag: '"etag"' }).end();
        }
        if (!o) return void res.writeHead(404).end();
        const headers = { "content-length": String(o.body.length), "content-type": o.type ?? "" };
        if (req.method === "HEAD") return void res.writeHead(200, headers).end();
        if (req.method === "GET") return void res.writeHead(200, headers).end(o.body);
        res.writeHead(405).end();
      });
    });
    server = s;
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    endpoint = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    for (const k of names) saved[k] = process.env[k];
    Object.assign(process.env, {
      WAYPOINT_S3_BUCKET: "files",
      WAYPOINT_S3_ENDPOINT: endpoint,
      AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "not-a-real-secret",
    });
    resetConfig();
  });

  afterAll(() => {
    for (const k of names)
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    resetConfig();
    server?.close();
  });

  return { objects, endpoint: () => endpoint };
}
