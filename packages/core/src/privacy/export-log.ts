import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { Actor } from "../actor.ts";
import { batchGet } from "../common/batch-get.ts";
import { mapLimit } from "../common/concurrency.ts";
import { nowIso, transactWrite } from "../common/db.ts";
import { Identifier } from "../common/id.ts";
import { log } from "../common/log.ts";
import { config } from "../config.ts";
import { documentClient } from "../dynamo.ts";
import { Job } from "../job/index.ts";
import { ExportChunkEntity, ExportLogEntity, ExportPersonEntity } from "./export-log.entity.ts";
import { assertPurpose } from "./purpose.ts";

export { assertPurpose };

/**
 * The sharing log of exports (issue 21 point 5): every file that leaves Waypoint with people in it (the register
 * as CSV/XLSX/JSON, a grid view, a payment batch file, a subject-access file, tickets, a trip manifest) records who
 * made it, when, for what purpose and recipient, and which people it held, so a person's sharing log, their
 * subject-access file and their erasure report list it. Nothing personal is logged: IDs and counts.
 *
 * Large exports stay fast: the people are gathered while the file streams and written as chunks of up to
 * `CHUNK` IDs (one write per chunk, with its job in the same transaction); the job `sharing.exportChunk` then writes
 * one item per person in 25-item batches, in the background. An export of at most `INLINE` people writes its
 * items at once.
 */
export const EXPORT_CHUNK_JOB = "sharing.exportChunk";
const CHUNK = 5000;
const INLINE = 200;

export interface ExportMeta {
  kind: string;
  format: string;
  /** An `ExportPurposes` code (@waypoint/schema/privacy); `other` with `purposeOther` in words. */
  purpose?: string;
  purposeOther?: string;
  recipient?: string;
  /** An ID chosen by the caller (a payment export's own ID); default a new `exp_` ID. */
  exportID?: string;
}

export interface ExportLogEntry {
  exportID: string;
  kind: string;
  format: string;
  by: string;
  time: string;
  purpose?: string;
  purposeOther?: string;
  recipient?: string;
}

const clean = (s: string | undefined) => (s && s.trim() ? s.trim().slice(0, 200) : undefined);

/** The log item of a new export, to put in a transaction of the caller's (a payment export's). */
export function logItem(meta: ExportMeta, operationID: string, time = nowIso()) {
  assertPurpose(meta);
  return {
    exportID: meta.exportID ?? Identifier.create("export"),
    operationID,
    kind: meta.kind,
    format: meta.format,
    by: Actor.maybe() ? Actor.id() : "system",
    time,
    purpose: clean(meta.purpose),
    purposeOther: meta.purpose === "other" ? clean(meta.purposeOther) : undefined,
    recipient: clean(meta.recipient),
    people: 0,
    state: "recording" as const,
  };
}

/** Writes one item per person of an export (BatchWriteItem, 25 a request, 4 in flight, unprocessed retried). */
export async function writePeople(
  exp: { exportID: string; operationID: string; time: string },
  individualIDs: Iterable<string>,
): Promise<void> {
  const TableName = config().tableName;
  const puts = [...new Set(individualIDs)].map((individualID) => ({
    PutRequest: {
      Item: (
        ExportPersonEntity.put({
          individualID,
          exportID: exp.exportID,
          operationID: exp.operationID,
          time: exp.time,
        }).params() as { Item: Record<string, unknown> }
      ).Item,
    },
  }));
  const batches: (typeof puts)[] = [];
  for (let i = 0; i < puts.length; i += 25) batches.push(puts.slice(i, i + 25));
  await mapLimit(batches, 4, async (batch) => {
    let pending = batch;
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt > 8) throw new Error("sharing log: writes left unprocessed");
      if (attempt) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      const res = await documentClient().send(new BatchWriteCommand({ RequestItems: { [TableName]: pending } }));
      pending = (res.UnprocessedItems?.[TableName] ?? []) as typeof pending;
    }
  });
}

/**
 * Gathers the people of one export while it is written. `add` is synchronous and cheap (a Set); every `CHUNK`
 * people one chunk item and its job are written (awaited by the next `add` that needs room, so memory stays
 * bounded); `finish` writes the rest and marks the export done.
 */
export class ExportRecorder {
  private pending = new Set<string>();
  private chunks = 0;
  private people = 0;
  private inFlight: Promise<void> = Promise.resolve();
  private finished = false;

  private constructor(
    private readonly exp: ReturnType<typeof logItem>,
    private readonly chunk = CHUNK,
    private readonly inline = INLINE,
  ) {}

  get exportID() {
    return this.exp.exportID;
  }

  /** Starts the log of an export in the caller's operation (the log item, state `recording`). */
  static async start(meta: ExportMeta, sizes: { chunk?: number; inline?: number } = {}): Promise<ExportRecorder> {
    const item = logItem(meta, Actor.operationID());
    await ExportLogEntity.create(item).go({ response: "none" });
    return new ExportRecorder(item, sizes.chunk, sizes.inline);
  }

