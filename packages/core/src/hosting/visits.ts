import {
  CodeOfConduct,
  VisitCalendarQuery,
  VisitComplete,
  VisitReview,
  VisitSchedule,
  type VisitInfo,
} from "@waypoint/schema/hosting";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { nowIso, transactWriteOrConflict } from "../common/db.ts";
import { InvalidError, NotFoundError, RuleError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { writeVersioned } from "../common/record.ts";
import { listPartition } from "../common/scope.ts";
import { today as localToday } from "../common/zone.ts";
import { Operation } from "../operation/index.ts";
import { HostEntity } from "./host.entity.ts";
import { VisitEntity } from "./visit.entity.ts";
import { Questionnaire } from "../questionnaire/index.ts";
import { checkAndScore } from "@waypoint/schema/questionnaire";

const ComplianceResults: readonly string[] = ["compliant", "partially_compliant", "non_compliant"];

type Host = NonNullable<Awaited<ReturnType<ReturnType<typeof HostEntity.get>["go"]>>["data"]>;
const addDays = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * 864e5).toISOString().slice(0, 10);

async function host(hostID: string, action: "programme.read" | "programme.update"): Promise<Host> {
  const h = (await HostEntity.get({ hostID }).go()).data;
  if (!h || h.deleted || h.operationID !== Actor.operationID()) throw new NotFoundError("host", hostID);
  Actor.assert(action, { operationID: h.operationID, officeID: h.officeID, createdBy: h.createdBy });
  return h;
}

/** Derived fields of the host, maintained by the system (no version bump: they are never edited by hand). */
async function refreshHost(hostID: string, result?: string) {
  const rows = (await VisitEntity.query.byHost({ hostID }).go({ pages: "all" })).data;
  const next = rows
    .filter((v) => v.status === "scheduled")
    .map((v) => v.scheduledFor)
    .sort()[0];
  const set: Record<string, string> = {};
  if (result) set.complianceStatus = result;
  let op = HostEntity.patch({ hostID }).set(set);
  if (next) op = op.set({ nextVisitDue: next });
  else op = op.remove(["nextVisitDue"]);
  await op.go();
}

/**
 * Monitoring visits on the host's schedule and compliance assessments against the signed code of conduct. A
 * compliance result follows from the checklist (every item met, most met, or not), never from a free choice.
 */
export namespace HostVisits {
  export const ScheduleInput = VisitSchedule.extend({ hostID: z.string() });
  export const schedule = fn(ScheduleInput, async ({ hostID, from, count, kind }): Promise<VisitInfo[]> => {
    const h = await host(hostID, "programme.update");
    const now = nowIso();
    const items = Array.from({ length: count }, (_, i) => ({
      visitID: Identifier.create("visit"),
      operationID: h.operationID,
      officeID: h.officeID,
      hostID,
      kind,
      scheduledFor: addDays(from, i * h.visitEveryDays),
      status: "scheduled" as const,
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    }));
    for (let i = 0; i < items.length; i += 50)
      await transactWriteOrConflict([
        ...items.slice(i, i + 50).map((v) => ({ put: VisitEntity.create(v).params() })),
        Audit.txItem({
          recordID: hostID,
          recordType: "host",
          action: "visits.schedule",
          operationID: h.operationID,
          officeID: h.officeID,
        }),
      ]);
    await refreshHost(hostID);
    return items as VisitInfo[];
  });

  export async function list(hostID: string): Promise<VisitInfo[]> {
    await host(hostID, "programme.read");
    return (await VisitEntity.query.byHost({ hostID }).go({ pages: "all" })).data as VisitInfo[];
  }

  /**
   * Scheduled visits of an office whose date has passed: the monitoring officer's to-do list. "Passed" is in the
   * operation's time zone: at 19:00 in Tapachula today's visit is not overdue though UTC is on tomorrow already.
   */
  export async function overdue(officeID: string, today?: string) {
    Actor.assert("programme.read", { operationID: Actor.operationID(), officeID });
    today ??= localToday(await Operation.timeZone(Actor.operationID()));
    const res = await VisitEntity.query
      .byOffice({ officeID })
      .lt({ scheduledFor: today })
      .go({ pages: "all" });
    return res.data.filter(
      (v) => v.status === "scheduled" && v.operationID === Actor.operationID(),
    ) as VisitInfo[];
  }

