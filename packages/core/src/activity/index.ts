import {
  ActivityChanges,
  ActivityCreate,
  ActivityListQuery,
  TrainingKinds,
  type ActivityInfo,
} from "@waypoint/schema/community";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { batchGet } from "../common/batch-get.ts";
import { Cursor } from "../common/cursor.ts";
import { nowIso, transactWriteOrConflict } from "../common/db.ts";
import { NotFoundError, RuleError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { asRead, writeVersioned } from "../common/record.ts";
import { listPartition, splitChanges } from "../common/scope.ts";
import { IndividualEntity } from "../individual/individual.entity.ts";
import { RegistrationNumber } from "../individual/number.ts";
import { Areas } from "../operation/areas.ts";
import { MemberEntity } from "../user/member.entity.ts";
import { AttendanceEntity, ActivityEntity } from "./activity.entity.ts";
import { changeAttendance as change } from "./attendance.ts";
import { AUDITED, checkCounts, checkFindings, checkStaff, load, target, type Stored } from "./shared.ts";

/**
 * Group activities: information and awareness sessions, trainings (staff and partners on the SOPs) and
 * participatory assessments, with who attended (registered people, staff trained) or how many (by sex and age).
 */
export namespace Activity {
  export type Info = ActivityInfo;

  export const create = fn(ActivityCreate, async (input): Promise<Info> => {
    const operationID = Actor.operationID();
    await RegistrationNumber.office(operationID, input.officeID);
    Actor.assert("activity.record", { operationID, officeID: input.officeID });
    checkCounts(input.counts);
    checkFindings(input.kind, input.findings);
    await checkStaff(input.facilitatorIDs, "facilitatorIDs");
    await Areas.check(operationID, input);
    const now = nowIso();
    const item = {
      ...input,
      activityID: Identifier.create("activity"),
      operationID,
      attendeeCount: 0,
      staffCount: 0,
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    await transactWriteOrConflict([
      { put: ActivityEntity.create(item).params() },
      Audit.txItem({
        recordID: item.activityID,
        recordType: "activity",
        action: "create",
        operationID,
        officeID: input.officeID,
        changes: Audit.diff({}, item, AUDITED),
      }),
    ]);
    return item as Info;
  });

  export async function get(activityID: string): Promise<Info> {
    const a = await load(activityID);
    Actor.assert("activity.read", target(a));
    return a;
  }

  export const update = fn(
    z.object({ activityID: z.string().max(40), version: z.number().int().min(1), changes: ActivityChanges }),
    async ({ activityID, version, changes }): Promise<Info> => {
      const cur = await load(activityID, true);
      Actor.assert("activity.record", target(cur));
      const next = { ...cur, ...changes } as Stored;
      checkCounts(changes.counts);
      checkFindings(next.kind, next.findings);
      if (changes.facilitatorIDs) await checkStaff(changes.facilitatorIDs, "facilitatorIDs");
      if (changes.adm1 !== undefined || changes.adm2 !== undefined)
        await Areas.check(cur.operationID, { adm1: next.adm1, adm2: next.adm2 });
      if (changes.kind && !TrainingKinds.includes(changes.kind) && cur.staffCount > 0)
        throw new RuleError("activity.staffTrained", "Staff were trained in this activity: it stays a training");
      const { set, remove } = splitChanges(changes);
      const res = await writeVersioned(
        {
          entity: ActivityEntity,
          key: { activityID },
          expectedVersion: version,
          set,
          remove,
          audit: {
            recordID: activityID,
            recordType: "activity",
            action: "update",
            operationID: cur.operationID,
            officeID: cur.officeID,
            changes: Audit.diff(cur, { ...cur, ...set, ...Object.fromEntries(remove.map((r) => [r, undefined])) }, AUDITED),
          },
          view: asRead(() => get(activityID)),
        },
        async () => (await ActivityEntity.get({ activityID }).go({ consistent: true })).data,
      );
      const out = { ...cur, ...set, ...res } as Record<string, unknown>;
      for (const r of remove) delete out[r];
      return out as Info;
    },
  );

  export const list = fn(ActivityListQuery, async (q) => {
    const operationID = Actor.operationID();
    if (q.individualID || q.staffID) return attended(q.individualID ?? q.staffID!, q.kind);
    const part = listPartition("activity.read", q.officeID);
    if (part.kind === "own") throw new RuleError("activity.scope", "Choose an office");
    const scope = `activities:${operationID}:${part.kind === "office" ? part.officeID : ""}:${q.from ?? ""}`;
    const query =
      part.kind === "office"
        ? ActivityEntity.query.byOffice({ officeID: part.officeID })
        : ActivityEntity.query.byOperation({ operationID });
    const ranged = q.from ? query.gte({ start: q.from }) : query;
    const res = await ranged.go({ limit: q.limit, cursor: Cursor.verify(q.cursor, scope), order: "desc" });
    const items = (res.data as Stored[]).filter(
      (a) => !a.deleted && a.operationID === operationID && (!q.kind || a.kind === q.kind),
    );
    return { items: items as Info[], nextCursor: Cursor.sign(res.cursor, scope) };
  });

  /**
   * The activities one registered person attended (their page's "sessions attended"), or a staff member's
   * trainings and the sessions they facilitated (their training record); each activity as it is now.
   */
  async function attended(attendeeID: string, kind?: string): Promise<{ items: Info[]; nextCursor: null }> {
    const operationID = Actor.operationID();
    if (attendeeID.startsWith("ind_")) {
      const person = (await IndividualEntity.get({ individualID: attendeeID }).go()).data;
      if (!person || person.operationID !== operationID) throw new NotFoundError("individual", attendeeID);
      Actor.assert("individual.read", { operationID, officeID: person.officeID, createdBy: person.createdBy });
    }
    Actor.assert("activity.read");
    const rows = (await AttendanceEntity.query.byAttendee({ attendeeID }).go({ pages: "all" })).data.filter(
      (r) => r.operationID === operationID,
    );
    const acts = await batchGet<Stored>(
      ActivityEntity,
      [...new Set(rows.map((r) => r.activityID))].map((activityID) => ({ activityID })),
    );
    const items = acts
      .filter((a) => !a.deleted && Actor.can("activity.read", target(a)) && (!kind || a.kind === kind))
      .sort((a, b) => b.start.localeCompare(a.start));
    return { items, nextCursor: null };
  }

  /** Who attended, as stored: registered people and staff (names are the screen's to look up). */
  export async function attendees(activityID: string) {
    const a = await get(activityID);
    const rows = (await AttendanceEntity.query.primary({ activityID: a.activityID }).go({ pages: "all" })).data;
    return { items: rows.map((r) => ({ attendeeID: r.attendeeID, kind: r.kind, timeCreated: r.timeCreated })) };
  }

  /** The operation's staff by name, for choosing facilitators and trainees. */
  export async function staff() {
    Actor.assert("user.read");
    const rows = (
      await MemberEntity.query.primary({ operationID: Actor.operationID() }).go({ pages: "all" })
    ).data as { userID: string; name: string; role: string; disabled?: boolean }[];
    return {
      items: rows
        .filter((m) => !m.disabled)
        .map((m) => ({ userID: m.userID, name: m.name, role: m.role }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    };
  }

  export const changeAttendance = change;
}
