import { QueryCommand, UpdateCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { AssessmentEntity } from "../assessment/assessment.entity.ts";
import { AuditEntity } from "../audit/audit.entity.ts";
import { CaseEntity } from "../case/case.entity.ts";
import { log } from "../common/log.ts";
import { config } from "../config.ts";
import { documentClient } from "../dynamo.ts";
import { IncidentEntity } from "../incident/incident.entity.ts";
import { NoteEntity } from "../note/note.entity.ts";
import { DataKeyEntity } from "./datakey.entity.ts";
import { sealAssessment, sealAssessmentDiff, sealedKind } from "../assessment/sealed.ts";
import { Narrative } from "./narrative.ts";

type Raw = Record<string, unknown> & { pk: string; sk: string };

/** Which field of which record type is a narrative (as privacy/narrative.ts seals them on every write). */
const FIELDS = { note: "body", incident: "description" } as const;

/**
 * What the stored-narrative sealing covers, by version: 1 = case notes and incident descriptions, 2 = BIA/BID
 * reasons (summary and review comments) too. An operation sealed at an older version is walked again once.
 */
export const SEAL_VERSION = 2;

export interface SealReport {
  sealed: { note: number; incident: number; assessment: number };
  auditEventsSealed: number;
  /** Records changed between the read and the write: sealed by that write already (writes seal) or next time. */
  skipped: number;
}

const prefixOf = (params: { ExpressionAttributeValues?: Record<string, unknown> }) => {
  const v = params.ExpressionAttributeValues ?? {};
  return { pk: String(v[":pk"]), sk: String(v[":sk1"] ?? "") };
};

async function* pages(input: QueryCommandInput): AsyncGenerator<Raw[]> {
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const res = await documentClient().send(new QueryCommand({ ...input, ExclusiveStartKey, Limit: 200 }));
    yield (res.Items ?? []) as Raw[];
    ExclusiveStartKey = res.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

/** Whether a BIA/BID part (summary, reviews, or their diff) holds a reason still in clear. */
function hasClear(v: unknown): boolean {
  if (!v || typeof v !== "object") return false;
  const o = v as Record<string, unknown>;
  const clear = (x: unknown) => typeof x === "string" && !Narrative.isSealed(x);
  const reviewsClear = (r: unknown) =>
    Array.isArray(r) && r.some((x) => x && typeof x === "object" && clear((x as { comment?: unknown }).comment));
  const summary = o.summary as unknown;
  if (clear(summary)) return true;
  if (summary && typeof summary === "object") {
    const d = summary as { before?: unknown; after?: unknown };
    if (clear(d.before) || clear(d.after)) return true;
  }
  const reviews = o.reviews as unknown;
  if (reviewsClear(reviews)) return true;
  if (reviews && typeof reviews === "object" && !Array.isArray(reviews)) {
    const d = reviews as { before?: unknown; after?: unknown };
    if (reviewsClear(d.before) || reviewsClear(d.after)) return true;
  }
  return false;
}

const onIndex = (params: { ExpressionAttributeValues?: Record<string, unknown> }, index: string): QueryCommandInput => {
  const { pk, sk } = prefixOf(params);
  return {
    TableName: config().tableName,
    IndexName: index,
    KeyConditionExpression: `${index}pk = :pk AND begins_with(${index}sk, :sk)`,
    ExpressionAttributeValues: { ":pk": pk, ":sk": sk },
  };
};

/**
 * Seals the narratives an operation stored in clear before field-level encryption existed (case notes, incident
 * descriptions) and the clear copies in their audit diffs. Idempotent: sealed values are left alone, and each write
 * is conditional on the stored text being still the clear text read (an edit meanwhile sealed it already). The
 * record's version and last change do not move: its content is the same, only how it is stored changed.
 */
export async function sealStoredNarratives(operationID: string): Promise<SealReport> {
  const report: SealReport = { sealed: { note: 0, incident: 0, assessment: 0 }, auditEventsSealed: 0, skipped: 0 };
  const TableName = config().tableName;
  const client = documentClient();

  const sealRecord = async (type: keyof typeof FIELDS, r: Raw) => {
    const field = FIELDS[type];
    const text = r[field];
    if (typeof text === "string" && !Narrative.isSealed(text)) {
      try {
        await client.send(
          new UpdateCommand({
            TableName,
            Key: { pk: r.pk, sk: r.sk },
            UpdateExpression: "SET #f = :sealed",
            ConditionExpression: "#f = :clear",
            ExpressionAttributeNames: { "#f": field },
            ExpressionAttributeValues: { ":sealed": await Narrative.seal(operationID, text), ":clear": text },
          }),
        );
        report.sealed[type]++;
      } catch (err) {
        if ((err as Error).name !== "ConditionalCheckFailedException") throw err;
        report.skipped++;
      }
    }
    // the record's history: clear before/after values of the narrative field
    const recordID = String(r[`${type}ID`]);
    const { pk, sk } = prefixOf(AuditEntity.query.byRecord({ recordID }).params());
    for await (const events of pages({
      TableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :sk)",
      ExpressionAttributeValues: { ":pk": pk, ":sk": sk },
    }))
      for (const e of events) {
        const c = (e.changes as Record<string, { before?: unknown; after?: unknown }> | undefined)?.[field];
        if (!c) continue;
        const clear = (v: unknown) => typeof v === "string" && !Narrative.isSealed(v);
        if (!clear(c.before) && !clear(c.after)) continue;
        const sealed = await Narrative.sealDiff(operationID, { [field]: c }, [field]);
        await client.send(
          new UpdateCommand({
            TableName,
            Key: { pk: e.pk, sk: e.sk },
            UpdateExpression: "SET #c.#f = :v",
            ConditionExpression: "attribute_exists(pk)",
            ExpressionAttributeNames: { "#c": "changes", "#f": field },
            ExpressionAttributeValues: { ":v": sealed[field] },
          }),
        );
        report.auditEventsSealed++;
      }
  };

  const sealAssessmentItem = async (a: Raw) => {
    const clearIn = hasClear;
    if (clearIn({ summary: a.summary, reviews: a.reviews })) {
      const sealed = await sealAssessment(a.kind, operationID, { summary: a.summary, reviews: a.reviews });
      const names: Record<string, string> = { "#r": "reviews" };
      const values: Record<string, unknown> = { ":r": sealed.reviews, ":rOld": a.reviews };
      const sets = ["#r = :r"];
      const conds = ["#r = :rOld"];
      if (typeof a.summary === "string") {
        names["#s"] = "summary";
        values[":s"] = sealed.summary;
        values[":sOld"] = a.summary;
        sets.push("#s = :s");
        conds.push("#s = :sOld");
      }
      try {
        await client.send(
          new UpdateCommand({
            TableName,
            Key: { pk: a.pk, sk: a.sk },
            UpdateExpression: `SET ${sets.join(", ")}`,
            ConditionExpression: conds.join(" AND "),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
        report.sealed.assessment++;
      } catch (err) {
        if ((err as Error).name !== "ConditionalCheckFailedException") throw err;
        report.skipped++;
      }
    }
    const recordID = String(a.assessmentID);
    const { pk, sk } = prefixOf(AuditEntity.query.byRecord({ recordID }).params());
    for await (const events of pages({
      TableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :sk)",
      ExpressionAttributeValues: { ":pk": pk, ":sk": sk },
    }))
      for (const e of events) {
        const changes = e.changes as Record<string, { before?: unknown; after?: unknown }> | undefined;
        if (!changes || typeof changes !== "object") continue;
        const part = Object.fromEntries(
          (["summary", "reviews"] as const).filter((f) => changes[f]).map((f) => [f, changes[f]!]),
        );
        if (!Object.keys(part).length || !clearIn(part)) continue;
        const sealed = await sealAssessmentDiff(a.kind, operationID, part);
        const names: Record<string, string> = { "#c": "changes" };
        const values: Record<string, unknown> = {};
        const sets = Object.keys(part).map((f, n) => {
          names[`#f${n}`] = f;
          values[`:v${n}`] = sealed[f];
          return `#c.#f${n} = :v${n}`;
        });
        await client.send(
          new UpdateCommand({
            TableName,
            Key: { pk: e.pk, sk: e.sk },
            UpdateExpression: `SET ${sets.join(", ")}`,
            ConditionExpression: "attribute_exists(pk)",
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
        report.auditEventsSealed++;
      }
  };

  for await (const incidents of pages(onIndex(IncidentEntity.query.byOperation({ operationID }).params(), "gsi2")))
    for (const i of incidents) if (i.operationID === operationID) await sealRecord("incident", i);
  for await (const cases of pages(onIndex(CaseEntity.query.byOperation({ operationID }).params(), "gsi2")))
    for (const c of cases) {
      const caseID = String(c.caseID);
      for await (const notes of pages(onIndex(NoteEntity.query.byCase({ caseID }).params(), "gsi1")))
        for (const n of notes) if (n.caseID === caseID) await sealRecord("note", n);
    }
  // BIA/BID reasons: the summary and each review's comment (assessment/sealed.ts), other kinds stay as they are
  for await (const list of pages(onIndex(AssessmentEntity.query.byOperation({ operationID }).params(), "gsi4")))
    for (const a of list) if (a.operationID === operationID && sealedKind(a.kind)) await sealAssessmentItem(a);
  log.info({ operationID, ...report.sealed, audit: report.auditEventsSealed }, "stored narratives sealed");
  return report;
}

/**
 * Runs `sealStoredNarratives` once per operation and coverage version: the operation's data key item records when
 * and up to which `SEAL_VERSION` it was done (everything written since is sealed on write). An operation sealed
 * before BIA/BID reasons were covered (a `clearSealedAt` without a version is version 1) is walked once more, so
 * reasons stored in clear before their encryption are sealed by the scheduled job, not only at their next edit.
 * Returns undefined when it was done already.
 */
export async function sealStoredNarrativesOnce(operationID: string): Promise<SealReport | undefined> {
  await Narrative.seal(operationID, "-"); // makes sure the operation's data key item exists
  const key = (await DataKeyEntity.get({ operationID }).go({ consistent: true })).data;
  const done = key?.clearSealedVersion ?? (key?.clearSealedAt ? 1 : 0);
  if (done >= SEAL_VERSION) return undefined;
  const report = await sealStoredNarratives(operationID);
  await DataKeyEntity.patch({ operationID })
    .set({ clearSealedAt: new Date().toISOString(), clearSealedVersion: SEAL_VERSION })
    .go({ response: "none" });
  return report;
}
