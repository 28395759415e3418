import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Readable } from "node:stream";
import {
  ProgrammeFileComplete,
  ProgrammeFileMaxBytes,
  ProgrammeFileUploadRequest,
  type ProgrammeFileInfo,
} from "@waypoint/schema/hosting";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { nowIso, transactWriteOrConflict } from "../common/db.ts";
import { InvalidError, NotFoundError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { visible } from "../common/scope.ts";
import { config } from "../config.ts";
import { ObjectStore } from "../export/store.ts";
import { ReturnEntity } from "../reintegration/reintegration.entity.ts";
import { HostEntity } from "./host.entity.ts";
import { ProgrammeFileEntity } from "./file.entity.ts";

type Info = ProgrammeFileInfo & { sha256: string; storageKey: string; deleted?: boolean };
type OwnerType = "host" | "return";
interface Owner {
  operationID: string;
  officeID: string;
  createdBy: string;
}

/** The host or return a file is kept on, checked for `action` (a missing or foreign owner is not found). */
async function owner(ownerType: OwnerType, ownerID: string, action: "programme.read" | "programme.update") {
  const o = (
    ownerType === "host"
      ? (await HostEntity.get({ hostID: ownerID }).go({ consistent: true })).data
      : (await ReturnEntity.get({ returnID: ownerID }).go({ consistent: true })).data
  ) as (Owner & { deleted?: boolean }) | null;
  if (!o || o.deleted || o.operationID !== Actor.operationID()) throw new NotFoundError(ownerType, ownerID);
  Actor.assert(action, { operationID: o.operationID, officeID: o.officeID, createdBy: o.createdBy });
  return o;
}

interface Ticket {
  fileID: string;
  ownerType: OwnerType;
  ownerID: string;
  operationID: string;
  actorID: string;
  fileName: string;
  contentType: string;
  exp: number;
}
const mac = (payload: string) =>
  createHmac("sha256", config().authSecret).update(`waypoint-programme-file:${payload}`).digest("base64url");
const sign = (t: Ticket) => {
  const payload = Buffer.from(JSON.stringify(t)).toString("base64url");
  return `${payload}.${mac(payload)}`;
};
function read(ticket: string, ownerType: OwnerType, ownerID: string): Ticket {
  const [payload = "", m = ""] = ticket.split(".");
  const want = Buffer.from(mac(payload));
  const got = Buffer.from(m);
  const t =
    got.length === want.length && timingSafeEqual(got, want)
      ? (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Ticket)
      : undefined;
  if (
    !t ||
    t.exp < Date.now() ||
    t.ownerType !== ownerType ||
    t.ownerID !== ownerID ||
    t.actorID !== Actor.id() ||
    t.operationID !== Actor.operationID()
  )
    throw InvalidError.field("ticket", "invalid.ticket", "Ask for a new upload link: this one is not yours or has expired");
  return t;
}
const storageKey = (operationID: string, ownerID: string, fileID: string) =>
  `programme-files/${operationID}/${ownerID}/${fileID}`;

/**
 * Files kept on a host (contract, signed code of conduct) or a return (scans of supplier quotes, receipts). As for
 * case documents, the content goes to an upload link (never through a Lambda body), the metadata is recorded once
 * the content is there, and every download is permission-checked and audited.
 */
export namespace ProgrammeFiles {
  export const MaxBytes = ProgrammeFileMaxBytes;
  const Owned = z.object({ ownerType: z.enum(["host", "return"]), ownerID: z.string().min(1) });

  export const UploadLinkInput = ProgrammeFileUploadRequest.extend(Owned.shape);
  export const uploadLink = fn(UploadLinkInput, async ({ ownerType, ownerID, fileName, contentType }) => {
    const o = await owner(ownerType, ownerID, "programme.update");
    const fileID = Identifier.create("document");
    const upload = await ObjectStore.uploadLink(storageKey(o.operationID, ownerID, fileID), {
      contentType,
      maxBytes: MaxBytes,
    });
    const ticket = sign({
      fileID,
      ownerType,
      ownerID,
      operationID: o.operationID,
      actorID: Actor.id(),
      fileName,
      contentType,
      exp: Date.now() + 3600_000,
    });
    return { fileID, ticket, upload };
  });

  export const CompleteInput = ProgrammeFileComplete.extend(Owned.shape);
  export const complete = fn(CompleteInput, async ({ ownerType, ownerID, ticket, kind, title }) => {
    const o = await owner(ownerType, ownerID, "programme.update");
    const t = read(ticket, ownerType, ownerID);
    const key = storageKey(o.operationID, ownerID, t.fileID);
    const stored = await ObjectStore.head(key);
    if (!stored) throw InvalidError.field("ticket", "invalid.notUploaded", "The file was not sent to the upload link");
    if (stored.size > MaxBytes) await ObjectStore.remove(key);
    if (stored.size === 0) throw InvalidError.field("ticket", "invalid.empty", "The file is empty");
    if (stored.size > MaxBytes)
      throw InvalidError.field("ticket", "invalid.tooLarge", `Files up to ${MaxBytes / 1048576} MB`);
    const hash = createHash("sha256");
    let size = 0;
    for await (const chunk of await ObjectStore.get(key)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    const now = nowIso();
    const item: Info = {
      fileID: t.fileID,
      operationID: o.operationID,
      officeID: o.officeID,
      ownerType,
      ownerID,
      kind,
      title,
      fileName: t.fileName,
      contentType: t.contentType,
      size,
      sha256: hash.digest("hex"),
      storageKey: key,
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    await transactWriteOrConflict(
      [
        { put: ProgrammeFileEntity.create(item).params() },
        Audit.txItem({
          recordID: item.fileID,
          recordType: "programmeFile",
          action: "create",
          operationID: item.operationID,
          officeID: item.officeID,
        }),
      ],
    );
    return strip(item);
  });

  const strip = (i: Info): ProgrammeFileInfo => {
    const { storageKey: _k, sha256: _s, deleted: _d, ...rest } = i;
    return rest;
  };

  export async function list(ownerType: OwnerType, ownerID: string): Promise<ProgrammeFileInfo[]> {
    const o = await owner(ownerType, ownerID, "programme.read");
    const res = await ProgrammeFileEntity.query.byOwner({ ownerID }).go({ pages: "all" });
    const items = await visible(
      "programmeFile",
      "programme.read",
      (res.data as Info[]).filter((f) => f.ownerType === ownerType && f.operationID === o.operationID),
      (f) => f.fileID,
      () => ({ operationID: o.operationID, officeID: o.officeID, createdBy: o.createdBy }),
    );
    return items.map(strip);
  }

  /** Whether a file is kept on this return (a quote's scan must be). */
  export async function belongsTo(fileID: string, ownerType: OwnerType, ownerID: string) {
    const f = (await ProgrammeFileEntity.get({ fileID }).go()).data;
    return Boolean(f && !f.deleted && f.ownerType === ownerType && f.ownerID === ownerID);
  }

  /** The content after the owner's read check, audited; on AWS a short-lived link instead. */
  export async function download(
    ownerType: OwnerType,
    ownerID: string,
    fileID: string,
  ): Promise<{ info: ProgrammeFileInfo } & ({ link: string; body?: undefined } | { body: Readable; link?: undefined })> {
    const o = await owner(ownerType, ownerID, "programme.read");
    const f = (await ProgrammeFileEntity.get({ fileID }).go()).data as Info | null;
    if (!f || f.deleted || f.ownerType !== ownerType || f.ownerID !== ownerID) throw new NotFoundError("file", fileID);
    const link = await ObjectStore.downloadLink(f.storageKey, { fileName: f.fileName, contentType: f.contentType });
    const body = link ? undefined : await ObjectStore.get(f.storageKey);
    await Audit.record({
      recordID: fileID,
      recordType: "programmeFile",
      action: "download",
      operationID: o.operationID,
      officeID: o.officeID,
    });
    return link ? { info: strip(f), link } : { info: strip(f), body: body! };
  }
}
