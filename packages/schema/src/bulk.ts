import { z } from "zod";
import { FieldIssue } from "./problem.ts";

/** Grids save many rows at once; each row answers for itself. */
export const MAX_BULK_ROWS = 1000;

export const BulkPatchRow = <T extends z.ZodTypeAny>(changes: T) =>
  z.object({ id: z.string().min(1), version: z.number().int().min(1), changes });

export const BulkPatchRequest = <T extends z.ZodTypeAny>(changes: T) =>
  z.object({ rows: z.array(BulkPatchRow(changes)).min(1).max(MAX_BULK_ROWS) });

export const BulkCreateRequest = <T extends z.ZodTypeAny>(values: T) =>
  z.object({
    rows: z
      .array(
        z.object({
          /** The client's own reference for the row (e.g. a grid row id), echoed back. */
          ref: z.string().max(100).optional(),
          values,
          /** Required to create a record that has strong duplicate candidates. */
          overrideDuplicates: z.object({ reason: z.string().min(5).max(500) }).optional(),
        }),
      )
      .min(1)
      .max(MAX_BULK_ROWS),
  });

export const BulkRowResult = z.discriminatedUnion("status", [
  z.object({
    id: z.string().optional(),
    ref: z.string().optional(),
    status: z.literal("saved"),
    version: z.number(),
    record: z.unknown(),
  }),
  z.object({
    id: z.string().optional(),
    ref: z.string().optional(),
    status: z.literal("created"),
    version: z.number(),
    record: z.unknown(),
  }),
  z.object({
    id: z.string().optional(),
    ref: z.string().optional(),
    status: z.literal("conflict"),
    current: z.unknown(),
  }),
  z.object({
    id: z.string().optional(),
    ref: z.string().optional(),
    status: z.literal("invalid"),
    issues: z.array(FieldIssue),
  }),
  z.object({
    id: z.string().optional(),
    ref: z.string().optional(),
    status: z.literal("forbidden"),
    message: z.string(),
    /** The refused permission, for clients that explain refusals in their own words. */
    action: z.string().optional(),
  }),
  z.object({ id: z.string().optional(), ref: z.string().optional(), status: z.literal("not_found") }),
  z.object({
    id: z.string().optional(),
    ref: z.string().optional(),
    status: z.literal("duplicate"),
    candidates: z.array(z.unknown()),
  }),
]);
export type BulkRowResult = z.infer<typeof BulkRowResult>;

export const BulkResponse = z.object({
  results: z.array(BulkRowResult),
  summary: z.record(z.string(), z.number()),
});
export type BulkResponse = z.infer<typeof BulkResponse>;
