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
});
