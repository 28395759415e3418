import {
  MissionChanges,
  MissionCreate,
  MissionInterviewInput,
  MissionListQuery,
  type MissionInfo,
  type MissionInterview,
} from "@waypoint/schema/resettlement";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Appointment } from "../appointment/index.ts";
import { Audit } from "../audit/index.ts";
import { loadCase } from "../case/store.ts";
import { nowIso, transactWriteOrConflict } from "../common/db.ts";
import { InvalidError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { asRead, writeVersioned } from "../common/record.ts";
import { Refs } from "../common/refs.ts";
import { authorisedRead, listPartition, splitChanges, visible } from "../common/scope.ts";
import { localDate } from "../common/zone.ts";
import { Operation } from "../operation/index.ts";
import { Resettlement } from "./index.ts";
import { people } from "./integrity.ts";
import { MissionEntity } from "./mission.entity.ts";

type Info = MissionInfo & { deleted?: boolean };

/**
 * Selection missions of resettlement countries. A mission belongs to the office that hosts it; its cases are
 * submissions to the mission's country that the organiser may read. The interview schedule is not copied onto
 * the mission: it is the selection-mission appointments of those submissions within the mission's dates.
 */
export namespace Missions {
  export const target = (m: Info): Actor.Target => ({
    operationID: m.operationID,
    officeID: m.officeID,
    createdBy: m.createdBy,
  });

  const load = async (missionID: string) =>
    ((await MissionEntity.get({ missionID }).go({ consistent: true })).data ?? undefined) as Info | undefined;

  export async function get(missionID: string): Promise<Info> {
    return authorisedRead("mission", missionID, "programme.read", await load(missionID), target);
  }

  function checkDates(startDate: string, endDate: string, prefix = "") {
    if (endDate < startDate)
      throw InvalidError.field(
        `${prefix}endDate`,
        "invalid.beforeStart",
        "The mission ends before it starts",
      );
  }

  /** Every submission is one the organiser may read, to the mission's country, in this operation. */
  async function checkSubmissions(ids: string[], country: string, prefix = "") {
    const seen = new Set<string>();
    for (const [i, id] of ids.entries()) {
      const path = `${prefix}submissionIDs.${i}`;
      if (seen.has(id)) throw InvalidError.field(path, "invalid.duplicate", "This case is listed twice");
      seen.add(id);
      const s = await Resettlement.get(id).catch(() => undefined);
      if (!s) throw InvalidError.field(path, "invalid.submission", "No such submission");
      if (s.country !== country)
        throw InvalidError.field(path, "invalid.country", "The submission goes to another country");
    }
  }

  export const create = fn(MissionCreate, async (input): Promise<Info> => {
    const operationID = Actor.operationID();
    const own = Actor.use();
    const officeID =
      input.officeID ?? (own.type === "user" && own.officeIDs.length === 1 ? own.officeIDs[0] : undefined);
    if (!officeID) throw InvalidError.field("officeID", "invalid.required", "Choose the office hosting it");
    if (input.officeID) await Refs.office(input.officeID);
    Actor.assert("programme.update", { operationID, officeID });
    checkDates(input.startDate, input.endDate);
    await checkSubmissions(input.submissionIDs, input.country);
    const now = nowIso();
    const item: Info = {
      ...input,
      missionID: Identifier.create("mission"),
      operationID,
      officeID,
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    await transactWriteOrConflict([
      { put: MissionEntity.create(item as never).params() },
      Audit.txItem({
        recordID: item.missionID,
        recordType: "mission",
        action: "create",
        operationID,
        officeID,
      }),
    ]);
    return item;
  });

  export const list = fn(MissionListQuery, async (q) => {
    const part = listPartition("programme.read", q.officeID);
    const operationID = Actor.operationID();
    const res = await (
      part.kind === "office"
        ? MissionEntity.query.byOffice({ officeID: part.officeID })
        : MissionEntity.query.byOperation({ operationID })
    ).go({ pages: "all", order: "desc" });
    const rows = (res.data as Info[]).filter(
      (m) => m.operationID === operationID && (!q.country || m.country === q.country),
    );
    return { items: await visible("mission", "programme.read", rows, (m) => m.missionID, target) };
  });

  export const PatchInput = z.object({
    missionID: z.string(),
    version: z.number().int().min(1),
    changes: MissionChanges,
  });
  export const patch = fn(PatchInput, async ({ missionID, version, changes }) => {
    const cur = await get(missionID);
    Actor.assert("programme.update", target(cur));
    const startDate = changes.startDate ?? cur.startDate;
    checkDates(startDate, changes.endDate ?? cur.endDate, "changes.");
    if (changes.submissionIDs) await checkSubmissions(changes.submissionIDs, cur.country, "changes.");
    const { set, remove } = splitChanges(changes);
    const next = { ...cur, ...set } as Info;
    for (const k of remove) delete (next as Record<string, unknown>)[k];
    const res = await writeVersioned(
      {
        entity: MissionEntity,
        key: { missionID },
        expectedVersion: version,
        // index composites kept, so ElectroDB can rebuild the keys the start date moves
        set: { operationID: cur.operationID, officeID: cur.officeID, startDate, ...set },
        remove,
        audit: {
          recordID: missionID,
          recordType: "mission",
          action: "update",
          operationID: cur.operationID,
          officeID: cur.officeID,
          changes: Audit.diff(cur, next, Object.keys(set)),
        },
        view: asRead(() => get(missionID)),
      },
      () => load(missionID),
    );
    return { ...next, ...res } as Info;
  });

  /** Whether an interview starting at instant `start` falls on one of the mission's days (the operation's days). */
  const inMission = (m: Info, start: string, zone: string) => {
    const day = localDate(start, zone);
    return day >= m.startDate && day <= m.endDate;
  };

  /** The interview schedule: the mission's submissions' selection-mission appointments within its dates. */
  export async function schedule(missionID: string): Promise<{ items: MissionInterview[] }> {
    const m = await get(missionID);
    const zone = await Operation.timeZone(m.operationID);
    const out: MissionInterview[] = [];
    for (const submissionID of m.submissionIDs) {
      const s = await Resettlement.get(submissionID).catch(() => undefined);
      if (!s || !Actor.can("appointment.read", await Resettlement.targetOf(s))) continue;
      const [apts, c, ppl] = await Promise.all([
        Appointment.list({ caseID: s.caseID, limit: 1000 }),
        loadCase(s.caseID),
        people(s.individualIDs),
      ]);
      for (const a of apts.items)
        if (a.kind === "selection_mission" && inMission(m, a.start, zone))
          out.push({
            appointmentID: a.appointmentID,
            submissionID,
            caseID: s.caseID,
            caseNumber: c?.caseNumber,
            people: ppl.map((p) => ({
              individualID: p.individualID,
              name: [p.givenName, p.familyName].filter(Boolean).join(" "),
            })),
            start: a.start,
            end: a.end,
            room: a.room,
            interpreterLanguage: a.interpreterLanguage,
            status: a.status,
          });
    }
    return { items: out.sort((a, b) => a.start.localeCompare(b.start)) };
  }

  export const InterviewInput = MissionInterviewInput.extend({ missionID: z.string() });
  /** Books one interview of the mission for a submission on it, within the mission's dates. */
  export const bookInterview = fn(InterviewInput, async ({ missionID, submissionID, ...slot }) => {
    const m = await get(missionID);
    Actor.assert("programme.update", target(m));
    if (!m.submissionIDs.includes(submissionID))
      throw InvalidError.field("submissionID", "invalid.notOnMission", "This case is not on the mission");
    if (!inMission(m, slot.start, await Operation.timeZone(m.operationID)))
      throw InvalidError.field(
        "start",
        "invalid.outsideMission",
        "The interview is outside the mission's dates",
      );
    if (slot.end <= slot.start)
      throw InvalidError.field("end", "invalid.beforeStart", "The interview ends before it starts");
    return Resettlement.scheduleInterview({ submissionID, ...slot, staffIDs: [] });
  });

  /** The missions a submission is on (for its page). */
  export async function ofSubmission(s: { submissionID: string; operationID: string }) {
    const res = await MissionEntity.query.byOperation({ operationID: s.operationID }).go({ pages: "all" });
    return (res.data as Info[])
      .filter((m) => !m.deleted && m.submissionIDs.includes(s.submissionID))
      .map((m) => ({
        missionID: m.missionID,
        location: m.location,
        startDate: m.startDate,
        endDate: m.endDate,
      }));
  }
}
