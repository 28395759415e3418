import { AssessmentApprovalsNeeded, type CaseInfo } from "@waypoint/schema/cases";
import type {
  CaseloadCase,
  CaseloadRow,
  ClosureQueueItem,
  FlaggedQueueItem,
  ReviewQueueItem,
  SupervisionQueue,
} from "@waypoint/schema/work";
import { Actor } from "../actor.ts";
import { Assessment } from "../assessment/index.ts";
import { CaseEntity } from "../case/case.entity.ts";
import { caseTarget, loadCase } from "../case/store.ts";
import { batchGet } from "../common/batch-get.ts";
import { ForbiddenError } from "../common/errors.ts";
import { today as todayIn } from "../common/zone.ts";
import { Operation } from "../operation/index.ts";
import { listPartition, visible } from "../common/scope.ts";
import { Individual } from "../individual/index.ts";
import { CashRequest } from "../payment/request.ts";
import { Resettlement } from "../resettlement/index.ts";
import { SubmissionEntity } from "../resettlement/submission.entity.ts";
import { UserEntity } from "../user/user.entity.ts";

/**
 * What waits on a supervisor, and their team's caseload. Every list is permission-checked here: a section is
 * there only when the role may take its decision (`case.approve`, `assessment.review`, `programme.review`), and it
 * holds only records of the actor's offices that they may decide on (never their own closure request, never an
 * assessment they wrote or already reviewed in this round).
 */
export namespace Supervision {
  export type ClosureItem = ClosureQueueItem;
  export type ReviewItem = ReviewQueueItem;
  export type FlaggedItem = FlaggedQueueItem;
  export type Queue = SupervisionQueue;

  /** Staff names for a set of user IDs (one batch read). */
  export async function staffNames(ids: (string | undefined)[]): Promise<Map<string, string>> {
    const users = [...new Set(ids.filter((x): x is string => Boolean(x?.startsWith("usr_"))))];
    if (users.length === 0) return new Map();
    const found = await batchGet<{ userID: string; name: string }>(
      UserEntity,
      users.map((userID) => ({ userID })),
      { attributes: ["userID", "name"] },
    );
    return new Map(found.map((u) => [u.userID, u.name] as const));
  }

  /** The partitions (offices, or the whole operation) a list for `action` reads. */
  function partitions(action: Parameters<typeof listPartition>[0], officeID?: string) {
    const ls = Actor.listScope(action);
    if (!ls) throw new ForbiddenError(action);
    const offices = ls.scope === "office" && !officeID ? (ls.user?.officeIDs ?? []) : [];
    if (offices.length > 1) return offices.map((o) => ({ kind: "office" as const, officeID: o }));
    return [listPartition(action, officeID)];
  }

  async function casesWhere(
    action: Parameters<typeof listPartition>[0],
    officeID: string | undefined,
    filter: "closure" | "open",
  ): Promise<CaseInfo[]> {
    const operationID = Actor.operationID();
    const pages = await Promise.all(
      partitions(action, officeID).map((p) => {
        const q =
          p.kind === "office"
            ? CaseEntity.query.byOffice({ officeID: p.officeID })
            : p.kind === "own"
              ? CaseEntity.query.byAssignee({ assignedTo: p.userID })
              : CaseEntity.query.byOperation({ operationID });
        return q
          .where((a, { eq, ne, exists }) =>
            [
              eq(a.operationID, operationID),
              ne(a.stage, "closed"),
              filter === "closure" ? exists(a.closureApproval) : "",
            ]
              .filter(Boolean)
              .join(" AND "),
          )
          .go({ pages: "all" });
      }),
    );
    return pages.flatMap((r) => r.data as CaseInfo[]);
  }

