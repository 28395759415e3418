import {
  AreaImport,
  OfficeChanges,
  OfficeCreate,
  OperationChanges,
  OperationCreate,
  type AreaImportResult,
  type OfficeInfo,
  type OperationInfo,
} from "@waypoint/schema/operations";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { nowIso, transactWrite } from "../common/db.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "../common/errors.ts";
import { toFieldIssues } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { log } from "../common/log.ts";
import { writeVersioned } from "../common/record.ts";
import { Unique } from "../common/unique.ts";
import { scopeFor } from "../permissions.ts";
import { User } from "../user/index.ts";
import { Areas } from "./areas.ts";
import { AreaEntity, OfficeEntity, OperationEntity } from "./operation.entity.ts";

export { Areas } from "./areas.ts";

function parse<S extends z.ZodTypeAny>(schema: S, input: unknown, prefix = ""): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new InvalidError(toFieldIssues(r.error, prefix));
  return r.data;
}

/** The first letters of a name, as a code for readable numbers: "Sénégal test" → "SEN". */
function codeFrom(name: string): string {
  const letters = name
    .normalize("NFD")
    .replace(/[^A-Za-z]/g, "")
    .toUpperCase();
  return (letters + "XXX").slice(0, 3);
}

/**
 * Operation codes are unique across the deployment: the public forms (expression of interest, feedback) name
 * their operation by its code, and a code held twice sent a person's submission to another country's office.
 * Codes compare without case ("sen" is "SEN": a person typing a form's address would not tell them apart), so the
 * claim holds the code in capitals. The claim is a constraint item written in the operation's own transaction:
 * of two concurrent creates with one code, exactly one commits. A code never changes (it is in every readable
 * number), so a claim is never released.
 */
const CODE_CLAIM = "operation.code";
const codeKey = (code: string) => code.trim().toUpperCase();

function codeTaken(code: string): ConflictError {
  return ConflictError.field(
    "code",
    "conflict.operation_code",
    `Another operation already has the code ${code}: choose another code`,
  );
}

export namespace Operation {
  export type Info = OperationInfo & { settings?: unknown };

  const toInfo = (o: Record<string, unknown>): Info =>
    ({
      ...o,
      timeZone: (o.timeZone as string | undefined) ?? "UTC",
      languages: (o.languages as string[] | undefined) ?? [],
    }) as Info;

  /**
   * May the current actor manage `operationID` (its details, areas and offices)? An admin manages the operation
   * they are signed in to, and any other operation where they hold an admin grant (they need not switch to it).
   */
  export async function assertManage(
    operationID: string,
    action: "operation.manage" | "office.manage" = "operation.manage",
  ): Promise<void> {
    const actor = Actor.use();
    if (actor.type === "system") return;
    if (actor.type !== "user") throw new ForbiddenError(action);
    if (actor.operationID === operationID) return Actor.assert(action, { operationID });
    const user = await User.get(actor.userID);
    const grant = user.grants.find((g) => g.operationID === operationID);
    if (!grant || scopeFor(grant.role, action) !== "operation") throw new ForbiddenError(action);
  }

