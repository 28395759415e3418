import {
  HouseholdChanges,
  HouseholdCreate,
  HouseholdListQuery,
  type HouseholdInfo,
} from "@waypoint/schema/registry";
import { type BulkRowResult } from "@waypoint/schema/bulk";
import type { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { Cursor } from "../common/cursor.ts";
import { nowIso, transactWrite } from "../common/db.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "../common/errors.ts";
import { toFieldIssues } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { bulk, writeVersioned } from "../common/record.ts";
import { IndividualEntity } from "../individual/individual.entity.ts";
import { collect, listReach } from "../individual/list.ts";
import { RegistrationNumber } from "../individual/number.ts";
import { hiddenFields, redact } from "../individual/redact.ts";
import { HouseholdEntity } from "./household.entity.ts";
import { FieldValues } from "../fields/values.ts";
import { Areas } from "../operation/areas.ts";

type Stored = Record<string, unknown> & HouseholdInfo;
// configured values are audited per key (`fields.<key>`, with the field's label), not as one map
const AUDITED = Object.keys(HouseholdChanges.shape).filter((k) => k !== "fields");

export namespace Household {
  export type Info = HouseholdInfo;

  export const target = (r: { operationID: string; officeID: string; createdBy?: string }): Actor.Target => ({
    operationID: r.operationID,
    officeID: r.officeID,
    createdBy: r.createdBy,
  });

  function parse<S extends z.ZodTypeAny>(schema: S, input: unknown, prefix = ""): z.output<S> {
    const r = schema.safeParse(input);
    if (!r.success) throw new InvalidError(toFieldIssues(r.error, prefix));
    return r.data;
  }

  function assertWritable(fields: string[], action: "household.create" | "household.update") {
    const hidden = hiddenFields("household");
    const bad = fields.filter((f) => hidden.includes(f));
    if (bad.length) throw new ForbiddenError(action, `Your role may not set ${bad.join(", ")}.`);
  }

  export async function load(householdID: string): Promise<Stored | undefined> {
    const rec = (await HouseholdEntity.get({ householdID }).go()).data as Stored | null;
    return rec && rec.operationID === Actor.operationID() ? rec : undefined;
  }

  /** Whether the actor may read this stored record: in their read scope, deleted only for deleters. */
  export function readable(rec: Pick<Stored, "operationID" | "officeID" | "createdBy" | "deleted">): boolean {
    return (
      (!rec.deleted || Actor.can("household.delete", target(rec))) && Actor.can("household.read", target(rec))
    );
  }

  function assertReadable(rec: Stored | undefined, householdID: string): Stored {
    // no read permission at all is a refusal; a record outside the reader's scope is "not found"
    if (!Actor.can("household.read")) throw new ForbiddenError("household.read");
    if (!rec || !readable(rec)) throw new NotFoundError("household", householdID);
    return rec;
  }

  export async function get(householdID: string): Promise<Info> {
    await FieldValues.ready(Actor.operationID());
    return redact("household", assertReadable(await load(householdID), householdID)) as Info;
  }

  /** The head must be a member of the household (the registration group's principal applicant). */
  async function checkHead(householdID: string, headID: string, path: string) {
    const head = (await IndividualEntity.get({ individualID: headID }).go()).data;
    if (!head || head.deleted || head.operationID !== Actor.operationID() || head.householdID !== householdID)
      throw InvalidError.field(path, "invalid.head", "must be a member of this household");
  }

  export async function create(input: HouseholdCreate, prefix = "") {
    const values = parse(HouseholdCreate, input, prefix);
    const operationID = Actor.operationID();
    const actorID = Actor.id();
    await RegistrationNumber.office(operationID, values.officeID, prefix ? `${prefix}.officeID` : "officeID");
    Actor.assert("household.create", { operationID, officeID: values.officeID });
    await Areas.check(operationID, values, prefix);
    assertWritable(Object.keys(input), "household.create");
    const configured = await FieldValues.prepare("household", operationID, values.fields, { create: true, prefix });
    if (values.headID)
      throw InvalidError.field(
        prefix ? `${prefix}.headID` : "headID",
        "invalid.head",
        "set the head after adding members",
      );
    const householdID = Identifier.create("household");
    const [registrationNumber] = await RegistrationNumber.reserve("household", operationID, values.officeID);
    const now = nowIso();
    const { fields: _given, ...builtIn } = values;
    const record = {
      ...builtIn,
      ...(configured.fields && Object.keys(configured.fields).length ? { fields: configured.fields } : {}),
      householdID,
      operationID,
      registrationNumber: registrationNumber!,
      size: 0,
      createdBy: actorID,
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    const tx = await transactWrite([
      { put: HouseholdEntity.create(record).params() },
      Audit.txItem({
        recordID: householdID,
        recordType: "household",
        action: "create",
        operationID,
        officeID: values.officeID,
        changes: { ...Audit.diff({}, record, AUDITED), ...configured.changes },
      }),
      RegistrationNumber.claim(operationID, record.registrationNumber, householdID),
    ]);
    if (!tx.ok)
      throw new ConflictError("The registration number is taken; retry", undefined, "conflict.constraint");
    return redact("household", record) as Info;
  }

  export async function patch(
    householdID: string,
    expectedVersion: number,
    input: HouseholdChanges,
    opts: { current?: Stored; prefix?: string } = {},
  ) {
    const { fields: configuredInput, ...changes } = parse(HouseholdChanges, input, opts.prefix);
    const current = assertReadable("current" in opts ? opts.current : await load(householdID), householdID);
    if (current.deleted) throw new NotFoundError("household", householdID);
    Actor.assert("household.update", target(current));
    assertWritable(Object.keys(changes), "household.update");
    const configured = await FieldValues.prepare("household", current.operationID, configuredInput, {
      current,
      prefix: opts.prefix,
    });
    if (current.version !== expectedVersion)
      throw new ConflictError(
        `household ${householdID} was changed by someone else`,
        redact("household", current),
      );
    const p = (f: string) => (opts.prefix ? `${opts.prefix}.${f}` : f);
    if (changes.headID) await checkHead(householdID, changes.headID, p("headID"));
    if (changes.officeID && changes.officeID !== current.officeID) {
      Actor.assert("household.update", target({ ...current, officeID: changes.officeID }));
      await RegistrationNumber.office(current.operationID, changes.officeID, p("officeID"));
    }
    const after: Record<string, unknown> = { ...current };
    const set: Record<string, unknown> = {};
    const remove: string[] = [];
    for (const [k, v] of Object.entries(changes)) {
      after[k] = v === null ? undefined : v;
      if (v === null) {
        if (current[k] !== undefined) remove.push(k);
      } else set[k] = v;
    }
    if (changes.officeID) set.operationID = current.operationID;
    if (configured.fields) {
      after.fields = configured.fields;
      if (Object.keys(configured.fields).length) set.fields = configured.fields;
      else if (current.fields !== undefined) remove.push("fields");
    }
    if ("adm1" in changes || "adm2" in changes)
      await Areas.check(
        current.operationID,
        after as { adm1?: string; adm2?: string },
        opts.prefix,
        (["adm1", "adm2"] as const).filter((k) => k in changes),
      );
    const res = await writeVersioned(
      {
        entity: HouseholdEntity,
        key: { householdID },
        expectedVersion,
        set,
        remove,
        audit: {
          recordID: householdID,
          recordType: "household",
          action: "update",
          operationID: current.operationID,
          officeID: after.officeID as string,
          changes: { ...Audit.diff(current, after, Object.keys(changes)), ...configured.changes },
        },
      },
      async () => {
        const now = await load(householdID);
        return now ? redact("household", now) : undefined;
      },
    );
    return redact("household", { ...after, ...res }) as Info;
  }

  /** A household with members cannot be deleted: move or delete the members first, so nobody is orphaned. */
  export async function softDelete(householdID: string, expectedVersion: number, reason?: string) {
    const current = assertReadable(await load(householdID), householdID);
    if (current.deleted) throw new NotFoundError("household", householdID);
    Actor.assert("household.delete", target(current));
    const members = await IndividualEntity.query
      .byHousehold({ householdID })
      .where((a, { ne }) => ne(a.deleted, true))
      .go({ limit: 1 });
    if (members.data.length > 0)
      throw new ConflictError("The household still has members", undefined, "conflict.members");
    const res = await writeVersioned(
      {
        entity: HouseholdEntity,
        key: { householdID },
        expectedVersion,
        set: { deleted: true },
        audit: {
          recordID: householdID,
          recordType: "household",
          action: "delete",
          operationID: current.operationID,
          officeID: current.officeID,
          reason,
          changes: { deleted: { before: false, after: true } },
        },
      },
      async () => redact("household", (await load(householdID))!),
    );
    return redact("household", { ...current, deleted: true, ...res }) as Info;
  }

  export async function list(input: z.input<typeof HouseholdListQuery>) {
    const parsed = HouseholdListQuery.safeParse(input);
    if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error));
    const q = parsed.data;
    const operationID = Actor.operationID();
    const { offices, createdBy } = listReach("household.read", q.officeID);
    await FieldValues.ready(operationID);
    const index = offices !== "all" && offices.length === 1 ? "byOffice" : "byOperation";
    const scope = JSON.stringify({
      a: Actor.id(),
      i: index,
      q: { ...q, limit: undefined, cursor: undefined },
    });
    const sync = Boolean(q.updatedSince);
    type Ops = Record<string, (...a: unknown[]) => string>;
    const where = (attr: Record<string, unknown>, op: Ops) => {
      const parts = [op.eq!(attr.operationID, operationID)];
      if (offices !== "all" && index !== "byOffice")
        parts.push(`(${offices.map((o) => op.eq!(attr.officeID, o)).join(" OR ")})`);
      if (createdBy) parts.push(op.eq!(attr.createdBy, createdBy));
      if (q.status) parts.push(op.eq!(attr.status, q.status));
      if (!q.includeDeleted && !sync) parts.push(op.ne!(attr.deleted, true));
      return parts.join(" AND ");
    };
    const run = async (cursor: string | null, limit: number) => {
      const b =
        index === "byOffice"
          ? HouseholdEntity.query.byOffice({ operationID, officeID: (offices as string[])[0]! })
          : HouseholdEntity.query.byOperation({ operationID });
      const query = q.updatedSince ? b.gte({ timeUpdated: q.updatedSince }) : b;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- both index builders share `where`/`go`
      const res = await (query as any)
        .where(where)
        .go({ cursor, limit, order: q.sort === "-timeUpdated" ? "desc" : "asc" });
      return { data: res.data as Stored[], cursor: res.cursor as string | null };
    };
    const page = await collect(run, Cursor.verify(q.cursor, scope), q.limit);
    let nextCursor: string | null = null;
    const last = page.items[page.items.length - 1];
    if ((page.truncated || page.cursor) && last) {
      const k = (HouseholdEntity.create(last as never).params() as { Item: Record<string, string> }).Item;
      const gsi = index === "byOffice" ? "gsi2" : "gsi1";
      const key = { pk: k.pk, sk: k.sk, [`${gsi}pk`]: k[`${gsi}pk`], [`${gsi}sk`]: k[`${gsi}sk`] };
      nextCursor = Cursor.sign(Buffer.from(JSON.stringify(key)).toString("base64url"), scope);
    }
    return { items: page.items.map((r) => redact("household", r) as Info), nextCursor };
  }

  export async function bulkPatch(rows: readonly { id: string; version: number; changes: unknown }[]) {
    return bulk(rows, async (row, i) => {
      const rec = await patch(row.id, row.version, row.changes as HouseholdChanges, {
        prefix: `rows.${i}.changes`,
      });
      return { id: row.id, status: "saved", version: rec.version, record: rec } satisfies BulkRowResult;
    });
  }

  export async function bulkCreate(rows: readonly { ref?: string; values: unknown }[]) {
    return bulk(
      rows,
      async (row, i) => {
        const rec = await create(row.values as HouseholdCreate, `rows.${i}.values`);
        return {
          id: rec.householdID,
          ref: row.ref,
          status: "created",
          version: 1,
          record: rec,
        } satisfies BulkRowResult;
      },
      8,
    );
  }

  /** The audit trail of one household, for whoever may read the household. */
  export async function history(householdID: string, query: { limit?: number; cursor?: string } = {}) {
    const rec = assertReadable(await load(householdID), householdID);
    await FieldValues.ready(rec.operationID);
    return Audit.trailOf({ recordID: householdID, ...query }, rec, [
      ...hiddenFields("household"),
      ...FieldValues.hidden("household", rec.operationID),
    ]);
  }
}
