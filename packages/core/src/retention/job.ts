import { randomBytes } from "node:crypto";
import {
  BatchGetCommand,
  DeleteCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type QueryCommandInput,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { monotonicFactory } from "ulid";
import { RetentionKinds, type RetentionKind, type RetentionKindCounts } from "@waypoint/schema/retention";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { AuditEntity } from "../audit/audit.entity.ts";
import { AppointmentEntity } from "../appointment/appointment.entity.ts";
import { BatchEntity } from "../batch/batch.entity.ts";
import { CaseEntity, CaseMemberEntity } from "../case/case.entity.ts";
import { retryUnprocessed } from "../common/batch-get.ts";
import { mapLimit } from "../common/concurrency.ts";
import { nowIso } from "../common/db.ts";
import { ConflictError } from "../common/errors.ts";
import { log } from "../common/log.ts";
import { UniqueEntity } from "../common/unique.ts";
import { config } from "../config.ts";
import { Dedupe } from "../dedupe/index.ts";
import { FieldIndex } from "../fields/value-index.ts";
import { documentClient } from "../dynamo.ts";
import { ExportEntity } from "../export/export.entity.ts";
import { HouseholdEntity } from "../household/household.entity.ts";
import { IncidentEntity } from "../incident/incident.entity.ts";
import { PayeeEntity } from "../payee/payee.entity.ts";
import { PaymentEntity } from "../payment/payment.entity.ts";
import { ObjectStore } from "../export/store.ts";
import { IdempotencyEntity } from "../idempotency/idempotency.entity.ts";
import { IndividualEntity } from "../individual/individual.entity.ts";
import { IntakeReviewEntity, LeadEntity } from "../intake/intake.entity.ts";
import { NoteEntity } from "../note/note.entity.ts";
import { ReferralEntity } from "../referral/referral.entity.ts";
import { Scrubber, termsOf } from "../privacy/scrub.ts";
import { RetentionRunEntity } from "./retention.entity.ts";

/**
 * The retention job (issue 21 point 2, docs/data-protection.md). For each kind of record whose policy is on, it
 * walks the operation's index of that kind up to the policy's cut-off, a page at a time, and anonymises
 * (cases with their people, referrals, appointments) or deletes (leads, raw intakes, exported files,
 * idempotency records) what is older.
 *
 * - Conditional on version: every write checks the version read; a record edited meanwhile is counted as
 *   skipped and, being newer now, is found again by a later run once its time is up.
 * - A closed case and the people only it holds are anonymised in ONE transaction (the case, each person, their
 *   duplicate-detection keys and registration-number claim), so a person is never half-done; what follows
 *   (the case's notes, documents and assessments, the audit events' values) is idempotent and recorded as "in
 *   flight" in the run item before it starts, so a run taken over after a crash finishes it first.
 * - Resumable: the run item holds the kinds still to do, the index position reached, counts so far and a lease;
 *   a run that stops (crash, Lambda time limit) is taken over where it stopped once its lease runs out.
 * - Streams: a page of records at a time (never the whole operation), so memory stays flat whatever the size.
 */

type Raw = Record<string, unknown> & { pk: string; sk: string };
export const ANON = "[anonymised]";

const ulid = monotonicFactory();
export const newRunID = () => `rtr_${ulid()}`;

/** Hooks for tests: simulate a crash at a step. Never set in production code. */
export interface RunHooks {
  /** Called before each follow-up step of a record; throwing an error named `RetentionInterrupted` stops the run there. */
  step?: (kind: string, id: string) => void;
  /** Called after a record was read and before it is written (a test edits it there: "edited meanwhile"). */
  beforeWrite?: (kind: string, id: string) => Promise<void>;
}

export interface RunOptions {
  operationID: string;
  trigger: "schedule" | "manual";
  /** Records per index page. */
  pageSize?: number;
  /** Records processed at once within a page. */
  concurrency?: number;
  /** Epoch ms after which the run stops at the next page boundary and lets the next invocation resume. */
  deadline?: number;
  /** How long a worker holds the run without checkpointing before another may take it over. */
  leaseMs?: number;
  hooks?: RunHooks;
}

type Counts = Record<string, RetentionKindCounts>;
interface Ctx {
  operationID: string;
  runID: string;
  cutoff: string;
  /** Every kind's cut-off of this run (the closed-case policy is also asked by other kinds). */
  cutoffs: Record<string, string>;
  now: string;
  counts: Counts;
  audit: { blanked: number };
  files: { deleted: number };
  hooks?: RunHooks;
}

const count = (ctx: Ctx, type: string, what: keyof RetentionKindCounts, n = 1) => {
  const c = (ctx.counts[type] ??= { anonymised: 0, deleted: 0, skipped: 0, errors: 0 });
  c[what] += n;
};

const step = (ctx: Ctx, kind: string, id: string) => ctx.hooks?.step?.(kind, id);

const table = () => config().tableName;
const client = () => documentClient();

// ---------- key helpers ----------

/** The partition key value and the sort-key prefix an ElectroDB query would use (so formats stay ElectroDB's). */
function indexKeys(params: { ExpressionAttributeValues?: Record<string, unknown> }): { pk: string; sk: string } {
  const v = params.ExpressionAttributeValues ?? {};
  return { pk: String(v[":pk"]), sk: String(v[":sk1"] ?? "") };
}

const INDEX_FIELDS = ["gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "gsi3pk", "gsi3sk", "gsi4pk", "gsi4sk"];

/** Index keys rebuilt for changed composite attributes (`#timeUpdated_<old>` → `#timeUpdated_<new>`). */
export function rekey(item: Record<string, unknown>, changes: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of INDEX_FIELDS) {
    const v = item[f];
    if (typeof v !== "string") continue;
    let nv = v;
    for (const [attr, value] of Object.entries(changes)) {
      const old = item[attr];
      if (typeof old !== "string") continue;
      // ElectroDB writes `#<attribute>_<value>` (as named; lower-cased when an index does not say casing "none")
      for (const tag of new Set([`#${attr}_`, `#${attr.toLowerCase()}_`]))
        nv = nv.split(`${tag}${old}`).join(`${tag}${value}`);
    }
    if (nv !== v) out[f] = nv;
  }
  return out;
}

export const monthOfTime = (iso: string) => `${iso.slice(0, 7)}-01T00:00:00.000Z`;
export const monthOfDate = (date: string) => `${date.slice(0, 7)}-01`;

/** An UpdateCommand input: SET and REMOVE, conditional on the version read (and more). */
export function updateInput(
  key: { pk: string; sk: string },
  set: Record<string, unknown>,
  remove: string[],
  condition: { version?: number; also?: string; values?: Record<string, unknown> } = {},
) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ...condition.values };
  const sets = Object.entries(set).map(([k, v], n) => {
    names[`#s${n}`] = k;
    values[`:s${n}`] = v;
    return `#s${n} = :s${n}`;
  });
  const removes = remove
    .filter((r) => !(r in set))
    .map((k, n) => {
      names[`#r${n}`] = k;
      return `#r${n}`;
    });
  const conds = ["attribute_exists(pk)"];
  if (condition.version !== undefined) {
    names["#ver"] = "version";
    values[":ver"] = condition.version;
    conds.push("#ver = :ver");
  }
  if (condition.also) conds.push(condition.also);
  return {
    TableName: table(),
    Key: { pk: key.pk, sk: key.sk },
    UpdateExpression: `SET ${sets.join(", ")}${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
    ConditionExpression: conds.join(" AND "),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

const conditionFailed = (err: unknown) => {
  const name = (err as Error).name;
  return name === "ConditionalCheckFailedException" || name === "TransactionCanceledException";
};

async function queryAll(input: QueryCommandInput): Promise<Raw[]> {
  const out: Raw[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const res = await client().send(new QueryCommand({ ...input, ExclusiveStartKey }));
    out.push(...((res.Items ?? []) as Raw[]));
    ExclusiveStartKey = res.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return out;
}

async function batchGetRaw(keys: { pk: string; sk: string }[]): Promise<Raw[]> {
  const out: Raw[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    const chunk = keys.slice(i, i + 100);
    out.push(
      ...(await retryUnprocessed(chunk, async (ks) => {
        const res = await client().send(
          new BatchGetCommand({ RequestItems: { [table()]: { Keys: ks, ConsistentRead: true } } }),
        );
        return {
          items: (res.Responses?.[table()] ?? []) as Raw[],
          unprocessed: (res.UnprocessedKeys?.[table()]?.Keys ?? []) as { pk: string; sk: string }[],
        };
      })),
    );
  }
  return out;
}

// ---------- audit events: who did what stays, personal values go ----------

/** Fields whose values are personal, by record type (their audit diffs lose the values). */
export const PERSONAL_FIELDS: Record<string, string[]> = {
  individual: [
    "givenName",
    "familyName",
    "searchName",
    "registrationNumber",
    "transliterations",
    "documents",
    "phone",
    "languages",
    "specificNeeds",
    "consent",
    "dateOfBirth",
    "interpreterNeeded",
  ],
  case: ["summary", "closedReason", "reopenedReason", "closureApproval"],
  referral: ["reason", "person", "declineReason", "serviceNote", "externalReference", "consent"],
  appointment: ["notes"],
  household: ["phone", "address", "registrationNumber"],
  incident: ["description", "individualIDs", "dateOfIncident"],
  payee: ["name", "nameLatin", "channel", "note"],
};

const auditPk = (recordID: string) => indexKeys(AuditEntity.query.byRecord({ recordID }).params());

/**
 * Blanks the values of an audit trail: every value of the fields in `fields` ("all": every field, for records
 * that are deleted) and any string holding one of the scrubber's terms. Idempotent: an event already blank is
 * not written again.
 */
async function blankAudits(ctx: Ctx, recordID: string, fields: string[] | "all", scrubber?: Scrubber) {
  const { pk, sk } = auditPk(recordID);
  const events = await queryAll({
    TableName: table(),
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :sk)",
    ExpressionAttributeValues: { ":pk": pk, ":sk": sk },
  });
  const personal = fields === "all" ? undefined : new Set(fields);
  await mapLimit(events, 8, async (e) => {
    const set: Record<string, unknown> = {};
    const changes = e.changes as Record<string, Record<string, unknown>> | undefined;
    if (changes && typeof changes === "object") {
      let changed = false;
      const out: Record<string, unknown> = {};
      for (const [field, c] of Object.entries(changes)) {
        let nc: unknown = c;
        if (!personal || personal.has(field)) nc = blankValues(c);
        // a configured value (`fields.<key>`): blanked like a personal field, its label kept for history
        else if (field.startsWith("fields.") && c && typeof c === "object")
          nc = { ...(blankValues(c) as object), ...("label" in c ? { label: c.label } : {}) };
        else if (scrubber?.holds(c)) nc = scrubber.scrub(c);
        if (JSON.stringify(nc) !== JSON.stringify(c)) changed = true;
        out[field] = nc;
      }
      if (changed) set.changes = out;
    }
    if (typeof e.reason === "string" && e.reason !== ANON) {
      if (!personal) set.reason = ANON;
      else if (scrubber?.holds(e.reason)) set.reason = scrubber.scrub(e.reason);
    }
    if (Object.keys(set).length === 0) return;
    await client().send(new UpdateCommand(updateInput(e, set, [])));
    ctx.audit.blanked++;
  });
}

function blankValues(c: unknown): unknown {
  if (!c || typeof c !== "object") return c === undefined || c === null ? c : ANON;
  return Object.fromEntries(
    Object.entries(c as Record<string, unknown>).map(([k, v]) => [k, v === undefined || v === null ? v : ANON]),
  );
}

// ---------- closed cases and their people ----------

const INDIVIDUAL_REMOVE = [
  "transliterations",
  // configured values (a proGres ID, an embassy…): the operation's own fields, none of them kept for statistics
  "fields",
  "documents",
  "phone",
  "languages",
  "specificNeeds",
  "specificNeedsVersion",
  "consent",
  "interpreterNeeded",
  "gsi3pk",
  "gsi3sk",
];
const CASE_REMOVE = ["summary", "closedReason", "reopenedReason", "closureApproval"];

type Key = { pk: string; sk: string };
const keyOf = (params: { Key?: Record<string, unknown> }) => params.Key as Key;
const caseKey = (caseID: string) => keyOf(CaseEntity.get({ caseID }).params());
const individualKey = (individualID: string) => keyOf(IndividualEntity.get({ individualID }).params());

/** The individual's anonymised version: what statistics need stays (sex, age by birth month, nationality, area). */
export function anonymisedIndividual(rec: Raw, now: string) {
  const set: Record<string, unknown> = {
    givenName: ANON,
    familyName: ANON,
    searchName: ANON,
    registrationNumber: ANON,
    timeCreated: monthOfTime(String(rec.timeCreated)),
    timeUpdated: now,
    anonymisedAt: now,
    version: Number(rec.version ?? 1) + 1,
  };
  if (typeof rec.dateOfBirth === "string") set.dateOfBirth = monthOfDate(rec.dateOfBirth);
  Object.assign(set, rekey(rec, { timeCreated: set.timeCreated as string, timeUpdated: now }));
  return { set, remove: INDIVIDUAL_REMOVE.filter((f) => f in rec) };
}

export function anonymisedCase(rec: Raw, now: string) {
  const set: Record<string, unknown> = {
    timeCreated: monthOfTime(String(rec.timeCreated)),
    timeUpdated: now,
    anonymisedAt: now,
    version: Number(rec.version ?? 1) + 1,
  };
  Object.assign(set, rekey(rec, { timeCreated: set.timeCreated as string, timeUpdated: now }));
  return { set, remove: CASE_REMOVE.filter((f) => f in rec) };
}

/** The writes that take a person's identifying keys away: duplicate-detection keys, the registration number. */
export function releaseKeys(operationID: string, rec: Raw): { pk: string; sk: string }[] {
  const keys = Dedupe.deleteItems(rec as never).map(
    (i) => (i as { delete: { Key: { pk: string; sk: string } } }).delete.Key,
  );
  if (typeof rec.registrationNumber === "string" && rec.registrationNumber !== ANON)
    keys.push(
      (
        UniqueEntity.delete({ namespace: `regno:${operationID}`, value: rec.registrationNumber }).params() as {
          Key: { pk: string; sk: string };
        }
      ).Key,
    );
  return keys;
}

/** Whether each of the person's other cases lets them go (anonymised already, or closed and past the cut-off). */
async function othersAllow(ctx: Ctx, individualID: string, caseID: string, page: Set<string>): Promise<boolean> {
  const { pk, sk } = indexKeys(CaseMemberEntity.query.byIndividual({ individualID }).params());
  const members = await queryAll({
    TableName: table(),
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :sk)",
    ExpressionAttributeValues: { ":pk": pk, ":sk": sk },
    ProjectionExpression: "caseID",
  });
  const others = members.map((m) => String(m.caseID)).filter((id) => id !== caseID && !page.has(id));
  if (others.length === 0) return true;
  const cases = await batchGetRaw(others.map(caseKey));
  if (cases.length < others.length) return false;
  for (const c of cases) {
    if (c.operationID !== ctx.operationID) return false;
    if (typeof c.anonymisedAt === "string") continue;
    if (!(await closedBefore(ctx, c, ctx.cutoffs.closedCase ?? ctx.cutoff))) return false;
  }
  return true;
}

/**
 * Whether a case was closed before `cutoff`, counted from its closure (its stage history: the last audit event
 * that moved it to `closed`), not from its last change: a note corrected on a case closed years ago does not
 * restart its time. A case last changed before the cut-off was closed before it too (no history read).
 */
export async function closedBefore(ctx: Ctx, c: Raw, cutoff: string): Promise<boolean> {
  if (c.stage !== "closed") return false;
  if (String(c.timeUpdated) < cutoff) return true;
  const { pk, sk } = auditPk(String(c.caseID));
  const events = await queryAll({
    TableName: table(),
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :sk)",
    ExpressionAttributeValues: { ":pk": pk, ":sk": sk },
    ProjectionExpression: "#t, changes",
    ExpressionAttributeNames: { "#t": "time" },
  });
  let closedAt = "";
  for (const e of events) {
    const stage = (e.changes as Record<string, { after?: unknown }> | undefined)?.stage;
    if (stage?.after === "closed" && String(e.time) > closedAt) closedAt = String(e.time);
  }
  // no recorded closure (a case closed before stage changes were audited): its last change stands
  return (closedAt || String(c.timeUpdated)) < cutoff;
}

interface CaseWork {
  kase: Raw;
  people: Raw[];
}

/** The one transaction: the case, each person it alone holds, their keys. All or nothing. */
async function anonymiseCase(ctx: Ctx, w: CaseWork): Promise<boolean> {
  const c = anonymisedCase(w.kase, ctx.now);
  const items: NonNullable<TransactWriteCommandInput["TransactItems"]> = [
    {
      Update: updateInput(w.kase, c.set, c.remove, {
        version: Number(w.kase.version),
        also: "#stage = :closed AND attribute_not_exists(anonymisedAt)",
        values: { ":closed": "closed" },
      }) as never,
    },
  ];
  for (const p of w.people) {
    const a = anonymisedIndividual(p, ctx.now);
    items.push({
      Update: updateInput(p, a.set, a.remove, {
        version: Number(p.version ?? 1),
        also: "attribute_not_exists(anonymisedAt)",
      }) as never,
    });
    for (const k of releaseKeys(ctx.operationID, p)) items.push({ Delete: { TableName: table(), Key: k } });
  }
  if (items.length > 100) {
    // a very large case: people beyond what one transaction holds wait for the next run (their case stays)
    return false;
  }
  const names = items[0]!.Update!.ExpressionAttributeNames as Record<string, string>;
  names["#stage"] = "stage";
  try {
    await client().send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (err) {
    if (conditionFailed(err)) return false;
    throw err;
  }
}

/** Waits for every step; the first failure (a crash simulated by a test, a throttled write) is rethrown. */
async function settleAll(steps: Promise<unknown>[]): Promise<void> {
  const out = await Promise.allSettled(steps);
  const failed = out.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}

/** Notes, documents and assessments filed on a case: their trails blanked, their files and items deleted. */
async function filedGoes(ctx: Ctx, caseID: string) {
  // notes, documents and assessments share one index keyed by case (gsi1, `byCase`): one query finds them all
  const filedPk = indexKeys(NoteEntity.query.byCase({ caseID }).params()).pk;
  const filed = await queryAll({
    TableName: table(),
    IndexName: "gsi1",
    KeyConditionExpression: "gsi1pk = :pk",
    ExpressionAttributeValues: { ":pk": filedPk },
  });
  for (const f of filed) {
    const type = String(f.__edb_e__);
    if (!["note", "document", "assessment"].includes(type) || f.caseID !== caseID) continue;
    const id = String(f[`${type}ID`]);
    await blankAudits(ctx, id, "all");
    if (type === "document" && typeof f.storageKey === "string") {
      await ObjectStore.remove(f.storageKey);
      ctx.files.deleted++;
    }
    step(ctx, type, id);
    await client().send(new DeleteCommand({ TableName: table(), Key: { pk: f.pk, sk: f.sk } }));
    count(ctx, type, "deleted");
  }
}

/**
 * After the case's transaction: what was filed on it goes, and the audit trails lose their values. The steps
 * touch different items and are each idempotent, so they run side by side (a case's latency is its slowest
 * step, not their sum); a run stopped in the middle finishes all of them again (resumeCase).
 */
async function afterCase(ctx: Ctx, kase: Raw, people: Raw[]) {
  const caseID = String(kase.caseID);
  step(ctx, "case", caseID);
  const terms = people.flatMap((p) => termsOf(p));
  const scrubber = terms.length ? new Scrubber(terms) : undefined;
  await settleAll([
    filedGoes(ctx, caseID),
    blankAudits(ctx, caseID, PERSONAL_FIELDS.case!, scrubber),
    ...people.map(async (p) => {
      step(ctx, "individual", String(p.individualID));
      await settleAll([
        blankAudits(ctx, String(p.individualID), PERSONAL_FIELDS.individual!, scrubber),
        // the configured-value index items of the values the anonymised record no longer holds
        FieldIndex.removeAll(String(p.individualID)),
      ]);
    }),
  ]);
}

async function closedCasesPage(ctx: Ctx, items: Raw[], concurrency: number) {
  const open = items.filter((c) => c.stage === "closed" && typeof c.anonymisedAt !== "string");
  // counted from the closure: a case changed after the cut-off was closed before it only if its history says so
  const closed = await mapLimit(open, concurrency, (c) => closedBefore(ctx, c, ctx.cutoff));
  const cases = open.filter((_, i) => closed[i]);
  const pageIDs = new Set(cases.map((c) => String(c.caseID)));
  const ids = [...new Set(cases.flatMap((c) => (c.individualIDs as string[] | undefined) ?? []))];
  const people = new Map(
    (
      await batchGetRaw(
        ids.map(individualKey),
      )
    ).map((p) => [String(p.individualID), p]),
  );
  const claimed = new Set<string>();
  await mapLimit(cases, concurrency, async (kase) => {
    const caseID = String(kase.caseID);
    try {
      const mine: Raw[] = [];
      for (const id of (kase.individualIDs as string[] | undefined) ?? []) {
        const p = people.get(id);
        if (!p || p.operationID !== ctx.operationID || typeof p.anonymisedAt === "string") continue;
        if (p.status === "erased" || p.erased === true) continue;
        if (claimed.has(id)) continue; // in two cases of this page: the first takes them
        if (String(p.timeUpdated) >= ctx.cutoff || !(await othersAllow(ctx, id, caseID, pageIDs))) {
          count(ctx, "individual", "skipped");
          continue;
        }
        claimed.add(id);
        mine.push(p);
      }
      await ctx.hooks?.beforeWrite?.("case", caseID);
      if (!(await anonymiseCase(ctx, { kase, people: mine }))) {
        count(ctx, "case", "skipped");
        for (const p of mine) claimed.delete(String(p.individualID));
        return;
      }
      count(ctx, "case", "anonymised");
      count(ctx, "individual", "anonymised", mine.length);
      await afterCase(ctx, kase, mine);
    } catch (err) {
      if ((err as Error).name === "RetentionInterrupted") throw err;
      count(ctx, "case", "errors");
      log.warn({ caseID, err: (err as Error).name }, "retention: case not anonymised");
    }
  });
}

/** A case of the page in flight when the run stopped: finish what follows its transaction. */
async function resumeCase(ctx: Ctx, caseID: string) {
  const [kase] = await batchGetRaw([caseKey(caseID)]);
  if (!kase || typeof kase.anonymisedAt !== "string") return; // not written: the query finds it again
  const ids = (kase.individualIDs as string[] | undefined) ?? [];
  const people = (
    await batchGetRaw(
      ids.map(individualKey),
    )
  ).filter((p) => p.anonymisedAt === kase.anonymisedAt);
  // the stored counts stop at the last page boundary: the page in flight is counted again here
  count(ctx, "case", "anonymised");
  count(ctx, "individual", "anonymised", people.length);
  await afterCase(ctx, kase, people);
}

// ---------- referrals and appointments: anonymised in place ----------

const REFERRAL_DONE = new Set(["declined", "completed", "withdrawn"]);

async function anonymiseInPlace(ctx: Ctx, type: "referral" | "appointment", rec: Raw) {
  const set: Record<string, unknown> = {
    timeCreated: monthOfTime(String(rec.timeCreated)),
    timeUpdated: ctx.now,
    anonymisedAt: ctx.now,
    version: Number(rec.version ?? 1) + 1,
  };
  Object.assign(set, rekey(rec, { timeCreated: set.timeCreated as string, timeUpdated: ctx.now }));
  let remove: string[];
  if (type === "referral") {
    set.reason = ANON; // required by the record's shape
    remove = ["person", "declineReason", "serviceNote", "externalReference"].filter((f) => f in rec);
  } else remove = ["notes"].filter((f) => f in rec);
  try {
    await client().send(
      new UpdateCommand(
        updateInput(rec, set, remove, { version: Number(rec.version ?? 1), also: "attribute_not_exists(anonymisedAt)" }),
      ),
    );
  } catch (err) {
    if (conditionFailed(err)) return count(ctx, type, "skipped");
    throw err;
  }
  count(ctx, type, "anonymised");
  await afterInPlace(ctx, type, rec);
}

async function afterInPlace(ctx: Ctx, type: string, rec: Raw) {
  const id = String(rec[`${type}ID`]);
  step(ctx, type, id);
  await blankAudits(ctx, id, PERSONAL_FIELDS[type] ?? "all");
}

// ---------- leads and raw intakes: deleted ----------

async function deleteRecord(ctx: Ctx, type: "lead" | "intakereview", rec: Raw) {
  const id = String(type === "lead" ? rec.leadID : rec.reviewID);
  // the trail first (idempotent): a crash before the delete leaves the record, found again by the next run
  await blankAudits(ctx, id, "all");
  step(ctx, type, id);
  try {
    await client().send(
      new DeleteCommand({
        TableName: table(),
        Key: { pk: rec.pk, sk: rec.sk },
        ConditionExpression: "#v = :v",
        ExpressionAttributeNames: { "#v": "version" },
        ExpressionAttributeValues: { ":v": rec.version },
      }),
    );
    count(ctx, type, "deleted");
  } catch (err) {
    if (conditionFailed(err)) return count(ctx, type, "skipped");
    throw err;
  }
}

// ---------- the kinds ----------

interface KindDef {
  /** The raw query of the kind's records in the operation up to the cut-off (without paging). */
  query: (ctx: Ctx) => QueryCommandInput;
  page: (ctx: Ctx, items: Raw[], concurrency: number) => Promise<void>;
  resume?: (ctx: Ctx, id: string) => Promise<void>;
  idOf: (item: Raw) => string;
}

function rangeQuery(
  params: { ExpressionAttributeValues?: Record<string, unknown> },
  index: string,
  upTo: string,
  filter?: { expr: string; names?: Record<string, string>; values?: Record<string, unknown> },
): QueryCommandInput {
  const { pk, sk } = indexKeys(params);
  return {
    TableName: table(),
    IndexName: index,
    KeyConditionExpression: `${index}pk = :pk AND ${index}sk BETWEEN :lo AND :hi`,
    ExpressionAttributeValues: { ":pk": pk, ":lo": sk, ":hi": `${sk}${upTo}`, ...filter?.values },
    ...(filter ? { FilterExpression: filter.expr } : {}),
    ...(filter?.names ? { ExpressionAttributeNames: filter.names } : {}),
  };
}

const eachOf =
  (fn: (ctx: Ctx, r: Raw) => Promise<void>, type: string) => async (ctx: Ctx, items: Raw[], n: number) => {
    await mapLimit(items, n, async (r) => {
      try {
        await fn(ctx, r);
      } catch (err) {
        if ((err as Error).name === "RetentionInterrupted") throw err;
        count(ctx, type, "errors");
        log.warn({ type, err: (err as Error).name }, "retention: record not processed");
      }
    });
  };

const KINDS: Record<Exclude<RetentionKind, "exportFile" | "idempotency">, KindDef> = {
  closedCase: {
    // every closed case by last change; those changed after the cut-off are kept unless their closure (stage
    // history) is older than it (closedBefore)
    query: (ctx) =>
      rangeQuery(CaseEntity.query.byOperation({ operationID: ctx.operationID }).params(), "gsi2", "\uffff", {
        expr: "#stage = :closed AND attribute_not_exists(anonymisedAt)",
        names: { "#stage": "stage" },
        values: { ":closed": "closed" },
      }),
    page: closedCasesPage,
    resume: resumeCase,
    idOf: (c) => String(c.caseID),
  },
  closedReferral: {
    query: (ctx) =>
      rangeQuery(ReferralEntity.query.byOperation({ operationID: ctx.operationID }).params(), "gsi2", ctx.cutoff, {
        expr: "#st IN (:a, :b, :c) AND attribute_not_exists(anonymisedAt)",
        names: { "#st": "status" },
        values: { ":a": "declined", ":b": "completed", ":c": "withdrawn" },
      }),
    page: eachOf(
      (ctx, r) => (REFERRAL_DONE.has(String(r.status)) ? anonymiseInPlace(ctx, "referral", r) : Promise.resolve()),
      "referral",
    ),
    resume: async (ctx, id) => {
      const [r] = await batchGetRaw([keyOf(ReferralEntity.get({ referralID: id }).params())]);
      if (r && typeof r.anonymisedAt === "string") {
        count(ctx, "referral", "anonymised");
        await afterInPlace(ctx, "referral", r);
      }
    },
    idOf: (r) => String(r.referralID),
  },
  pastAppointment: {
    query: (ctx) =>
      rangeQuery(
        AppointmentEntity.query.byOperation({ operationID: ctx.operationID }).params(),
        "gsi4",
        ctx.cutoff,
        { expr: "#start < :cut AND attribute_not_exists(anonymisedAt)", names: { "#start": "start" }, values: { ":cut": ctx.cutoff } },
      ),
    page: eachOf((ctx, r) => anonymiseInPlace(ctx, "appointment", r), "appointment"),
    resume: async (ctx, id) => {
      const [r] = await batchGetRaw([keyOf(AppointmentEntity.get({ appointmentID: id }).params())]);
      if (r && typeof r.anonymisedAt === "string") {
        count(ctx, "appointment", "anonymised");
        await afterInPlace(ctx, "appointment", r);
      }
    },
    idOf: (r) => String(r.appointmentID),
  },
  lead: {
    query: (ctx) =>
      rangeQuery(LeadEntity.query.byOperation({ operationID: ctx.operationID }).params(), "gsi1", ctx.cutoff),
    page: eachOf((ctx, r) => deleteRecord(ctx, "lead", r), "lead"),
    idOf: (r) => String(r.leadID),
  },
  unlinkedIntake: {
    // raw submissions never turned into a lead (open or discarded), by status then time received
    query: (ctx) => {
      const { pk, sk } = indexKeys(IntakeReviewEntity.query.byOperation({ operationID: ctx.operationID }).params());
      return {
        TableName: table(),
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :sk)",
        FilterExpression: "timeCreated < :cut AND attribute_not_exists(leadID)",
        ExpressionAttributeValues: { ":pk": pk, ":sk": sk, ":cut": ctx.cutoff },
      };
    },
    page: eachOf((ctx, r) => deleteRecord(ctx, "intakereview", r), "intakereview"),
    idOf: (r) => String(r.reviewID),
  },
  inactiveRegistration: {
    // people by last change up to the cut-off, registered before it too, never anonymised or erased
    query: (ctx) =>
      rangeQuery(IndividualEntity.query.byOperation({ operationID: ctx.operationID }).params(), "gsi1", ctx.cutoff, {
        expr: "attribute_not_exists(anonymisedAt) AND attribute_not_exists(erased) AND timeCreated < :cut",
        values: { ":cut": ctx.cutoff },
      }),
    page: eachOf(inactivePerson, "individual"),
    resume: async (ctx, id) => {
      const [p] = await batchGetRaw([individualKey(id)]);
      if (p && typeof p.anonymisedAt === "string") await afterPerson(ctx, p);
    },
    idOf: (r) => String(r.individualID),
  },
  household: {
    query: (ctx) =>
      rangeQuery(HouseholdEntity.query.byOperation({ operationID: ctx.operationID }).params(), "gsi1", ctx.cutoff, {
        expr: "attribute_not_exists(anonymisedAt)",
      }),
    page: eachOf(oldHousehold, "household"),
    resume: async (ctx, id) => {
      const [h] = await batchGetRaw([keyOf(HouseholdEntity.get({ householdID: id }).params())]);
      if (h && typeof h.anonymisedAt === "string") await afterInPlace(ctx, "household", h);
    },
    idOf: (r) => String(r.householdID),
  },
  incident: {
    query: (ctx) =>
      rangeQuery(IncidentEntity.query.byOperation({ operationID: ctx.operationID }).params(), "gsi2", ctx.cutoff, {
        expr: "attribute_not_exists(anonymisedAt)",
      }),
    page: eachOf(oldIncident, "incident"),
    resume: async (ctx, id) => {
      const [i] = await batchGetRaw([keyOf(IncidentEntity.get({ incidentID: id }).params())]);
      if (i && typeof i.anonymisedAt === "string") await afterInPlace(ctx, "incident", i);
    },
    idOf: (r) => String(r.incidentID),
  },
  payment: {
    // payees of people and hosts (suppliers are companies), last changed before the cut-off
    query: (ctx) =>
      rangeQuery(PayeeEntity.query.byOperation({ operationID: ctx.operationID }).params(), "gsi1", "\uffff", {
        expr: "attribute_not_exists(anonymisedAt) AND timeUpdated < :cut AND #kind IN (:i, :h)",
        names: { "#kind": "kind" },
        values: { ":cut": ctx.cutoff, ":i": "individual", ":h": "host" },
      }),
    page: eachOf(settledPayee, "payee"),
    resume: async (ctx, id) => {
      const [p] = await batchGetRaw([keyOf(PayeeEntity.get({ payeeID: id }).params())]);
      if (p && typeof p.anonymisedAt === "string") await afterPayee(ctx, p);
    },
    idOf: (r) => String(r.payeeID),
  },
};

// ---------- people who never had a case ----------

async function inactivePerson(ctx: Ctx, p: Raw) {
  const id = String(p.individualID);
  if (p.status === "erased" || String(p.timeCreated) >= ctx.cutoff || String(p.timeUpdated) >= ctx.cutoff) return;
  const { pk, sk } = indexKeys(CaseMemberEntity.query.byIndividual({ individualID: id }).params());
  const member = await client().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :sk)",
      ExpressionAttributeValues: { ":pk": pk, ":sk": sk },
      Limit: 1,
    }),
  );
  if (member.Items?.length) return; // they have (or had) a case: the closed-case policy decides
  await ctx.hooks?.beforeWrite?.("individual", id);
  const a = anonymisedIndividual(p, ctx.now);
  const items: NonNullable<TransactWriteCommandInput["TransactItems"]> = [
    {
      Update: updateInput(p, a.set, a.remove, {
        version: Number(p.version ?? 1),
        also: "attribute_not_exists(anonymisedAt)",
      }) as never,
    },
    ...releaseKeys(ctx.operationID, p).map((k) => ({ Delete: { TableName: table(), Key: k } })),
  ];
  try {
    await client().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (err) {
    if (conditionFailed(err)) return count(ctx, "individual", "skipped");
    throw err;
  }
  count(ctx, "individual", "anonymised");
  await afterPerson(ctx, p);
}

async function afterPerson(ctx: Ctx, p: Raw) {
  const id = String(p.individualID);
  step(ctx, "individual", id);
  const terms = termsOf(p);
  await blankAudits(ctx, id, PERSONAL_FIELDS.individual!, terms.length ? new Scrubber(terms) : undefined);
  await FieldIndex.removeAll(id);
}

// ---------- households, incidents: anonymised in place ----------

/** A household goes once every member is anonymised or erased (or it has none left). */
async function oldHousehold(ctx: Ctx, h: Raw) {
  const { pk } = indexKeys(IndividualEntity.query.byHousehold({ householdID: String(h.householdID) }).params());
  const members = await queryAll({
    TableName: table(),
    IndexName: "gsi4",
    KeyConditionExpression: "gsi4pk = :pk",
    ExpressionAttributeValues: { ":pk": pk },
    ProjectionExpression: "anonymisedAt, erased, #st",
    ExpressionAttributeNames: { "#st": "status" },
  });
  if (members.some((m) => typeof m.anonymisedAt !== "string" && m.erased !== true && m.status !== "erased"))
    return count(ctx, "household", "skipped");
  await inPlace(ctx, "household", h, { registrationNumber: ANON }, ["phone", "address", "fields"]);
}

/** An incident keeps what protection monitoring counts (kind, month, area, perpetrator type, survivor's sex and age group). */
async function oldIncident(ctx: Ctx, i: Raw) {
  const set: Record<string, unknown> = { description: ANON, individualIDs: [] };
  if (typeof i.dateOfIncident === "string") set.dateOfIncident = monthOfDate(i.dateOfIncident);
  await inPlace(ctx, "incident", i, set, ["fields"]);
}

async function inPlace(ctx: Ctx, type: string, rec: Raw, extra: Record<string, unknown>, removeFields: string[]) {
  const set: Record<string, unknown> = {
    ...extra,
    timeCreated: monthOfTime(String(rec.timeCreated)),
    timeUpdated: ctx.now,
    anonymisedAt: ctx.now,
    version: Number(rec.version ?? 1) + 1,
  };
  Object.assign(set, rekey(rec, { timeCreated: set.timeCreated as string, timeUpdated: ctx.now }));
  try {
    await client().send(
      new UpdateCommand(
        updateInput(rec, set, removeFields.filter((f) => f in rec), {
          version: Number(rec.version ?? 1),
          also: "attribute_not_exists(anonymisedAt)",
        }),
      ),
    );
  } catch (err) {
    if (conditionFailed(err)) return count(ctx, type, "skipped");
    throw err;
  }
  count(ctx, type, "anonymised");
  await afterInPlace(ctx, type, rec);
}

// ---------- payments: financial retention ----------

const SETTLED = new Set(["paid", "failed", "cancelled"]);

/**
 * A payee whose payments are all settled and unchanged since the cut-off loses its name and account details;
 * the payments keep amount, currency, purpose, period, status and dates (financial records), and lose their notes.
 */
async function settledPayee(ctx: Ctx, p: Raw) {
  const { pk, sk } = indexKeys(PaymentEntity.query.byPayee({ payeeID: String(p.payeeID) }).params());
  const payments = await queryAll({
    TableName: table(),
    IndexName: "gsi4",
    KeyConditionExpression: "gsi4pk = :pk AND begins_with(gsi4sk, :sk)",
    ExpressionAttributeValues: { ":pk": pk, ":sk": sk },
    ProjectionExpression: "#st, timeUpdated",
    ExpressionAttributeNames: { "#st": "status" },
  });
  if (payments.some((x) => !SETTLED.has(String(x.status)) || String(x.timeUpdated) >= ctx.cutoff))
    return count(ctx, "payee", "skipped");
  const channel = p.channel as { type?: string } | undefined;
  const set: Record<string, unknown> = {
    name: ANON,
    nameLatin: ANON,
    channel: { type: channel?.type ?? "cash_pickup", anonymised: true },
    active: false,
    timeUpdated: ctx.now,
    anonymisedAt: ctx.now,
    version: Number(p.version ?? 1) + 1,
  };
  Object.assign(set, rekey(p, { timeUpdated: ctx.now }));
  try {
    await client().send(
      new UpdateCommand(
        updateInput(p, set, ["note", "fields"].filter((f) => f in p), {
          version: Number(p.version ?? 1),
          also: "attribute_not_exists(anonymisedAt)",
        }),
      ),
    );
  } catch (err) {
    if (conditionFailed(err)) return count(ctx, "payee", "skipped");
    throw err;
  }
  count(ctx, "payee", "anonymised");
  await afterPayee(ctx, p);
}

async function afterPayee(ctx: Ctx, p: Raw) {
  const id = String(p.payeeID);
  step(ctx, "payee", id);
  // the payments' free-text notes go (idempotent); amounts and the rest stay
  const { pk, sk } = indexKeys(PaymentEntity.query.byPayee({ payeeID: id }).params());
  const payments = await queryAll({
    TableName: table(),
    IndexName: "gsi4",
    KeyConditionExpression: "gsi4pk = :pk AND begins_with(gsi4sk, :sk)",
    FilterExpression: "attribute_exists(note)",
    ExpressionAttributeValues: { ":pk": pk, ":sk": sk },
  });
  for (const x of payments) {
    await client().send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: x.pk, sk: x.sk },
        UpdateExpression: "REMOVE note",
        ConditionExpression: "attribute_exists(pk)",
      }),
    );
    count(ctx, "payment", "anonymised");
  }
  const name = [p.name, p.nameLatin].filter((v): v is string => typeof v === "string" && v !== ANON && v.length > 2);
  await blankAudits(ctx, id, PERSONAL_FIELDS.payee!, name.length ? new Scrubber(name) : undefined);
}

/** Payment files exported before the cut-off: the file goes, the export's record (reconciliation ids) stays. */
async function exportFiles(ctx: Ctx) {
  const batches = await queryAll({
    ...rangeQuery(BatchEntity.query.byOperation({ operationID: ctx.operationID }).params(), "gsi1", "\uffff"),
    ProjectionExpression: "batchID",
  });
  for (const b of batches) {
    const { pk, sk } = indexKeys(ExportEntity.query.byBatch({ batchID: String(b.batchID) }).params());
    const exports = await queryAll({
      TableName: table(),
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :sk)",
      FilterExpression: "timeCreated < :cut AND attribute_not_exists(fileRemovedAt)",
      ExpressionAttributeValues: { ":pk": pk, ":sk": sk, ":cut": ctx.cutoff },
    });
    for (const e of exports) {
      try {
        if (typeof e.key === "string") await ObjectStore.remove(e.key);
        await client().send(
          new UpdateCommand(updateInput(e, { fileRemovedAt: ctx.now }, [], { also: "attribute_not_exists(fileRemovedAt)" })),
        );
        ctx.files.deleted++;
        count(ctx, "exportfile", "deleted");
      } catch (err) {
        if (conditionFailed(err)) continue;
        count(ctx, "exportfile", "errors");
        log.warn({ exportID: e.exportID, err: (err as Error).name }, "retention: export file not removed");
      }
    }
  }
}

/** Idempotency records (stored responses may hold personal data) of the operation's callers, past the cut-off. */
async function idempotencyRecords(ctx: Ctx, concurrency: number) {
  const input = rangeQuery(
    IdempotencyEntity.query.byOperation({ operationID: ctx.operationID }).params(),
    "gsi1",
    ctx.cutoff,
  );
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const res = await client().send(new QueryCommand({ ...input, ExclusiveStartKey, Limit: 200 }));
    await mapLimit((res.Items ?? []) as Raw[], concurrency, async (r) => {
      try {
        await client().send(
          new DeleteCommand({
            TableName: table(),
            Key: { pk: r.pk, sk: r.sk },
            // a key claimed again since (a new request) is not ours to delete
            ConditionExpression: "timeCreated = :t",
            ExpressionAttributeValues: { ":t": r.timeCreated },
          }),
        );
        count(ctx, "idempotency", "deleted");
      } catch (err) {
        if (conditionFailed(err)) return count(ctx, "idempotency", "skipped");
        count(ctx, "idempotency", "errors");
      }
    });
    ExclusiveStartKey = res.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

// ---------- the run ----------

export class RetentionBusyError extends ConflictError {
  constructor() {
    super("The retention job is already running in this operation", undefined, "retention.running");
  }
}

type RunItem = Record<string, unknown> & {
  runID: string;
  todo: string[];
  position?: Record<string, unknown>;
  inFlight?: string[];
  counts: Counts;
  cutoffs: Record<string, string>;
  auditEventsBlanked: number;
  filesDeleted: number;
  resumed: number;
  lease: string;
  timeStarted: string;
};

async function runs(operationID: string, limit: number): Promise<RunItem[]> {
  return (await RetentionRunEntity.query.primary({ operationID }).go({ order: "desc", limit, consistent: true }))
    .data as unknown as RunItem[];
}

/** Takes over the operation's unfinished run whose lease ran out, or starts one; undefined when one is held. */
async function acquire(
  opts: RunOptions,
  cutoffs: Record<string, string>,
  todo: string[],
  leaseMs: number,
): Promise<RunItem | undefined> {
  const lease = randomBytes(12).toString("hex");
  const now = Date.now();
  const open = (await runs(opts.operationID, 5)).find((r) => r.state === "running");
  if (open) {
    if (Number(open.lockedUntil) > now) return undefined;
    try {
      await RetentionRunEntity.patch({ operationID: opts.operationID, runID: open.runID })
        .set({ lease, lockedUntil: now + leaseMs })
        .add({ resumed: 1 })
        .where((a, { eq, lt }) => `${eq(a.lease, open.lease)} AND ${lt(a.lockedUntil, now + 1)}`)
        .go({ response: "none" });
    } catch (err) {
      if ((err as { cause?: Error }).cause?.name === "ConditionalCheckFailedException") return undefined;
      throw err;
    }
    return { ...open, lease, resumed: Number(open.resumed) + 1 };
  }
  const item = {
    operationID: opts.operationID,
    runID: newRunID(),
    trigger: opts.trigger,
    state: "running" as const,
    startedBy: Actor.maybe()?.type === "user" ? Actor.id() : undefined,
    timeStarted: nowIso(),
    cutoffs,
    todo,
    counts: {},
    inFlight: [],
    auditEventsBlanked: 0,
    filesDeleted: 0,
    resumed: 0,
    lease,
    lockedUntil: now + leaseMs,
  };
  await RetentionRunEntity.create(item).go({ response: "none" });
  return item as unknown as RunItem;
}

/**
 * Runs the operation's retention job (or takes over its unfinished run) until done or `deadline`; returns the
 * run as stored. Throws RetentionBusyError when another worker holds the run.
 */
export async function runRetention(
  opts: RunOptions,
  policies: { kind: RetentionKind; enabled: boolean; cutoff: string }[],
): Promise<{ runID: string; state: string }> {
  const leaseMs = opts.leaseMs ?? 120_000;
  const cutoffs = Object.fromEntries(policies.filter((p) => p.enabled).map((p) => [p.kind, p.cutoff]));
  const todo = RetentionKinds.filter((k) => k in cutoffs) as string[];
  const run = await acquire(opts, cutoffs, todo, leaseMs);
  if (!run) throw new RetentionBusyError();
  const started = Date.now();
  const ctx: Ctx = {
    operationID: opts.operationID,
    runID: run.runID,
    cutoff: "",
    cutoffs: run.cutoffs,
    now: nowIso(),
    counts: run.counts ?? {},
    audit: { blanked: Number(run.auditEventsBlanked ?? 0) },
    files: { deleted: Number(run.filesDeleted ?? 0) },
    hooks: opts.hooks,
  };
  const key = { operationID: opts.operationID, runID: run.runID };
  const save = async (set: Record<string, unknown>, remove: string[] = []) => {
    let q = RetentionRunEntity.patch(key).set({
      lockedUntil: Date.now() + leaseMs,
      counts: ctx.counts,
      auditEventsBlanked: ctx.audit.blanked,
      filesDeleted: ctx.files.deleted,
      ...set,
    });
    if (remove.length) q = q.remove(remove as never);
    try {
      await q.where((a, { eq }) => eq(a.lease, run.lease)).go({ response: "none" });
    } catch (err) {
      if ((err as { cause?: Error }).cause?.name === "ConditionalCheckFailedException")
        throw new RetentionBusyError(); // taken over by another worker: it carries on
      throw err;
    }
  };
  const pageSize = opts.pageSize ?? 100;
  const concurrency = opts.concurrency ?? 8;
  let todoLeft = [...run.todo];
  let position = run.position;
  let inFlight = run.inFlight ?? [];
  try {
    while (todoLeft.length) {
      const kind = todoLeft[0] as RetentionKind;
      ctx.cutoff = String(run.cutoffs[kind]);
      ctx.now = nowIso();
      if (kind === "exportFile") await exportFiles(ctx);
      else if (kind === "idempotency") await idempotencyRecords(ctx, concurrency);
      else {
        const def = KINDS[kind];
        // a page left in flight by a stopped worker is finished first
        if (inFlight.length && def.resume) for (const id of inFlight) await def.resume(ctx, id);
        inFlight = [];
        const input = def.query(ctx);
        const read = (from: Record<string, unknown> | undefined) => {
          const p = client().send(
            new QueryCommand({ ...input, Limit: pageSize, ...(from ? { ExclusiveStartKey: from } : {}) }),
          );
          p.catch(() => undefined); // a prefetch never awaited (deadline) must not be an unhandled rejection
          return p;
        };
        // the next page is read while this one is worked on: its records are checked again when written
        // (conditional on version) and the people of a page are read when the page starts, so nothing is stale
        let next = read(position);
        for (;;) {
          if (opts.deadline && Date.now() > opts.deadline) {
            // the next invocation takes over at once from here
            await save({ lockedUntil: 0, ...(position ? { position } : {}), inFlight: [] });
            return { runID: run.runID, state: "running" };
          }
          const res = await next;
          if (res.LastEvaluatedKey) next = read(res.LastEvaluatedKey);
          const items = (res.Items ?? []) as Raw[];
          if (items.length) {
            await save({ inFlight: items.map(def.idOf) });
            ctx.now = nowIso();
            await def.page(ctx, items, concurrency);
          }
          position = res.LastEvaluatedKey;
          if (!position) break;
          await save({ position, inFlight: [] });
        }
      }
      todoLeft = todoLeft.slice(1);
      position = undefined;
      await save({ todo: todoLeft, inFlight: [] }, ["position"]);
    }
  } catch (err) {
    if ((err as Error).name === "RetentionInterrupted" || err instanceof RetentionBusyError) throw err;
    log.error({ runID: run.runID, err: (err as Error).name }, "retention run stopped; the next run resumes it");
    throw err;
  }
  const ms = Date.now() - started;
  await save({ state: "done", timeFinished: nowIso(), ms, lockedUntil: 0 });
  await Audit.record({
    recordID: run.runID,
    recordType: "retention",
    action: "run",
    operationID: opts.operationID,
    changes: { run: { after: { counts: ctx.counts, auditEventsBlanked: ctx.audit.blanked, filesDeleted: ctx.files.deleted } } },
  });
  log.info({ runID: run.runID, operationID: opts.operationID, ms }, "retention run done");
  return { runID: run.runID, state: "done" };
}

export async function listRuns(operationID: string, limit = 20): Promise<RunItem[]> {
  return runs(operationID, limit);
}
