import { MARK_EXPORTED_JOB, markExported } from "../export/mark.ts";
import { MATCH_JOB, matchReferral } from "../referral/match.ts";
import { ESCALATE_JOB } from "../feedback/jobs.ts";
import { FIELD_INDEX_BACKFILL_JOB } from "../fields/value-index.entity.ts";
import { PAYMENT_MESSAGE_JOB } from "../message/jobs.ts";
import { RESCREEN_JOB } from "../resettlement/jobs.ts";
import type { Job } from "./index.ts";

/**
 * Every kind of deferred job core creates, with its handler. A table, not registrations run at import: a job
 * runner (the scheduled Lambda, `npm start`) must know every handler although it imports none of the domain
 * code that creates the jobs, and bundlers drop modules whose exports nothing uses.
 */
export const jobHandlers: Record<string, Job.Handler> = {
  // messages (core/message), loaded on first use: the day's reminders, and sending what is queued
  "messages.dayReminders": async (ref, job) =>
    (await import("../message/index.ts")).Messages.dayRemindersJob(ref, job),
  "messages.dispatch": async () => (await import("../message/index.ts")).Messages.dispatchJob(),
  [PAYMENT_MESSAGE_JOB]: async (ref) => (await import("../message/index.ts")).Messages.paymentJob(ref),
  // loaded when first run: complaints' code uses Job itself, and a module cycle would leave this key undefined
  [ESCALATE_JOB]: async (ref) => void (await (await import("../feedback/index.ts")).Feedback.escalate(ref)),
  [MATCH_JOB]: (ref) => matchReferral(ref),
  [MARK_EXPORTED_JOB]: async (ref) => void (await markExported(ref)),
  // the configured-value index of an operation's records saved before it existed (ref: the operation)
  [FIELD_INDEX_BACKFILL_JOB]: async (ref) =>
    void (await (await import("../fields/value-index.ts")).FieldIndex.backfill(ref)),
  // the sharing log of exports (privacy/export-log.ts): a large export's people, one item each
  "sharing.exportChunk": async (ref) => (await import("../privacy/export-log.ts")).writeChunkJob(ref),
  // a payment batch file's people (its payees' individuals), read from the batch after the export
  "sharing.exportBatch": async (ref) => (await import("../privacy/export-log.ts")).writeBatchJob(ref),
  // a person's biodata changed: the submissions the country holds with them screened again (ref: the person)
  [RESCREEN_JOB]: async (ref) =>
    void (await (await import("../resettlement/index.ts")).Resettlement.screenPerson(ref)),
};
