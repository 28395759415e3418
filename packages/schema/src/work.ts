import { z } from "zod";

/**
 * What waits on each role (work surfaces): a supervisor's queue, the caseload by worker, an interpreter's
 * interviews. Read-only views assembled by core (supervision, interpreting); decisions go through each record's
 * own action routes (closure approval, assessment review, flag resolution).
 */
export const ClosureQueueItem = z.object({
  caseID: z.string(),
  caseNumber: z.string(),
  type: z.string(),
  stage: z.string(),
  officeID: z.string(),
  assignedTo: z.string().optional(),
  assignedName: z.string().optional(),
  requestedBy: z.string(),
  requestedByName: z.string().optional(),
  requestedAt: z.string(),
  reason: z.string(),
  version: z.number().int(),
});
export type ClosureQueueItem = z.infer<typeof ClosureQueueItem>;

export const ReviewQueueItem = z.object({
  assessmentID: z.string(),
  kind: z.string(),
  caseID: z.string(),
  caseNumber: z.string().optional(),
  officeID: z.string(),
  individualID: z.string().optional(),
  personName: z.string().optional(),
  createdBy: z.string(),
  authorName: z.string().optional(),
  round: z.number().int(),
  approvals: z.number().int().describe("Distinct approvals in this round"),
  needed: z.number().int().describe("Approvals the kind needs (BID: a panel of two, never the author)"),
  panel: z.array(z.object({ reviewerName: z.string(), decision: z.string() })),
  submittedAt: z.string(),
  version: z.number().int(),
});
export type ReviewQueueItem = z.infer<typeof ReviewQueueItem>;

export const FlaggedQueueItem = z.object({
  submissionID: z.string(),
  caseID: z.string(),
  caseNumber: z.string().optional(),
  officeID: z.string(),
  programme: z.string(),
  status: z.string(),
  openFlags: z.array(
    z.object({ flagID: z.string(), kind: z.string(), detail: z.string().optional(), raisedAt: z.string() }),
  ),
  version: z.number().int(),
});
export type FlaggedQueueItem = z.infer<typeof FlaggedQueueItem>;

export const CashRequestQueueItem = z.object({
  paymentID: z.string(),
  caseID: z.string(),
  caseNumber: z.string(),
  officeID: z.string(),
  payeeName: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  reason: z.string(),
  requestedBy: z.string(),
  requestedByName: z.string().optional(),
  requestedAt: z.string(),
  version: z.number().int(),
});
export type CashRequestQueueItem = z.infer<typeof CashRequestQueueItem>;

export const SupervisionQueue = z.object({
  closures: z.array(ClosureQueueItem).nullable().describe("null when the role may not approve closures"),
  reviews: z.array(ReviewQueueItem).nullable().describe("null when the role may not review assessments"),
  flagged: z
    .array(FlaggedQueueItem)
    .nullable()
    .describe("null when the role may not review programme records"),
  cashRequests: z
    .array(CashRequestQueueItem)
    .nullable()
    .optional()
    .describe("Cash-for-protection requests to decide; null when the role may not authorise them"),
});
export type SupervisionQueue = z.infer<typeof SupervisionQueue>;

export const CaseloadCase = z.object({
  caseID: z.string(),
  caseNumber: z.string(),
  individualIDs: z.array(z.string()).describe("The people of the case (shown by name)"),
  type: z.string(),
  stage: z.string(),
  riskLevel: z.string(),
  dueFollowUp: z.string().optional(),
  overdue: z.boolean(),
  closurePending: z.boolean(),
});
export type CaseloadCase = z.infer<typeof CaseloadCase>;
export const CaseloadRow = z.object({
  userID: z.string().optional().describe("Absent for cases nobody is assigned to"),
  name: z.string().optional(),
  open: z.number().int(),
  highRisk: z.number().int(),
  overdue: z.number().int(),
  cases: z.array(CaseloadCase),
});
export type CaseloadRow = z.infer<typeof CaseloadRow>;
export const CaseloadQuery = z.object({
  officeID: z.string().optional(),
  /** The day follow-ups are overdue against (YYYY-MM-DD); today by default. */
  today: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
});

export const InterpreterInterview = z.object({
  appointmentID: z.string(),
  start: z.string().describe("ISO 8601 instant; shown in local time"),
  end: z.string(),
  language: z.string().optional().describe("The language interpreted (ISO 639-3)"),
  place: z.object({ office: z.string(), room: z.string() }),
  people: z.array(z.object({ name: z.string(), languages: z.array(z.string()) })),
});
export type InterpreterInterview = z.infer<typeof InterpreterInterview>;
export const InterpreterAgendaQuery = z.object({
  /** First day (YYYY-MM-DD, UTC); today by default. */
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  /** Number of days from `from`, at most 62. */
  days: z.coerce.number().int().min(1).max(62).default(14),
});
