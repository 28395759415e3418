import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Export, Payment } from "@waypoint/core";
import { app } from "@waypoint/functions";
import { s3CompatibleBucket } from "../support/s3-bucket.ts";
import { as, call, createTestOperation, type TestOperation } from "../support/fixtures.ts";
import { approvedBatch } from "../support/payments.ts";

/**
 * A status file too large for a request body (a Lambda's stops at 6 MB; a 131,072-line pain.002 is ~13 MB) goes to
 * an upload link first and is reconciled from there: locally the API's signed `PUT /api/files/{token}` into the
 * data folder, on AWS a presigned PUT to the bucket (here an S3-compatible endpoint).
 */

const ORACLES = new URL("../../../shared/oracles/", import.meta.url);
const SEVEN_MB = 7 * 1024 * 1024;
const sha256 = (s: string | Uint8Array) => createHash("sha256").update(s).digest("hex");

/** An exported batch of one payment of 90.08 EUR, and the bank's pain.002 accepting it, padded above 6 MB. */
async function exportedWithReport(t: TestOperation) {
  const b = await approvedBatch(t, [9008], ["Upload Reconcile Payee Ñandú"]);
  const e = await as(t.users.finance.actor, () => Export.run(b.batch.batchID, { format: "pain.001.001.03" }));
  const xml = readFileSync(
    new URL("iso20022/samples/corporatejs_pain.002.001.03_3_accepted-payment-material.xml", ORACLES),
    "utf8",
  )
    .replace("20140102-0000001", e.messageId)
    .replace("20110102-123456-01", `${e.messageId}-1`)
    // a large bank file: the same report after 7 MB of comment (the parser reads it in pieces)
    .replace("<Document", `<!--${" ".repeat(SEVEN_MB)}-->\n<Document`);
  return { ...b, xml };
}

const status = (t: TestOperation, id: string) =>
  as(t.users.finance.actor, async () => (await Payment.get(id)).status);

async function link(t: TestOperation, batchID: string, token = t.users.finance.token) {
  return call("POST", `/api/payment-batches/${batchID}/reconciliation/uploads`, {
    token,
    body: { fileName: "pain002 banco.xml", contentType: "application/xml" },
  });
}
const complete = (t: TestOperation, batchID: string, body: Record<string, unknown>) =>
  call("POST", `/api/payment-batches/${batchID}/reconciliation/uploads/complete`, {
    token: t.users.finance.token,
    body,
  });

describe("reconciling a status file larger than a request body, through an upload link (local folder store)", () => {
  it("a 7 MB pain.002: link, PUT to the signed local link, reconcile; a checksum that differs, a foreign or unused ticket are problems with field paths; a second pass changes nothing", async () => {
    const t = await createTestOperation();
    const x = await exportedWithReport(t);
    const batchID = x.batch.batchID;
    expect(x.xml.length).toBeGreaterThan(6 * 1024 * 1024);

    const l = await link(t, batchID);
    expect(l.status, l.text).toBe(200);
    expect(l.json.upload.url).toMatch(/^\/api\/files\/[\w-]+\.[\w-]+$/);
    expect(l.json.maxBytes).toBe(20_000_000);
    // no bearer token: the link's signature is the authorisation, as with a presigned bucket URL
    const put = await app.request(l.json.upload.url, {
      method: "PUT",
      headers: l.json.upload.headers,
      body: x.xml,
    });
    expect(put.status).toBeLessThan(300);

    // the client says what it sent; what arrived differs: refused, nothing applied
    const wrong = await complete(t, batchID, { ticket: l.json.ticket, sha256: sha256(`${x.xml} `) });
    expect(wrong.status, wrong.text).toBe(422);
    expect(wrong.headers.get("content-type")).toMatch(/problem\+json/);
    expect(wrong.json.errors).toEqual([
      expect.objectContaining({ path: "sha256", code: "invalid.checksum" }),
    ]);
    expect(await status(t, x.paymentIDs[0]!)).not.toBe("paid");

    const done = await complete(t, batchID, { ticket: l.json.ticket, sha256: sha256(x.xml) });
    expect(done.status, done.text).toBe(200);
    expect(done.json).toMatchObject({
      format: "pain.002",
      summary: { paid: 1 },
      totals: { paid: { count: 1, amount: 9008 } },
      control: { fileCount: 1, fileTotal: 9008, matches: true },
      batchStatus: "reconciled",
    });
    expect(await status(t, x.paymentIDs[0]!)).toBe("paid");

    // the same file again (a retry after a lost answer): a replay, nothing moves
    const again = await complete(t, batchID, { ticket: l.json.ticket });
    expect(again.status, again.text).toBe(200);
    expect(again.json.summary).toEqual({ already_reconciled: 1 });

    // a ticket is for its batch and its asker
    const other = await exportedWithReport(t);
    const foreign = await complete(t, other.batch.batchID, { ticket: l.json.ticket });
    expect(foreign.status).toBe(422);
    expect(foreign.json.errors[0]).toMatchObject({ path: "ticket", code: "invalid.ticket" });
    const tampered = await complete(t, batchID, { ticket: `${l.json.ticket}x` });
    expect(tampered.json.errors[0]).toMatchObject({ path: "ticket", code: "invalid.ticket" });
    // a link never sent to
    const unused = await link(t, other.batch.batchID);
    const none = await complete(t, other.batch.batchID, { ticket: unused.json.ticket });
    expect(none.status).toBe(422);
    expect(none.json.errors[0]).toMatchObject({ path: "ticket", code: "invalid.notUploaded" });
    expect(await status(t, other.paymentIDs[0]!)).not.toBe("paid");
    // a role that may not reconcile gets no link
    const caseworker = await link(t, other.batch.batchID, t.users.caseworker.token);
    expect(caseworker.status).toBe(403);
  }, 180_000);

  it("a batch not yet exported has no file to reconcile: no link", async () => {
    const t = await createTestOperation();
    const b = await approvedBatch(t, [1200], ["Upload Reconcile Payee Öztürk"]);
    const l = await link(t, b.batch.batchID);
    expect(l.status, l.text).toBe(422);
    expect(l.json.code).toBe("batch.notExported");
  }, 120_000);
});

describe("on the AWS path (an S3-compatible endpoint): the status file goes to the bucket by a presigned PUT", () => {
  const { objects, endpoint } = s3CompatibleBucket();

  it("a 7 MB pain.002 sent to a presigned bucket link is reconciled from the bucket, and kept there", async () => {
    const t = await createTestOperation();
    const x = await exportedWithReport(t);
    const l = await link(t, x.batch.batchID);
    expect(l.status, l.text).toBe(200);
    const u = new URL(l.json.upload.url);
    expect(u.origin).toBe(endpoint());
    expect(u.pathname).toMatch(
      new RegExp(`^/files/reconciliation/${t.operationID}/${x.batch.batchID}/[0-9a-f-]{36}$`),
    );
    expect(u.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    const put = await fetch(l.json.upload.url, {
      method: "PUT",
      headers: l.json.upload.headers,
      body: x.xml,
    });
    expect(put.status).toBe(200);
    const done = await complete(t, x.batch.batchID, { ticket: l.json.ticket, sha256: sha256(x.xml) });
    expect(done.status, done.text).toBe(200);
    expect(done.json.summary).toEqual({ paid: 1 });
    expect(await status(t, x.paymentIDs[0]!)).toBe("paid");
    expect(objects.get(u.pathname)?.body.length).toBe(Buffer.byteLength(x.xml));
  }, 120_000);
});