  /**
   * Opens a country operation. Staff creating one become its first admin (a grant on the new operation), so
   * they can add its areas, offices and colleagues. `code` (in readable numbers) defaults to the name's first
   * letters; `timeZone` and `languages` default to UTC and English for internal callers (seeds, tests).
   */
  export async function create(
    input: Omit<OperationCreate, "timeZone" | "languages"> & {
      timeZone?: string;
      languages?: OperationCreate["languages"];
      operationID?: string;
      settings?: unknown;
    },
  ): Promise<Info> {
    Actor.assert("operation.create");
    const { operationID: id, settings, ...rest } = input;
    const values = parse(OperationCreate, { timeZone: "UTC", languages: ["en"], ...rest });
    const code = codeKey(values.code ?? codeFrom(values.name));
    // stored before codes were claimed (see CODE_CLAIM): such an operation holds its code without a claim item
    if ((await list()).some((o) => codeKey(o.code) === code)) throw codeTaken(code);
    const now = nowIso();
    const operationID = id ?? Identifier.create("operation");
    const item = {
      ...values,
      code,
      operationID,
      ...(settings === undefined ? {} : { settings }),
      areaCount: 0,
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    const actor = Actor.use();
    const tx = await transactWrite([
      { put: OperationEntity.create(item).params() },
      Unique.claim(CODE_CLAIM, code, operationID),
      Audit.txItem({
        recordID: operationID,
        recordType: "operation",
        action: "create",
        operationID,
        changes: Audit.diff({}, item, ["name", "code", "country", "currency", "timeZone", "languages"]),
      }),
    ]);
    if (!tx.ok && tx.failed.includes(0))
      throw new ConflictError("An operation with this ID exists", undefined, "conflict.constraint");
    if (!tx.ok) throw codeTaken(code);
    if (actor.type === "user")
      await User.grantOperation(actor.userID, { operationID, role: "admin", officeIDs: [] });
    return toInfo(item);
  }

  async function load(operationID: string) {
    return (await OperationEntity.get({ operationID }).go({ consistent: true })).data ?? undefined;
  }

  export async function get(operationID: string): Promise<Info> {
    const res = await OperationEntity.get({ operationID }).go();
    if (!res.data) throw new NotFoundError("operation", operationID);
    return toInfo(res.data);
  }

  export async function list(): Promise<Info[]> {
    return (await OperationEntity.query.all({}).go({ pages: "all" })).data.map(toInfo);
  }

  /**
   * The operation a public form names by its code (any case), or none. A deployment whose operations were
   * stored before codes were unique may hold one code twice: then no operation is chosen (the submission could
   * reach another country's office) and the refusal is logged with the code and the operations' IDs, for the
   * deployment's operators to resolve (nothing personal is logged).
   */
  export async function byCode(code: string): Promise<Info | undefined> {
    const key = codeKey(code);
    const found = (await list()).filter((o) => codeKey(o.code) === key);
    if (found.length <= 1) return found[0];
    log.warn(
      { code: key, operationIDs: found.map((o) => o.operationID) },
      "operation code held by several operations",
    );
    throw new ConflictError(
      "More than one operation has this code, so the submission was not stored; contact the operation",
      undefined,
      "conflict.operation_code_shared",
    );
  }

  /** Changes an operation's name, currency, time zone or languages (versioned, audited); never its code. */
  export async function update(operationID: string, expectedVersion: number, input: OperationChanges) {
    const changes = parse(OperationChanges, input);
    await assertManage(operationID);
    const current = await load(operationID);
    if (!current) throw new NotFoundError("operation", operationID);
    const res = await writeVersioned(
      {
        entity: OperationEntity,
        key: { operationID },
        expectedVersion,
        set: { ...changes },
        audit: {
          recordID: operationID,
          recordType: "operation",
          action: "update",
          operationID,
          changes: Audit.diff(current, { ...current, ...changes }, Object.keys(changes)),
        },
      },
      async () => {
        const now = await load(operationID);
        return now ? toInfo(now) : undefined;
      },
    );
    zones.delete(operationID);
    return toInfo({ ...current, ...changes, ...res });
  }

  const zones = new Map<string, { at: number; zone: string }>();
  /** The operation's IANA time zone (cached a minute): its days are the days of lists, availability and reports. */
  export async function timeZone(operationID: string): Promise<string> {
    const hit = zones.get(operationID);
    if (hit && Date.now() - hit.at < 60_000) return hit.zone;
    const zone = (await OperationEntity.get({ operationID }).go()).data?.timeZone ?? "UTC";
    zones.set(operationID, { at: Date.now(), zone });
    return zone;
  }

  /** The operation's administrative areas, all or of one level. */
  export async function areas(operationID: string, level?: number) {
    await assertRead(operationID);
    return Areas.list(operationID, level);
  }

  async function assertRead(operationID: string) {
    const actor = Actor.use();
    if (actor.type === "system" || actor.operationID === operationID) return;
    await assertManage(operationID);
  }

  /**
   * Imports administrative areas from a gazetteer CSV. Every row is checked first (p-code shape and country,
   * name, level, parent one level up, no p-code twice); with any bad row, or on a dry run, nothing is stored and
   * the answer lists the rows' errors. Otherwise areas are added (or renamed) and the import is audited on the
   * operation with its counts.
   */
  export async function importAreas(operationID: string, input: AreaImport): Promise<AreaImportResult> {
    const { csv, dryRun } = parse(AreaImport, input);
    await assertManage(operationID);
    const op = await load(operationID);
    if (!op) throw new NotFoundError("operation", operationID);
    Areas.forget(operationID);
    const stored = await Areas.load(operationID);
    const { rows, errors: parseErrors } = await Areas.parse(csv);
    if (rows.length === 0 && parseErrors.length === 0)
      throw InvalidError.field("csv", "invalid.csv_empty", "The file has no areas");
    const errors = [...parseErrors, ...Areas.validate(rows, op.country, stored)].sort(
      (a, b) => a.line - b.line,
    );
    if (dryRun || errors.length) return Areas.summary(rows, stored, errors, dryRun, false);
    const now = nowIso();
    const items = rows.map((r) => ({
      operationID,
      pcode: r.pcode,
      name: r.name,
      level: r.level,
      ...(r.parent && r.level > 1 ? { parent: r.parent } : {}),
      timeUpdated: now,
    }));
    let pending = items;
    for (let attempt = 0; pending.length && attempt < 8; attempt++) {
      const res = await AreaEntity.put(pending).go();
      pending = (res.unprocessed ?? []).map((k) =>
        items.find((i) => i.pcode === (k as { pcode: string }).pcode)!,
      );
      if (pending.length) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
    if (pending.length)
      throw new ConflictError(
        "The areas could not all be written; import the file again",
        undefined,
        "conflict.throughput",
      );
    const result = Areas.summary(rows, stored, [], false, true);
    const areaCount = stored.size + result.created;
    await writeVersioned(
      {
        entity: OperationEntity,
        key: { operationID },
        expectedVersion: op.version,
        set: { areaCount },
        audit: {
          recordID: operationID,
          recordType: "operation",
          action: "areas.import",
          operationID,
          changes: { areaCount: { before: op.areaCount ?? 0, after: areaCount } },
        },
      },
      async () => load(operationID),
    ).catch((err: unknown) => {
      // the areas are written; a concurrent change of the operation only leaves the count behind
      if (!(err instanceof ConflictError)) throw err;
    });
    Areas.forget(operationID);
    return result;
  }

  export async function createOffice(input: OfficeCreate & { operationID: string; officeID?: string }) {
    const { operationID, officeID: id, ...rest } = input;
    const values = parse(OfficeCreate, rest);
    await assertManage(operationID, "office.manage");
    await Areas.check(operationID, values);
    const now = nowIso();
    const officeID = id ?? Identifier.create("office");
    const item = { ...values, operationID, officeID, version: 1, timeCreated: now, timeUpdated: now };
    const tx = await transactWrite([
      { put: OfficeEntity.create(item).params() },
      Audit.txItem({
        recordID: officeID,
        recordType: "office",
        action: "create",
        operationID,
        officeID,
        changes: Audit.diff({}, item, ["code", "name", "adm1", "adm2", "kind", "rooms"]),
      }),
    ]);
    if (!tx.ok) throw new ConflictError("An office with this ID exists", undefined, "conflict.constraint");
    return item as OfficeInfo & typeof item;
  }

  /** Changes an office's name, areas, kind or rooms (versioned, audited); its code stays (readable numbers). */
  export async function updateOffice(officeID: string, expectedVersion: number, input: OfficeChanges) {
    const changes = parse(OfficeChanges, input);
    const current = (await OfficeEntity.get({ officeID }).go({ consistent: true })).data;
    if (!current) throw new NotFoundError("office", officeID);
    await assertManage(current.operationID, "office.manage");
    const after = { ...current, ...changes } as Record<string, unknown>;
    for (const [k, v] of Object.entries(changes)) if (v === null) delete after[k];
    await Areas.check(
      current.operationID,
      after as { adm1?: string; adm2?: string },
      "",
      (["adm1", "adm2"] as const).filter((k) => k in changes),
    );
    const set: Record<string, unknown> = {};
    const remove: string[] = [];
    for (const [k, v] of Object.entries(changes))
      if (v === null) remove.push(k);
      else set[k] = v;
    const res = await writeVersioned(
      {
        entity: OfficeEntity,
        key: { officeID },
        expectedVersion,
        set,
        remove,
        audit: {
          recordID: officeID,
          recordType: "office",
          action: "update",
          operationID: current.operationID,
          officeID,
          changes: Audit.diff(current, after, Object.keys(changes)),
        },
      },
      async () => (await OfficeEntity.get({ officeID }).go({ consistent: true })).data ?? undefined,
    );
    return { ...after, ...res } as unknown as OfficeInfo;
  }

  export async function offices(operationID: string = Actor.operationID()) {
    if (operationID !== Actor.maybe()?.operationID) await assertRead(operationID);
    return (await OfficeEntity.query.byOperation({ operationID }).go({ pages: "all" })).data;
  }

  export async function office(officeID: string) {
    const res = await OfficeEntity.get({ officeID }).go();
    if (!res.data) throw new NotFoundError("office", officeID);
    return res.data;
  }
}
