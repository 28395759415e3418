import {
  ApprovalRequiredForClosure,
  CaseTransition,
  CaseTransitions,
  ClosureDecision,
  ClosureRequest,
  type CaseInfo,
  type ClosureApproval,
} from "@waypoint/schema/cases";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { nowIso } from "../common/db.ts";
import { ConflictError, RuleError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { writeVersioned } from "../common/record.ts";
import { authorisedRead } from "../common/scope.ts";
import { CaseEntity } from "./case.entity.ts";
import { caseTarget, loadCase } from "./store.ts";

export namespace CaseWorkflow {
  const read = async (caseID: string) =>
    authorisedRead("case", caseID, "case.read", await loadCase(caseID), caseTarget);

  const save = (
    cur: CaseInfo,
    version: number,
    action: string,
    set: Record<string, unknown>,
    remove: string[],
    reason?: string,
    changes?: Record<string, { before?: unknown; after?: unknown }>,
  ) =>
    writeVersioned(
      {
        entity: CaseEntity,
        key: { caseID: cur.caseID },
        expectedVersion: version,
        set,
        remove,
        audit: {
          recordID: cur.caseID,
          recordType: "case",
          action,
          operationID: cur.operationID,
          officeID: cur.officeID,
          restricted: cur.restricted,
          reason,
          changes,
        },
      },
      () => loadCase(cur.caseID),
    );

  /**
   * Moves a case along the stage graph. Closing a protection or BIP case needs a supervisor's approval that is
   * recorded on the case: without it the transition is refused, whoever asks. Reopening needs a reason and
   * voids the old approval, so the next closure is approved afresh.
   */
  export const transition = fn(
    CaseTransition.extend({ caseID: z.string() }),
    async ({ caseID, to, reason, version }) => {
      const cur = await read(caseID);
      Actor.assert("case.transition", caseTarget(cur));
      if (!CaseTransitions[cur.stage].includes(to))
        throw new RuleError("case.transition_not_allowed", `A case cannot move from ${cur.stage} to ${to}`);
      const set: Record<string, unknown> = { stage: to };
      const remove: string[] = [];
      if (to === "closed") {
        if (!reason) throw new RuleError("case.reason_required", "Closing a case needs a reason");
        if (ApprovalRequiredForClosure.includes(cur.type) && cur.closureApproval?.decision !== "approved")
          throw new RuleError(
            "case.closure_approval_required",
            `Closing a ${cur.type} case needs a supervisor's approval first`,
          );
        set.closedReason = reason;
      } else {
        if (cur.stage === "closed") {
          if (!reason) throw new RuleError("case.reason_required", "Reopening a case needs a reason");
          set.reopenedReason = reason;
        }
        if (cur.closureApproval) remove.push("closureApproval");
      }
      const res = await save(
        cur,
        version,
        cur.stage === "closed" ? "reopen" : "transition",
        set,
        remove,
        reason,
        {
          stage: { before: cur.stage, after: to },
        },
      );
      const next = { ...cur, ...set, ...res } as CaseInfo;
      if (remove.length) delete next.closureApproval;
      return next;
    },
  );

  /** The caseworker asks for closure approval; a supervisor other than the requester decides. */
  export const requestClosure = fn(
    ClosureRequest.extend({ caseID: z.string() }),
    async ({ caseID, reason, version }) => {
      const cur = await read(caseID);
      Actor.assert("case.transition", caseTarget(cur));
      if (cur.stage === "closed") throw new RuleError("case.already_closed", "The case is already closed");
      const closureApproval: ClosureApproval = {
        requestedBy: Actor.id(),
        requestedAt: nowIso(),
        reason,
        decision: "pending",
      };
      const res = await save(cur, version, "closure.request", { closureApproval }, [], reason);
      return { ...cur, closureApproval, ...res } as CaseInfo;
    },
  );

  export const decideClosure = fn(
    ClosureDecision.extend({ caseID: z.string() }),
    async ({ caseID, approve, comment, version }) => {
      const cur = await read(caseID);
      Actor.assert("case.approve", caseTarget(cur));
      const req = cur.closureApproval;
      if (!req || req.decision !== "pending")
        throw new RuleError("case.no_pending_closure", "There is no pending closure request on this case");
      if (req.requestedBy === Actor.id())
        throw new RuleError(
          "case.approval_self",
          "A closure is approved by a supervisor other than the one who asked",
        );
      const closureApproval: ClosureApproval = {
        ...req,
        decision: approve ? "approved" : "rejected",
        decidedBy: Actor.id(),
        decidedAt: nowIso(),
        ...(comment ? { comment } : {}),
      };
      const res = await save(
        cur,
        version,
        approve ? "closure.approve" : "closure.reject",
        { closureApproval },
        [],
        comment,
        {
          closureApproval: { before: req.decision, after: closureApproval.decision },
        },
      );
      return { ...cur, closureApproval, ...res } as CaseInfo;
    },
  );
}
