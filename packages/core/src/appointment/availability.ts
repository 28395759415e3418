import {
  AvailabilityQuery,
  InterpreterQuery,
  MAX_APPOINTMENT_MINUTES,
  SLOT_MINUTES,
  type AppointmentConflict,
  type Availability,
  type InterpreterOption,
} from "@waypoint/schema/appointments";
import { Actor } from "../actor.ts";
import { ForbiddenError, InvalidError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Refs } from "../common/refs.ts";
import { Operation } from "../operation/index.ts";
import { MemberEntity } from "../user/member.entity.ts";
import { AppointmentEntity } from "./appointment.entity.ts";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** How far ahead free slots are looked for. */
const SEARCH_DAYS = 14;
/** Hours after the proposed end read with the proposed slot itself. */
const FIRST_WINDOW_HOURS = 12;

interface Busy {
  appointmentID: string;
  start: string;
  end: string;
  room: string;
  participants?: string[];
  interpreterID?: string;
  status: string;
}

const ATTRS = ["appointmentID", "start", "end", "room", "participants", "interpreterID", "status"] as const;

/** Local weekday (0 = Sunday), date and minutes of the day of an instant in a time zone. */
function localClock(tz: string) {
  let f: Intl.DateTimeFormat;
  try {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      weekday: "short",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    });
  } catch {
    throw InvalidError.field("tz", "invalid.timezone", "Unknown time zone");
  }
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  return (t: number) => {
    const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
    return {
      weekday: days.indexOf(p.weekday!),
      date: `${p.year}-${p.month}-${p.day}`,
      minutes: Number(p.hour) * 60 + Number(p.minute),
    };
  };
}

/**
 * Before saving a booking: what it would conflict with (the room, the interpreter, a person already booked at that
 * time) and the next free slots of the same length in office hours. The booking itself still claims its slots in
 * its transaction (`slots.ts`); this is the answer a person needs to choose another time before they save.
 */
export namespace AppointmentAvailability {
  export const check = fn(AvailabilityQuery, async (q): Promise<Availability> => {
    const operationID = Actor.operationID();
    // Whoever may book in this office may ask; the answer names no booking, only that a slot is taken.
    Actor.assert("appointment.create", { operationID, officeID: q.officeID });
    await Refs.office(q.officeID);
    const clock = localClock(q.tz ?? (await Operation.timeZone(operationID)));
    const room = q.room.trim().toLowerCase();
    const people = new Set(q.participants);
    const length = Date.parse(q.end) - Date.parse(q.start);

    // What matters to this booking, loaded a day at a time from its start on (and as long before as a booking lasts).
    const busy: { kind: AppointmentConflict["kind"]; s: number; e: number; start: string; end: string }[] =
      [];
    const from = Date.parse(q.start) - MAX_APPOINTMENT_MINUTES * MINUTE;
    let loadedUntil = from;
    const keep = (a: Busy, kinds: AppointmentConflict["kind"][]) => {
      if (a.status !== "booked" || a.appointmentID === q.appointmentID) return;
      for (const kind of kinds)
        busy.push({ kind, s: Date.parse(a.start), e: Date.parse(a.end), start: a.start, end: a.end });
    };
    const load = async (until: number) => {
      const lo = new Date(loadedUntil).toISOString();
      const hi = new Date(until).toISOString();
      const [office, interp] = await Promise.all([
        AppointmentEntity.query
          .byOfficeDay({ officeID: q.officeID })
          .between({ start: lo }, { start: hi })
          .where((a, { eq }) => `${eq(a.operationID, operationID)} AND ${eq(a.status, "booked")}`)
          .go({ pages: "all", attributes: [...ATTRS] }),
        q.interpreterID
          ? AppointmentEntity.query
              .byInterpreter({ interpreterID: q.interpreterID })
              .between({ start: lo }, { start: hi })
              .where((a, { eq }) => eq(a.status, "booked"))
              .go({ pages: "all", attributes: [...ATTRS] })
          : Promise.resolve({ data: [] as Busy[] }),
      ]);
      for (const a of office.data as Busy[]) {
        const kinds: AppointmentConflict["kind"][] = [];
        if (a.room.trim().toLowerCase() === room) kinds.push("room");
        if ((a.participants ?? []).some((p) => people.has(p))) kinds.push("person");
        keep(a, kinds);
      }
      // the interpreter's bookings in every office (their slots are theirs wherever they work)
      for (const a of interp.data as Busy[]) keep(a, ["interpreter"]);
      // a range's upper bound is inclusive: start the next range just after it
      loadedUntil = until + 1;
    };
    const clashes = (s: number, e: number) => busy.filter((b) => b.s < e && b.e > s);

    // one read answers the slot and, usually, the free times after it: the rest of its day (and the night after)
    await Promise.all([
      q.interpreterID ? Refs.staff(q.interpreterID, "interpreterID") : undefined,
      load(Date.parse(q.end) + FIRST_WINDOW_HOURS * 3_600_000),
    ]);
    const seen = new Set<string>();
    const conflicts = clashes(Date.parse(q.start), Date.parse(q.end))
      .filter((b) => !seen.has(`${b.kind}|${b.start}`) && seen.add(`${b.kind}|${b.start}`))
      .map(({ kind, start, end }) => ({ kind, start, end }))
      .sort((a, b) => a.start.localeCompare(b.start) || a.kind.localeCompare(b.kind));

    const inHours = (s: number, e: number) => {
      const a = clock(s);
      const b = clock(e - 1);
      return (
        a.weekday >= 1 &&
        a.weekday <= 5 &&
        a.date === b.date &&
        a.minutes >= q.opens * 60 &&
        b.minutes < q.closes * 60
      );
    };
    const next: { start: string; end: string }[] = [];
    const stop = Date.parse(q.start) + SEARCH_DAYS * DAY;
    for (
      let s = Date.parse(q.start) + SLOT_MINUTES * MINUTE;
      next.length < q.count && s < stop;
      s += SLOT_MINUTES * MINUTE
    ) {
      const e = s + length;
      if (!inHours(s, e)) continue;
      if (e > loadedUntil) await load(Math.min(s + DAY, stop + length));
      if (clashes(s, e).length === 0)
        next.push({ start: new Date(s).toISOString(), end: new Date(e).toISOString() });
    }
    return { free: conflicts.length === 0, conflicts, next };
  });

  /** Interpreters of the operation (working in the office, in any of the languages asked), for booking. */
  export const interpreters = fn(InterpreterQuery, async (q): Promise<{ items: InterpreterOption[] }> => {
    const operationID = Actor.operationID();
    if (!Actor.listScope("appointment.create")) throw new ForbiddenError("appointment.create");
    if (q.officeID) Actor.assert("appointment.create", { operationID, officeID: q.officeID });
    const wanted = new Set(
      (q.languages ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    );
    const res = await MemberEntity.query.primary({ operationID }).go({ pages: "all" });
    const items = res.data
      .filter((m) => m.role === "interpreter")
      .filter((m) => !q.officeID || (m.officeIDs ?? []).length === 0 || m.officeIDs!.includes(q.officeID))
      .filter((m) => wanted.size === 0 || (m.languages ?? []).some((l) => wanted.has(l)))
      .map((m) => ({ userID: m.userID, name: m.name, languages: m.languages ?? [] }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { items };
  });
}