  /** Case closures waiting for a decision by the current actor (not their own request). */
  export async function closures(officeID?: string): Promise<ClosureItem[]> {
    const me = Actor.id();
    const pending = (await casesWhere("case.approve", officeID, "closure")).filter(
      (c) => c.closureApproval?.decision === "pending" && c.closureApproval.requestedBy !== me,
    );
    const shown = await visible("case", "case.approve", pending, (c) => c.caseID, caseTarget);
    const names = await staffNames(shown.flatMap((c) => [c.assignedTo, c.closureApproval?.requestedBy]));
    return shown
      .map((c) => ({
        caseID: c.caseID,
        caseNumber: c.caseNumber,
        type: c.type,
        stage: c.stage,
        officeID: c.officeID,
        assignedTo: c.assignedTo,
        assignedName: c.assignedTo ? names.get(c.assignedTo) : undefined,
        requestedBy: c.closureApproval!.requestedBy,
        requestedByName: names.get(c.closureApproval!.requestedBy),
        requestedAt: c.closureApproval!.requestedAt,
        reason: c.closureApproval!.reason,
        version: c.version,
      }))
      .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
  }

  /** BIAs and BIDs the current actor may still review, with the panel so far. */
  export async function reviews(officeID?: string): Promise<ReviewItem[]> {
    Actor.assert("assessment.review");
    const waiting = (await Assessment.queue(["bia", "bid"])).filter(
      (a) => !officeID || a.officeID === officeID,
    );
    const cases = new Map(
      await Promise.all(
        [...new Set(waiting.map((a) => a.caseID))].map(async (id) => [id, await loadCase(id)] as const),
      ),
    );
    const people = new Map(
      await Promise.all(
        [...new Set(waiting.map((a) => a.individualID).filter((x): x is string => Boolean(x)))].map(
          async (id) => [id, await Individual.get(id).catch(() => undefined)] as const,
        ),
      ),
    );
    const names = await staffNames(
      waiting.flatMap((a) => [a.createdBy, ...a.reviews.map((r) => r.reviewerID)]),
    );
    return waiting
      .map((a) => {
        const round = a.round ?? 1;
        const thisRound = a.reviews.filter((r) => (r.round ?? 1) === round);
        const person = a.individualID ? people.get(a.individualID) : undefined;
        return {
          assessmentID: a.assessmentID,
          kind: a.kind,
          caseID: a.caseID,
          caseNumber: cases.get(a.caseID)?.caseNumber,
          officeID: a.officeID,
          individualID: a.individualID,
          personName: person ? [person.givenName, person.familyName].filter(Boolean).join(" ") : undefined,
          createdBy: a.createdBy,
          authorName: names.get(a.createdBy),
          round,
          approvals: new Set(thisRound.filter((r) => r.decision === "approve").map((r) => r.reviewerID)).size,
          needed: AssessmentApprovalsNeeded[a.kind],
          panel: thisRound.map((r) => ({
            reviewerName: names.get(r.reviewerID) ?? r.reviewerID,
            decision: r.decision,
          })),
          submittedAt: a.timeUpdated,
          version: a.version,
        };
      })
      .sort((a, b) => a.submittedAt.localeCompare(b.submittedAt));
  }

  /** Resettlement submissions with open integrity flags, for reviewing officers. */
  export async function flagged(officeID?: string): Promise<FlaggedItem[]> {
    const operationID = Actor.operationID();
    const pages = await Promise.all(
      partitions("programme.review", officeID).map((p) =>
        (p.kind === "office"
          ? SubmissionEntity.query.byOffice({ officeID: p.officeID })
          : SubmissionEntity.query.byOperation({ operationID })
        )
          .where((a, { eq, gt }) => `${eq(a.operationID, operationID)} AND ${gt(a.openFlags, 0)}`)
          .go({ pages: "all" }),
      ),
    );
    const candidates = pages.flatMap((r) => r.data as unknown as Resettlement.Submission[]);
    // Each through the module's own read (restriction follows the case; restricted reads audited).
    const read = await Promise.all(
      candidates.map((s) => Resettlement.get(s.submissionID).catch(() => undefined)),
    );
    const mine = read.filter(
      (s): s is Resettlement.Submission =>
        Boolean(s) && Actor.can("programme.review", Resettlement.target(s as Resettlement.Submission)),
    );
    const cases = new Map(
      await Promise.all(
        [...new Set(mine.map((s) => s.caseID))].map(async (id) => [id, await loadCase(id)] as const),
      ),
    );
    return mine.map((s) => ({
      submissionID: s.submissionID,
      caseID: s.caseID,
      caseNumber: cases.get(s.caseID)?.caseNumber,
      officeID: s.officeID,
      programme: s.programme,
      status: s.status,
      openFlags: s.flags
        .filter((f) => f.status === "open")
        .map((f) => ({ flagID: f.flagID, kind: f.kind, detail: f.detail, raisedAt: f.raisedAt })),
      version: s.version,
    }));
  }

