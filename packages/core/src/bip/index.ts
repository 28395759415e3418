import { RuleError } from "../common/errors.ts";
import { isChild } from "../common/age.ts";
import { Assessment } from "../assessment/index.ts";
import type { Person } from "../resettlement/integrity.ts";

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
}
