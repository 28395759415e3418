import { z } from "zod";

export const FieldIssue = z.object({
  path: z.string().describe("Dotted path of the failing field"),
  code: z.string(),
  message: z.string(),
});
export type FieldIssue = z.infer<typeof FieldIssue>;

/** RFC 9457 problem details, with Waypoint's extensions. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  code: z.string().optional(),
  /** On a 403: the refused permission (`case.approve`), for clients that explain refusals in their own words. */
  action: z.string().optional(),
  requestId: z.string().optional(),
  errors: z.array(FieldIssue).optional(),
  current: z.unknown().optional(),
});
export type Problem = z.infer<typeof Problem>;
