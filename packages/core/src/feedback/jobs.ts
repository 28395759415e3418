/** The escalation check of a complaint's deadline (handler: Feedback.escalate, listed in job/handlers.ts). */
export const ESCALATE_JOB = "feedback.escalate";
