import {
  AssessmentApprovalsNeeded,
  AssessmentChanges,
  AssessmentCreate,
  AssessmentReviewInput,
  type AssessmentInfo,
} from "@waypoint/schema";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { caseTarget, loadCase } from "../case/store.ts";
import { isChild } from "../common/age.ts";
import { nowIso, transactWrite } from "../common/db.ts";
import { InvalidError, NotFoundError, RuleError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { writeVersioned } from "../common/record.ts";
import { Refs } from "../common/refs.ts";
import { authorisedRead, splitChanges, visible } from "../common/scope.ts";
import { AssessmentEntity } from "./assessment.entity.ts";

/**
 * Assessments of a case (vulnerability, socio-economic, BIA, BID, AVR vulnerability). Access follows the case.
 * Some kinds count only after review: a BIA needs one reviewer and a BID a panel of two, never the author;
 * one rejection by a reviewer rejects it (the author starts a new one with the panel's comments).
 */
export namespace Assessment {
  export type Info = AssessmentInfo & { assignedTo?: string; deleted?: boolean };

  export const target = (a: Info): Actor.Target => ({
    operationID: a.operationID,
    officeID: a.officeID,
    assignedTo: a.assignedTo,
    createdBy: a.createdBy,
    restricted: a.restricted,
  });

  export async function load(assessmentID: string): Promise<Info | undefined> {
    return ((await AssessmentEntity.get({ assessmentID }).go({ consistent: true })).data ?? undefined) as
      Info | undefined;
  }

  export async function get(assessmentID: string): Promise<Info> {
    return authorisedRead("assessment", assessmentID, "assessment.read", await load(assessmentID), target);
  }

  const scoreOf = (answers: { score?: number }[]) => answers.reduce((s, a) => s + (a.score ?? 0), 0);

  /** BIA and BID are about one child who is on the case. */
  async function checkSubject(
    kind: string,
    individualID: string | undefined,
    caseIDs: string[],
    prefix = "",
  ) {
    if (!individualID) {
      if (kind === "bia" || kind === "bid")
        throw InvalidError.field(
          `${prefix}individualID`,
          "invalid.required",
          "A BIA or BID is about one child",
        );
      return;
    }
    const person = await Refs.individual(individualID, `${prefix}individualID`);
    if (!caseIDs.includes(individualID))
      throw InvalidError.field(
        `${prefix}individualID`,
        "invalid.notOnCase",
        "The person is not on this case",
      );
    if ((kind === "bia" || kind === "bid") && !isChild(person))
      throw InvalidError.field(
        `${prefix}individualID`,
        "invalid.notChild",
        "A BIA or BID is for a child under 18",
      );
  }

  export const create = fn(AssessmentCreate, async (input): Promise<Info> => {
    const c = await loadCase(input.caseID);
    if (!c || c.operationID !== Actor.operationID())
      throw InvalidError.field("caseID", "invalid.case", "No such case");
    Actor.assert("assessment.create", caseTarget(c));
    await checkSubject(input.kind, input.individualID, c.individualIDs ?? []);
    const now = nowIso();
    const item: Info = {
      ...input,
      assessmentID: Identifier.create("assessment"),
      operationID: c.operationID,
      officeID: c.officeID,
      assignedTo: c.assignedTo,
      score: scoreOf(input.answers),
      status: "draft",
      reviews: [],
      restricted: c.restricted,
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    await transactWrite([
      { put: AssessmentEntity.create(item as never).params() },
      Audit.txItem({
        recordID: item.assessmentID,
        recordType: "assessment",
        action: "create",
        operationID: item.operationID,
        officeID: item.officeID,
        restricted: item.restricted,
      }),
    ]);
    return item;
  });

  export async function listForCase(caseID: string): Promise<Info[]> {
    const c = await loadCase(caseID);
    if (!c || c.operationID !== Actor.operationID()) throw new NotFoundError("case", caseID);
    Actor.assert("assessment.read", caseTarget(c));
    const res = await AssessmentEntity.query.byCase({ caseID }).go({ pages: "all" });
    return visible("assessment", "assessment.read", res.data as Info[], (a) => a.assessmentID, target);
  }

  async function write(
    cur: Info,
    version: number,
    set: Record<string, unknown>,
    action: string,
    remove?: string[],
  ) {
    const res = await writeVersioned(
      {
        entity: AssessmentEntity,
        key: { assessmentID: cur.assessmentID },
        expectedVersion: version,
        // byStatus is keyed on operation and status: ElectroDB rebuilds it from both
        set: { operationID: cur.operationID, status: cur.status, ...set },
        remove,
        audit: {
          recordID: cur.assessmentID,
          recordType: "assessment",
          action,
          operationID: cur.operationID,
          officeID: cur.officeID,
          restricted: cur.restricted,
          changes: Audit.diff(cur, { ...cur, ...set }, Object.keys(set)),
        },
      },
      () => load(cur.assessmentID),
    );
    const next = { ...cur, ...set, ...res } as Info;
    for (const k of remove ?? []) delete (next as Record<string, unknown>)[k];
    return next;
  }

  export const PatchInput = z.object({
    assessmentID: z.string(),
    version: z.number().int().min(1),
    changes: AssessmentChanges,
  });
  /** Only a draft is edited; once submitted, the reviewers judge what they saw. */
  export const patch = fn(PatchInput, async ({ assessmentID, version, changes }) => {
    const cur = await get(assessmentID);
    Actor.assert("assessment.update", target(cur));
    if (cur.status !== "draft")
      throw new RuleError("assessment.locked", "Only a draft assessment can be edited");
    const c = await loadCase(cur.caseID);
    if (changes.individualID !== undefined || cur.kind === "bia" || cur.kind === "bid")
      await checkSubject(
        cur.kind,
        changes.individualID ?? cur.individualID,
        c?.individualIDs ?? [],
        "changes.",
      );
    const { set, remove } = splitChanges(changes);
    if (changes.answers) set.score = scoreOf(changes.answers);
    return write(cur, version, set, "update", remove);
  });

  export async function submit(assessmentID: string, version: number): Promise<Info> {
    const cur = await get(assessmentID);
    Actor.assert("assessment.update", target(cur));
    if (cur.status !== "draft") throw new RuleError("assessment.notDraft", "Only a draft can be submitted");
    const needed = AssessmentApprovalsNeeded[cur.kind];
    return write(cur, version, { status: needed === 0 ? "approved" : "submitted" }, "submit");
  }

  export const ReviewInput = AssessmentReviewInput.extend({ assessmentID: z.string() });
  /**
   * A reviewer's decision. The author never reviews their own assessment, nobody reviews twice, and the
   * assessment is approved once enough distinct reviewers approved (two for a BID panel).
   */
  export const review = fn(ReviewInput, async ({ assessmentID, decision, comment, version }) => {
    const cur = await get(assessmentID);
    Actor.assert("assessment.review", target(cur));
    const me = Actor.id();
    if (cur.status !== "submitted")
      throw new RuleError("assessment.notSubmitted", "Only a submitted assessment can be reviewed");
    if (cur.createdBy === me)
      throw new RuleError("assessment.ownReview", "The author cannot review their own assessment");
    if (cur.reviews.some((r) => r.reviewerID === me))
      throw new RuleError("assessment.alreadyReviewed", "You already reviewed this assessment");
    const reviews = [...cur.reviews, { reviewerID: me, decision, comment, time: nowIso() }];
    const approvals = reviews.filter((r) => r.decision === "approve").length;
    const status =
      decision === "reject"
        ? "rejected"
        : approvals >= AssessmentApprovalsNeeded[cur.kind]
          ? "approved"
          : "submitted";
    return write(cur, version, { reviews, status }, `review.${decision}`);
  });

  /** Submitted assessments of these kinds the current actor may still review (not theirs, not yet reviewed). */
  export async function queue(kinds: readonly string[]): Promise<Info[]> {
    const operationID = Actor.operationID();
    const me = Actor.id();
    const res = await AssessmentEntity.query
      .byStatus({ operationID, status: "submitted" })
      .go({ pages: "all" });
    const mine = (res.data as Info[]).filter(
      (a) => kinds.includes(a.kind) && a.createdBy !== me && !a.reviews.some((r) => r.reviewerID === me),
    );
    return visible("assessment", "assessment.review", mine, (a) => a.assessmentID, target);
  }

  /** Approved assessments of a kind on a case (internal: callers have authorised the case). */
  export async function approvedFor(caseID: string, kind: string): Promise<Info[]> {
    const res = await AssessmentEntity.query.byCase({ caseID }).go({ pages: "all" });
    return (res.data as Info[]).filter((a) => !a.deleted && a.kind === kind && a.status === "approved");
  }
}
