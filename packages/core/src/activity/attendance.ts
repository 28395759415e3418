import { AttendanceChange, TrainingKinds } from "@waypoint/schema/community";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { batchGet } from "../common/batch-get.ts";
import { nowIso, type TxItem } from "../common/db.ts";
import { InvalidError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { asRead, writeVersioned } from "../common/record.ts";
import { IndividualEntity } from "../individual/individual.entity.ts";
import { RegistrationNumber } from "../individual/number.ts";
import { ActivityEntity, AttendanceEntity } from "./activity.entity.ts";
import { CHUNK, checkStaff, load, target, type Stored } from "./shared.ts";

/**
 * Who attended an activity: registered people added by ID (picked by name) or by registration number (a pasted
 * list, unknown numbers reported back), staff trained (trainings only), people taken off; one versioned step per
 * chunk of rows, each with its audit event, so a stale screen is refused before anything is written.
 */
export const changeAttendance = fn(
  AttendanceChange.extend({ activityID: z.string().max(40) }),
  async (input) => {
    const cur = await load(input.activityID, true);
    Actor.assert("activity.record", target(cur));
    const operationID = cur.operationID;
    if (input.addStaff.length && !TrainingKinds.includes(cur.kind))
      throw InvalidError.field("addStaff", "invalid.notTraining", "Staff are recorded as trained in trainings only");
    await checkStaff(input.addStaff, "addStaff");
    // registration numbers of a pasted list: every unknown one is reported, none is guessed
    const unknown: string[] = [];
    const byNumber = new Map<string, string>();
    for (const n of [...new Set(input.addNumbers)]) {
      const id = await RegistrationNumber.owner(operationID, n);
      if (id) byNumber.set(id, n);
      else unknown.push(n);
    }
    const people = [...new Set([...input.add, ...byNumber.keys()])];
    const found = await batchGet<{ individualID: string; operationID: string; officeID: string; createdBy?: string; deleted?: boolean }>(
      IndividualEntity,
      people.map((individualID) => ({ individualID })),
      { attributes: ["individualID", "operationID", "officeID", "createdBy", "deleted"] },
    );
    const readable = new Map(
      found
        .filter((p) => p.operationID === operationID && !p.deleted && Actor.can("individual.read", p))
        .map((p) => [p.individualID, p]),
    );
    const missing = input.add.findIndex((id) => !readable.has(id));
    if (missing >= 0) throw InvalidError.field(`add.${missing}`, "invalid.individual", "No such registered person");
    for (const [id, n] of byNumber) if (!readable.has(id)) unknown.push(n);
    const existing = new Set(
      (await AttendanceEntity.query.primary({ activityID: cur.activityID }).go({ pages: "all" })).data.map(
        (r) => r.attendeeID,
      ),
    );
    const now = nowIso();
    const row = (attendeeID: string, kind: "individual" | "staff"): TxItem => ({
      put: AttendanceEntity.create({
        activityID: cur.activityID,
        attendeeID,
        kind,
        operationID,
        officeID: cur.officeID,
        start: cur.start,
        createdBy: Actor.id(),
        timeCreated: now,
      }).params(),
    });
    const adds = [
      ...[...readable.keys()].filter((id) => !existing.has(id)).map((id) => ({ id, kind: "individual" as const })),
      ...[...new Set(input.addStaff)].filter((id) => !existing.has(id)).map((id) => ({ id, kind: "staff" as const })),
    ];
    const removes = [...new Set(input.remove)].filter((id) => existing.has(id));
    const ops: { item: TxItem; kind: "individual" | "staff"; by: 1 | -1; id: string }[] = [
      ...adds.map((a) => ({ item: row(a.id, a.kind), kind: a.kind, by: 1 as const, id: a.id })),
      ...removes.map((id) => ({
        item: { delete: AttendanceEntity.delete({ activityID: cur.activityID, attendeeID: id }).params() },
        kind: id.startsWith("usr_") ? ("staff" as const) : ("individual" as const),
        by: -1 as const,
        id,
      })),
    ];
    let version = input.version;
    let counts = { attendeeCount: cur.attendeeCount, staffCount: cur.staffCount };
    // one versioned step per chunk: a stale screen is refused before anything is written
    for (let i = 0; i === 0 || i < ops.length; i += CHUNK) {
      const chunk = ops.slice(i, i + CHUNK);
      const next = {
        attendeeCount: counts.attendeeCount + chunk.filter((o) => o.kind === "individual").reduce((s, o) => s + o.by, 0),
        staffCount: counts.staffCount + chunk.filter((o) => o.kind === "staff").reduce((s, o) => s + o.by, 0),
      };
      const res = await writeVersioned(
        {
          entity: ActivityEntity,
          key: { activityID: cur.activityID },
          expectedVersion: version,
          set: next,
          audit: {
            recordID: cur.activityID,
            recordType: "activity",
            action: "attendance",
            operationID,
            officeID: cur.officeID,
            changes: {
              added: { after: chunk.filter((o) => o.by === 1).map((o) => o.id) },
              removed: { after: chunk.filter((o) => o.by === -1).map((o) => o.id) },
            },
          },
          with: chunk.map((o) => o.item),
          view: asRead(() => readActivity(cur.activityID)),
        },
        async () => (await ActivityEntity.get({ activityID: cur.activityID }).go({ consistent: true })).data,
      );
      version = res.version;
      counts = next;
      if (ops.length === 0) break;
    }
    return {
      activity: { ...cur, ...counts, version } as Stored,
      added: adds.length,
      removed: removes.length,
      unknown,
    };
  },
);

async function readActivity(activityID: string) {
  const a = await load(activityID);
  Actor.assert("activity.read", target(a));
  return a;
}
