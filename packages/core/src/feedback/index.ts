import {
  DataChangeAsk,
  DataChangeDecision,
  DefaultFeedbackDeadlines,
  FeedbackClose,
  FeedbackCreate,
  FeedbackListQuery,
  FeedbackPatch,
  FeedbackRespond,
  FeedbackSettingsSave,
  PublicFeedbackRequest,
  isSensitiveCategory,
  type DataChangeRequest,
  type FeedbackCategory,
  type FeedbackInfo,
  type FeedbackSettingsInfo,
} from "@waypoint/schema/feedback";
import { IndividualChanges } from "@waypoint/schema/registry";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { Counter } from "../common/counter.ts";
import { Cursor } from "../common/cursor.ts";
import { nowIso, transactWrite, transactWriteOrConflict, type TxItem } from "../common/db.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError, RuleError } from "../common/errors.ts";
import { fn, toFieldIssues } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { asRead, writeVersioned } from "../common/record.ts";
import { Refs } from "../common/refs.ts";
import { auditRead, splitChanges } from "../common/scope.ts";
import { nextDay, today } from "../common/zone.ts";
import { Individual } from "../individual/index.ts";
import { Job } from "../job/index.ts";
import { Operation } from "../operation/index.ts";
import { Narrative } from "../privacy/narrative.ts";
import { FeedbackEntity } from "./feedback.entity.ts";
import { OfficeEntity } from "../operation/operation.entity.ts";
import { FeedbackSettingsEntity } from "./settings.entity.ts";
import { MemberEntity } from "../user/member.entity.ts";
import { ESCALATE_JOB } from "./jobs.ts";

export { ESCALATE_JOB };

/** What the person said and what they were told: sealed at rest like incident narratives. */
const NARRATIVE = ["summary", "response"] as const;

type Stored = Omit<FeedbackInfo, "overdue"> & { deleted?: boolean };

/**
 * Feedback and complaints, from any channel. A complaint in a sensitive category (sexual exploitation and abuse,
 * fraud, staff misconduct) is seen only by the operation's named focal points, whatever their role: anyone else,
 * admins included, is told it does not exist (404, in lists and by ID), and every read of one is audited. Each
 * category has a deadline (the operation's, or the defaults); an open complaint past it is escalated by a
 * scheduled job. Corrections of a person's record asked for in a complaint wait for a second person's approval and
 * are applied then, conditional on the record's version the approver saw.
 */
export namespace Feedback {
  export type Info = FeedbackInfo;

  /* ---------- settings: focal points and deadlines ---------- */

  async function loadSettings(operationID: string): Promise<FeedbackSettingsInfo> {
    const s = (await FeedbackSettingsEntity.get({ operationID }).go({ consistent: true })).data;
    const saved = s ? (JSON.parse(s.deadlineDays) as Partial<Record<FeedbackCategory, number>>) : {};
    const deadlineDays = { ...DefaultFeedbackDeadlines };
    for (const [k, v] of Object.entries(saved))
      if (Object.hasOwn(deadlineDays, k) && typeof v === "number") deadlineDays[k as FeedbackCategory] = v;
    return {
      operationID,
      focalPoints: s?.focalPoints ?? [],
      deadlineDays,
      ...(s?.intakeOfficeID ? { intakeOfficeID: s.intakeOfficeID } : {}),
      version: s?.version ?? 0,
    };
  }

  /** The operation's focal points and deadlines (every handler of complaints may know who the focal points are). */
  export async function settings(): Promise<FeedbackSettingsInfo> {
    const operationID = Actor.operationID();
    if (!Actor.can("feedback.read") && !Actor.can("feedback.manage"))
      throw new ForbiddenError("feedback.read");
    return loadSettings(operationID);
  }