  /** Cash-for-protection requests on cases of the actor's offices, asked for by someone else. */
  async function cashRequests(officeID?: string) {
    const items = (await CashRequest.pending()).filter((i) => !officeID || i.officeID === officeID);
    const names = await staffNames(items.map((i) => i.requestedBy));
    return items.map((i) => ({ ...i, requestedByName: names.get(i.requestedBy) }));
  }

  /** Everything waiting on the current actor; a section the role may not decide on is null. */
  export async function queue(officeID?: string): Promise<Queue> {
    const [c, r, f, cash] = await Promise.all([
      Actor.can("case.approve") ? closures(officeID) : null,
      Actor.can("assessment.review") ? reviews(officeID) : null,
      Actor.can("programme.review") ? flagged(officeID) : null,
      Actor.can("payment.authorise") ? cashRequests(officeID) : null,
    ]);
    return { closures: c, reviews: r, flagged: f, cashRequests: cash };
  }

  /**
   * Open cases of the actor's office(s) by assigned worker: how many, how many high risk, how many with a follow-up
   * past due (`dueFollowUp` before `today`), most overdue first. For roles that read every case of an office.
   */
  export async function caseload(
    input: { officeID?: string; today?: string } = {},
  ): Promise<{ items: CaseloadRow[] }> {
    const ls = Actor.listScope("case.read");
    if (!ls || ls.scope === "own") throw new ForbiddenError("case.read");
    // overdue by the operation's calendar: its today, not UTC's
    const today = input.today ?? todayIn(await Operation.timeZone(Actor.operationID()));
    const open = await casesWhere("case.read", input.officeID, "open");
    const shown = await visible("case", "case.read", open, (c) => c.caseID, caseTarget);
    const byWorker = new Map<string, CaseloadCase[]>();
    for (const c of shown) {
      const k = c.assignedTo ?? "";
      const list = byWorker.get(k) ?? [];
      list.push({
        caseID: c.caseID,
        caseNumber: c.caseNumber,
        individualIDs: c.individualIDs ?? [],
        type: c.type,
        stage: c.stage,
        riskLevel: c.riskLevel,
        dueFollowUp: c.dueFollowUp,
        overdue: Boolean(c.dueFollowUp && c.dueFollowUp.slice(0, 10) < today),
        closurePending: c.closureApproval?.decision === "pending",
      });
      byWorker.set(k, list);
    }
    const names = await staffNames([...byWorker.keys()]);
    const items = [...byWorker.entries()].map(([userID, cases]) => ({
      ...(userID ? { userID, name: names.get(userID) } : {}),
      open: cases.length,
      highRisk: cases.filter((c) => c.riskLevel === "high" || c.riskLevel === "critical").length,
      overdue: cases.filter((c) => c.overdue).length,
      cases: cases.sort(
        (a, b) =>
          Number(b.overdue) - Number(a.overdue) ||
          String(a.dueFollowUp ?? "9999").localeCompare(String(b.dueFollowUp ?? "9999")),
      ),
    }));
    items.sort((a, b) => b.overdue - a.overdue || b.open - a.open);
    return { items };
  }
}
