import { ActivityChanges, type ActivityInfo, type AgdFinding, type AttendanceCount } from "@waypoint/schema/community";
import { Actor } from "../actor.ts";
import { batchGet } from "../common/batch-get.ts";
import { InvalidError, NotFoundError } from "../common/errors.ts";
import { MemberEntity } from "../user/member.entity.ts";
import { ActivityEntity } from "./activity.entity.ts";

export type Stored = ActivityInfo & { deleted?: boolean };
export const AUDITED = [...Object.keys(ActivityChanges.shape)];
/** Attendance rows per transaction, leaving room for the activity's update and its audit event. */
export const CHUNK = 90;

export const target = (a: Stored): Actor.Target => ({
  operationID: a.operationID,
  officeID: a.officeID,
  createdBy: a.createdBy,
});

/** One count per sex and age group: the same cell twice would be counted twice. */
export function checkCounts(counts: AttendanceCount[] | undefined) {
  const seen = new Set<string>();
  for (const [i, c] of (counts ?? []).entries()) {
    const key = `${c.sex}/${c.ageGroup}`;
    if (seen.has(key))
      throw InvalidError.field(`counts.${i}`, "invalid.duplicate", "Each sex and age group is counted once");
    seen.add(key);
  }
}

/** Findings by age, gender and diversity group belong to participatory assessments only. */
export function checkFindings(kind: string, findings: AgdFinding[] | undefined) {
  if (findings?.length && kind !== "participatory_assessment")
    throw InvalidError.field(
      "findings",
      "invalid.findings",
      "Findings by age, gender and diversity are recorded for participatory assessments",
    );
}

/** Facilitators are staff of the operation. */
export async function checkStaff(ids: string[], path: string) {
  if (ids.length === 0) return;
  const operationID = Actor.operationID();
  const found = await batchGet<{ userID: string }>(
    MemberEntity,
    [...new Set(ids)].map((userID) => ({ operationID, userID })),
    { attributes: ["userID"] },
  );
  const known = new Set(found.map((m) => m.userID));
  const bad = ids.findIndex((id) => !known.has(id));
  if (bad >= 0) throw InvalidError.field(`${path}.${bad}`, "invalid.staff", "is not on this operation's staff");
}

export async function load(activityID: string, consistent = false): Promise<Stored> {
  const a = (await ActivityEntity.get({ activityID }).go({ consistent })).data as Stored | null;
  if (!a || a.deleted || a.operationID !== Actor.operationID()) throw new NotFoundError("activity", activityID);
  return a;
}
