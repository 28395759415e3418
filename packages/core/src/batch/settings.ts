import { z } from "zod";
import { Actor } from "../actor.ts";
import { writeVersioned } from "../common/record.ts";
import { InvalidError } from "../common/errors.ts";
import { toFieldIssues } from "../common/fn.ts";
import { Operation } from "../operation/index.ts";
import { OperationEntity } from "../operation/operation.entity.ts";

/**
 * Approval levels per currency: a batch whose frozen total reaches `minTotal` (minor units) needs `approvals`
 * distinct approvers, none of them its creator. Operations set their own (a country office's delegation of
 * authority); `*` applies to currencies without their own levels.
 */
export const ApprovalLevels = z.record(
  z.string().regex(/^([A-Z]{3}|\*)$/),
  z.array(z.object({ minTotal: z.number().int().min(0), approvals: z.number().int().min(1).max(5) })).min(1),
);
export type ApprovalLevels = z.infer<typeof ApprovalLevels>;

/** One approver up to 10,000.00 (in minor units of a 2-digit currency), two above. */
export const DEFAULT_LEVELS: ApprovalLevels = {
  "*": [
    { minTotal: 0, approvals: 1 },
    { minTotal: 1_000_000, approvals: 2 },
  ],
};

export namespace PaymentSettings {
  export async function levels(operationID: string): Promise<ApprovalLevels> {
    const op = await Operation.get(operationID);
    const s = (op.settings as { payments?: { approvalLevels?: ApprovalLevels } } | undefined)?.payments
      ?.approvalLevels;
    return s ?? DEFAULT_LEVELS;
  }

  export function required(levels: ApprovalLevels, currency: string, total: number): number {
    const list = levels[currency] ?? levels["*"] ?? DEFAULT_LEVELS["*"]!;
    return Math.max(1, ...list.filter((l) => total >= l.minTotal).map((l) => l.approvals));
  }

  /** Operation admins (and the system) configure the levels; the change is audited with before and after. */
  export async function setLevels(input: unknown): Promise<ApprovalLevels> {
    const parsed = ApprovalLevels.safeParse(input);
    if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error, "approvalLevels"));
    const operationID = Actor.operationID();
    Actor.assert("office.manage", { operationID });
    const op = await Operation.get(operationID);
    const settings = { ...((op.settings as object) ?? {}), payments: { approvalLevels: parsed.data } };
    await writeVersioned(
      {
        entity: OperationEntity,
        key: { operationID },
        expectedVersion: op.version,
        set: { settings },
        audit: {
          recordID: operationID,
          recordType: "operation",
          action: "settings.payments",
          operationID,
          changes: {
            approvalLevels: { before: (op.settings as { payments?: unknown })?.payments, after: parsed.data },
          },
        },
      },
      () => Operation.get(operationID),
    );
    return parsed.data;
  }
}
