import { NoteChanges, NoteCreate, NoteInfo } from "@waypoint/schema/cases";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { caseTarget, filedTarget, loadCase } from "../case/store.ts";
import { nowIso, transactWriteOrConflict } from "../common/db.ts";
import { ForbiddenError, NotFoundError, RuleError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { asRead, writeVersioned } from "../common/record.ts";
import { authorisedRead, visible } from "../common/scope.ts";
import { NoteEntity } from "./note.entity.ts";
import { Narrative } from "../privacy/narrative.ts";

/** The note's free text, encrypted at field level before it reaches the table (privacy/narrative.ts). */
const NARRATIVE = ["body"] as const;

/**
 * Case notes: the journal of counselling, calls and visits. Access follows the case (a note on a restricted case
 * is restricted too). A note is evidence of what was said and done, so it is not freely rewritten: its author may
 * correct it within `EditWindowHours`; after that only a supervisor of the case (who may approve case decisions)
 * edits it, and every edit keeps the before/after in the audit trail.
 */
export namespace Note {
  export type Info = z.infer<typeof NoteInfo> & { assignedTo?: string; deleted?: boolean };
  export const EditWindowHours = 24;

  /** Access follows the case as it is now (see `filedTarget`); the stored copy only if the case is gone. */
  export async function targetOf(n: Info): Promise<Actor.Target> {
    const c = await loadCase(n.caseID);
    return c ? filedTarget(c, n.createdBy) : caseTarget(n as never);
  }

  export async function load(noteID: string): Promise<Info | undefined> {
    const n = (await NoteEntity.get({ noteID }).go({ consistent: true })).data as Info | null;
    return n ? Narrative.openFields(n, NARRATIVE) : undefined;
  }

  async function read(noteID: string): Promise<{ note: Info; t: Actor.Target }> {
    const n = await load(noteID);
    const t = n ? await targetOf(n) : undefined;
    const note = await authorisedRead("note", noteID, "note.read", n, () => t!);
    return { note: { ...note, restricted: Boolean(t!.restricted) }, t: t! };
  }

  export async function get(noteID: string): Promise<Info> {
    return (await read(noteID)).note;
  }

  /** The case, readable by the actor for `action` (a restricted case the actor may not see is "not found"). */
  async function caseFor(caseID: string, action: "note.read" | "note.create") {
    const c = await loadCase(caseID);
    if (!c || c.operationID !== Actor.operationID()) throw new NotFoundError("case", caseID);
    if (!Actor.can(action, caseTarget(c)) && c.restricted) throw new NotFoundError("case", caseID);
    Actor.assert(action, caseTarget(c));
    return c;
  }

  export const CreateInput = NoteCreate.extend({ caseID: z.string() });
  export const create = fn(CreateInput, async ({ caseID, ...input }): Promise<Info> => {
    const c = await caseFor(caseID, "note.create");
    const now = nowIso();
    const item: Info = {
      ...input,
      noteID: Identifier.create("note"),
      caseID,
      operationID: c.operationID,
      officeID: c.officeID,
      assignedTo: c.assignedTo,
      restricted: c.restricted,
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    await transactWriteOrConflict([
      {
        put: NoteEntity.create(
          (await Narrative.sealFields(item.operationID, item, NARRATIVE)) as never,
        ).params(),
      },
      Audit.txItem({
        recordID: item.noteID,
        recordType: "note",
        action: "create",
        operationID: item.operationID,
        officeID: item.officeID,
        restricted: item.restricted,
      }),
    ]);
    return item;
  });

  export async function listForCase(caseID: string): Promise<{ items: Info[]; nextCursor: null }> {
    const c = await caseFor(caseID, "note.read");
    const res = await NoteEntity.query.byCase({ caseID }).go({ pages: "all" });
    const items = await visible(
      "note",
      "note.read",
      await Promise.all((res.data as Info[]).map((n) => Narrative.openFields(n, NARRATIVE))),
      (n) => n.noteID,
      (n) => filedTarget(c, n.createdBy),
    );
    return { items: items.map((n) => ({ ...n, restricted: c.restricted })), nextCursor: null };
  }

  export const PatchInput = z.object({
    caseID: z.string().optional(),
    noteID: z.string(),
    version: z.number().int().min(1),
    changes: NoteChanges,
  });
  export const patch = fn(PatchInput, async ({ caseID, noteID, version, changes }): Promise<Info> => {
    const { note: cur, t } = await read(noteID);
    if (caseID && cur.caseID !== caseID) throw new NotFoundError("note", noteID);
    Actor.assert("note.update", t);
    const isAuthor = cur.createdBy === Actor.id();
    const inWindow = Date.now() - Date.parse(cur.timeCreated) <= EditWindowHours * 3_600_000;
    // a supervisor of the case's office: the roles that may approve case decisions there
    const supervises = Actor.can("case.approve", t);
    if (!supervises) {
      if (!isAuthor)
        throw new ForbiddenError("note.update", "Only the author or a supervisor may edit a note");
      if (!inWindow)
        throw new RuleError(
          "note.editWindowClosed",
          `A note can be corrected by its author within ${EditWindowHours} hours; ask a supervisor`,
        );
    }
    const set = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    const res = await writeVersioned(
      {
        entity: NoteEntity,
        key: { noteID },
        expectedVersion: version,
        set: await Narrative.sealFields(cur.operationID, set, NARRATIVE),
        audit: {
          recordID: noteID,
          recordType: "note",
          action: "update",
          operationID: cur.operationID,
          officeID: cur.officeID,
          restricted: Boolean(t.restricted),
          changes: await Narrative.sealDiff(
            cur.operationID,
            Audit.diff(cur, { ...cur, ...set }, Object.keys(set)),
            NARRATIVE,
          ),
        },
        view: asRead(() => get(noteID)),
      },
      () => load(noteID),
    );
    return { ...cur, ...set, ...res } as Info;
  });
}
