import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { S3Client } from "@aws-sdk/client-s3";
import { ObjectStore } from "@waypoint/core/export/store";

/**
 * On AWS an export file is downloaded from the bucket through a short-lived link (a Lambda response stops at
 * 6 MB). Signing needs credentials, not the network, so the link is checked here with the real presigner.
 */
describe("download links to the bucket", () => {
  it("are signed for 60 seconds, for one object, with the file name and type the browser should use", async () => {
    const client = new S3Client({
      region: "eu-west-1",
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-a-real-secret" },
    });
    const url = new URL(
      await ObjectStore.presign(client, "waypoint-files-prod", "exports/op_1/exp_1.xml", {
        fileName: 'batch "7".xml',
        contentType: "application/xml",
      }),
    );
    expect(url.protocol).toBe("https:");
    expect(url.hostname).toBe("waypoint-files-prod.s3.eu-west-1.amazonaws.com");
    expect(url.pathname).toBe("/exports/op_1/exp_1.xml");
    expect(url.searchParams.get("X-Amz-Expires")).toBe(String(ObjectStore.LINK_SECONDS));
    expect(ObjectStore.LINK_SECONDS).toBe(60);
    expect(url.searchParams.get("X-Amz-Credential")).toMatch(
      /^AKIDEXAMPLE\/\d{8}\/eu-west-1\/s3\/aws4_request$/,
    );
    expect(url.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.get("response-content-disposition")).toBe('attachment; filename="batch _7_.xml"');
    expect(url.searchParams.get("response-content-type")).toBe("application/xml");
  });

  it("are not used for the local folder store, which the API streams", async () => {
    expect(
      await ObjectStore.downloadLink("exports/x/y.csv", { fileName: "y.csv", contentType: "text/csv" }),
    ).toBeUndefined();
  });

  it("hand a generated file over through the bucket: uploaded whole under downloads/, then a link to it", async () => {
    // An S3-compatible endpoint that keeps what it is sent (AWS itself cannot run here).
    const objects = new Map<string, { body: Buffer; type?: string }>();
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        if (req.method !== "PUT") return void res.writeHead(405).end();
        objects.set(req.url!.split("?")[0]!, {
          body: Buffer.concat(chunks),
          type: req.headers["content-type"],
        });
        res.writeHead(200, { ETag: '"etag"' }).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const client = new S3Client({
        region: "eu-west-1",
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        forcePathStyle: true,
        requestChecksumCalculation: "WHEN_REQUIRED",
        credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-a-real-secret" },
      });
      const lines = ["givenName,familyName", ...Array.from({ length: 50_000 }, (_, i) => `Ana ${i},Pérez`)];
      const link = new URL(
        await ObjectStore.offloadTo(client, "files", Readable.from(lines.map((l) => `${l}\n`)), {
          fileName: "register 2026-11-23.csv",
          contentType: "text/csv; charset=utf-8",
        }),
      );
      expect(objects.size).toBe(1);
      const [[path, stored]] = [...objects];
      expect(path).toMatch(/^\/files\/downloads\/[0-9a-f-]{36}\/register_2026-11-23\.csv$/);
      expect(stored!.body.toString("utf8")).toBe(lines.map((l) => `${l}\n`).join(""));
      expect(stored!.type).toBe("text/csv; charset=utf-8");
      expect(link.pathname).toBe(path);
      expect(link.searchParams.get("X-Amz-Expires")).toBe("60");
      expect(link.searchParams.get("response-content-disposition")).toBe(
        'attachment; filename="register 2026-11-23.csv"',
      );
    } finally {
      server.close();
    }
  });
});
