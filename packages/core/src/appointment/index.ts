import {
  AppointmentChanges,
  AppointmentCreate,
  AppointmentListQuery,
  type AppointmentInfo,
} from "@waypoint/schema/appointments";
import { type BulkRowResult } from "@waypoint/schema/bulk";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { caseTarget, followCase, liveCases, loadCase } from "../case/store.ts";
import { Cursor } from "../common/cursor.ts";
import { nowIso, transactWrite, type TxItem } from "../common/db.ts";
import { ConflictError, InvalidError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { asRead, bulk, writeVersioned } from "../common/record.ts";
import { Refs } from "../common/refs.ts";
import { dayRange } from "../common/zone.ts";
import { Operation } from "../operation/index.ts";
import { authorisedRead, listPartition, splitChanges, visible } from "../common/scope.ts";
import { Unique } from "../common/unique.ts";
import { AppointmentEntity } from "./appointment.entity.ts";
import { slotChanges, slotKeys, type Booking } from "./slots.ts";
import { ConfiguredOn } from "../fields/apply.ts";

export namespace Appointment {
  export type Info = AppointmentInfo;

  /** Staff on the appointment and its interpreter count as assigned (an interpreter sees only their bookings). */
  export const target = (a: Info): Actor.Target => ({
    operationID: a.operationID,
    officeID: a.officeID,
    assignedTo: [...(a.staffIDs ?? []), ...(a.interpreterID ? [a.interpreterID] : [])],
    createdBy: a.createdBy,
    restricted: a.restricted,
  });

  export async function load(appointmentID: string): Promise<Info | undefined> {
    return ((await AppointmentEntity.get({ appointmentID }).go({ consistent: true })).data ?? undefined) as
      Info | undefined;
  }

  /** Access as the booking says, restricted as its case is now (see `followCase`). */
  export async function targetOf(a: Info): Promise<Actor.Target> {
    return followCase(target(a), a.caseID ? await loadCase(a.caseID) : undefined);
  }

  async function read(appointmentID: string): Promise<{ cur: Info; t: Actor.Target }> {
    const a = await load(appointmentID);
    const t = a ? await targetOf(a) : undefined;
    const cur = await authorisedRead("appointment", appointmentID, "appointment.read", a, () => t!);
    return { cur: { ...cur, restricted: Boolean(t!.restricted) }, t: t! };
  }

  export async function get(appointmentID: string): Promise<Info> {
    return ConfiguredOn.view("appointment", (await read(appointmentID)).cur);
  }

  /** The interpreter must work in the language booked; a booking without a language cannot name an interpreter. */
  async function checkPeople(a: Info, prefix = "") {
    await Refs.office(a.officeID, `${prefix}officeID`);
    if (a.participants?.length) await Refs.individuals(a.participants, `${prefix}participants`);
    for (const [i, s] of (a.staffIDs ?? []).entries()) await Refs.staff(s, `${prefix}staffIDs.${i}`);
    if (!a.interpreterID) return;
    if (!a.interpreterLanguage)
      throw InvalidError.field(
        `${prefix}interpreterLanguage`,
        "invalid.required",
        "Say which language the interpreter is booked for",
      );
    const interpreter = await Refs.staff(a.interpreterID, `${prefix}interpreterID`);
    if (!(interpreter.languages ?? []).includes(a.interpreterLanguage))
      throw InvalidError.field(
        `${prefix}interpreterLanguage`,
        "invalid.interpreter_language",
        "The interpreter does not work in this language",
      );
  }

  /** After a failed booking transaction: which claim was already taken, as a clear conflict. */
  async function slotConflict(b: Booking): Promise<ConflictError> {
    for (const k of slotKeys(b)) {
      const owner = await Unique.owner(k.namespace, k.value);
      if (owner && owner !== b.appointmentID) {
        const who = k.namespace === "slot.interpreter" ? "interpreter" : "room";
        return new ConflictError(
          `The ${who} is already booked at ${k.value.split("#").pop()}`,
          { appointmentID: owner },
          `appointment.${who}_busy`,
        );
      }
    }
    return new ConflictError("The slot was just taken; try again", undefined, "appointment.slot_busy");
  }

  async function caseRestricted(caseID: string | undefined, path: string): Promise<boolean> {
    if (!caseID) return false;
    const c = await loadCase(caseID);
    if (!c || c.operationID !== Actor.operationID() || !Actor.can("case.read", caseTarget(c)))
      throw InvalidError.field(path, "invalid.case", "No such case");
    return c.restricted;
  }

  /** Books an appointment: the record, its room and interpreter slot claims and the audit event in one transaction. */
  export const create = fn(AppointmentCreate, async (input): Promise<Info> => {
    const now = nowIso();
    const base: Info = {
      ...input,
      appointmentID: Identifier.create("appointment"),
      operationID: Actor.operationID(),
      status: "booked",
      restricted: await caseRestricted(input.caseID, "caseID"),
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    // Creating is checked against the office alone: being the creator must not widen the scope.
    Actor.assert("appointment.create", { operationID: base.operationID, officeID: base.officeID });
    const configured = await ConfiguredOn.create("appointment", base.operationID, input.fields);
    const item = ConfiguredOn.put(base, configured.fields);
    await checkPeople(item);
    const slots = slotChanges(undefined, item);
    const tx = await transactWrite([
      { put: AppointmentEntity.create(item).params() },
      Audit.txItem({
        recordID: item.appointmentID,
        recordType: "appointment",
        action: "create",
        operationID: item.operationID,
        officeID: item.officeID,
        restricted: item.restricted,
        ...(Object.keys(configured.changes).length ? { changes: configured.changes } : {}),
      }),
      ...slots.items,
    ]);
    if (!tx.ok) throw await slotConflict(item);
    return ConfiguredOn.view("appointment", item);
  });

  export async function createMany(rows: { ref?: string; values: unknown }[]) {
    return bulk(rows, async (row, i): Promise<BulkRowResult> => {
      try {
        const a = await create(row.values as z.input<typeof AppointmentCreate>);
        return { id: a.appointmentID, ref: row.ref, status: "created", version: a.version, record: a };
      } catch (err) {
        prefixIssues(err, `rows.${i}.values.`);
        throw err;
      }
    });
  }

  export const list = fn(AppointmentListQuery, async (q) => {
    const actor = Actor.use();
    const interpreterID =
      q.interpreterID ?? (actor.type === "user" && actor.role === "interpreter" ? actor.userID : undefined);
    const part = interpreterID ? undefined : listPartition("appointment.read", q.officeID);
    if (interpreterID && !Actor.listScope("appointment.read")) Actor.assert("appointment.read");
    // the day is the operation's: from its local midnight to the next (a range's upper bound is inclusive)
    const range = q.day ? dayRange(q.day, await Operation.timeZone(Actor.operationID())) : undefined;
    const day = range
      ? { gte: { start: range.from }, lt: { start: new Date(Date.parse(range.to) - 1).toISOString() } }
      : undefined;
    const scope = `appointment:${interpreterID ?? (part && ("officeID" in part ? part.officeID : "userID" in part ? part.userID : part.operationID))}:${q.day ?? ""}`;
    let query;
    if (interpreterID) {
      const base = AppointmentEntity.query.byInterpreter({ interpreterID });
      query = day ? base.between(day.gte, day.lt) : base;
    } else if (part!.kind === "office" && day) {
      query = AppointmentEntity.query.byOfficeDay({ officeID: part!.officeID }).between(day.gte, day.lt);
    } else {
      const base =
        part!.kind === "office"
          ? AppointmentEntity.query.byOffice({ officeID: part!.officeID })
          : AppointmentEntity.query.byOperation({ operationID: Actor.operationID() });
      query = q.updatedSince ? base.gte({ timeUpdated: q.updatedSince }) : base;
    }
    // A case's or a person's records are few among the office's: read on until `limit` of them are found
    // (DynamoDB filters after reading a page, so one page of the office could hold none of them).
    const res = await query
      .where((a, { eq, gte, begins, contains }) =>
        [
          eq(a.operationID, Actor.operationID()),
          q.status && eq(a.status, q.status),
          q.caseID && eq(a.caseID, q.caseID),
          q.individualID && contains(a.participants, q.individualID),
          (interpreterID || day) && q.updatedSince && gte(a.timeUpdated, q.updatedSince),
          !interpreterID && part!.kind !== "office" && q.day && begins(a.start, q.day),
        ]
          .filter(Boolean)
          .join(" AND "),
      )
      .go({
        ...(q.caseID || q.individualID ? { count: q.limit } : { limit: q.limit }),
        cursor: Cursor.verify(q.cursor, scope),
        order: day ? "asc" : "desc",
      });
    const page = res.data as Info[];
    const caseOf = await liveCases(page.map((a) => a.caseID));
    const live = (a: Info) => followCase(target(a), caseOf(a.caseID));
    const items = await visible("appointment", "appointment.read", page, (a) => a.appointmentID, live);
    return {
      items: await ConfiguredOn.viewAll(
        "appointment",
        items.map((a) => ({ ...a, restricted: Boolean(live(a).restricted) })),
      ),
      nextCursor: Cursor.sign(res.cursor, scope),
    };
  });

  export const PatchInput = z.object({
    appointmentID: z.string(),
    version: z.number().int().min(1),
    changes: AppointmentChanges,
  });

  /** Reschedules, re-rooms, changes interpreter or status; slot claims move with the booking in the same transaction. */
  export const patch = fn(PatchInput, async ({ appointmentID, version, changes: input }): Promise<Info> => {
    const { cur, t } = await read(appointmentID);
    Actor.assert("appointment.update", t);
    const { fields: configuredInput, ...changes } = input;
    const configured = await ConfiguredOn.patch("appointment", cur, configuredInput);
    const next = ConfiguredOn.put({ ...cur, ...changes } as Info, configured.fields);
    for (const [k, v] of Object.entries(changes)) if (v === null) delete (next as Record<string, unknown>)[k];
    if (Date.parse(next.end) <= Date.parse(next.start))
      throw InvalidError.field("changes.end", "invalid.custom", "must be after start");
    if (
      changes.interpreterID !== undefined ||
      changes.interpreterLanguage !== undefined ||
      changes.staffIDs ||
      changes.participants
    )
      await checkPeople(next, "changes.");
    const { set, remove } = splitChanges(changes);
    const slots = slotChanges(cur, next);
    try {
      const res = await writeVersioned(
        {
          entity: AppointmentEntity,
          key: { appointmentID },
          expectedVersion: version,
          set: { ...set, ...configured.set },
          remove: [...remove, ...configured.remove],
          audit: {
            recordID: appointmentID,
            recordType: "appointment",
            action: changes.status === "cancelled" ? "cancel" : "update",
            operationID: cur.operationID,
            officeID: cur.officeID,
            restricted: cur.restricted,
            changes: { ...Audit.diff(cur, next, Object.keys(changes)), ...configured.changes },
          },
          with: slots.items as TxItem[],
          view: asRead(() => get(appointmentID)),
        },
        () => load(appointmentID),
      );
      return ConfiguredOn.view("appointment", { ...next, ...res });
    } catch (err) {
      if (err instanceof ConflictError && err.code === "conflict.constraint") throw await slotConflict(next);
      throw err;
    }
  });

  export async function bulkPatch(rows: { id: string; version: number; changes: unknown }[]) {
    return bulk(rows, async (row, i): Promise<BulkRowResult> => {
      try {
        const a = await patch({
          appointmentID: row.id,
          version: row.version,
          changes: row.changes as z.input<typeof AppointmentChanges>,
        });
        return { id: row.id, status: "saved", version: a.version, record: a };
      } catch (err) {
        prefixIssues(err, `rows.${i}.`);
        throw err;
      }
    });
  }

  export const cancel = (appointmentID: string, version: number) =>
    patch({ appointmentID, version, changes: { status: "cancelled" } });

  export function prefixIssues(err: unknown, prefix: string) {
    const issues = (err as { issues?: { path: string }[] }).issues;
    if (Array.isArray(issues)) for (const i of issues) i.path = `${prefix}${i.path}`;
  }
}
