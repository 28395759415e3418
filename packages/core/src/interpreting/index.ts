import { InterpreterAgendaQuery, type InterpreterInterview } from "@waypoint/schema/work";
import { Actor } from "../actor.ts";
import { Appointment } from "../appointment/index.ts";
import { AppointmentEntity } from "../appointment/appointment.entity.ts";
import { batchGet } from "../common/batch-get.ts";
import { fn } from "../common/fn.ts";
import { visible } from "../common/scope.ts";
import { IndividualEntity } from "../individual/individual.entity.ts";
import { Operation } from "../operation/index.ts";
import { dayStart, nextDay, today } from "../common/zone.ts";

/**
 * An interpreter's view of their work: the interviews they are booked for, with the people's names and languages,
 * the language they interpret, the time and the place. Nothing else: no case, notes, staff or other fields of the
 * appointment or the person (the interpreter role has no read of appointments or the registry; this is its view).
 */
export namespace Interpreting {
  export type Interview = InterpreterInterview;
  export const AgendaQuery = InterpreterAgendaQuery;

  /** The current interpreter's booked interviews from `from` for `days` days, earliest first. */
  export const agenda = fn(AgendaQuery, async (q): Promise<{ items: Interview[] }> => {
    Actor.assert("appointment.interpret");
    const me = Actor.user();
    const operationID = Actor.operationID();
    // days of the operation's time zone: today there, from its local midnight
    const zone = await Operation.timeZone(operationID);
    const from = q.from ?? today(zone);
    const to = new Date(Date.parse(dayStart(nextDay(from, q.days), zone)) - 1).toISOString();
    const res = await AppointmentEntity.query
      .byInterpreter({ interpreterID: me.userID })
      .between({ start: dayStart(from, zone) }, { start: to })
      .where((a, { eq }) => `${eq(a.operationID, operationID)} AND ${eq(a.status, "booked")}`)
      .go({ pages: "all" });
    const mine = await visible(
      "appointment",
      "appointment.interpret",
      res.data as Appointment.Info[],
      (a) => a.appointmentID,
      Appointment.target,
    );
    const personIDs = [...new Set(mine.flatMap((a) => a.participants ?? []))];
    const people = await batchGet<{
      individualID: string;
      operationID: string;
      givenName?: string;
      familyName?: string;
      languages?: string[];
      deleted?: boolean;
    }>(
      IndividualEntity,
      personIDs.map((individualID) => ({ individualID })),
      { attributes: ["individualID", "operationID", "givenName", "familyName", "languages", "deleted"] },
    );
    const person = new Map(
      people
        .filter((p) => p.operationID === operationID && !p.deleted)
        .map((p) => [
          p.individualID,
          { name: `${p.givenName} ${p.familyName}`.trim(), languages: p.languages ?? [] },
        ]),
    );
    const officeIDs = [...new Set(mine.map((a) => a.officeID))];
    const offices = new Map(
      await Promise.all(
        officeIDs.map(
          async (id) => [id, (await Operation.office(id).catch(() => undefined))?.name ?? ""] as const,
        ),
      ),
    );
    const items = mine
      .map((a) => ({
        appointmentID: a.appointmentID,
        start: a.start,
        end: a.end,
        ...(a.interpreterLanguage ? { language: a.interpreterLanguage } : {}),
        place: { office: offices.get(a.officeID) ?? "", room: a.room },
        people: (a.participants ?? []).flatMap((id) => (person.has(id) ? [person.get(id)!] : [])),
      }))
      .sort((a, b) => a.start.localeCompare(b.start));
    return { items };
  });
}
