import { AssessmentListQuery } from "@waypoint/schema/cases";
import { Actor } from "../actor.ts";
import { caseTarget, filedTarget, liveCases, loadCase } from "../case/store.ts";
import { Cursor } from "../common/cursor.ts";
import { NotFoundError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { listPartition, visible } from "../common/scope.ts";
import { AssessmentEntity } from "./assessment.entity.ts";
import { openAssessments } from "./sealed.ts";
import type { AssessmentInfo } from "@waypoint/schema/cases";
import { ConfiguredOn } from "../fields/apply.ts";

type Info = AssessmentInfo & { assignedTo?: string; deleted?: boolean };

/** Targets from the cases as they are now (one read per distinct case on the page). */
export async function liveTargets(items: Info[]): Promise<(a: Info) => Actor.Target> {
  const caseOf = await liveCases(items.map((a) => a.caseID));
  return (a) => {
    const c = caseOf(a.caseID);
    return c ? filedTarget(c, a.createdBy) : caseTarget(a);
  };
}

/**
 * Assessments visible to the actor, for the grid and the case page: by case (oldest first), otherwise by office
 * or operation (latest change first), filtered by kind, status and person; cursors are signed per query.
 */
export const listAssessments = fn(AssessmentListQuery, async (q) => {
  let scope: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- ElectroDB query builders differ per index
  let query: any;
  let own: string | undefined;
  if (q.caseID) {
    const c = await loadCase(q.caseID);
    if (!c || c.operationID !== Actor.operationID()) throw new NotFoundError("case", q.caseID);
    if (!Actor.can("assessment.read", caseTarget(c))) {
      if (c.restricted) throw new NotFoundError("case", q.caseID);
      Actor.assert("assessment.read", caseTarget(c));
    }
    scope = `assessment:case:${q.caseID}`;
    query = AssessmentEntity.query.byCase({ caseID: q.caseID });
  } else {
    const part = listPartition("assessment.read", q.officeID);
    if (part.kind === "office") {
      scope = `assessment:office:${part.officeID}`;
      query = AssessmentEntity.query.byOffice({ officeID: part.officeID });
    } else {
      scope = `assessment:${part.kind}:${part.kind === "own" ? part.userID : part.operationID}`;
      query = AssessmentEntity.query.byOperation({ operationID: Actor.operationID() });
      if (part.kind === "own") own = part.userID;
    }
    if (q.updatedSince) query = query.gte({ timeUpdated: q.updatedSince });
  }
  const cursor = Cursor.verify(q.cursor, `${scope}:${q.kind}:${q.status}:${q.individualID}`);
  const res = await query
    .where((a: Record<string, unknown>, { eq, gte }: Record<string, (x: unknown, y: unknown) => string>) =>
      [
        q.kind && eq(a.kind, q.kind),
        q.status && eq(a.status, q.status),
        q.individualID && eq(a.individualID, q.individualID),
        q.caseID && q.updatedSince && gte(a.timeUpdated, q.updatedSince),
        own && `(${eq(a.createdBy, own)} OR ${eq(a.assignedTo, own)})`,
      ]
        .filter(Boolean)
        .join(" AND "),
    )
    .go({ limit: q.limit, cursor, order: q.caseID ? "asc" : "desc" });
  // BIA/BID reasons are sealed in the table (assessment/sealed.ts)
  const page = await openAssessments(res.data as Info[]);
  const items = await visible(
    "assessment",
    "assessment.read",
    page,
    (a) => a.assessmentID,
    await liveTargets(page),
  );
  return {
    items: await ConfiguredOn.viewAll("assessment", items),
    nextCursor: Cursor.sign(res.cursor, `${scope}:${q.kind}:${q.status}:${q.individualID}`),
  };
});
