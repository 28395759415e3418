import type { CaseInfo } from "@waypoint/schema/cases";
import type { Actor } from "../actor.ts";
import { Counter } from "../common/counter.ts";
import { Refs } from "../common/refs.ts";
import { Operation } from "../operation/index.ts";
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

/**
 * Next readable number for a record of an office: `MEX-TAP-26-C00042` (operation, office, two-digit year,
 * a letter for the kind, sequence per office and year). Claim it with `Unique.claim("number", …)` in the
 * record's transaction; a failed write leaves a gap, never a duplicate.
 */
export async function nextNumber(letter: "C" | "R" | "I", officeID: string): Promise<string> {
  const office = await Refs.office(officeID);
  const op = await Operation.get(office.operationID);
  const yy = new Date().getUTCFullYear().toString().slice(-2);
  const n = await Counter.reserve(`${letter}:${op.operationID}:${office.code}:${yy}`);
  return `${op.code}-${office.code}-${yy}-${letter}${String(n).padStart(5, "0")}`;
}

/**
 * Who may touch a record filed on a case (note, document, assessment): the case as it is now, not as it was
 * when the record was written, so reassigning a case or making it restricted (an SGBV disclosure) carries over
 * to everything on it at once. The record's author keeps access to what they wrote.
 */
export const filedTarget = (c: CaseInfo, author: string) => ({
  operationID: c.operationID,
  officeID: c.officeID,
  assignedTo: [c.assignedTo, c.createdBy].filter((x): x is string => Boolean(x)),
  createdBy: author,
  restricted: c.restricted,
});

/**
 * Who may touch a record about a case that keeps its own office and people (referral, appointment, resettlement
 * submission): those stay, but restriction follows the case as it is now, like `filedTarget`, and the case's
 * caseworker and creator count as assigned (they keep access when the case becomes restricted). Without a
 * case (or once it is gone) the record's own target applies.
 */
export const followCase = (own: Actor.Target, c: CaseInfo | undefined): Actor.Target => {
  if (!c) return own;
  const assigned = Array.isArray(own.assignedTo) ? own.assignedTo : own.assignedTo ? [own.assignedTo] : [];
  return {
    ...own,
    assignedTo: [...assigned, c.assignedTo, c.createdBy].filter((x): x is string => Boolean(x)),
    restricted: c.restricted,
  };
};

/** The cases a page of records is about, as they are now: one read per distinct case. */
export async function liveCases(caseIDs: readonly (string | undefined)[]) {
  const ids = [...new Set(caseIDs.filter((id): id is string => Boolean(id)))];
  const loaded = await Promise.all(ids.map((id) => loadCase(id)));
  const byID = new Map(ids.map((id, i) => [id, loaded[i]] as const));
  return (caseID: string | undefined) => (caseID ? byID.get(caseID) : undefined);
}
