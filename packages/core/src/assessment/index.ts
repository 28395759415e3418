import {
  AssessmentApprovalsNeeded,
  AssessmentChanges,
  AssessmentCreate,
  AssessmentReviewInput,
  type AssessmentInfo,
  type AssessmentKind,
} from "@waypoint/schema/cases";
import { type BulkRowResult } from "@waypoint/schema/bulk";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { caseTarget, filedTarget, loadCase } from "../case/store.ts";
import { isChild } from "../common/age.ts";
import { nowIso, transactWriteOrConflict } from "../common/db.ts";
import { ConflictError, InvalidError, NotFoundError, RuleError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { Editors } from "../common/editors.ts";
import { asRead, bulk, writeVersioned } from "../common/record.ts";
import { Refs } from "../common/refs.ts";
import { authorisedRead, splitChanges, visible } from "../common/scope.ts";
import { Unique } from "../common/unique.ts";
import { CaseMemberEntity } from "../case/case.entity.ts";
import { AssessmentEntity } from "./assessment.entity.ts";
import { listAssessments, liveTargets } from "./list.ts";
import { scoreForKind, type Scored } from "./scoring.ts";
import { openAssessment, openAssessments, sealAssessment, sealAssessmentDiff } from "./sealed.ts";
import { Questionnaire } from "../questionnaire/index.ts";
import { QuestionnaireOfAssessmentKind, type ScoreExplanation } from "@waypoint/schema/questionnaire";
import { ConfiguredOn } from "../fields/apply.ts";
import type { FieldChange } from "../fields/values.ts";

/**
 * Assessments of a case (vulnerability, socio-economic, BIA, BID, AVR vulnerability). Access follows the case.
 * Some kinds count only after review: a BIA needs one reviewer and a BID a panel of two distinct reviewers,
 * never the author. One `reject` rejects it for good (the author starts a new one with the panel's comments);
 * `return` sends it back to the author as a draft, and the next submission opens a new review round in which
 * earlier approvals no longer count (the panel judges the revised text).
 */
export namespace Assessment {
  export type Info = AssessmentInfo & { assignedTo?: string; deleted?: boolean; submittedVersion?: number };

  export const target = (a: Info): Actor.Target => ({
    operationID: a.operationID,
    officeID: a.officeID,
    assignedTo: a.assignedTo,
    createdBy: a.createdBy,
    restricted: a.restricted,
  });

  export async function load(assessmentID: string): Promise<Info | undefined> {
    return (await openAssessment(
      (await AssessmentEntity.get({ assessmentID }).go({ consistent: true })).data ?? undefined,
    )) as Info | undefined;
  }

  /** Access follows the case as it is now (reassigned, or restricted after a disclosure). */
  export async function targetOf(a: Info): Promise<Actor.Target> {
    const c = await loadCase(a.caseID);
    return c ? filedTarget(c, a.createdBy) : target(a);
  }

  /** The assessment as stored (every configured value), after the read check. */
  async function readStored(assessmentID: string): Promise<Info> {
    const a = await load(assessmentID);
    const t = a ? await targetOf(a) : undefined;
    return authorisedRead("assessment", assessmentID, "assessment.read", a, () => t!);
  }

  export async function get(assessmentID: string): Promise<Info> {
    return ConfiguredOn.view("assessment", await readStored(assessmentID));
  }

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
    const scored = await scoreForKind(input.kind, input.answers, { version: input.questionnaireVersion });
    const configured = await ConfiguredOn.create("assessment", c.operationID, input.fields);
    const item: Info = ConfiguredOn.put({
      ...input,
      ...scored,
      assessmentID: Identifier.create("assessment"),
      operationID: c.operationID,
      officeID: c.officeID,
      assignedTo: c.assignedTo,
      status: "draft",
      reviews: [],
      round: 0,
      restricted: c.restricted,
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    }, configured.fields);
    await transactWriteOrConflict([
      { put: AssessmentEntity.create((await sealAssessment(item.kind, item.operationID, item)) as never).params() },
      Audit.txItem({
        recordID: item.assessmentID,
        recordType: "assessment",
        action: "create",
        operationID: item.operationID,
        officeID: item.officeID,
        restricted: item.restricted,
        ...(Object.keys(configured.changes).length ? { changes: configured.changes } : {}),
      }),
    ]);
    return ConfiguredOn.view("assessment", item);
  });

  export async function listForCase(caseID: string): Promise<Info[]> {
    const c = await loadCase(caseID);
    if (!c || c.operationID !== Actor.operationID()) throw new NotFoundError("case", caseID);
    Actor.assert("assessment.read", caseTarget(c));
    const res = await AssessmentEntity.query.byCase({ caseID }).go({ pages: "all" });
    return ConfiguredOn.viewAll(
      "assessment",
      await visible(
        "assessment",
        "assessment.read",
        await openAssessments(res.data as Info[]),
        (a) => a.assessmentID,
        (a) => filedTarget(c, a.createdBy),
      ),
    );
  }

  export const list = listAssessments;

  async function write(
    cur: Info,
    version: number,
    set: Record<string, unknown>,
    action: string,
    remove?: string[],
    extra?: Parameters<typeof writeVersioned>[0]["with"],
    configuredChanges: Record<string, FieldChange> = {},
  ) {
    const { fields: _configured, ...plain } = set;
    const res = await writeVersioned(
      {
        entity: AssessmentEntity,
        key: { assessmentID: cur.assessmentID },
        expectedVersion: version,
        // the indexes are keyed on operation, office and status: ElectroDB rebuilds them from all of these
        set: await sealAssessment(cur.kind, cur.operationID, {
          operationID: cur.operationID,
          officeID: cur.officeID,
          status: cur.status,
          ...set,
        }),
        remove,
        with: extra,
        audit: {
          recordID: cur.assessmentID,
          recordType: "assessment",
          action,
          operationID: cur.operationID,
          officeID: cur.officeID,
          restricted: cur.restricted,
          changes: {
            ...(await sealAssessmentDiff(
              cur.kind,
              cur.operationID,
              Audit.diff(cur, { ...cur, ...plain }, Object.keys(plain)),
            )),
            ...configuredChanges,
          },
        },
        view: asRead(() => get(cur.assessmentID)),
      },
      () => load(cur.assessmentID),
    );
    const next = { ...cur, ...set, ...res } as Info;
    for (const k of remove ?? []) delete (next as Record<string, unknown>)[k];
    return ConfiguredOn.view("assessment", next);
  }

  export const PatchInput = z.object({
    assessmentID: z.string(),
    version: z.number().int().min(1),
    changes: AssessmentChanges,
  });
  /** Only a draft is edited; once submitted, the reviewers judge what they saw. */
  export const patch = fn(PatchInput, async ({ assessmentID, version, changes: input }) => {
    const cur = await readStored(assessmentID);
    Actor.assert("assessment.update", await targetOf(cur));
    if (cur.status !== "draft")
      throw new RuleError("assessment.locked", "Only a draft assessment can be edited");
    const { fields: configuredInput, ...changes } = input;
    const configured = await ConfiguredOn.patch("assessment", cur, configuredInput);
    const c = await loadCase(cur.caseID);
    if (changes.individualID !== undefined || cur.kind === "bia" || cur.kind === "bid")
      await checkSubject(
        cur.kind,
        changes.individualID ?? cur.individualID,
        c?.individualIDs ?? [],
        "changes.",
      );
    const { set, remove } = splitChanges(changes);
    set.editors = Editors.touched(cur);
    if (changes.answers) {
      // scored by the version the assessment was started with (an older record without one: the current version)
      const scored = await scoreForKind(cur.kind, changes.answers, {
        prefix: "changes.",
        version: cur.questionnaireVersion,
        exact: cur.questionnaireVersion !== undefined,
      });
      applyScore(cur, scored, set, remove);
    }
    return write(
      cur,
      version,
      { ...set, ...configured.set },
      "update",
      [...remove, ...configured.remove],
      undefined,
      configured.changes,
    );
  });

  function applyScore(cur: Info, scored: Scored, set: Record<string, unknown>, remove: string[]) {
    Object.assign(set, scored);
    for (const k of ["level", "band"] as const) if (!scored[k] && cur[k]) remove.push(k);
  }

  export const RecomputeInput = z.object({
    assessmentID: z.string(),
    version: z.number().int().min(1),
    /** Score by another published version (a draft assessment only); its own version otherwise. */
    questionnaireVersion: z.number().int().min(1).optional(),
  });
  /**
   * Scores the stored answers again by the assessment's own questionnaire version (an older record without one is
   * stamped with version 1, the built-in questionnaire it was answered with). A draft may move to another
   * published version; a submitted or decided assessment keeps the version its reviewers judged.
   */
  export const recompute = fn(RecomputeInput, async ({ assessmentID, version, questionnaireVersion }) => {
    const cur = await get(assessmentID);
    Actor.assert("assessment.update", await targetOf(cur));
    if (!QuestionnaireOfAssessmentKind[cur.kind])
      throw new RuleError("assessment.noQuestionnaire", "This kind of assessment has no questionnaire to score it");
    const own = cur.questionnaireVersion ?? 1;
    const moving = questionnaireVersion !== undefined && questionnaireVersion !== own;
    if (moving && cur.status !== "draft")
      throw new RuleError("assessment.locked", "Only a draft assessment can move to another questionnaire version");
    const scored = await scoreForKind(cur.kind, cur.answers, {
      version: moving ? questionnaireVersion : own,
      exact: !moving,
    });
    const set: Record<string, unknown> = {};
    const remove: string[] = [];
    applyScore(cur, scored, set, remove);
    return write(cur, version, set, "recompute", remove);
  });

  /** Question by question, what the answers brought to the score, by the version the assessment was scored with. */
  export async function explain(assessmentID: string): Promise<ScoreExplanation> {
    const cur = await get(assessmentID);
    const key = QuestionnaireOfAssessmentKind[cur.kind];
    if (!key) throw new RuleError("assessment.noQuestionnaire", "This kind of assessment has no questionnaire to score it");
    const q = await Questionnaire.version(key, cur.questionnaireVersion ?? 1);
    return { ...Questionnaire.explain(q, cur.answers), storedScore: cur.score };
  }

  export async function createMany(rows: { ref?: string; values: unknown }[]) {
    return bulk(rows, async (row, i): Promise<BulkRowResult> => {
      try {
        const a = await create(row.values as z.input<typeof AssessmentCreate>);
        return { id: a.assessmentID, ref: row.ref, status: "created", version: a.version, record: a };
      } catch (err) {
        prefixIssues(err, `rows.${i}.values.`);
        throw err;
      }
    });
  }

  export async function bulkPatch(rows: { id: string; version: number; changes: unknown }[]) {
    return bulk(rows, async (row, i): Promise<BulkRowResult> => {
      try {
        const a = await patch({
          assessmentID: row.id,
          version: row.version,
          changes: row.changes as AssessmentChanges,
        });
        return { id: row.id, status: "saved", version: a.version, record: a };
      } catch (err) {
        prefixIssues(err, `rows.${i}.`);
        throw err;
      }
    });
  }

  function prefixIssues(err: unknown, prefix: string) {
    const issues = (err as { issues?: { path: string }[] }).issues;
    if (Array.isArray(issues)) for (const i of issues) i.path = `${prefix}${i.path}`;
  }

  export async function submit(assessmentID: string, version: number): Promise<Info> {
    const cur = await get(assessmentID);
    Actor.assert("assessment.update", await targetOf(cur));
    if (cur.status !== "draft") throw new RuleError("assessment.notDraft", "Only a draft can be submitted");
    const needed = AssessmentApprovalsNeeded[cur.kind];
    return write(
      cur,
      version,
      {
        status: needed === 0 ? "approved" : "submitted",
        round: (cur.round ?? 0) + 1,
        submittedVersion: version + 1,
        // submitting decides that this text is what the panel judges: the submitter shaped it too
        editors: Editors.touched(cur),
      },
      "submit",
    );
  }

  export const ReviewInput = AssessmentReviewInput.safeExtend({ assessmentID: z.string() });
  /**
   * A reviewer's decision. The author never reviews their own assessment and nobody reviews twice in a round;
   * the assessment is approved once enough distinct reviewers approved (two for a BID panel).
   *
   * Panel members review at the same time. While submitted, an assessment's content is locked and only reviews
   * are appended, so a reviewer who saw the submitted version judged exactly what is stored: their review is
   * applied on the latest version (retried on a concurrent write) instead of failing with a 409. A per-reviewer
   * constraint item written in the same transaction makes a second review by the same person impossible, even
   * from two requests racing each other.
   */
  export const review = fn(ReviewInput, async (input) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await reviewOnce(input);
      } catch (err) {
        if (!(err instanceof ConflictError) || err.code !== "conflict.version" || attempt >= 4) throw err;
      }
    }
  });

  async function reviewOnce({ assessmentID, decision, comment, version }: z.output<typeof ReviewInput>) {
    const cur = await get(assessmentID);
    Actor.assert("assessment.review", await targetOf(cur));
    const me = Actor.id();
    Editors.assertNotShaper(
      cur,
      "assessment.ownReview",
      "Someone who wrote, edited or submitted this assessment cannot review it",
    );
    if (cur.status !== "submitted")
      throw new RuleError("assessment.notSubmitted", "Only a submitted assessment can be reviewed");
    const round = cur.round ?? 1;
    const thisRound = cur.reviews.filter((r) => (r.round ?? 1) === round);
    if (thisRound.some((r) => r.reviewerID === me))
      throw new RuleError("assessment.alreadyReviewed", "You already reviewed this assessment");
    if (version > cur.version || version < (cur.submittedVersion ?? cur.version))
      throw new ConflictError(`assessment ${assessmentID} was changed since you read it`, cur);
    const reviews = [...cur.reviews, { reviewerID: me, decision, comment, time: nowIso(), round }];
    const approvers = new Set(
      [...thisRound, reviews.at(-1)!].filter((r) => r.decision === "approve").map((r) => r.reviewerID),
    );
    const status =
      decision === "reject"
        ? "rejected"
        : decision === "return"
          ? "draft"
          : approvers.size >= AssessmentApprovalsNeeded[cur.kind]
            ? "approved"
            : "submitted";
    try {
      return await write(cur, cur.version, { reviews, status }, `review.${decision}`, undefined, [
        Unique.claim("assessment.review", `${assessmentID}#${round}#${me}`, assessmentID),
      ]);
    } catch (err) {
      if (err instanceof ConflictError && err.code === "conflict.constraint")
        throw new RuleError("assessment.alreadyReviewed", "You already reviewed this assessment");
      throw err;
    }
  }

  /** Submitted assessments of these kinds the current actor may still review (not theirs, not yet reviewed). */
  export async function queue(kinds: readonly string[]): Promise<Info[]> {
    const operationID = Actor.operationID();
    const me = Actor.id();
    const res = await AssessmentEntity.query
      .byStatus({ operationID, status: "submitted" })
      .go({ pages: "all" });
    const mine = (await openAssessments(res.data as Info[])).filter(
      (a) =>
        kinds.includes(a.kind) &&
        !Editors.shaped(a, me) &&
        !a.reviews.some((r) => r.reviewerID === me && (r.round ?? 1) === (a.round ?? 1)),
    );
    return ConfiguredOn.viewAll(
      "assessment",
      await visible("assessment", "assessment.review", mine, (a) => a.assessmentID, await liveTargets(mine)),
    );
  }

  /** Approved assessments of a kind on a case (internal: callers have authorised the case). */
  export async function approvedFor(caseID: string, kind: string): Promise<Info[]> {
    const res = await AssessmentEntity.query.byCase({ caseID }).go({ pages: "all" });
    return openAssessments(
      (res.data as Info[]).filter((a) => !a.deleted && a.kind === kind && a.status === "approved"),
    );
  }

  /**
   * Whether an approved assessment of `kind` exists for a case (`cas_…`) or a person (`ind_…`, on any of their
   * cases in this operation). For guards in other modules (a resettlement submission needs an approved BID for
   * the child); internal: callers have authorised the record they act on.
   */
  export async function hasApproved(subjectID: string, kind: AssessmentKind): Promise<boolean> {
    if (subjectID.startsWith("cas_")) return (await approvedFor(subjectID, kind)).length > 0;
    const operationID = Actor.operationID();
    const members = await CaseMemberEntity.query
      .byIndividual({ individualID: subjectID })
      .go({ pages: "all" });
    for (const m of members.data.filter((m) => m.operationID === operationID))
      if ((await approvedFor(m.caseID, kind)).some((a) => a.individualID === subjectID)) return true;
    return false;
  }
}
