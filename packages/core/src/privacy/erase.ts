import { BatchWriteCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { AuditEntity } from "../audit/audit.entity.ts";
import { AssessmentEntity } from "../assessment/assessment.entity.ts";
import { AppointmentEntity } from "../appointment/appointment.entity.ts";
import { CaseEntity, CaseMemberEntity } from "../case/case.entity.ts";
import { nowIso } from "../common/db.ts";
import { ForbiddenError, NotFoundError } from "../common/errors.ts";
import { log } from "../common/log.ts";
import { config } from "../config.ts";
import { Dedupe } from "../dedupe/index.ts";
import { FieldIndex } from "../fields/value-index.ts";
import { DocumentEntity } from "../document/document.entity.ts";
import { documentClient } from "../dynamo.ts";
import { ExportEntity } from "../export/export.entity.ts";
import { ObjectStore } from "../export/store.ts";
import { HouseholdEntity } from "../household/household.entity.ts";
import { IncidentEntity } from "../incident/incident.entity.ts";
import { IndividualEntity } from "../individual/individual.entity.ts";
import { IntakeReviewEntity, LeadEntity } from "../intake/intake.entity.ts";
import { NoteEntity } from "../note/note.entity.ts";
import { OrganisationEntity } from "../organisation/organisation.entity.ts";
import { PayeeEntity } from "../payee/payee.entity.ts";
import { PaymentEntity } from "../payment/payment.entity.ts";
import { PlacementEntity } from "../hosting/placement.entity.ts";
import { ReferralEntity } from "../referral/referral.entity.ts";
import { ReturnEntity } from "../reintegration/reintegration.entity.ts";
import { SubmissionEntity } from "../resettlement/submission.entity.ts";
import { MemberEntity } from "../user/member.entity.ts";
import { SavedViewEntity } from "../view/view.entity.ts";
import { OutboxEntity } from "../webhook/webhook.entity.ts";
import { UniqueEntity } from "../common/unique.ts";
import { cached } from "../report/projection.ts";
import { Narrative } from "./narrative.ts";
import { ConsentEntity } from "./consent.entity.ts";
import { DisclosureEntity } from "./disclosure.entity.ts";
import { ExportPersonEntity } from "./export-log.entity.ts";
import { exportsOf, type ExportLogEntry } from "./export-log.ts";
import { blankDiff, ERASED, Scrubber, termsOf } from "./scrub.ts";

type Raw = Record<string, unknown> & { pk: string; sk: string };
type Action = "delete" | "scrub";
interface Found {
  kind: string;
  id: string;
  item: Raw;
  action: Action;
  /** Values to set instead of a term scrub (anonymised payees). */
  set?: Record<string, unknown>;
}

/** ElectroDB's own bookkeeping attributes and the keys: never rewritten by a scrub. */
/** Fields stored encrypted (privacy/narrative.ts), by kind. */
const NARRATIVES: Record<string, string[]> = { note: ["body"], incident: ["description"] };
const KEEP = new Set(["pk", "sk", "__edb_e__", "__edb_v__"]);

const all = async <T>(q: { go: (o: object) => Promise<{ data: T[] }> }): Promise<(T & Raw)[]> =>
  (await q.go({ pages: "all", data: "includeKeys" })).data as (T & Raw)[];

export interface ErasureReport {
  individualID: string;
  deleted: Record<string, number>;
  anonymised: Record<string, number>;
  files: { deleted: number; rewritten: number };
  auditEventsBlanked: number;
  /**
   * Files that left Waypoint with the person in them before the erasure (register and grid exports, payment
   * files, subject-access files): who made each, when, for what purpose and recipient, so those who received a
   * copy can be told. IDs and the exports' own words only.
   */
  exports: ExportLogEntry[];
  ms: number;
}

/**
 * Erasure on request: every record about the person goes, and every record that stays (a shared case, a
 * payment, a household, an audit event) loses the person's values. The erasure is audited without them.
 */
export async function erase(individualID: string, reason: string): Promise<ErasureReport> {
  const started = Date.now();
  const operationID = Actor.operationID();
  const rec = (await IndividualEntity.get({ individualID }).go({ consistent: true })).data as
    | (Record<string, unknown> & {
        operationID: string;
        officeID: string;
        createdBy: string;
        erased?: boolean;
      })
    | null;
  if (!rec || rec.operationID !== operationID || rec.status === "erased")
    throw new NotFoundError("individual", individualID);
  if (!Actor.can("individual.read", { operationID, officeID: rec.officeID }))
    throw new NotFoundError("individual", individualID);
  Actor.assert("individual.erase", { operationID, officeID: rec.officeID, createdBy: rec.createdBy });
  if (typeof reason !== "string" || reason.trim().length < 3)
    throw new ForbiddenError("individual.erase", "A reason is required to erase a person");

  const terms = termsOf(rec);
  const scrubber = new Scrubber(terms);
  const found: Found[] = [];
  const add = (kind: string, id: string, item: Raw, action: Action, set?: Record<string, unknown>) =>
    found.push({ kind, id, item, action, set });
  const mentions = (item: Record<string, unknown>) =>
    JSON.stringify(item).includes(individualID) || scrubber.holds(item);

  // their consents and their sharing log go with them
  const [consents, disclosures] = await Promise.all([
    all(ConsentEntity.query.primary({ individualID })),
    all(DisclosureEntity.query.primary({ individualID })),
  ]);
  for (const c of consents) add("consent", `${c.purpose}/${c.scope}`, c, "delete");
  for (const d of disclosures) add("disclosure", `${d.time}/${d.ref}`, d, "delete");
  // the exports that held them: listed in the report (recipients to tell), then their per-person log items go
  const [exported, exportItems] = await Promise.all([
    exportsOf(individualID),
    all(ExportPersonEntity.query.primary({ individualID })),
  ]);
  for (const x of exportItems) add("exportperson", `${x.time}/${x.exportID}`, x, "delete");

  // their messages and replies (SMS, WhatsApp), and the opt-out of their number
  const { MessageEntity, OptOutEntity } = await import("../message/message.entity.ts");
  const messages = await all(MessageEntity.query.byPerson({ individualID }));
  for (const m of messages) add("message", m.messageID, m, "delete");
  const phones = [...new Set(messages.map((m) => m.to))];
  for (const to of phones)
    for (const o of await all(OptOutEntity.query.primary({ to }))) add("optout", "-", o, "delete");

  // cases, and what is filed on them
  const memberships = await all(CaseMemberEntity.query.byIndividual({ individualID }));
  for (const m of memberships) add("casemember", m.caseID, m, "delete");
  const caseIDs = memberships.map((m) => m.caseID);
  const soleCases = new Set<string>();
  await Promise.all(
    caseIDs.map(async (caseID) => {
      const [c] = await all(CaseEntity.query.primary({ caseID }));
      if (!c || c.operationID !== operationID) return;
      const sole = ((c.individualIDs as string[] | undefined) ?? []).every((i) => i === individualID);
      if (sole) soleCases.add(caseID);
      add("case", caseID, c, sole ? "delete" : "scrub");
      const [notes, docs, assessments, submissions] = await Promise.all([
        all(NoteEntity.query.byCase({ caseID })),
        all(DocumentEntity.query.byCase({ caseID })),
        all(AssessmentEntity.query.byCase({ caseID })),
        all(SubmissionEntity.query.byCase({ caseID })),
      ]);
      for (const n of notes) add("note", n.noteID, n, sole ? "delete" : "scrub");
      for (const d of docs)
        add("document", d.documentID, d, sole || d.individualID === individualID ? "delete" : "scrub");
      for (const a of assessments) add("assessment", a.assessmentID, a, sole ? "delete" : "scrub");
      for (const s of submissions) add("submission", s.submissionID, s, sole ? "delete" : "scrub");
    }),
  );
  const inCase = (caseID: unknown) => typeof caseID === "string" && soleCases.has(caseID);

  // operation-wide records that name the person
  const [referrals, incidents, payees, appointments, leads, reviews, returns, placements, orgs, members] =
    await Promise.all([
      all(ReferralEntity.query.byOperation({ operationID })),
      all(IncidentEntity.query.byOperation({ operationID })),
      all(PayeeEntity.query.byOperation({ operationID })),
      all(AppointmentEntity.query.byOperation({ operationID })),
      all(LeadEntity.query.byOperation({ operationID })),
      all(IntakeReviewEntity.query.byOperation({ operationID })),
      all(ReturnEntity.query.byOperation({ operationID })),
      all(PlacementEntity.query.byIndividual({ individualID })),
      all(OrganisationEntity.query.byOperation({ operationID })),
      all(MemberEntity.query.primary({ operationID })),
    ]);
  for (const r of referrals)
    if (r.individualID === individualID || inCase(r.caseID)) add("referral", r.referralID, r, "delete");
    else if (scrubber.holds(r)) add("referral", r.referralID, r, "scrub");
  for (const i of incidents) {
    const ids = (i.individualIDs as string[] | undefined) ?? [];
    if (ids.includes(individualID) || inCase(i.caseID))
      add("incident", i.incidentID, i, ids.every((x) => x === individualID) ? "delete" : "scrub");
    else if (scrubber.holds(i)) add("incident", i.incidentID, i, "scrub");
  }
  const theirPayees = payees.filter((p) => p.individualID === individualID);
  for (const p of payees)
    if (p.individualID === individualID) {
      const channel = p.channel as { type?: string } | undefined;
      add("payee", p.payeeID, p, "scrub", {
        name: ERASED,
        nameLatin: ERASED,
        channel: { type: channel?.type ?? "cash", erased: true },
        note: ERASED,
        active: false,
      });
    } else if (scrubber.holds(p)) add("payee", p.payeeID, p, "scrub");
  const payments = (
    await Promise.all(theirPayees.map((p) => all(PaymentEntity.query.byPayee({ payeeID: p.payeeID }))))
  ).flat();
  for (const p of payments) add("payment", p.paymentID, p, "scrub");
  for (const a of appointments) {
    if (inCase(a.caseID)) add("appointment", a.appointmentID, a, "delete");
    else if (mentions(a)) add("appointment", a.appointmentID, a, "scrub");
  }
  const erasedLeads = new Set<string>();
  for (const l of leads)
    if (((l.possibleMatches as string[] | undefined) ?? []).includes(individualID) || scrubber.holds(l)) {
      erasedLeads.add(l.leadID);
      add("lead", l.leadID, l, "delete");
    }
  for (const r of reviews)
    if ((r.leadID && erasedLeads.has(r.leadID)) || scrubber.holds(r))
      add("intakereview", r.reviewID, r, "delete");
  for (const r of returns) if (mentions(r)) add("return", r.returnID, r, "scrub");
  for (const p of placements) add("placement", p.placementID, p, "delete");

  // queued and logged webhook payloads that carry the person
  const events = (
    await Promise.all(
      orgs.map((o) => all(OutboxEntity.query.byOrganisation({ organisationID: o.organisationID }))),
    )
  ).flat();
  const gone = found.filter((f) => f.action === "delete").map((f) => f.id);
  const about = (payload: unknown) =>
    typeof payload === "string" && (gone.some((id) => payload.includes(id)) || mentions({ payload }));
  for (const e of events)
    if (about(e.payload))
      add(
        "webhook",
        e.eventID,
        e,
        e.state === "pending" ? "delete" : "scrub",
        e.state === "pending" ? undefined : { payload: JSON.stringify({ erased: true }) },
      );

  // saved views whose filters or search name the person
  const views = (
    await Promise.all(
      members.map((m) => all(SavedViewEntity.query.primary({ userID: m.userID, operationID }))),
    )
  ).flat();
  for (const v of views) if (scrubber.holds(v)) add("savedview", `${v.userID}/${v.name}`, v, "scrub");

  // the household keeps its link to others, not the person's values
  if (typeof rec.householdID === "string") {
    const [hh] = await all(HouseholdEntity.query.primary({ householdID: rec.householdID }));
    if (hh)
      add("household", hh.householdID, hh, "scrub", {
        ...(hh.headID === individualID ? { headID: ERASED } : {}),
        ...(typeof hh.size === "number" && hh.size > 0 ? { size: hh.size - 1 } : {}),
      });
  }

  // files: the person's documents go; payment files that list them are rewritten without them
  const storageKeys = found
    .filter((f) => f.kind === "document" && f.action === "delete")
    .map((f) => f.item.storageKey)
    .filter((k): k is string => typeof k === "string");
  const batchIDs = [
    ...new Set(payments.map((p) => p.batchID).filter((b): b is string => typeof b === "string")),
  ];
  const exports = (
    await Promise.all(batchIDs.map((batchID) => all(ExportEntity.query.byBatch({ batchID }))))
  ).flat();

  // audit events of every record touched: who did what stays, the values go
  const auditIDs = [individualID, ...new Set(found.map((f) => f.id).filter((id) => !id.includes("/")))];
  const audits = (
    await Promise.all(auditIDs.map((recordID) => all(AuditEntity.query.byRecord({ recordID }))))
  ).flat();

  // ---- writes ----
  const client = documentClient();
  const TableName = config().tableName;
  const deleted: Record<string, number> = {};
  const anonymised: Record<string, number> = {};
  const deletes: Raw[] = [];
  for (const f of found) {
    if (f.action === "delete") {
      deletes.push(f.item);
      deleted[f.kind] = (deleted[f.kind] ?? 0) + 1;
    }
  }
  const updates: { key: Raw; set: Record<string, unknown> }[] = [];
  for (const f of found) {
    if (f.action !== "scrub") continue;
    const set: Record<string, unknown> = { ...f.set };
    // encrypted narratives are opened, cleaned and sealed again
    for (const field of NARRATIVES[f.kind] ?? []) {
      const v = f.item[field];
      if (!Narrative.isSealed(v)) continue;
      const text = await Narrative.open(operationID, v);
      if (scrubber.holds(text)) set[field] = await Narrative.seal(operationID, scrubber.scrub(text));
    }
    for (const [k, v] of Object.entries(f.item)) {
      if (KEEP.has(k) || k in set) continue;
      const s = scrubber.scrub(v);
      if (s !== v) set[k] = s;
    }
    if (Object.keys(set).length === 0) continue;
    updates.push({ key: f.item, set });
    anonymised[f.kind] = (anonymised[f.kind] ?? 0) + 1;
  }
  let auditEventsBlanked = 0;
  for (const a of audits) {
    const set: Record<string, unknown> = {};
    if (a.changes) set.changes = blankDiff(a.changes);
    if (typeof a.reason === "string" && scrubber.holds(a.reason)) set.reason = scrubber.scrub(a.reason);
    if (Object.keys(set).length) {
      updates.push({ key: a, set });
      auditEventsBlanked++;
    }
  }
  // the person's own keys: dedupe keys, the registration number's claim
  const dedupeDeletes = Dedupe.deleteItems(rec as never).map(
    (i) => (i as { delete: { Key: Raw } }).delete.Key,
  );
  const regClaim = (
    await all(
      UniqueEntity.query.primary({
        namespace: `regno:${operationID}`,
        value: String(rec.registrationNumber),
      }),
    )
  )[0];
  if (regClaim) deletes.push(regClaim);
  for (const k of dedupeDeletes) deletes.push(k as Raw);
  // the configured-value index items naming the person's values (every one stored, whatever the record holds now)
  for (const k of await FieldIndex.keysOf(individualID)) deletes.push(k as Raw);

  const keyOf = (i: Raw) => ({ pk: i.pk, sk: i.sk });
  const batches: Raw[][] = [];
  for (let i = 0; i < deletes.length; i += 25) batches.push(deletes.slice(i, i + 25));
  await runLimited(batches, 4, async (batch) => {
    let RequestItems: Record<string, { DeleteRequest: { Key: Record<string, unknown> } }[]> = {
      [TableName]: batch.map((d) => ({ DeleteRequest: { Key: keyOf(d) } })),
    };
    for (let attempt = 0; RequestItems[TableName]?.length; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      const res = await client.send(new BatchWriteCommand({ RequestItems }));
      RequestItems = (res.UnprocessedItems ?? {}) as typeof RequestItems;
    }
  });
  await runLimited(updates, 16, async ({ key, set }) => {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const parts = Object.entries(set).map(([k, v], n) => {
      names[`#a${n}`] = k;
      values[`:v${n}`] = v;
      return `#a${n} = :v${n}`;
    });
    await client.send(
      new UpdateCommand({
        TableName,
        Key: keyOf(key),
        UpdateExpression: `SET ${parts.join(", ")}`,
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  });

  // the individual: a tombstone without personal data, so reports and links see it gone
  const now = nowIso();
  await client.send(tombstone(individualID, rec, now));

  let filesDeleted = 0;
  let filesRewritten = 0;
  for (const key of storageKeys) {
    await ObjectStore.remove(key);
    filesDeleted++;
  }
  for (const e of exports) {
    if (typeof e.key !== "string") continue;
    const text = await readText(e.key);
    if (text === undefined || !scrubber.holds(text)) continue;
    await ObjectStore.put(e.key, Buffer.from(scrubber.scrub(text)), String(e.contentType ?? "text/plain"));
    filesRewritten++;
  }

  // in-memory report projections of this process drop the person now (others see the tombstone on next sync)
  const proj = cached(operationID, "individuals");
  if (proj?.rows.delete(individualID)) proj.revision++;

  const report: ErasureReport = {
    individualID,
    deleted,
    anonymised,
    files: { deleted: filesDeleted, rewritten: filesRewritten },
    auditEventsBlanked,
    exports: exported,
    ms: Date.now() - started,
  };
  await Audit.record({
    recordID: individualID,
    recordType: "individual",
    action: "erase",
    operationID,
    officeID: rec.officeID,
    reason: scrubber.scrub(reason.trim()),
    changes: {
      erasure: {
        after: {
          deleted,
          anonymised,
          files: report.files,
          auditEventsBlanked,
          exportsToNotify: exported.map((e) => e.exportID),
        },
      },
    },
  });
  log.info({ individualID, ms: report.ms }, "individual erased");
  return report;
}

function tombstone(individualID: string, rec: Record<string, unknown>, now: string) {
  // Keys the tombstone keeps: the primary key and the operation/office "last change" indexes (so delta syncs see
  // it); the name and household indexes go with the values.
  const put = IndividualEntity.put({
    individualID,
    operationID: rec.operationID as string,
    officeID: rec.officeID as string,
    registrationNumber: ERASED,
    givenName: ERASED,
    familyName: ERASED,
    searchName: ERASED,
    sex: rec.sex as "female",
    nationality: (rec.nationality as string) ?? "XXX",
    legalStatus: ERASED,
    status: "erased",
    deleted: true,
    createdBy: rec.createdBy as string,
    version: ((rec.version as number) ?? 1) + 1,
    timeCreated: rec.timeCreated as string,
    timeUpdated: now,
  }).params() as { Item: Record<string, unknown>; TableName: string };
  delete put.Item.gsi3pk;
  delete put.Item.gsi3sk;
  delete put.Item.gsi4pk;
  delete put.Item.gsi4sk;
  put.Item.erased = true;
  return new PutCommand({ TableName: put.TableName, Item: put.Item });
}

async function readText(key: string): Promise<string | undefined> {
  try {
    const stream = await ObjectStore.get(key);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
    return Buffer.concat(chunks).toString("utf8");
  } catch {
    return undefined;
  }
}

async function runLimited<T>(items: T[], limit: number, fn: (t: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}
