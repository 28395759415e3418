/**
 * Kinds of the deferred jobs that queue messages, importable by the modules whose changes start them without
 * loading the message code (the job runner loads it when the job runs: `job/handlers.ts`).
 */

/** A payment reconciled as paid: the person it was for is told (ref: the payment). */
export const PAYMENT_MESSAGE_JOB = "messages.payment";
