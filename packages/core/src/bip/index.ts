import { AssessmentApprovalsNeeded } from "@waypoint/schema/cases";
import { BipListQuery, type BipAssessment } from "@waypoint/schema/resettlement";
import { Actor } from "../actor.ts";
import { NotFoundError, RuleError } from "../common/errors.ts";
import { isChild } from "../common/age.ts";
import { fn } from "../common/fn.ts";
import { Assessment } from "../assessment/index.ts";
import { followCase, loadCase } from "../case/store.ts";
import { people, type Person } from "../resettlement/integrity.ts";
import { SubmissionEntity } from "../resettlement/submission.entity.ts";
import { staffNames } from "../resettlement/staff.ts";

const PARENTS = ["head", "spouse"];
const CHILDREN = ["child", "stepchild"];

/**
 * Best Interests Procedure. A child leaving on resettlement needs an approved BID (a panel decision) when the
 * child is unaccompanied or separated, when not both parents travel with them (the other parent's custody
 * rights), and for every child in a PTA case (an evacuation from the country of origin). Which children need
 * one is decided here, once, from the registry, so the rule cannot be forgotten case by case.
 */
export namespace BestInterests {
  export const KINDS = ["bia", "bid"] as const;

  export function childrenNeedingBid(programme: string, members: Person[]): string[] {
    const parents = members.filter(
      (m) => PARENTS.includes(String(m.relationshipToHead)) && !isChild(m as never),
    );
    return members
      .filter((m) => isChild(m as never))
      .filter((m) => {
        const needs = (m.specificNeeds as string[] | undefined) ?? [];
        if (programme === "pta") return true;
        if (needs.some((n) => n.startsWith("UASC"))) return true;
        if (!CHILDREN.includes(String(m.relationshipToHead))) return true;
        return parents.length < 2;
      })
      .map((m) => m.individualID);
  }

  /** Refuses unless every child who needs one has an approved BID on this case. */
  export async function assertBids(caseID: string, programme: string, members: Person[]): Promise<void> {
    const need = childrenNeedingBid(programme, members);
    if (need.length === 0) return;
    const approved = new Set((await Assessment.approvedFor(caseID, "bid")).map((a) => a.individualID));
    const missing = need.filter((id) => !approved.has(id));
    if (missing.length)
      throw new RuleError(
        "submission.bidRequired",
        `An approved BID is required before submission for: ${missing.join(", ")}`,
      );
  }

  /** BIAs and BIDs waiting for the current actor's review. */
  export const queue = () => Assessment.queue(KINDS);

  const KIND_SET = new Set<string>(KINDS);

  /** BIAs and BIDs as their screens show them: the child and case by name, each round's panel by name. */
  async function describe(items: Assessment.Info[]): Promise<BipAssessment[]> {
    const caseIDs = [...new Set(items.map((a) => a.caseID))];
    const [names, children, cases, subs] = await Promise.all([
      staffNames(items.flatMap((a) => [a.createdBy, ...a.reviews.map((r) => r.reviewerID)])),
      people([...new Set(items.map((a) => a.individualID).filter((x): x is string => Boolean(x)))]),
      Promise.all(caseIDs.map(async (id) => [id, await loadCase(id)] as const)),
      Promise.all(
        caseIDs.map(async (caseID) => {
          const r = await SubmissionEntity.query.byCase({ caseID }).go({ pages: "all" });
          return [caseID, r.data] as const;
        }),
      ),
    ]);
    const child = new Map(children.map((p) => [p.individualID, p]));
    const caseOf = new Map(cases);
    const subsOf = new Map(subs);
    return items.map((a) => {
      const round = a.round ?? 0;
      const rounds = new Map<number, BipAssessment["rounds"][number]>();
      for (const r of a.reviews) {
        const n = r.round ?? 1;
        const entry = rounds.get(n) ?? { round: n, reviews: [] };
        entry.reviews.push({ ...r, reviewerName: names.get(r.reviewerID) });
        rounds.set(n, entry);
      }
      const c = caseOf.get(a.caseID);
      const p = a.individualID ? child.get(a.individualID) : undefined;
      const submissions = (subsOf.get(a.caseID) ?? []).filter(
        (s) =>
          !s.deleted &&
          (!a.individualID || s.individualIDs.includes(a.individualID)) &&
          Actor.can(
            "programme.read",
            followCase(
              {
                operationID: s.operationID,
                officeID: s.officeID,
                assignedTo: s.assignedTo,
                createdBy: s.createdBy,
                restricted: s.restricted,
              },
              c,
            ),
          ),
      );
      return {
        assessmentID: a.assessmentID,
        kind: a.kind as "bia" | "bid",
        status: a.status,
        round,
        summary: a.summary,
        caseID: a.caseID,
        caseNumber: c?.caseNumber,
        officeID: a.officeID,
        individualID: a.individualID,
        childName: p ? [p.givenName, p.familyName].filter(Boolean).join(" ") : undefined,
        createdBy: a.createdBy,
        authorName: names.get(a.createdBy),
        approvals: new Set(
          a.reviews
            .filter((r) => (r.round ?? 1) === round && r.decision === "approve")
            .map((r) => r.reviewerID),
        ).size,
        needed: AssessmentApprovalsNeeded[a.kind],
        rounds: [...rounds.values()].sort((x, y) => x.round - y.round),
        submissions: submissions.map((s) => ({
          submissionID: s.submissionID,
          programme: s.programme,
          country: s.country,
          status: s.status,
        })),
        timeCreated: a.timeCreated,
        timeUpdated: a.timeUpdated,
        version: a.version,
      };
    });
  }

  /** The BIAs and BIDs the actor may read (an office's, or a case's), newest first. */
  export const list = fn(BipListQuery, async (q) => {
    const pages = await Promise.all(KINDS.map((kind) => Assessment.list({ ...q, kind, limit: 1000 })));
    const items = pages
      .flatMap((p) => p.items as Assessment.Info[])
      .sort((a, b) => b.timeUpdated.localeCompare(a.timeUpdated));
    return { items: await describe(items) };
  });

  /** One BIA or BID with its rounds and panel (read as the assessment is: access follows the case). */
  export async function file(assessmentID: string): Promise<BipAssessment> {
    const a = await Assessment.get(assessmentID);
    if (!KIND_SET.has(a.kind)) throw new NotFoundError("assessment", assessmentID);
    return (await describe([a]))[0]!;
  }
}
