import {
  IndividualChanges,
  IndividualCreate,
  OverrideDuplicates,
  type DuplicateCandidate,
  type IndividualInfo,
} from "@waypoint/schema/registry";
import { SPECIFIC_NEEDS_VERSION } from "@waypoint/schema/codes";
import { type BulkRowResult } from "@waypoint/schema/bulk";
import type { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { batchGet } from "../common/batch-get.ts";
import { nowIso, transactWrite, type TxItem } from "../common/db.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "../common/errors.ts";
import { toFieldIssues } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { bulk, writeVersioned } from "../common/record.ts";
import { Dedupe, DuplicateError } from "../dedupe/index.ts";
import { searchName } from "../dedupe/phonetic.ts";
import { HouseholdEntity } from "../household/household.entity.ts";
import { Areas } from "../operation/areas.ts";
import { FieldValues } from "../fields/values.ts";
import { FieldIndex } from "../fields/value-index.ts";
import { jobTxItem } from "../job/tx.ts";
import { isBiodata, RESCREEN_JOB } from "../resettlement/jobs.ts";
import { IndividualEntity } from "./individual.entity.ts";
import { RegistrationNumber } from "./number.ts";
import { hiddenFields, redact } from "./redact.ts";
import { listIndividuals } from "./list.ts";

/** A stored individual as core reads it (unredacted; never leaves core without `redact`). */
type Stored = Record<string, unknown> & IndividualInfo;

// configured values are audited per key (`fields.<key>`, with the field's label), not as one map
const AUDITED = Object.keys(IndividualChanges.shape).filter((k) => k !== "fields");

export namespace Individual {
  export type Info = IndividualInfo;
  export interface CreateOptions {
    overrideDuplicates?: z.input<typeof OverrideDuplicates>;
    /** Registration numbers reserved ahead (bulk); otherwise one is reserved per record. */
    numbers?: RegistrationNumber.Pool;
    /**
     * Check everything a registration checks (values, configured fields, scope, areas, household, duplicates) and
     * store nothing: an import's dry run. The record comes back without an ID or a registration number.
     */
    dryRun?: boolean;
  }

  export const target = (r: { operationID: string; officeID: string; createdBy?: string }): Actor.Target => ({
    operationID: r.operationID,
    officeID: r.officeID,
    createdBy: r.createdBy,
  });

  export const list = listIndividuals;

  function parse<S extends z.ZodTypeAny>(schema: S, input: unknown, prefix = ""): z.output<S> {
    const r = schema.safeParse(input);
    if (!r.success) throw new InvalidError(toFieldIssues(r.error, prefix));
    return r.data;
  }

  /** Roles may not write fields they are not allowed to see. */
  function assertWritable(fields: string[]) {
    const hidden = hiddenFields("individual");
    const bad = fields.filter((f) => hidden.includes(f));
    if (bad.length) throw new ForbiddenError("individual.update", `Your role may not set ${bad.join(", ")}.`);
  }

  /** The stored record, unredacted, or undefined (other operation, missing). Internal to core. */
  export async function load(individualID: string): Promise<Stored | undefined> {
    const rec = (await IndividualEntity.get({ individualID }).go()).data as Stored | null;
    if (!rec || rec.operationID !== Actor.operationID()) return undefined;
    return rec;
  }

  /** Whether the actor may read this stored record: in their read scope, not erased, deleted only for deleters. */
  export function readable(
    rec: Pick<Stored, "operationID" | "officeID" | "createdBy" | "status" | "deleted">,
  ): boolean {
    return (
      // an erased person leaves a tombstone (privacy/erase.ts) whose status is outside the record type
      (rec.status as string) !== "erased" &&
      (!rec.deleted || Actor.can("individual.delete", target(rec))) &&
      Actor.can("individual.read", target(rec))
    );
  }

  /** Readable means in the actor's read scope; anything else is "not found", so scope does not leak existence. */
  function assertReadable(rec: Stored | undefined, individualID: string): Stored {
    // no read permission at all is a refusal; a record outside the reader's scope is "not found"
    if (!Actor.can("individual.read")) throw new ForbiddenError("individual.read");
    if (!rec || !readable(rec)) throw new NotFoundError("individual", individualID);
    return rec;
  }

  export async function get(individualID: string): Promise<Info> {
    await FieldValues.ready(Actor.operationID());
    return redact("individual", assertReadable(await load(individualID), individualID)) as Info;
  }

  export async function byRegistrationNumber(registrationNumber: string): Promise<Info> {
    const id = await RegistrationNumber.owner(Actor.operationID(), registrationNumber);
    if (!id) throw new NotFoundError("individual", registrationNumber);
    return get(id);
  }

  async function checkHousehold(householdID: string, path = "householdID") {
    const hh = (await HouseholdEntity.get({ householdID }).go()).data;
    if (!hh || hh.deleted || hh.operationID !== Actor.operationID() || !Actor.can("household.read", hh))
      throw InvalidError.field(path, "invalid.household", "is not a household of this operation you can see");
    return hh;
  }

  const sizeChange = (householdID: string, by: number): TxItem => ({
    update: HouseholdEntity.patch({ householdID }).add({ size: by }).params(),
  });

  /** Duplicate candidates, with names and dates only for records the actor may read. */
  export async function duplicates(
    person: Omit<Dedupe.Person, "operationID">,
  ): Promise<DuplicateCandidate[]> {
    Actor.assert("individual.create");
    const found = await Dedupe.find({ ...person, operationID: Actor.operationID() });
    return found.map(({ record: r, score, reasons, strength }) => {
      const visible = Actor.can("individual.read", target(r as Stored));
      return {
        individualID: r.individualID,
        registrationNumber: r.registrationNumber,
        officeID: r.officeID,
        score,
        strength,
        reasons,
        ...(visible
          ? {
              givenName: r.givenName,
              familyName: r.familyName,
              dateOfBirth: r.dateOfBirth,
              estimatedAge: r.estimatedAge,
            }
          : { restricted: true }),
      };
    });
  }

  /**
   * Registers one person. Strong duplicate candidates refuse the registration unless the actor may override and
   * gives a reason; the override is audited with the candidates it overrode.
   */
  export async function create(input: IndividualCreate, opts: CreateOptions = {}, prefix = "") {
    const values = parse(IndividualCreate, input, prefix);
    const operationID = Actor.operationID();
    const actorID = Actor.id();
    const scopeTarget = { operationID, officeID: values.officeID };
    await RegistrationNumber.office(operationID, values.officeID, prefix ? `${prefix}.officeID` : "officeID");
    Actor.assert("individual.create", scopeTarget);
    await Areas.check(operationID, values, prefix);
    assertWritable(Object.keys(input));
    const configured = await FieldValues.prepare("individual", operationID, values.fields, { create: true, prefix });
    const override = opts.overrideDuplicates
      ? parse(OverrideDuplicates, opts.overrideDuplicates, "overrideDuplicates")
      : undefined;
    if (values.householdID)
      await checkHousehold(values.householdID, prefix ? `${prefix}.householdID` : "householdID");
    const individualID = Identifier.create("individual");
    const now = nowIso();
    const candidates = await duplicates({ ...values, individualID, timeCreated: now });
    const strong = candidates.filter((c) => c.strength === "strong");
    if (strong.length && !override) throw new DuplicateError(candidates);
    if (strong.length) Actor.assert("duplicate.override", scopeTarget);
    if (opts.dryRun) {
      const { fields: _f, ...checked } = values;
      const preview = {
        ...checked,
        ...(configured.fields && Object.keys(configured.fields).length ? { fields: configured.fields } : {}),
        operationID,
      };
      return { record: redact("individual", preview) as unknown as Info, candidates };
    }
    const registrationNumber = opts.numbers
      ? await opts.numbers.take(values.officeID)
      : (await RegistrationNumber.reserve("individual", operationID, values.officeID))[0];
    const { fields: _given, ...builtIn } = values;
    const record = {
      ...builtIn,
      ...(configured.fields && Object.keys(configured.fields).length ? { fields: configured.fields } : {}),
      individualID,
      operationID,
      registrationNumber: registrationNumber!,
      searchName: searchName(values.givenName, values.familyName),
      specificNeedsVersion: SPECIFIC_NEEDS_VERSION,
      createdBy: actorID,
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    const put = IndividualEntity.create(record).params() as { Item: Record<string, unknown> };
    if (!record.householdID) (delete put.Item.gsi4pk, delete put.Item.gsi4sk);
    const audit = {
      recordID: individualID,
      recordType: "individual",
      operationID,
      officeID: values.officeID,
    };
    const items: TxItem[] = [
      { put },
      Audit.txItem({
        ...audit,
        action: "create",
        changes: { ...Audit.diff({}, record, AUDITED), ...configured.changes },
      }),
      RegistrationNumber.claim(operationID, record.registrationNumber, individualID),
      ...Dedupe.putItems(record),
      // the configured-value index (list filter) commits with the record
      ...FieldIndex.diffItems("individual", operationID, individualID, undefined, record.fields),
    ];
    if (strong.length && override)
      items.push(
        Audit.txItem({
          ...audit,
          action: "duplicate.override",
          reason: override.reason,
          changes: {
            candidates: {
              after: strong.map((c) => ({
                individualID: c.individualID,
                score: c.score,
                reasons: c.reasons,
              })),
            },
          },
        }),
      );
    if (record.householdID) items.push(sizeChange(record.householdID, 1));
    const tx = await transactWrite(items);
    if (!tx.ok)
      throw new ConflictError(
        "The household changed or the registration number is taken; retry",
        undefined,
        "conflict.constraint",
      );
    return { record: redact("individual", record) as Info, candidates };
  }

  export interface PatchOptions {
    /** The stored record when the caller already read it (bulk preloads in batches). */
    current?: Stored;
    prefix?: string;
    /** More items that must commit with this change (a complaint's approved correction and its audit). */
    with?: TxItem[];
  }

  export async function patch(
    individualID: string,
    expectedVersion: number,
    input: IndividualChanges,
    opts: PatchOptions = {},
  ) {
    const { fields: configuredInput, ...changes } = parse(IndividualChanges, input, opts.prefix);
    const current = assertReadable("current" in opts ? opts.current : await load(individualID), individualID);
    if (current.deleted) throw new NotFoundError("individual", individualID);
    Actor.assert("individual.update", target(current));
    assertWritable(Object.keys(changes));
    // configured values: unknown / retired keys refused, values checked, merged per key into the stored ones
    const configured = await FieldValues.prepare("individual", current.operationID, configuredInput, {
      current,
      prefix: opts.prefix,
    });
    if (current.version !== expectedVersion)
      throw new ConflictError(
        `individual ${individualID} was changed by someone else`,
        redact("individual", current),
      );
    const after: Record<string, unknown> = { ...current };
    for (const [k, v] of Object.entries(changes)) after[k] = v === null ? undefined : v;
    const p = (f: string) => (opts.prefix ? `${opts.prefix}.${f}` : f);
    if ("adm1" in changes || "adm2" in changes)
      await Areas.check(
        current.operationID,
        after as { adm1?: string; adm2?: string },
        opts.prefix,
        (["adm1", "adm2"] as const).filter((k) => k in changes),
      );
    if (after.dateOfBirth === undefined && after.estimatedAge === undefined)
      throw InvalidError.field(
        p("dateOfBirth"),
        "invalid.required",
        "a date of birth or an estimated age is required",
      );
    if (changes.officeID && changes.officeID !== current.officeID) {
      Actor.assert("individual.update", target({ ...current, officeID: changes.officeID }));
      await RegistrationNumber.office(current.operationID, changes.officeID, p("officeID"));
    }
    const next = after as Stored;
    const extra: TxItem[] = Dedupe.diffItems(current, next);
    // what a resettlement country holds of the person changed: their submissions with it are screened again
    const same = (k: string) => JSON.stringify(current[k]) === JSON.stringify(after[k]);
    if (Object.keys(changes).some((k) => isBiodata(k) && !same(k)))
      extra.push(jobTxItem({ kind: RESCREEN_JOB, ref: individualID, operationID: current.operationID }));
    if (changes.householdID !== undefined && changes.householdID !== (current.householdID ?? null)) {
      if (changes.householdID) {
        await checkHousehold(changes.householdID, p("householdID"));
        extra.push(sizeChange(changes.householdID, 1));
      }
      if (current.householdID) extra.push(sizeChange(current.householdID, -1));
    }
    const set: Record<string, unknown> = {};
    const remove: string[] = [];
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) {
        if (current[k] !== undefined) remove.push(k);
      } else set[k] = v;
    }
    if (changes.specificNeeds) set.specificNeedsVersion = SPECIFIC_NEEDS_VERSION;
    if (configured.fields) {
      extra.push(
        ...FieldIndex.diffItems("individual", current.operationID, individualID, current.fields, configured.fields),
      );
      after.fields = configured.fields;
      if (Object.keys(configured.fields).length) set.fields = configured.fields;
      else if (current.fields !== undefined) remove.push("fields");
    }
    // index keys: ElectroDB needs every composite of an index key it rebuilds (office → byOffice, name → byName)
    if (changes.officeID || changes.givenName || changes.familyName) {
      set.operationID = current.operationID;
      set.officeID = next.officeID;
      set.searchName = searchName(next.givenName, next.familyName);
    }
    const changed = { ...Audit.diff(current, after, Object.keys(changes)), ...configured.changes };
    const res = await writeVersioned(
      {
        entity: IndividualEntity,
        key: { individualID },
        expectedVersion,
        set,
        remove,
        audit: {
          recordID: individualID,
          recordType: "individual",
          action: "update",
          operationID: current.operationID,
          officeID: next.officeID,
          changes: changed,
        },
        with: [...extra, ...(opts.with ?? [])],
      },
      async () => {
        const now = await load(individualID);
        return now ? redact("individual", now) : undefined;
      },
    );
    return redact("individual", { ...after, ...res }) as Info;
  }

  export async function softDelete(individualID: string, expectedVersion: number, reason?: string) {
    const current = assertReadable(await load(individualID), individualID);
    if (current.deleted) throw new NotFoundError("individual", individualID);
    Actor.assert("individual.delete", target(current));
    const extra = [...Dedupe.deleteItems(current)];
    if (current.householdID) extra.push(sizeChange(current.householdID, -1));
    const res = await writeVersioned(
      {
        entity: IndividualEntity,
        key: { individualID },
        expectedVersion,
        set: { deleted: true },
        audit: {
          recordID: individualID,
          recordType: "individual",
          action: "delete",
          operationID: current.operationID,
          officeID: current.officeID,
          reason,
          changes: { deleted: { before: false, after: true } },
        },
        with: extra,
      },
      async () => redact("individual", (await load(individualID))!),
    );
    return redact("individual", { ...current, deleted: true, ...res }) as Info;
  }

  /** Per-row patch for grids: every row answers for itself; field paths point at `rows.<i>.changes.<field>`. */
  export async function bulkPatch(rows: readonly { id: string; version: number; changes: unknown }[]) {
    const loaded = new Map<string, Stored>();
    const ids = [...new Set(rows.map((r) => r.id))].filter((id) => /^ind_[0-9A-Z]{26}$/.test(id));
    // a row whose record was left unprocessed by the batch read would answer "not found": batchGet retries them
    const found = await batchGet<Stored>(
      IndividualEntity,
      ids.map((individualID) => ({ individualID })),
    );
    for (const r of found) if (r.operationID === Actor.operationID()) loaded.set(r.individualID, r);
    return bulk(rows, async (row, i) => {
      const rec = await patch(row.id, row.version, row.changes as IndividualChanges, {
        current: loaded.get(row.id),
        prefix: `rows.${i}.changes`,
      });
      return { id: row.id, status: "saved", version: rec.version, record: rec } satisfies BulkRowResult;
    });
  }

  export async function bulkCreate(
    rows: readonly { ref?: string; values: unknown; overrideDuplicates?: { reason: string } }[],
    opts: { dryRun?: boolean } = {},
  ) {
    return bulk(
      rows,
      async (row, i) => {
        try {
          const { record } = await create(
            row.values as IndividualCreate,
            { overrideDuplicates: row.overrideDuplicates, dryRun: opts.dryRun },
            `rows.${i}.values`,
          );
          // a dry run's row would be created: it has no ID and no version yet
          if (opts.dryRun) return { ref: row.ref, status: "created", version: 0, record } satisfies BulkRowResult;
          return {
            id: record.individualID,
            ref: row.ref,
            status: "created",
            version: 1,
            record,
          } satisfies BulkRowResult;
        } catch (err) {
          if (err instanceof DuplicateError)
            return { ref: row.ref, status: "duplicate", candidates: err.candidates } satisfies BulkRowResult;
          throw err;
        }
      },
      8,
    );
  }

  /** The audit trail of one individual, for whoever may read the individual. */
  export async function history(individualID: string, query: { limit?: number; cursor?: string } = {}) {
    const rec = assertReadable(await load(individualID), individualID);
    await FieldValues.ready(rec.operationID);
    return Audit.trailOf({ recordID: individualID, ...query }, rec, [
      ...hiddenFields("individual"),
      ...FieldValues.hidden("individual", rec.operationID),
    ]);
  }
}