  /** Who complaints can be given to, and who can be named a focal point: the operation's active staff by name. */
  export async function staff() {
    if (!Actor.can("feedback.update") && !Actor.can("feedback.manage"))
      throw new ForbiddenError("feedback.update");
    const rows = (await MemberEntity.query.primary({ operationID: Actor.operationID() }).go({ pages: "all" }))
      .data as { userID: string; name: string; role: string; disabled?: boolean }[];
    return {
      items: rows
        .filter((m) => !m.disabled && m.role !== "interpreter")
        .map((m) => ({ userID: m.userID, name: m.name, role: m.role }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    };
  }

  export const saveSettings = fn(FeedbackSettingsSave, async (input): Promise<FeedbackSettingsInfo> => {
    const operationID = Actor.operationID();
    Actor.assert("feedback.manage", { operationID });
    const focalPoints = [...new Set(input.focalPoints)];
    await Promise.all(focalPoints.map((u, i) => Refs.staff(u, `focalPoints.${i}`)));
    const cur = await loadSettings(operationID);
    const deadlineDays = { ...cur.deadlineDays, ...input.deadlineDays };
    if (input.intakeOfficeID) await Refs.office(input.intakeOfficeID, "intakeOfficeID");
    const intakeOfficeID = input.intakeOfficeID ?? cur.intakeOfficeID;
    const office = intakeOfficeID ? { intakeOfficeID } : {};
    const now = nowIso();
    const changes = Audit.diff(
      cur as unknown as Record<string, unknown>,
      { ...cur, focalPoints, deadlineDays, ...office } as unknown as Record<string, unknown>,
      ["focalPoints", "deadlineDays", "intakeOfficeID"],
    );
    const audit = {
      recordID: operationID,
      recordType: "feedbackSettings",
      action: "update",
      operationID,
      changes,
    };
    if (cur.version === 0) {
      if (input.version !== 0) throw new ConflictError("The settings were changed by someone else", cur);
      await transactWriteOrConflict([
        {
          put: FeedbackSettingsEntity.create({
            operationID,
            focalPoints,
            deadlineDays: JSON.stringify(deadlineDays),
            ...office,
            version: 1,
            timeCreated: now,
            timeUpdated: now,
          }).params(),
        },
        Audit.txItem(audit),
      ]);
      return { operationID, focalPoints, deadlineDays, ...office, version: 1 };
    }
    const res = await writeVersioned(
      {
        entity: FeedbackSettingsEntity,
        key: { operationID },
        expectedVersion: input.version,
        set: { focalPoints, deadlineDays: JSON.stringify(deadlineDays), ...office },
        audit,
        view: () => loadSettings(operationID),
      },
      () => loadSettings(operationID),
    );
    return { operationID, focalPoints, deadlineDays, ...office, version: res.version };
  });

  /* ---------- who sees what ---------- */

  const target = (f: Stored): Actor.Target => ({
    operationID: f.operationID,
    officeID: f.officeID,
    assignedTo: f.assignedTo,
    createdBy: f.createdBy,
  });

  /**
   * May the actor see (`feedback.read`) or handle (`feedback.update`) this complaint? Sensitive: only a focal
   * point (who holds the action at any scope). Otherwise the permission table; one without an office yet (the
   * public form) is open to every handler of the operation until someone gives it one.
   */
  function may(
    action: "feedback.read" | "feedback.update",
    f: Stored,
    focalPoints: readonly string[],
  ): boolean {
    const a = Actor.use();
    if (a.type === "system") return !a.operationID || a.operationID === f.operationID;
    if (a.type !== "user" || a.operationID !== f.operationID) return false;
    // the role holds the action at some scope; the operation was checked above
    if (f.sensitive) return focalPoints.includes(a.userID) && Actor.can(action);
    if (!f.officeID) return Actor.can(action);
    return Actor.can(action, target(f));
  }

  async function load(feedbackID: string): Promise<Stored | undefined> {
    const f = (await FeedbackEntity.get({ feedbackID }).go({ consistent: true })).data as Stored | null;
    return f ? Narrative.openFields(f, NARRATIVE) : undefined;
  }

  async function shown(f: Stored): Promise<Info> {
    const zone = await Operation.timeZone(f.operationID);
    const { deleted: _d, ...rest } = f;
    return { ...rest, overdue: f.status !== "closed" && f.dueOn < today(zone) };
  }

  /** Loads and authorises; a sensitive complaint out of the actor's reach is "not found", and a read is audited. */
  async function authorised(feedbackID: string, action: "feedback.read" | "feedback.update") {
    const f = await load(feedbackID);
    if (!f || f.deleted || f.operationID !== Actor.operationID())
      throw new NotFoundError("feedback", feedbackID);
    const s = await loadSettings(f.operationID);
    if (!may("feedback.read", f, s.focalPoints)) {
      if (f.sensitive) throw new NotFoundError("feedback", feedbackID);
      throw new ForbiddenError("feedback.read");
    }
    if (action === "feedback.update" && !may("feedback.update", f, s.focalPoints))
      throw new ForbiddenError("feedback.update");
    if (f.sensitive) await auditRead("feedback", feedbackID, { ...target(f), restricted: true });
    return { f, settings: s };
  }

  export async function get(feedbackID: string): Promise<Info> {
    return shown((await authorised(feedbackID, "feedback.read")).f);
  }

  export const list = fn(FeedbackListQuery, async (q) => {
    const operationID = Actor.operationID();
    Actor.assert("feedback.read"); // each complaint is checked on its own below
    const s = await loadSettings(operationID);
    const zone = await Operation.timeZone(operationID);
    const day = today(zone);
    const scope = `feedback:${Actor.id()}:${q.status}:${q.category}:${q.officeID}:${q.overdue}`;
    const res = await FeedbackEntity.query
      .byOperation({ operationID })
      .where((a, { eq, ne, lt }) =>
        [
          q.status && eq(a.status, q.status),
          q.category && eq(a.category, q.category),
          q.officeID && eq(a.officeID, q.officeID),
          q.overdue === "true" && `${ne(a.status, "closed")} AND ${lt(a.dueOn, day)}`,
        ]
          .filter(Boolean)
          .join(" AND "),
      )
      .go({ count: q.limit, cursor: Cursor.verify(q.cursor, scope), order: "desc" });
    const kept = (res.data as Stored[]).filter((f) => !f.deleted && may("feedback.read", f, s.focalPoints));
    await Promise.all(
      kept
        .filter((f) => f.sensitive)
        .map((f) => auditRead("feedback", f.feedbackID, { ...target(f), restricted: true })),
    );
    const items = await Promise.all(kept.map(async (f) => shown(await Narrative.openFields(f, NARRATIVE))));
    return { items, nextCursor: Cursor.sign(res.cursor, scope) };
  });

  /* ---------- receiving ---------- */

  const dueOf = (receivedOn: string, category: FeedbackCategory, s: FeedbackSettingsInfo) =>
    nextDay(receivedOn, s.deadlineDays[category] ?? DefaultFeedbackDeadlines[category]);

  /** The escalation check, due the day after the deadline (UTC; the job looks again in the operation's zone). */
  function escalationJob(f: { feedbackID: string; operationID: string; dueOn: string }): TxItem {
    const at = Date.parse(`${nextDay(f.dueOn)}T00:00:00Z`);
    return Job.txItem({
      kind: ESCALATE_JOB,
      ref: f.feedbackID,
      operationID: f.operationID,
      delayMs: Math.max(0, at - Date.now()),
    });
  }

  async function checkRefs(
    v: { individualID?: string | null; assignedTo?: string | null; officeID?: string | null },
    prefix = "",
  ) {
    if (v.officeID) await Refs.office(v.officeID, `${prefix}officeID`);
    if (v.individualID) await Refs.individual(v.individualID, `${prefix}individualID`);
    if (v.assignedTo) await Refs.staff(v.assignedTo, `${prefix}assignedTo`);
  }

  /** A complaint in a sensitive category is handled by focal points only. */
  function checkAssignee(
    sensitive: boolean,
    assignedTo: string | undefined | null,
    s: FeedbackSettingsInfo,
    path: string,
  ) {
    if (sensitive && assignedTo && !s.focalPoints.includes(assignedTo))
      throw InvalidError.field(
        path,
        "invalid.focalPoint",
        "A complaint in a sensitive category can only be given to one of the focal points",
      );
  }

  async function insert(item: Omit<Stored, "number">): Promise<Stored> {
    let stored: Stored | undefined;
    const { outcome } = await Counter.next(`${item.operationID}#feedback`, async (n) => {
      stored = { ...item, number: `FB-${String(n).padStart(5, "0")}` } as Stored;
      return [
        {
          put: FeedbackEntity.create(
            (await Narrative.sealFields(item.operationID, stored, NARRATIVE)) as never,
          ).params(),
        },
        Audit.txItem({
          recordID: item.feedbackID,
          recordType: "feedback",
          action: "create",
          operationID: item.operationID,
          officeID: item.officeID,
          restricted: item.sensitive || undefined,
        }),
        escalationJob(stored),
      ];
    });
    if (!outcome.ok)
      throw new ConflictError(
        "The complaint could not be saved; try again",
        undefined,
        "conflict.constraint",
      );
    return stored!;
  }

  /**
   * Records feedback received by staff. What comes back: the complaint when the recorder may see it, or only its
   * number when it went to the focal points (a sensitive category and the recorder is not one of them).
   */
  export const create = fn(FeedbackCreate, async (input) => {
    const operationID = Actor.operationID();
    if (input.officeID) Actor.assert("feedback.create", { operationID, officeID: input.officeID });
    else Actor.assert("feedback.create");
    await checkRefs(input);
    const s = await loadSettings(operationID);
    const sensitive = isSensitiveCategory(input.category);
    checkAssignee(sensitive, input.assignedTo, s, "assignedTo");
    const now = nowIso();
    const f = await insert({
      ...input,
      feedbackID: Identifier.create("feedback"),
      operationID,
      sensitive,
      dueOn: dueOf(input.receivedOn, input.category, s),
      status: "open",
      changeRequests: [],
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    });
    const visible = may("feedback.read", f, s.focalPoints);
    return {
      number: f.number,
      sensitive,
      visible,
      ...(visible ? { feedbackID: f.feedbackID, record: await shown(f) } : {}),
    };
  });

  /**
   * The office a public-form complaint goes to, so it lands in a queue: the office of the area given (its
   * district, else its region), else the operation's intake office (settings), else its first office.
   */
  async function intakeOffice(operationID: string, area: string | undefined, intake: string | undefined) {
    const offices = (await OfficeEntity.query.byOperation({ operationID }).go({ pages: "all" })).data
      .filter((o) => !(o as { deleted?: boolean }).deleted)
      .sort((a, b) => a.code.localeCompare(b.code));
    const byArea =
      area &&
      (offices.find((o) => o.adm2 === area) ??
        offices.find((o) => o.adm1 && (o.adm1 === area || area.startsWith(o.adm1))));
    return (byArea || offices.find((o) => o.officeID === intake) || offices[0])?.officeID;
  }

  /** The public form: no account; the same answer whatever happens, nothing of what was sent repeated. */
  export const submitPublic = fn(PublicFeedbackRequest, async (input) => {
    const receipt = {
      status: "received" as const,
      message: "Thank you. Your message was received and will be handled confidentially.",
    };
    const op = await Operation.byCode(input.operation);
    if (!op) return receipt;
    await Actor.provide({ type: "public", operationID: op.operationID }, async () => {
      const s = await loadSettings(op.operationID);
      const officeID = await intakeOffice(op.operationID, input.area, s.intakeOfficeID);
      const zone = await Operation.timeZone(op.operationID);
      const receivedOn = today(zone);
      const now = nowIso();
      await insert({
        feedbackID: Identifier.create("feedback"),
        operationID: op.operationID,
        channel: "public_form",
        ...(officeID ? { officeID } : {}),
        category: input.category,
        sensitive: isSensitiveCategory(input.category),
        receivedOn,
        dueOn: dueOf(receivedOn, input.category, s),
        summary: input.message,
        ...(input.name ? { contactName: input.name } : {}),
        ...(input.phone ? { contactPhone: input.phone } : {}),
        anonymous: !input.name && !input.phone,
        status: "open",
        changeRequests: [],
        createdBy: "public",
        version: 1,
        timeCreated: now,
        timeUpdated: now,
      });
    });
    return receipt;
  });

  /* ---------- handling ---------- */

  async function write(
    cur: Stored,
    expectedVersion: number,
    action: string,
    set: Record<string, unknown>,
    opts: { remove?: string[]; with?: TxItem[]; reason?: string; fields?: string[] } = {},
  ): Promise<Info> {
    const next = { ...cur, ...set } as Stored;
    for (const k of opts.remove ?? []) delete (next as Record<string, unknown>)[k];
    const res = await writeVersioned(
      {
        entity: FeedbackEntity,
        key: { feedbackID: cur.feedbackID },
        expectedVersion,
        set: await Narrative.sealFields(cur.operationID, { ...set, operationID: cur.operationID }, NARRATIVE),
        remove: opts.remove,
        audit: {
          recordID: cur.feedbackID,
          recordType: "feedback",
          action,
          operationID: cur.operationID,
          officeID: next.officeID,
          reason: opts.reason,
          restricted: cur.sensitive || next.sensitive || undefined,
          changes: await Narrative.sealDiff(
            cur.operationID,
            Audit.diff(cur, next, opts.fields ?? Object.keys(set)),
            NARRATIVE,
          ),
        },
        with: opts.with,
        view: asRead(() => get(cur.feedbackID)),
      },
      () => load(cur.feedbackID),
    );
    return shown({ ...next, ...res });
  }

  /** Category, office, person, contact, summary, assignment. A new category moves the deadline. */
  export async function patch(feedbackID: string, input: z.input<typeof FeedbackPatch>): Promise<Info> {
    const { version, changes } = (() => {
      const p = FeedbackPatch.safeParse(input);
      if (!p.success) throw new InvalidError(toFieldIssues(p.error));
      return p.data;
    })();
    const { f: cur, settings: s } = await authorised(feedbackID, "feedback.update");
    if (cur.status === "closed") throw new RuleError("feedback.closed", "This complaint is closed");
    await checkRefs(changes, "changes.");
    if (changes.officeID && changes.officeID !== cur.officeID && !cur.sensitive)
      Actor.assert("feedback.update", { ...target(cur), officeID: changes.officeID });
    const { set, remove } = splitChanges(changes);
    const next = { ...cur, ...set } as Stored;
    for (const k of remove) delete (next as Record<string, unknown>)[k];
    const extra: TxItem[] = [];
    if (changes.category && changes.category !== cur.category) {
      next.sensitive = isSensitiveCategory(changes.category);
      next.dueOn = dueOf(cur.receivedOn, changes.category, s);
      set.sensitive = next.sensitive;
      set.dueOn = next.dueOn;
      extra.push(escalationJob(next));
    }
    checkAssignee(next.sensitive, next.assignedTo, s, "changes.assignedTo");
    return write(cur, version, "update", set, { remove, with: extra, fields: Object.keys(changes) });
  }

  /** The answer given to the person (what they were told, and when). */
  export const respond = async (feedbackID: string, input: z.input<typeof FeedbackRespond>) => {
    const p = FeedbackRespond.safeParse(input);
    if (!p.success) throw new InvalidError(toFieldIssues(p.error));
    const { f: cur } = await authorised(feedbackID, "feedback.update");
    if (cur.status === "closed") throw new RuleError("feedback.closed", "This complaint is closed");
    return write(cur, p.data.version, "respond", {
      response: p.data.response,
      respondedAt: nowIso(),
      respondedBy: Actor.id(),
    });
  };

  /** Closure with a reason; pending corrections must be decided first. */
  export const close = async (feedbackID: string, input: z.input<typeof FeedbackClose>) => {
    const p = FeedbackClose.safeParse(input);
    if (!p.success) throw new InvalidError(toFieldIssues(p.error));
    const { f: cur } = await authorised(feedbackID, "feedback.update");
    if (cur.status === "closed") throw new RuleError("feedback.closed", "This complaint is already closed");
    if (cur.changeRequests.some((r) => r.status === "pending"))
      throw new RuleError("feedback.pendingChange", "A requested correction is waiting for approval");
    return write(
      cur,
      p.data.version,
      "close",
      {
        status: "closed",
        closureReason: p.data.reason,
        ...(p.data.note ? { closureNote: p.data.note } : {}),
        closedAt: nowIso(),
        closedBy: Actor.id(),
      },
      { reason: p.data.reason },
    );
  };

  /* ---------- corrections of a person's record ---------- */

  const asText = (v: unknown) => (v === undefined || v === null ? undefined : String(v));

  /** Records a correction the person asked for; nothing changes on their record until a second person approves. */
  export const requestChange = async (feedbackID: string, input: z.input<typeof DataChangeAsk>) => {
    const p = DataChangeAsk.safeParse(input);
    if (!p.success) throw new InvalidError(toFieldIssues(p.error));
    const { f: cur } = await authorised(feedbackID, "feedback.update");
    if (cur.status === "closed") throw new RuleError("feedback.closed", "This complaint is closed");
    if (!cur.individualID)
      throw InvalidError.field("individualID", "invalid.required", "Link the complaint to the person first");
    const valid = IndividualChanges.safeParse({ [p.data.field]: p.data.to });
    if (!valid.success)
      throw InvalidError.field("to", "invalid.value", valid.error.issues[0]?.message ?? "Not a valid value");
    const person = await Individual.get(cur.individualID);
    Actor.assert("individual.update", Individual.target(person));
    const request: DataChangeRequest = {
      requestID: Identifier.create("dataChange"),
      field: p.data.field,
      ...(asText((person as Record<string, unknown>)[p.data.field]) !== undefined
        ? { from: asText((person as Record<string, unknown>)[p.data.field]) }
        : {}),
      to: p.data.to,
      status: "pending",
      requestedBy: Actor.id(),
      requestedAt: nowIso(),
    };
    return write(
      cur,
      p.data.version,
      "dataChange.request",
      { changeRequests: [...cur.changeRequests, request] },
      {
        reason: `${request.requestID} ${request.field}`,
        fields: [],
      },
    );
  };

  /**
   * A second person's decision on a requested correction. Approval writes the person's record (its own versioned,
   * audited update, conditional on `individualVersion`: a record changed since the approver looked is a conflict)
   * and the decision on the complaint in one transaction. The requester may not decide their own request.
   */
  export const decideChange = async (
    feedbackID: string,
    requestID: string,
    input: z.input<typeof DataChangeDecision>,
  ) => {
    const p = DataChangeDecision.safeParse(input);
    if (!p.success) throw new InvalidError(toFieldIssues(p.error));
    const d = p.data;
    const { f: cur } = await authorised(feedbackID, "feedback.update");
    const req = cur.changeRequests.find((r) => r.requestID === requestID);
    if (!req) throw new NotFoundError("dataChange", requestID);
    if (req.status !== "pending")
      throw new RuleError("dataChange.decided", "This correction was already decided");
    if (req.requestedBy === Actor.id())
      throw new RuleError(
        "dataChange.ownRequest",
        "Someone other than who asked for the correction must decide it",
      );
    if (cur.version !== d.version)
      throw new ConflictError(`feedback ${feedbackID} was changed by someone else`, await shown(cur));
    const decidedAt = nowIso();
    const changeRequests = cur.changeRequests.map((r) =>
      r.requestID === requestID
        ? {
            ...r,
            status: d.decision === "approve" ? ("applied" as const) : ("rejected" as const),
            decidedBy: Actor.id(),
            decidedAt,
            ...(d.reason ? { reason: d.reason } : {}),
          }
        : r,
    );
    if (d.decision === "reject")
      return write(
        cur,
        d.version,
        "dataChange.reject",
        { changeRequests },
        { reason: requestID, fields: [] },
      );
    if (!cur.individualID) throw InvalidError.field("individualID", "invalid.required", "No person linked");
    if (d.individualVersion === undefined)
      throw InvalidError.field(
        "individualVersion",
        "invalid.required",
        "The version of the person's record is needed",
      );
    // the complaint's own change rides in the person's update transaction
    const timeUpdated = nowIso();
    const complaintItem: TxItem = {
      update: FeedbackEntity.patch({ feedbackID })
        .set({ changeRequests, timeUpdated, operationID: cur.operationID })
        .add({ version: 1 })
        .where((a, { eq }) => eq(a.version, d.version))
        .params(),
    };
    await Individual.patch(
      cur.individualID,
      d.individualVersion,
      { [req.field]: req.to } as z.infer<typeof IndividualChanges>,
      {
        with: [
          complaintItem,
          Audit.txItem({
            recordID: feedbackID,
            recordType: "feedback",
            action: "dataChange.approve",
            operationID: cur.operationID,
            officeID: cur.officeID,
            reason: `${requestID} ${req.field}`,
            restricted: cur.sensitive || undefined,
          }),
        ],
      },
    );
    return shown({ ...cur, changeRequests, version: d.version + 1, timeUpdated });
  };

  /* ---------- escalation (scheduled) ---------- */

  /**
   * The job behind every deadline: an open complaint past its deadline (the operation's day) is escalated. Runs
   * again harmlessly: a closed, already escalated or moved-deadline complaint is left alone (a new deadline has
   * its own job); one checked too early (time zones) is looked at again later.
   */
  export async function escalate(feedbackID: string): Promise<"escalated" | "not_due" | "skipped"> {
    const f = await load(feedbackID);
    if (!f || f.deleted || f.status !== "open") return "skipped";
    const day = today(await Operation.timeZone(f.operationID));
    if (f.dueOn >= day) {
      const at = Date.parse(`${nextDay(f.dueOn)}T00:00:00Z`);
      // early by the operation's offset from UTC: look again in an hour (or on the UTC day after the deadline)
      const again = await transactWrite([
        Job.txItem({
          kind: ESCALATE_JOB,
          ref: feedbackID,
          operationID: f.operationID,
          delayMs: Math.max(3_600_000, at - Date.now()),
        }),
      ]);
      if (!again.ok) throw new ConflictError("The escalation check could not be queued again");
      return "not_due";
    }
    await Actor.provide({ type: "system", operationID: f.operationID, reason: "feedback escalation" }, () =>
      write(
        f,
        f.version,
        "escalate",
        { status: "escalated", escalatedAt: nowIso() },
        { reason: `due ${f.dueOn}` },
      ),
    );
    return "escalated";
  }
}
