import { QueryCommand, UpdateCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { AuditEntity } from "../audit/audit.entity.ts";
import { CaseEntity } from "../case/case.entity.ts";
import { log } from "../common/log.ts";
import { config } from "../config.ts";
import { documentClient } from "../dynamo.ts";
import { IncidentEntity } from "../incident/incident.entity.ts";
import { NoteEntity } from "../note/note.entity.ts";
import { DataKeyEntity } from "./datakey.entity.ts";
import { Narrative } from "./narrative.ts";

type Raw = Record<string, unknown> & { pk: string; sk: string };

/** Which field of which record type is a narrative (as privacy/narrative.ts seals them on every write). */
const FIELDS = { note: "body", incident: "description" } as const;

export interface SealReport {
  sealed: { note: number; incident: number };
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
  const report: SealReport = { sealed: { note: 0, incident: 0 }, auditEventsSealed: 0, skipped: 0 };
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

  for await (const incidents of pages(onIndex(IncidentEntity.query.byOperation({ operationID }).params(), "gsi2")))
    for (const i of incidents) if (i.operationID === operationID) await sealRecord("incident", i);
  for await (const cases of pages(onIndex(CaseEntity.query.byOperation({ operationID }).params(), "gsi2")))
    for (const c of cases) {
      const caseID = String(c.caseID);
      for await (const notes of pages(onIndex(NoteEntity.query.byCase({ caseID }).params(), "gsi1")))
        for (const n of notes) if (n.caseID === caseID) await sealRecord("note", n);
    }
  log.info({ operationID, ...report.sealed, audit: report.auditEventsSealed }, "stored narratives sealed");
  return report;
}

/**
 * Runs `sealStoredNarratives` once per operation: the operation's data key item records when it was done
 * (everything written since is sealed on write). Returns undefined when it was done already.
 */
export async function sealStoredNarrativesOnce(operationID: string): Promise<SealReport | undefined> {
  await Narrative.seal(operationID, "-"); // makes sure the operation's data key item exists
  const key = (await DataKeyEntity.get({ operationID }).go({ consistent: true })).data;
  if (key?.clearSealedAt) return undefined;
  const report = await sealStoredNarratives(operationID);
  await DataKeyEntity.patch({ operationID }).set({ clearSealedAt: new Date().toISOString() }).go({ response: "none" });
  return report;
}