  export const CompleteInput = VisitComplete.extend({ visitID: z.string() });
  export const complete = fn(
    CompleteInput,
    async ({ visitID, date, findings, checklist, followUpNeeded, version }) => {
      const v = (await VisitEntity.get({ visitID }).go({ consistent: true })).data;
      if (!v || v.operationID !== Actor.operationID()) throw new NotFoundError("visit", visitID);
      await host(v.hostID, "programme.update");
      if (v.status !== "scheduled") throw new RuleError("visit.notScheduled", `The visit is ${v.status}`);
      let result: string | undefined;
      let questionnaireVersion: number | undefined;
      const checked = new Set<string>();
      for (const [i, c] of (checklist ?? []).entries()) {
        if (checked.has(c.item))
          throw InvalidError.field(`checklist.${i}.item`, "invalid.duplicate", "Each item is assessed once");
        checked.add(c.item);
      }
      // A code-of-conduct item not met is the supervisor's to follow up, whatever kind of visit found it.
      const failed = (checklist ?? []).some((c) => !c.met);
      if (v.kind === "compliance") {
        const seen = new Set((checklist ?? []).map((c) => c.item));
        const missing = CodeOfConduct.filter((i) => !seen.has(i));
        if (missing.length)
          throw InvalidError.field(
            "checklist",
            "invalid.incomplete",
            `Assess every code-of-conduct item: ${missing.join(", ")}`,
          );
        const met = checklist!.filter((c) => c.met).length;
        const documented =
          met === CodeOfConduct.length
            ? "compliant"
            : met >= CodeOfConduct.length - 2
              ? "partially_compliant"
              : "non_compliant";
        // the operation's host-compliance questionnaire (built in: one point per item met, the rule above) decides
        const q = await Questionnaire.forAnswering("host_compliance");
        const scored = checkAndScore(
          q,
          checklist!.map((c) => ({ questionID: c.item, answer: c.met })),
        );
        result =
          !scored.issues.length && ComplianceResults.includes(scored.result.band)
            ? scored.result.band
            : documented;
        questionnaireVersion = q.questionnaireVersion;
      }
      const set = {
        status: "completed",
        date,
        findings,
        checklist,
        followUpNeeded,
        result,
        questionnaireVersion,
        review: failed ? "pending" : undefined,
        visitedBy: Actor.id(),
        hostID: v.hostID,
        scheduledFor: v.scheduledFor,
        officeID: v.officeID,
      };
      const res = await writeVersioned(
        {
          entity: VisitEntity,
          key: { visitID },
          expectedVersion: version,
          set: Object.fromEntries(Object.entries(set).filter(([, x]) => x !== undefined)),
          audit: {
            recordID: visitID,
            recordType: "hostVisit",
            action: "complete",
            operationID: v.operationID,
            officeID: v.officeID,
          },
        },
        async () => (await VisitEntity.get({ visitID }).go()).data,
      );
      await refreshHost(v.hostID, result);
      return { ...v, ...set, ...res } as VisitInfo;
    },
  );

  /** Visits of the actor's office(s) (or one office) scheduled between two days, with the host's name. */
  export const calendar = fn(VisitCalendarQuery, async ({ officeID, from, to }) => {
    const ls = Actor.listScope("programme.read");
    const offices =
      !officeID && ls?.scope === "office" && (ls.user?.officeIDs.length ?? 0) > 1
        ? ls.user!.officeIDs
        : [officeID];
    const operationID = Actor.operationID();
    const today = localToday(await Operation.timeZone(operationID));
    const rows: VisitInfo[] = [];
    for (const o of offices) {
      const part = listPartition("programme.read", o);
      if (part.kind === "office") {
        const res = await VisitEntity.query
          .byOffice({ officeID: part.officeID })
          .between({ scheduledFor: from }, { scheduledFor: `${to}~` })
          .go({ pages: "all" });
        rows.push(...(res.data as VisitInfo[]));
      } else {
        const hosts = (await HostEntity.query.byOperation({ operationID }).go({ pages: "all" })).data;
        for (const h of hosts) {
          const res = await VisitEntity.query
            .byHost({ hostID: h.hostID })
            .between({ scheduledFor: from }, { scheduledFor: `${to}~` })
            .go({ pages: "all" });
          rows.push(...(res.data as VisitInfo[]));
        }
      }
    }
    const mine = rows.filter(
      (v) =>
        v.operationID === operationID &&
        !(v as { deleted?: boolean }).deleted &&
        v.status !== "cancelled" &&
        Actor.can("programme.read", { operationID, officeID: v.officeID, createdBy: v.createdBy }),
    );
    const hostIDs = [...new Set(mine.map((v) => v.hostID))];
    const names = new Map<string, string>();
    for (const id of hostIDs) names.set(id, (await HostEntity.get({ hostID: id }).go()).data?.name ?? "");
    return mine
      .map((v) => ({
        ...v,
        hostName: names.get(v.hostID) ?? "",
        overdue: v.status === "scheduled" && v.scheduledFor < today,
      }))
      .sort((a, b) => a.scheduledFor.localeCompare(b.scheduledFor));
  });

