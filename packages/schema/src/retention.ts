import { z } from "zod";

/**
 * Retention policies (issue 21, docs/data-protection.md): how long each kind of record keeps its personal data
 * in an operation, after which the retention job anonymises it (cases, referrals, appointments: what statistics
 * need stays) or deletes it (leads, raw intakes, exported files, idempotency records).
 */
export const RetentionKinds = [
  "closedCase",
  "closedReferral",
  "pastAppointment",
  "lead",
  "unlinkedIntake",
  "exportFile",
  "idempotency",
  "inactiveRegistration",
  "household",
  "incident",
  "payment",
] as const;
export const RetentionKind = z.enum(RetentionKinds);
export type RetentionKind = z.infer<typeof RetentionKind>;

export const RetentionUnits = ["hours", "days", "months"] as const;
export const RetentionUnit = z.enum(RetentionUnits);
export type RetentionUnit = z.infer<typeof RetentionUnit>;

/** What the job does to a record once its time is up. */
export const RetentionEffects: Record<RetentionKind, "anonymise" | "delete"> = {
  closedCase: "anonymise",
  closedReferral: "anonymise",
  pastAppointment: "anonymise",
  lead: "delete",
  unlinkedIntake: "delete",
  exportFile: "delete",
  idempotency: "delete",
  inactiveRegistration: "anonymise",
  household: "anonymise",
  incident: "anonymise",
  payment: "anonymise",
};

/** The defaults of an operation that has not set its own (issue 21). */
export const RetentionDefaults: Record<RetentionKind, { value: number; unit: RetentionUnit }> = {
  closedCase: { value: 60, unit: "months" },
  closedReferral: { value: 60, unit: "months" },
  pastAppointment: { value: 24, unit: "months" },
  lead: { value: 12, unit: "months" },
  unlinkedIntake: { value: 6, unit: "months" },
  exportFile: { value: 30, unit: "days" },
  idempotency: { value: 24, unit: "hours" },
  /** People registered this long ago who never had a case and whose record has not changed since. */
  inactiveRegistration: { value: 36, unit: "months" },
  /** Households whose members are all anonymised or erased, unchanged this long. */
  household: { value: 60, unit: "months" },
  /** Protection incidents unchanged this long (their description goes; kind, month, area and counts stay). */
  incident: { value: 60, unit: "months" },
  /**
   * Financial retention: payees whose payments are all settled (paid, failed, cancelled) this long lose their
   * names and account details; the payments keep amounts, currency, purpose, period and status.
   */
  payment: { value: 84, unit: "months" },
};

/**
 * The shortest a policy may be, in hours: a replayed request must find its idempotency record for 24 hours
 * (DESIGN §6), and anything else is kept at least a day.
 */
export const RetentionMinimumHours: Record<RetentionKind, number> = {
  closedCase: 24,
  closedReferral: 24,
  pastAppointment: 24,
  lead: 24,
  unlinkedIntake: 24,
  exportFile: 24,
  idempotency: 24,
  inactiveRegistration: 24,
  household: 24,
  incident: 24,
  payment: 24,
};

export const RetentionPolicy = z.object({
  kind: RetentionKind,
  value: z.number().int().min(1).max(1200),
  unit: RetentionUnit,
  /** Off: the job leaves this kind alone (a legal hold, an investigation). */
  enabled: z.boolean(),
  /** Whether the operation changed the default. */
  custom: z.boolean(),
  version: z.number().int(),
  updatedBy: z.string().optional(),
  timeUpdated: z.string().optional(),
});
export type RetentionPolicy = z.infer<typeof RetentionPolicy>;

export const RetentionPolicyChange = z.object({
  value: z.number().int().min(1).max(1200),
  unit: RetentionUnit,
  enabled: z.boolean().default(true),
  /** The version read (0 for a default never saved). */
  expectedVersion: z.number().int().min(0),
});
export type RetentionPolicyChange = z.infer<typeof RetentionPolicyChange>;

const KindCounts = z.object({
  anonymised: z.number().int(),
  deleted: z.number().int(),
  /** Edited while the job ran (or held by a rule): left for the next run. */
  skipped: z.number().int(),
  errors: z.number().int(),
});
export type RetentionKindCounts = z.infer<typeof KindCounts>;

/** One run of the retention job: counts only, never personal data. */
export const RetentionRun = z.object({
  runID: z.string(),
  operationID: z.string(),
  trigger: z.enum(["schedule", "manual"]),
  state: z.enum(["running", "done", "failed"]),
  startedBy: z.string().optional(),
  timeStarted: z.string(),
  timeFinished: z.string().optional(),
  /** How many times a run was taken over after its worker stopped (a crash, a timeout). */
  resumed: z.number().int(),
  counts: z.record(z.string(), KindCounts),
  /** Audit events that lost the values of their diffs. */
  auditEventsBlanked: z.number().int(),
  filesDeleted: z.number().int(),
  ms: z.number().optional(),
});
export type RetentionRun = z.infer<typeof RetentionRun>;
