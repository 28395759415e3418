import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { CaseDocumentMaxBytes, CaseDocumentMeta, type CaseDocumentInfo } from "@waypoint/schema/cases";
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
  export const upload = fn(UploadInput, async ({ caseID, content, ...meta }): Promise<Info> => {
    const c = await caseFor(caseID, "document.create");
    if (content.byteLength === 0) throw InvalidError.field("content", "invalid.empty", "The file is empty");
    if (content.byteLength > MaxBytes)
      throw InvalidError.field("content", "invalid.tooLarge", `Files up to ${MaxBytes / 1024 / 1024} MB`);
    if (meta.individualID) {
      await Refs.individual(meta.individualID);
      if (!(c.individualIDs ?? []).includes(meta.individualID))
        throw InvalidError.field("individualID", "invalid.notOnCase", "The person is not on this case");
    }
    const documentID = Identifier.create("document");
    const now = nowIso();
    const item: Info = {
      ...meta,
      documentID,
      caseID,
      operationID: c.operationID,
      officeID: c.officeID,
      size: content.byteLength,
      sha256: createHash("sha256").update(content).digest("hex"),
      storageKey: `documents/${c.operationID}/${caseID}/${documentID}`,
      restricted: c.restricted,
      assignedTo: c.assignedTo,
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    // Content first: metadata never points at missing content. A failed metadata write leaves an unreferenced
    // object under a fresh key, which nothing can reach.
    await ObjectStore.put(item.storageKey, content, item.contentType);
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
  });

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

  /** The content, after the permission check; every download is audited. */
  export async function download(
    documentID: string,
    caseID?: string,
  ): Promise<{ info: Info; body: Readable }> {
    const info = await load(documentID);
    if (info && caseID && info.caseID !== caseID) throw new NotFoundError("document", documentID);
    const t = info ? await targetOf(info) : undefined;
    const doc = await authorisedRead("document", documentID, "document.read", info, () => t!);
    const body = await ObjectStore.get(doc.storageKey);
    await Audit.record({
      recordID: documentID,
      recordType: "document",
      action: "download",
      operationID: doc.operationID,
      officeID: doc.officeID,
      restricted: Boolean(t?.restricted),
    });
    return { info: doc, body };
  }
}