  /**
   * Completed visits that found code-of-conduct items not met and wait for a supervisor's review, in the offices
   * where the actor reviews programme records; never a visit the actor made.
   */
  export async function pendingReviews(officeID?: string) {
    const ls = Actor.listScope("programme.review");
    const officeIDs =
      !officeID && ls?.scope === "office" && (ls.user?.officeIDs.length ?? 0) > 1
        ? ls.user!.officeIDs
        : [officeID];
    const operationID = Actor.operationID();
    const rows: VisitInfo[] = [];
    for (const officeID of officeIDs) {
      const part = listPartition("programme.review", officeID);
      if (part.kind === "office") {
        const res = await VisitEntity.query
          .byOffice({ officeID: part.officeID })
          .where((a, { eq }) => eq(a.review, "pending"))
          .go({ pages: "all" });
        rows.push(...(res.data as VisitInfo[]));
      } else {
        const hosts = (await HostEntity.query.byOperation({ operationID }).go({ pages: "all" })).data;
        for (const h of hosts) {
          const res = await VisitEntity.query
            .byHost({ hostID: h.hostID })
            .where((a, { eq }) => eq(a.review, "pending"))
            .go({ pages: "all" });
          rows.push(...(res.data as VisitInfo[]));
        }
      }
    }
    const mine = rows.filter(
      (v) =>
        v.operationID === operationID &&
        v.visitedBy !== Actor.id() &&
        Actor.can("programme.review", { operationID, officeID: v.officeID, createdBy: v.createdBy }),
    );
    const names = new Map<string, string>();
    for (const id of new Set(mine.map((v) => v.hostID)))
      names.set(id, (await HostEntity.get({ hostID: id }).go()).data?.name ?? "");
    return mine
      .map((v) => ({ ...v, hostName: names.get(v.hostID) ?? "" }))
      .sort((a, b) => String(a.date ?? "").localeCompare(String(b.date ?? "")));
  }

  export const ReviewInput = VisitReview.extend({ visitID: z.string() });
  /** A supervisor's follow-up of a visit that found items not met: the note, and the visit leaves the queue. */
  export const review = fn(ReviewInput, async ({ visitID, note, version }) => {
    const v = (await VisitEntity.get({ visitID }).go({ consistent: true })).data;
    if (!v || v.operationID !== Actor.operationID()) throw new NotFoundError("visit", visitID);
    await host(v.hostID, "programme.read");
    Actor.assert("programme.review", { operationID: v.operationID, officeID: v.officeID });
    if (v.review !== "pending") throw new RuleError("visit.noReview", "This visit has nothing to review");
    if (v.visitedBy === Actor.id())
      throw new RuleError("visit.ownReview", "The person who made the visit cannot review its findings");
    const set = {
      review: "reviewed",
      reviewedBy: Actor.id(),
      reviewNote: note,
      hostID: v.hostID,
      scheduledFor: v.scheduledFor,
      officeID: v.officeID,
    };
    const res = await writeVersioned(
      {
        entity: VisitEntity,
        key: { visitID },
        expectedVersion: version,
        set,
        audit: {
          recordID: visitID,
          recordType: "hostVisit",
          action: "review",
          reason: note,
          operationID: v.operationID,
          officeID: v.officeID,
        },
      },
      async () => (await VisitEntity.get({ visitID }).go()).data,
    );
    return { ...v, ...set, ...res } as VisitInfo;
  });
}
