import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { app } from "@waypoint/functions";
import { s3CompatibleBucket } from "../support/s3-bucket.ts";
import { call, createTestOperation, type TestOperation } from "../support/fixtures.ts";
import { caseWith, people } from "../support/programmes.ts";

/** 9 MB: more than a Lambda body takes (6 MB, 4.5 MB of content once base64'd), less than the 10 MB limit. */
const NINE_MB = 9 * 1024 * 1024;
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

async function caseOf(op: TestOperation) {
  const [p] = await people(op, [{ age: 30, relationshipToHead: "head" }]);
  return caseWith(op, "protection", [p!.individualID]);
}

/** Asks for an upload link, sends the file to it with `send`, completes the upload. */
async function uploadThroughLink(
  op: TestOperation,
  caseID: string,
  content: Uint8Array,
  send: (url: string, headers: Record<string, string>) => Promise<number>,
) {
  const token = op.users.caseworker.token;
  const link = await call("POST", `/api/cases/${caseID}/documents/uploads`, {
    token,
    body: { fileName: "pasaporte escaneado.pdf", contentType: "application/pdf", size: content.byteLength },
  });
  expect(link.status, link.text).toBe(200);
  expect(await send(link.json.upload.url, link.json.upload.headers)).toBeLessThan(300);
  const done = await call("POST", `/api/cases/${caseID}/documents/uploads/complete`, {
    token,
    body: { ticket: link.json.ticket, kind: "identity", title: "Passport" },
  });
  return { link: link.json, done };
}

describe("documents larger than a Lambda body, through links (local folder store)", () => {
  it("a 9 MB document round-trips: link, PUT to the signed local link, complete, download", async () => {
    const op = await createTestOperation();
    const c = await caseOf(op);
    const content = new Uint8Array(randomBytes(NINE_MB));
    const { link, done } = await uploadThroughLink(op, c.caseID, content, async (url, headers) => {
      expect(url).toMatch(/^\/api\/files\/[\w-]+\.[\w-]+$/);
      // No bearer token: the link's signature is the authorisation, as with a presigned bucket URL.
      const res = await app.request(url, { method: "PUT", headers, body: content });
      return res.status;
    });
    expect(done.status, done.text).toBe(201);
    expect(done.json).toMatchObject({
      documentID: link.documentID,
      size: NINE_MB,
      sha256: sha256(content),
      fileName: "pasaporte escaneado.pdf",
      contentType: "application/pdf",
    });
    const res = await app.request(`/api/cases/${c.caseID}/documents/${link.documentID}/content`, {
      headers: { authorization: `Bearer ${op.users.caseworker.token}` },
    });
    expect(res.status).toBe(200);
    const back = new Uint8Array(await res.arrayBuffer());
    expect(back.byteLength).toBe(NINE_MB);
    expect(sha256(back)).toBe(sha256(content));
  });

  it("a link is the asker's, signed, and bounded: tampered, someone else's ticket, over 10 MB are refused", async () => {
    const op = await createTestOperation();
    const c = await caseOf(op);
    const token = op.users.caseworker.token;
    const link = (
      await call("POST", `/api/cases/${c.caseID}/documents/uploads`, {
        token,
        body: { fileName: "a.pdf", contentType: "application/pdf", size: 10 },
      })
    ).json;
    const [payload, mac] = link.upload.url.slice("/api/files/".length).split(".");
    const tampered = await app.request(`/api/files/${payload}x.${mac}`, { method: "PUT", body: "hello" });
    expect(tampered.status).toBe(401);
    const tooBig = await app.request(link.upload.url, {
      method: "PUT",
      body: new Uint8Array(10 * 1024 * 1024 + 1),
    });
    expect([413, 422]).toContain(tooBig.status);
    // Nothing arrived: completing says so.
    const none = await call("POST", `/api/cases/${c.caseID}/documents/uploads/complete`, {
      token,
      body: { ticket: link.ticket, kind: "other", title: "A" },
    });
    expect(none.status).toBe(422);
    expect(none.json.errors[0].path).toBe("ticket");

    expect((await app.request(link.upload.url, { method: "PUT", body: "hello" })).status).toBe(204);
    const other = await call("POST", `/api/cases/${c.caseID}/documents/uploads/complete`, {
      token: op.users.supervisor.token,
      body: { ticket: link.ticket, kind: "other", title: "A" },
    });
    expect(other.status).toBe(422);
    const list = await call("GET", `/api/cases/${c.caseID}/documents`, { token });
    expect(list.json.items).toEqual([]);
  });
});

describe("on the AWS path (an S3-compatible endpoint): links to the bucket", () => {
  const { objects, endpoint } = s3CompatibleBucket();

  it("the JSON report export answers a 303 to a short-lived link to the file in the bucket", async () => {
    const op = await createTestOperation();
    await people(op, [{ age: 30 }]);
    const res = await app.request("/api/reports/individuals-agd?format=json&suppressBelow=0", {
      headers: { authorization: `Bearer ${op.users.admin.token}` },
    });
    expect(res.status).toBe(303);
    const link = new URL(res.headers.get("location")!);
    expect(link.origin).toBe(endpoint());
    expect(link.pathname).toMatch(/^\/files\/downloads\/[0-9a-f-]{36}\/individuals-agd-[\d-]+\.json$/);
    expect(link.searchParams.get("X-Amz-Expires")).toBe("60");
    const file = JSON.parse((await (await fetch(link)).text()) as string) as { rows: unknown[][] };
    expect(file.rows.find((r) => r[0] === "Tapachula")).toBeDefined();
  });

  it("a 9 MB document goes to the bucket by a presigned PUT and comes back by a 303 to a presigned GET", async () => {
    const op = await createTestOperation();
    const c = await caseOf(op);
    const content = new Uint8Array(randomBytes(NINE_MB));
    const { link, done } = await uploadThroughLink(op, c.caseID, content, async (url, headers) => {
      const u = new URL(url);
      expect(u.origin).toBe(endpoint());
      expect(u.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
      return (await fetch(url, { method: "PUT", headers, body: content })).status;
    });
    expect(done.status, done.text).toBe(201);
    expect(done.json).toMatchObject({ size: NINE_MB, sha256: sha256(content) });
    const stored = objects.get(`/files/${done.json.storageKey}`);
    expect(stored?.body.length).toBe(NINE_MB);

    const res = await app.request(`/api/cases/${c.caseID}/documents/${link.documentID}/content`, {
      headers: { authorization: `Bearer ${op.users.caseworker.token}` },
    });
    expect(res.status).toBe(303);
    const to = new URL(res.headers.get("location")!);
    expect(to.pathname).toBe(`/files/${done.json.storageKey}`);
    expect(to.searchParams.get("X-Amz-Expires")).toBe("60");
    const back = new Uint8Array(await (await fetch(to)).arrayBuffer());
    expect(sha256(back)).toBe(sha256(content));
  });
});
