import { z } from "zod";

/** A supervisor's request to erase a person: why (kept in the audit trail, without the person's values). */
export const ErasureRequest = z.object({
  reason: z.string().trim().min(3).max(500).describe("why the person is erased (a request, a court order)"),
});

const Counts = z.record(z.string(), z.number().int());
export const ErasureReport = z.object({
  individualID: z.string(),
  deleted: Counts.describe("records deleted, by kind"),
  anonymised: Counts.describe("records kept without the person's values, by kind"),
  files: z.object({ deleted: z.number().int(), rewritten: z.number().int() }),
  auditEventsBlanked: z.number().int(),
  exports: z
    .array(
      z.object({
        exportID: z.string(),
        kind: z.string(),
        format: z.string(),
        by: z.string(),
        time: z.string(),
        purpose: z.string().optional(),
        recipient: z.string().optional(),
      }),
    )
    .describe("files that left with the person in them before the erasure: whom to tell"),
  ms: z.number(),
});
