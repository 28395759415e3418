import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Readable } from "node:stream";
import {
  CaseDocumentMaxBytes,
  CaseDocumentMeta,
  CaseDocumentUploadComplete,
  CaseDocumentUploadLinkRequest,
  type CaseDocumentInfo,
} from "@waypoint/schema/cases";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { caseTarget, filedTarget, loadCase } from "../case/store.ts";
import { nowIso, transactWriteOrConflict } from "../common/db.ts";
import { InvalidError, NotFoundError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { Refs } from "../common/refs.ts";
import { authorisedRead, visible } from "../common/scope.ts";
import { config } from "../config.ts";
import { ObjectStore } from "../export/store.ts";
import { DocumentEntity } from "./document.entity.ts";

/**
 * Case documents (identity papers, consent forms, medical and legal papers). Metadata in the table, content in
 * object storage behind the ObjectStore port. Access follows the case; the content is only ever handed out
 * through `download`, which checks permission and audits every download (a copy that left the system is the
 * one thing an audit trail must show), restricted or not.
 */
export namespace CaseDocument {
  export type Info = CaseDocumentInfo & { assignedTo?: string; deleted?: boolean };
  export const MaxBytes = CaseDocumentMaxBytes;

  /** Access follows the case as it is now (see `filedTarget`); the stored copy only if the case is gone. */
  export async function targetOf(d: Info): Promise<Actor.Target> {
    const c = await loadCase(d.caseID);
    return c ? filedTarget(c, d.createdBy) : caseTarget(d);
  }

  export async function load(documentID: string): Promise<Info | undefined> {
    return ((await DocumentEntity.get({ documentID }).go({ consistent: true })).data ?? undefined) as
      Info | undefined;
  }

  export async function get(documentID: string): Promise<Info> {
    const d = await load(documentID);
    const t = d ? await targetOf(d) : undefined;
    const doc = await authorisedRead("document", documentID, "document.read", d, () => t!);
    return { ...doc, restricted: Boolean(t!.restricted) };
  }

  async function caseFor(caseID: string, action: "document.read" | "document.create") {
    const c = await loadCase(caseID);
    if (!c || c.operationID !== Actor.operationID()) throw new NotFoundError("case", caseID);
    if (!Actor.can(action, caseTarget(c)) && c.restricted) throw new NotFoundError("case", caseID);
    Actor.assert(action, caseTarget(c));
    return c;
  }

  export const UploadInput = CaseDocumentMeta.extend({
    caseID: z.string(),
    content: z.instanceof(Uint8Array, { message: "must be the file content" }),
  });
  type CaseRecord = Awaited<ReturnType<typeof caseFor>>;
  const storageKey = (c: CaseRecord, documentID: string) =>
    `documents/${c.operationID}/${c.caseID}/${documentID}`;

  async function checkPerson(c: CaseRecord, individualID: string | undefined) {
    if (!individualID) return;
    await Refs.individual(individualID);
    if (!(c.individualIDs ?? []).includes(individualID))
      throw InvalidError.field("individualID", "invalid.notOnCase", "The person is not on this case");
  }

  const checkSize = (size: number, path = "content") => {
    if (size === 0) throw InvalidError.field(path, "invalid.empty", "The file is empty");
    if (size > MaxBytes)
      throw InvalidError.field(path, "invalid.tooLarge", `Files up to ${MaxBytes / 1024 / 1024} MB`);
  };

  export const upload = fn(UploadInput, async ({ caseID, content, ...meta }): Promise<Info> => {
    const c = await caseFor(caseID, "document.create");
    checkSize(content.byteLength);
    await checkPerson(c, meta.individualID);
    const documentID = Identifier.create("document");
    const key = storageKey(c, documentID);
    // Content first: metadata never points at missing content. A failed metadata write leaves an unreferenced
    // object under a fresh key, which nothing can reach.
    await ObjectStore.put(key, content, meta.contentType);
    return record(c, documentID, meta, {
      size: content.byteLength,
      sha256: createHash("sha256").update(content).digest("hex"),
      storageKey: key,
    });
  });

  /* ---------- Uploads through a link (any size up to the limit, never through a Lambda body) ---------- */

  interface Ticket {
    documentID: string;
    caseID: string;
    operationID: string;
    actorID: string;
    fileName: string;
    contentType: string;
    /** Expiry, epoch milliseconds: the upload must be completed within the hour. */
    exp: number;
  }
  const ticketMac = (payload: string) =>
    createHmac("sha256", config().authSecret).update(`waypoint-document:${payload}`).digest("base64url");
  function signTicket(t: Ticket) {
    const payload = Buffer.from(JSON.stringify(t)).toString("base64url");
    return `${payload}.${ticketMac(payload)}`;
  }
  function readTicket(ticket: string, caseID: string): Ticket {
    const [payload = "", mac = ""] = ticket.split(".");
    const want = Buffer.from(ticketMac(payload));
    const got = Buffer.from(mac);
    const t =
      got.length === want.length && timingSafeEqual(got, want)
        ? (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Ticket)
        : undefined;
    if (
      !t ||
      t.exp < Date.now() ||
      t.caseID !== caseID ||
      t.actorID !== Actor.id() ||
      t.operationID !== Actor.operationID()
    )
      throw InvalidError.field(
        "ticket",
        "invalid.ticket",
        "Ask for a new upload link: this one is not yours or has expired",
      );
    return t;
  }

  export const UploadLinkInput = CaseDocumentUploadLinkRequest.extend({ caseID: z.string() });
  /**
   * A link to send one document's content to (a presigned PUT to the bucket on AWS, the API's signed local
   * equivalent otherwise), and a ticket to complete the upload with. Nothing is recorded until `completeUpload`.
   */
  export const uploadLink = fn(UploadLinkInput, async ({ caseID, fileName, contentType }) => {
    const c = await caseFor(caseID, "document.create");
    const documentID = Identifier.create("document");
    const upload = await ObjectStore.uploadLink(storageKey(c, documentID), {
      contentType,
      maxBytes: MaxBytes,
    });
    const ticket = signTicket({
      documentID,
      caseID,
      operationID: c.operationID,
      actorID: Actor.id(),
      fileName,
      contentType,
      exp: Date.now() + 3600_000,
    });
    return { documentID, ticket, upload };
  });

  export const CompleteInput = CaseDocumentUploadComplete.extend({ caseID: z.string() });
  /** Records a document whose content was sent to its upload link: size and checksum read from the store. */
  export const completeUpload = fn(CompleteInput, async ({ caseID, ticket, ...meta }): Promise<Info> => {
    const c = await caseFor(caseID, "document.create");
    const t = readTicket(ticket, caseID);
    await checkPerson(c, meta.individualID);
    const key = storageKey(c, t.documentID);
    const stored = await ObjectStore.head(key);
    if (!stored)
      throw InvalidError.field("ticket", "invalid.notUploaded", "The file was not sent to the upload link");
    if (stored.size > MaxBytes) await ObjectStore.remove(key);
    checkSize(stored.size);
    const hash = createHash("sha256");
    let size = 0;
    for await (const chunk of await ObjectStore.get(key)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    return record(
      c,
      t.documentID,
      { ...meta, fileName: t.fileName, contentType: t.contentType },
      { size, sha256: hash.digest("hex"), storageKey: key },
    );
  });

  /** The metadata of stored content, with its audit event (a second completion of one upload is a conflict). */
  async function record(
    c: CaseRecord,
    documentID: string,
    meta: z.infer<typeof CaseDocumentMeta>,
    content: { size: number; sha256: string; storageKey: string },
  ): Promise<Info> {
    const now = nowIso();
    const item: Info = {
      ...meta,
      ...content,
      documentID,
      caseID: c.caseID,
      operationID: c.operationID,
      officeID: c.officeID,
      restricted: c.restricted,
      assignedTo: c.assignedTo,
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    await transactWriteOrConflict([
      { put: DocumentEntity.create(item as never).params() },
      Audit.txItem({
        recordID: documentID,
        recordType: "document",
        action: "create",
        operationID: item.operationID,
        officeID: item.officeID,
        restricted: item.restricted,
      }),
    ]);
    return item;
  }

  /** Decodes a base64 upload strictly (Node's decoder silently skips bad characters). */
  export function decodeBase64(text: string, path = "contentBase64") {
    const clean = text.replace(/\s+/g, "");
    if (clean.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean))
      throw InvalidError.field(path, "invalid.base64", "must be base64");
    return new Uint8Array(Buffer.from(clean, "base64"));
  }

  export async function listForCase(caseID: string): Promise<{ items: Info[]; nextCursor: null }> {
    const c = await caseFor(caseID, "document.read");
    const res = await DocumentEntity.query.byCase({ caseID }).go({ pages: "all" });
    const items = await visible(
      "document",
      "document.read",
      res.data as Info[],
      (d) => d.documentID,
      (d) => filedTarget(c, d.createdBy),
    );
    return { items: items.map((d) => ({ ...d, restricted: c.restricted })), nextCursor: null };
  }

  /**
   * The content, after the permission check; every download is audited. On AWS a short-lived link to the bucket
   * (`link`: a Lambda response stops at 6 MB); locally the content itself (`body`), streamed by the API.
   */
  export async function download(
    documentID: string,
    caseID?: string,
  ): Promise<{ info: Info } & ({ link: string; body?: undefined } | { body: Readable; link?: undefined })> {
    const info = await load(documentID);
    if (info && caseID && info.caseID !== caseID) throw new NotFoundError("document", documentID);
    const t = info ? await targetOf(info) : undefined;
    const doc = await authorisedRead("document", documentID, "document.read", info, () => t!);
    const link = await ObjectStore.downloadLink(doc.storageKey, {
      fileName: doc.fileName,
      contentType: doc.contentType,
    });
    const body = link ? undefined : await ObjectStore.get(doc.storageKey);
    await Audit.record({
      recordID: documentID,
      recordType: "document",
      action: "download",
      operationID: doc.operationID,
      officeID: doc.officeID,
      restricted: Boolean(t?.restricted),
    });
    return link ? { info: doc, link } : { info: doc, body: body! };
  }
}
