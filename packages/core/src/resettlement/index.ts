import {
  FlagResolutionInput,
  InterviewNoteInput,
  SubmissionChanges,
  SubmissionCreate,
  SubmissionListQuery,
  SubmissionReviewInput,
  SubmissionTransitionInput,
  SubmissionTransitions,
  type SubmissionDesk,
  type SubmissionInfo,
  type SubmissionStatus,
} from "@waypoint/schema/resettlement";
import { type BulkRowResult } from "@waypoint/schema/bulk";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Appointment } from "../appointment/index.ts";
import { Audit } from "../audit/index.ts";
import { BestInterests } from "../bip/index.ts";
import { CaseMemberEntity } from "../case/case.entity.ts";
import { caseTarget, followCase, liveCases, loadCase } from "../case/store.ts";
import { Cursor } from "../common/cursor.ts";
import { nowIso, transactWriteOrConflict } from "../common/db.ts";
import { InvalidError, NotFoundError, RuleError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { Editors } from "../common/editors.ts";
import { asRead, bulk, writeVersioned } from "../common/record.ts";
import { Refs } from "../common/refs.ts";
import { authorisedRead, listPartition, splitChanges, visible } from "../common/scope.ts";
import { people, screen, snapshot, type Flag, type Snapshot } from "./integrity.ts";
import { Quota } from "./quota.ts";
import { Missions } from "./missions.ts";
import { staffNames } from "./staff.ts";
import { SubmissionEntity } from "./submission.entity.ts";

type Info = SubmissionInfo & { flags: Flag[]; snapshot?: Snapshot; deleted?: boolean };
/** Statuses after which the country holds the file: biodata and family are compared with the snapshot. */
const WITH_COUNTRY: SubmissionStatus[] = ["submitted", "deferred", "accepted", "departure_arranged"];
const NEEDS_REASON: SubmissionStatus[] = ["rejected", "deferred", "withdrawn"];
const UNDIFFED = new Set(["snapshot", "editors", "flags", "draftedBy", "reviewedBy", "interviewNotes"]);
/** While the submission is prepared: its text may change. Once reviewed, the reviewer judged this text. */
const IN_PREPARATION: SubmissionStatus[] = ["identified", "interviewed", "drafted", "returned"];
/** Interviews are held before the file goes to review, and again when the country asks (deferral). */
const INTERVIEW_STAGES: SubmissionStatus[] = ["identified", "interviewed", "drafted", "returned", "deferred"];

export namespace Resettlement {
  export type Submission = Info;
  export const quota = Quota;

  export const target = (s: Info): Actor.Target => ({
    operationID: s.operationID,
    officeID: s.officeID,
    assignedTo: s.assignedTo,
    createdBy: s.createdBy,
    restricted: s.restricted,
  });

  export async function load(submissionID: string): Promise<Info | undefined> {
    return ((await SubmissionEntity.get({ submissionID }).go({ consistent: true })).data ?? undefined) as
      Info | undefined;
  }

  /** Access as the submission says, restricted as its case is now (see `followCase`). */
  export async function targetOf(s: Info): Promise<Actor.Target> {
    return followCase(target(s), await loadCase(s.caseID));
  }

  async function read(submissionID: string): Promise<{ cur: Info; t: Actor.Target }> {
    const s = await load(submissionID);
    const t = s ? await targetOf(s) : undefined;
    const cur = await authorisedRead("submission", submissionID, "programme.read", s, () => t!);
    return { cur: { ...cur, restricted: Boolean(t!.restricted) }, t: t! };
  }

  export async function get(submissionID: string): Promise<Info> {
    return (await read(submissionID)).cur;
  }

  export const create = fn(SubmissionCreate, async (input): Promise<Info> => {
    const c = await loadCase(input.caseID);
    if (!c || (c as { deleted?: boolean }).deleted || c.operationID !== Actor.operationID())
      throw InvalidError.field("caseID", "invalid.case", "No such case");
    const individualIDs = input.individualIDs ?? c.individualIDs ?? [];
    if (individualIDs.length === 0)
      throw InvalidError.field("individualIDs", "invalid.required", "A submission needs at least one person");
    individualIDs.forEach((id, i) => {
      if (!c.individualIDs.includes(id))
        throw InvalidError.field(`individualIDs.${i}`, "invalid.notOnCase", "The person is not on this case");
    });
    if (input.programme === "pta" && !input.transitCountry)
      throw InvalidError.field("transitCountry", "invalid.required", "A PTA names its transit country");
    if (input.assignedTo) await Refs.staff(input.assignedTo, "assignedTo");
    const now = nowIso();
    const item: Info = {
      ...input,
      individualIDs,
      individualCount: individualIDs.length,
      submissionID: Identifier.create("submission"),
      operationID: c.operationID,
      officeID: input.officeID ?? c.officeID,
      status: "identified",
      flags: [],
      openFlags: 0,
      restricted: c.restricted,
      assignedTo: input.assignedTo ?? c.assignedTo,
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    if (input.officeID) await Refs.office(input.officeID);
    // Checked against the case as it is (its office, its caseworker) and the office the submission goes to,
    // never against the new record: its creator would be the caller, so it would always count as "own".
    Actor.assert("case.read", caseTarget(c));
    Actor.assert("programme.update", caseTarget(c));
    if (item.officeID !== c.officeID)
      Actor.assert("programme.update", { operationID: item.operationID, officeID: item.officeID });
    await transactWriteOrConflict([
      { put: SubmissionEntity.create(item as never).params() },
      ...Quota.lineItems(item),
      Audit.txItem({
        recordID: item.submissionID,
        recordType: "submission",
        action: "create",
        operationID: item.operationID,
        officeID: item.officeID,
        restricted: item.restricted,
      }),
    ]);
    return item;
  });

  export const list = fn(SubmissionListQuery, async (q) => {
    const part = listPartition("programme.read", q.officeID);
    const scope = `rst:${part.kind}:${"officeID" in part ? part.officeID : "userID" in part ? part.userID : part.operationID}:${q.caseID ?? ""}`;
    const cursor = Cursor.verify(q.cursor, scope);
    const query = q.caseID
      ? SubmissionEntity.query.byCase({ caseID: q.caseID })
      : part.kind === "office"
        ? SubmissionEntity.query.byOffice({ officeID: part.officeID })
        : SubmissionEntity.query.byOperation({ operationID: Actor.operationID() });
    const res = await query
      .where((a, { eq, gte }) =>
        [
          q.status && eq(a.status, q.status),
          q.programme && eq(a.programme, q.programme),
          q.country && eq(a.country, q.country),
          q.updatedSince && gte(a.timeUpdated, q.updatedSince),
          eq(a.operationID, Actor.operationID()),
        ]
          .filter(Boolean)
          .join(" AND "),
      )
      .go({ limit: q.limit, cursor, order: "desc" });
    const page = res.data as Info[];
    const caseOf = await liveCases(page.map((s) => s.caseID));
    const live = (s: Info) => followCase(target(s), caseOf(s.caseID));
    const items = await visible("submission", "programme.read", page, (s) => s.submissionID, live);
    return {
      items: items.map((s) => ({ ...s, restricted: Boolean(live(s).restricted) })),
      nextCursor: Cursor.sign(res.cursor, scope),
    };
  });

  /** Every write keeps the index composites, so ElectroDB can rebuild the keys that `timeUpdated` moves. */
  async function write(
    cur: Info,
    version: number,
    set: Record<string, unknown>,
    action: string,
    remove?: string[],
    reason?: string,
  ) {
    const keys = {
      operationID: cur.operationID,
      officeID: cur.officeID,
      quotaYear: cur.quotaYear,
      programme: cur.programme,
      country: cur.country,
      caseID: cur.caseID,
      timeCreated: cur.timeCreated,
    };
    const next = { ...cur, ...set } as Info;
    for (const k of remove ?? []) delete (next as Record<string, unknown>)[k];
    const res = await writeVersioned(
      {
        entity: SubmissionEntity,
        key: { submissionID: cur.submissionID },
        expectedVersion: version,
        set: { ...keys, ...set },
        remove,
        with: Quota.lineItems(next, cur),
        audit: {
          recordID: cur.submissionID,
          recordType: "submission",
          action,
          reason,
          operationID: cur.operationID,
          officeID: next.officeID,
          restricted: cur.restricted,
          // the history shows what a person changed; who acted is the event's actor, flags and notes keep
          // their own record on the submission (the resolution's reason is the event's reason)
          changes: Audit.diff(
            cur,
            next,
            Object.keys(set).filter((k) => !UNDIFFED.has(k)),
          ),
        },
        view: asRead(() => get(cur.submissionID)),
      },
      () => load(cur.submissionID),
    );
    return { ...next, ...res };
  }

  export const PatchInput = z.object({
    submissionID: z.string(),
    version: z.number().int().min(1),
    changes: SubmissionChanges,
  });
  export const patch = fn(PatchInput, async ({ submissionID, version, changes }) => {
    const { cur, t } = await read(submissionID);
    Actor.assert("programme.update", t);
    if (!IN_PREPARATION.includes(cur.status)) {
      const locked = (
        ["country", "quotaYear", "programme", "primaryCategory", "secondaryCategory", "sections"] as const
      ).filter((k) => changes[k] !== undefined);
      if (locked.length)
        throw InvalidError.field(
          `changes.${locked[0]}`,
          "invalid.locked",
          "Fixed once the submission was reviewed",
        );
    }
    // A PTA names its transit country on every path: a patch neither clears it nor makes a PTA without one.
    const transit = changes.transitCountry === undefined ? cur.transitCountry : changes.transitCountry;
    if ((changes.programme ?? cur.programme) === "pta" && !transit)
      throw InvalidError.field(
        "changes.transitCountry",
        "invalid.required",
        "A PTA names its transit country",
      );
    if (changes.assignedTo) await Refs.staff(changes.assignedTo, "changes.assignedTo");
    const { sections, ...rest } = changes;
    const { set, remove } = splitChanges(rest);
    // each section given replaces that section only; an empty text clears it
    if (sections) {
      const merged: Record<string, string> = { ...(cur.sections ?? {}) };
      for (const [k, v] of Object.entries(sections))
        if (v === undefined) continue;
        else if (v.trim()) merged[k] = v;
        else delete merged[k];
      set.sections = merged;
    }
    // who works on it is not what it says: any other change shapes the submission
    if (Object.entries(changes).some(([k, v]) => k !== "assignedTo" && v !== undefined))
      set.editors = Editors.touched(cur);
    return write(cur, version, set, "update", remove);
  });

  export async function bulkPatch(rows: { id: string; version: number; changes: unknown }[]) {
    return bulk(rows, async (row, i): Promise<BulkRowResult> => {
      try {
        const s = await patch({ submissionID: row.id, version: row.version, changes: row.changes as never });
        return { id: row.id, status: "saved", version: s.version, record: s };
      } catch (err) {
        const issues = (err as { issues?: { path: string }[] }).issues;
        if (Array.isArray(issues)) for (const x of issues) x.path = `rows.${i}.${x.path}`;
        throw err;
      }
    });
  }

  /** Screens the submission and stores the flags it raises anew: the submission as stored, and those new flags. */
  async function screenAndStore(cur: Info, version: number): Promise<{ saved: Info; fresh: Flag[] }> {
    const c = await loadCase(cur.caseID);
    const fresh = await screen(cur, c?.individualIDs ?? []);
    if (!fresh.length) return { saved: cur, fresh };
    const flags = [...cur.flags, ...fresh];
    const saved = await write(
      cur,
      version,
      { flags, openFlags: flags.filter((f) => f.status === "open").length },
      "flag",
    );
    return { saved, fresh };
  }

  /** Screens the submission, stores any new flags, and refuses while a flag awaits a reviewed resolution. */
  async function assertClean(cur: Info, version: number): Promise<void> {
    const { fresh } = await screenAndStore(cur, version);
    if (fresh.length)
      throw new RuleError(
        "submission.flagged",
        `${fresh.length} new integrity flag(s) need a reviewed resolution`,
      );
    if (cur.openFlags > 0)
      throw new RuleError("submission.flagsOpen", "Open integrity flags need a reviewed resolution first");
  }

  export const TransitionInput = SubmissionTransitionInput.extend({ submissionID: z.string() });
  export const transition = fn(
    TransitionInput,
    async ({ submissionID, to, reason, departureDate, version }) => {
      const { cur, t } = await read(submissionID);
      Actor.assert("programme.update", t);
      if (!SubmissionTransitions[cur.status].includes(to))
        throw new RuleError("submission.transition", `A submission cannot move from ${cur.status} to ${to}`);
      if (NEEDS_REASON.includes(to) && !reason)
        throw InvalidError.field("reason", "invalid.required", `Say why the submission is ${to}`);
      const set: Record<string, unknown> = { status: to };
      const now = nowIso();
      if (to !== "withdrawn") {
        if (to === "submitted") {
          await assertClean(cur, version);
          const members = await people(cur.individualIDs);
          await BestInterests.assertBids(cur.caseID, cur.programme, members);
          const c = await loadCase(cur.caseID);
          set.snapshot = cur.snapshot ?? snapshot(members, c?.individualIDs ?? cur.individualIDs);
          set.submittedAt = now;
        } else if (WITH_COUNTRY.includes(cur.status)) await assertClean(cur, version);
      }
      if (to === "drafted") {
        set.draftedBy = Actor.id();
        set.editors = Editors.touched(cur);
      }
      if (to === "accepted" || to === "rejected" || to === "deferred") {
        set.decidedAt = now;
        if (reason) set.decisionReason = reason;
      }
      if (to === "departure_arranged") {
        if (!departureDate)
          throw InvalidError.field("departureDate", "invalid.required", "Give the departure date");
        set.departureDate = departureDate;
      }
      if (to === "departed") set.departedAt = now;
      return write(cur, version, set, `transition.${to}`, undefined, reason);
    },
  );

  export const ReviewInput = SubmissionReviewInput.extend({ submissionID: z.string() });
  /** Quality review by a reviewing officer who did not draft the submission (four eyes). */
  export const review = fn(ReviewInput, async ({ submissionID, decision, comment, version }) => {
    const { cur, t } = await read(submissionID);
    Actor.assert("programme.review", t);
    if (cur.status !== "drafted")
      throw new RuleError("submission.notDrafted", "Only a drafted submission is reviewed");
    Editors.assertNotShaper(
      cur,
      "submission.ownReview",
      "Someone who created, drafted or changed this submission cannot review it",
      [cur.draftedBy],
    );
    const to = decision === "recommend" ? "recommended" : "returned";
    return write(
      cur,
      version,
      { status: to, reviewedBy: Actor.id(), reviewComment: comment },
      `review.${decision}`,
    );
  });

  /** Runs the anti-fraud screening on demand (stores new flags; refuses nothing). */
  export async function screenNow(submissionID: string): Promise<Info> {
    const { cur, t } = await read(submissionID);
    Actor.assert("programme.update", t);
    return (await screenAndStore(cur, cur.version)).saved;
  }

  /**
   * After a person's biodata changed (a job, `RESCREEN_JOB`): each submission the country holds with them (on a
   * case of theirs, with its snapshot) is screened again and new flags stored, as the system. Idempotent: a flag
   * is keyed by what it saw, so a second run raises nothing; a colleague's write in between fails this run, and the
   * job runs again on the fresh submission.
   */
  export async function screenPerson(individualID: string): Promise<void> {
    const memberships = await CaseMemberEntity.query.byIndividual({ individualID }).go({ pages: "all" });
    for (const { caseID } of memberships.data) {
      const found = await SubmissionEntity.query.byCase({ caseID }).go({ pages: "all" });
      for (const { submissionID } of found.data) {
        const cur = await load(submissionID);
        if (!cur || cur.deleted || !cur.snapshot || !WITH_COUNTRY.includes(cur.status)) continue;
        if (!cur.individualIDs.includes(individualID)) continue;
        await Actor.provide({ type: "system", reason: "rescreen", operationID: cur.operationID }, () =>
          screenAndStore(cur, cur.version),
        );
      }
    }
  }

  export const ResolveInput = FlagResolutionInput.extend({ submissionID: z.string(), flagID: z.string() });
  /** A reviewing officer resolves a flag with an outcome and a note; a confirmed fraud withdraws nothing by itself. */
  export const resolveFlag = fn(ResolveInput, async ({ submissionID, flagID, outcome, note, version }) => {
    const { cur, t } = await read(submissionID);
    Actor.assert("programme.review", t);
    Editors.assertNotShaper(
      cur,
      "flag.ownSubmission",
      "An integrity flag is resolved by someone who did not create, draft or change the submission",
      [cur.draftedBy],
    );
    const f = cur.flags.find((x) => x.flagID === flagID);
    if (!f) throw new NotFoundError("flag", flagID);
    if (f.status === "resolved") throw new RuleError("flag.resolved", "This flag is already resolved");
    const flags = cur.flags.map((x) =>
      x.flagID === flagID
        ? { ...x, status: "resolved" as const, resolution: { outcome, note, by: Actor.id(), at: nowIso() } }
        : x,
    );
    return write(
      cur,
      version,
      { flags, openFlags: flags.filter((x) => x.status === "open").length },
      `flag.${outcome}`,
      undefined,
      note,
    );
  });

  export const InterviewNoteAdd = InterviewNoteInput.extend({ submissionID: z.string() });
  /** Records what an interview found. The note shapes the submission: its writer does not review it. */
  export const addInterviewNote = fn(InterviewNoteAdd, async ({ submissionID, version, ...note }) => {
    const { cur, t } = await read(submissionID);
    Actor.assert("programme.update", t);
    if (!INTERVIEW_STAGES.includes(cur.status))
      throw new RuleError(
        "submission.interviewStage",
        `No interview note is added to a submission that is ${cur.status}`,
      );
    const entry = { noteID: Identifier.create("note"), ...note, by: Actor.id(), at: nowIso() };
    return write(
      cur,
      version,
      { interviewNotes: [...(cur.interviewNotes ?? []), entry], editors: Editors.touched(cur) },
      "interviewNote",
    );
  });

  /** Staff names and the case number a submission's page shows beside it (never IDs), and its missions. */
  export async function desk(submissionID: string): Promise<SubmissionDesk> {
    const cur = await get(submissionID);
    const ids = [
      cur.createdBy,
      cur.assignedTo,
      cur.draftedBy,
      cur.reviewedBy,
      ...(cur.editors ?? []),
      ...cur.flags.map((f) => f.resolution?.by),
      ...(cur.interviewNotes ?? []).map((n) => n.by),
    ];
    const [staff, c, missions] = await Promise.all([
      staffNames(ids),
      loadCase(cur.caseID),
      Missions.ofSubmission(cur),
    ]);
    return { staff: Object.fromEntries(staff), caseNumber: c?.caseNumber, missions };
  }

  export const InterviewInput = z.object({
    submissionID: z.string(),
    room: z.string().min(1).max(50),
    start: z.string(),
    end: z.string(),
    staffIDs: z.array(z.string()).max(10).default([]),
    interpreterLanguage: z.string().optional(),
    interpreterID: z.string().optional(),
    notes: z.string().max(2000).optional(),
  });
  /**
   * Books the selection-mission interview of everyone on the submission through Appointment, so room and
   * interpreter slot claims apply (no double-booking during a mission's busy days).
   */
  export const scheduleInterview = fn(InterviewInput, async ({ submissionID, ...slot }) => {
    const { cur, t } = await read(submissionID);
    Actor.assert("programme.update", t);
    if (!["identified", "interviewed", "returned", "deferred"].includes(cur.status))
      throw new RuleError(
        "submission.interviewStage",
        `No interview is booked for a submission that is ${cur.status}`,
      );
    return Appointment.create({
      ...slot,
      officeID: cur.officeID,
      kind: "selection_mission",
      caseID: cur.caseID,
      participants: cur.individualIDs,
    } as never);
  });
}