  /** Adds a person; returns a promise only when a chunk had to be written first (await it to keep memory flat). */
  add(individualID: string | null | undefined): Promise<void> | undefined {
    if (typeof individualID !== "string" || !individualID) return undefined;
    this.pending.add(individualID);
    if (this.pending.size < this.chunk) return undefined;
    const ids = [...this.pending];
    this.pending = new Set();
    const n = this.chunks++;
    this.people += ids.length;
    // one chunk written at a time, behind the stream; the next full chunk waits for it
    const prev = this.inFlight;
    this.inFlight = prev.then(() => this.writeChunk(n, ids));
    this.inFlight.catch(() => undefined); // reported by the next await of it (the next chunk or `finish`)
    return prev;
  }

  private async writeChunk(n: number, individualIDs: string[]) {
    const { exportID, operationID } = this.exp;
    const res = await transactWrite([
      { put: ExportChunkEntity.put({ exportID, n, operationID, individualIDs }).params() },
      Job.txItem({ kind: EXPORT_CHUNK_JOB, ref: `${exportID}#${n}`, operationID }),
    ]);
    if (!res.ok) throw new Error("sharing log: chunk not written");
  }

  /** Writes what is left and marks the export done (idempotent: a second call does nothing). */
  async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.inFlight;
    const ids = [...this.pending];
    this.pending = new Set();
    this.people += ids.length;
    if (this.chunks === 0 && ids.length <= this.inline) await writePeople(this.exp, ids);
    else if (ids.length) await this.writeChunk(this.chunks++, ids);
    await ExportLogEntity.patch({ exportID: this.exp.exportID })
      .set({ people: this.people, state: "done" })
      .go({ response: "none" });
    log.info({ exportID: this.exp.exportID, kind: this.exp.kind, people: this.people }, "export logged");
  }
}

/** Logs a small export whose people are known at once (a subject-access file, tickets, a manifest, a list). */
export async function logExport(meta: ExportMeta, individualIDs: string[]): Promise<string> {
  const r = await ExportRecorder.start(meta);
  for (const id of individualIDs) await r.add(id);
  await r.finish();
  return r.exportID;
}

/** The job: one chunk of a large export becomes one item per person; the chunk is then deleted. Idempotent. */
export async function writeChunkJob(ref: string): Promise<void> {
  const at = ref.lastIndexOf("#");
  const exportID = ref.slice(0, at);
  const n = Number(ref.slice(at + 1));
  const chunk = (await ExportChunkEntity.get({ exportID, n }).go({ consistent: true })).data;
  if (!chunk) return; // done already
  const exp = (await ExportLogEntity.get({ exportID }).go({ consistent: true })).data;
  if (exp) await writePeople(exp, chunk.individualIDs);
  await ExportChunkEntity.delete({ exportID, n }).go({ response: "none" });
}

/** The exports a person was in, oldest first (entries of their sharing log). */
export async function exportsOf(individualID: string): Promise<ExportLogEntry[]> {
  const rows = (await ExportPersonEntity.query.primary({ individualID }).go({ pages: "all" })).data;
  if (!rows.length) return [];
  const logs = await batchGet<ExportLogEntry>(
    ExportLogEntity,
    [...new Set(rows.map((r) => r.exportID))].map((exportID) => ({ exportID })),
  );
  return logs
    .map((l) => ({
      exportID: l.exportID,
      kind: l.kind,
      format: l.format,
      by: l.by,
      time: l.time,
      ...(l.purpose ? { purpose: l.purpose } : {}),
      ...(l.purposeOther ? { purposeOther: l.purposeOther } : {}),
      ...(l.recipient ? { recipient: l.recipient } : {}),
    }))
    .sort((a, b) => a.time.localeCompare(b.time));
}

/**
 * The job of a payment batch file (`sharing.exportBatch`, ref the export's ID, put in the export's own
 * transaction): its people are the individuals behind the batch's payees, read from the batch in the background
 * so the export itself reads nothing more. Idempotent.
 */
export async function writeBatchJob(exportID: string): Promise<void> {
  const exp = (await ExportLogEntity.get({ exportID }).go({ consistent: true })).data;
  if (!exp || exp.state === "done") return;
  const [{ ExportEntity }, { members, getRaw }, { PayeeEntity }] = await Promise.all([
    import("../export/export.entity.ts"),
    import("../batch/members.ts"),
    import("../payee/payee.entity.ts"),
  ]);
  const file = (await ExportEntity.get({ exportID }).go()).data;
  if (!file) return;
  const TableName = config().tableName;
  const people = new Set<string>();
  for await (const page of members(file.batchID, ["in_batch", "exported", "paid", "failed"], 1000, ["payeeID"])) {
    const keys = [...new Set(page.map((p) => p.payeeID))].map(
      (payeeID) => (PayeeEntity.get({ payeeID }).params() as { Key: Record<string, unknown> }).Key,
    );
    for (const p of await getRaw<{ individualID?: string }>(keys, TableName, ["individualID"]))
      if (p.individualID) people.add(p.individualID);
    if (people.size >= CHUNK) {
      await writePeople(exp, people);
      exp.people += people.size;
      people.clear();
    }
  }
  await writePeople(exp, people);
  await ExportLogEntity.patch({ exportID })
    .set({ people: exp.people + people.size, state: "done" })
    .go({ response: "none" });
}
