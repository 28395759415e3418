import type { CaseInfo } from "@waypoint/schema";
import { CaseEntity } from "./case.entity.ts";

/** The stored case, no permission check (callers authorise). */
export async function loadCase(caseID: string): Promise<CaseInfo | undefined> {
  return ((await CaseEntity.get({ caseID }).go({ consistent: true })).data ?? undefined) as
    CaseInfo | undefined;
}

/** Who may touch a case: its office, its caseworker, its creator, and whether it is restricted. */
export const caseTarget = (
  c: Pick<CaseInfo, "operationID" | "officeID" | "assignedTo" | "createdBy" | "restricted">,
) => ({
  operationID: c.operationID,
  officeID: c.officeID,
  assignedTo: c.assignedTo,
  createdBy: c.createdBy,
  restricted: c.restricted,
});
