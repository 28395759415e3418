import { useEffect, useMemo, useState } from "react";
import {
  AppointmentKindLabels,
  codeLabel,
  type AppointmentInfo,
  type InterpreterOption,
} from "@waypoint/schema";
import { ApiError, api } from "../api/client.ts";
import { Modal } from "../components/Modal.tsx";
import { recordName, useMe, useOffices, useRecords } from "../components/lookups.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { Locales } from "../i18n/messages.ts";
import { navigate } from "../nav.ts";
import { BookingForm } from "./BookingForm.tsx";
import { bookingText, type BookingTextKey } from "./bookingText.ts";
import "./booking.css";
import { operationZone, todayHere, wallTime } from "../i18n/zone.ts";

const HOURS = Array.from({ length: 12 }, (_, i) => 7 + i); // 07:00–18:59, and anything earlier/later at the ends
const DAY = 86_400_000;

const startOfDay = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate());
/** A calendar day carried by a Date's own fields, as `YYYY-MM-DD`. */
const ymd = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
/** The operation's today, as a Date whose own fields are that day. */
const todayDate = () => {
  const [y, m, d] = todayHere().split("-").map(Number);
  return new Date(y!, m! - 1, d!);
};
/** Monday of a date's week (local). */
const monday = (d: Date) => {
  const s = startOfDay(d);
  return new Date(s.getFullYear(), s.getMonth(), s.getDate() - ((s.getDay() + 6) % 7));
};

/**
 * A day or week of bookings, per office or per interpreter: a table of hours (rows) by day (columns), each cell
 * listing the bookings that start in it with the people's names, the kind, the room and the interpreter. Days and
 * times are the operation's (its time zone, whatever the browser's), and the page says which zone.
 */
export function CalendarPage(props: { officeID: string | null }) {
  const i18n = useI18n();
  const { lang } = i18n;
  const bt = (k: BookingTextKey, v?: Record<string, string | number>) => bookingText(lang, k, v);
  const { me, may } = useMe();
  const offices = useOffices();
  const [mode, setMode] = useState<"office" | "interpreter">("office");
  const [view, setView] = useState<"day" | "week">("week");
  const [anchor, setAnchor] = useState(todayDate);
  const [office, setOffice] = useState<string>(props.officeID ?? me?.officeIDs[0] ?? "");
  const [interpreter, setInterpreter] = useState("");
  const [interpreters, setInterpreters] = useState<InterpreterOption[]>([]);
  const [items, setItems] = useState<AppointmentInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [booking, setBooking] = useState(false);
  const [reloads, setReloads] = useState(0);
  const officeID = office || [...offices.keys()][0] || "";

  useEffect(() => {
    if (!officeID || !may("appointment.create")) return;
    api<{ items: InterpreterOption[] }>(
      "GET",
      `/api/appointments/interpreters?officeID=${encodeURIComponent(officeID)}`,
    )
      .then((r) => setInterpreters(r.items))
      .catch(() => setInterpreters([]));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- may() reads the session
  }, [officeID]);

  const days = useMemo(() => {
    const first = view === "week" ? monday(anchor) : anchor;
    return Array.from(
      { length: view === "week" ? 7 : 1 },
      (_, i) => new Date(first.getFullYear(), first.getMonth(), first.getDate() + i),
    );
  }, [anchor, view]);

  useEffect(() => {
    const who = mode === "office" ? officeID : interpreter;
    if (!who) return setItems([]);
    // the API's days are the operation's (its time zone): one read per day shown
    const utcDays = days.map(ymd);
    const filter =
      mode === "office" ? `officeID=${encodeURIComponent(who)}` : `interpreterID=${encodeURIComponent(who)}`;
    let live = true;
    setError(null);
    Promise.all(
      utcDays.map((d) =>
        api<{ items: AppointmentInfo[] }>("GET", `/api/appointments?${filter}&day=${d}&limit=1000`).then(
          (r) => r.items,
        ),
      ),
    )
      .then((pages) => {
        if (!live) return;
        const seen = new Map<string, AppointmentInfo>();
        for (const a of pages.flat()) {
          if (utcDays.includes(wallTime(a.start).date) && a.status !== "cancelled") seen.set(a.appointmentID, a);
        }
        setItems([...seen.values()].sort((a, b) => a.start.localeCompare(b.start)));
      })
      .catch((e) => live && setError(e instanceof ApiError ? e.message : String(e)));
    return () => void (live = false);
  }, [mode, officeID, interpreter, days, reloads]);

  const people = useRecords("individuals", [...new Set((items ?? []).flatMap((a) => a.participants))]);
  const interpreterName = new Map(interpreters.map((i) => [i.userID, i.name]));
  const dayHead = new Intl.DateTimeFormat(Locales[lang], { weekday: "long", day: "numeric", month: "short" });
  // times in the operation's time zone, whatever the browser's
  const zone = operationZone();
  const time = new Intl.DateTimeFormat(Locales[lang], {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: zone,
  });
  const hours = new Intl.DateTimeFormat(Locales[lang], { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const hourOf = (a: AppointmentInfo) =>
    Math.min(Math.max(Math.floor(wallTime(a.start).minutes / 60), HOURS[0]!), HOURS.at(-1)!);
  const cell = (d: Date, h: number) =>
    (items ?? []).filter((a) => wallTime(a.start).date === ymd(d) && hourOf(a) === h);
  const move = (n: number) =>
    setAnchor((a) => new Date(a.getFullYear(), a.getMonth(), a.getDate() + n * (view === "week" ? 7 : 1)));

  return (
    <section className="page work calendar" aria-labelledby="page-title">
      <h1 id="page-title">{bt("calendar.title")}</h1>
      <p className="muted">{bt("calendar.zone", { zone })}</p>
      <div className="controls">
        <label>
          <span id="cal-mode">{bt("calendar.of")}</span>
          <select
            aria-labelledby="cal-mode"
            value={mode}
            onChange={(e) => setMode(e.target.value as "office" | "interpreter")}
          >
            <option value="office">{bt("calendar.office")}</option>
            {/* interpreters are listed for those who book (appointment.create); others see offices only */}
            {(interpreters.length > 0 || mode === "interpreter") && (
              <option value="interpreter">{bt("calendar.interpreter")}</option>
            )}
          </select>
        </label>
        <label>
          <span id="cal-office">{bt("calendar.office")}</span>
          <select aria-labelledby="cal-office" value={officeID} onChange={(e) => setOffice(e.target.value)}>
            {[...offices].map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </label>
        {mode === "interpreter" && (
          <label>
            <span id="cal-interpreter">{bt("calendar.interpreter")}</span>
            <select
              aria-labelledby="cal-interpreter"
              value={interpreter}
              onChange={(e) => setInterpreter(e.target.value)}
            >
              <option value="">{bt("calendar.allInterpreters")}</option>
              {interpreters.map((i) => (
                <option key={i.userID} value={i.userID}>
                  {i.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <div role="group" aria-label={bt("calendar.view")}>
          <button type="button" aria-pressed={view === "day"} onClick={() => setView("day")}>
            {bt("calendar.day")}
          </button>
          <button type="button" aria-pressed={view === "week"} onClick={() => setView("week")}>
            {bt("calendar.week")}
          </button>
        </div>
        <label>
          <span id="cal-go">{bt("calendar.goTo")}</span>
          <input
            type="date"
            aria-labelledby="cal-go"
            value={ymd(anchor)}
            onChange={(e) => {
              const [y, m, d] = e.target.value.split("-").map(Number);
              if (y && m && d) setAnchor(new Date(y, m - 1, d));
            }}
          />
        </label>
        <div>
          <button type="button" onClick={() => move(-1)}>
            {bt("calendar.previous")}
          </button>
          <button type="button" onClick={() => setAnchor(todayDate())}>
            {bt("calendar.today")}
          </button>
          <button type="button" onClick={() => move(1)}>
            {bt("calendar.next")}
          </button>
        </div>
        {may("appointment.create") && officeID && (
          <button aria-haspopup="dialog" type="button" className="primary" onClick={() => setBooking(true)}>
            {bt("calendar.book")}
          </button>
        )}
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {items && items.length === 0 && <p className="muted">{bt("calendar.empty")}</p>}
      <table className="calendar-grid">
        <thead>
          <tr>
            <th scope="col">{bt("calendar.time")}</th>
            {days.map((d) => (
              <th scope="col" key={d.getTime()}>
                {view === "week" ? (
                  // a day of the week opens as a day
                  <button
                    type="button"
                    className="link"
                    title={bt("calendar.openDay")}
                    onClick={() => {
                      setAnchor(d);
                      setView("day");
                    }}
                  >
                    {dayHead.format(d)}
                  </button>
                ) : (
                  dayHead.format(d)
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {HOURS.map((h) => (
            <tr key={h}>
              <th scope="row">{hours.format(new Date(2000, 0, 1, h))}</th>
              {days.map((d) => {
                const here = cell(d, h);
                return (
                  <td key={d.getTime()} className={here.length ? "slot-busy" : undefined}>
                    {here.map((a) => (
                      <a
                        key={a.appointmentID}
                        className="booking"
                        href={`/appointments/${a.appointmentID}`}
                        onClick={(e) => {
                          e.preventDefault();
                          navigate(`/appointments/${a.appointmentID}`);
                        }}
                      >
                        {/* a time range reads left to right in every language (RTL pages included) */}
                        <strong>
                          <bdi dir="ltr">
                            {time.format(new Date(a.start))}–{time.format(new Date(a.end))}
                          </bdi>
                        </strong>{" "}
                        {a.participants
                          .map((p) => recordName("individuals", people.get(p)) ?? "…")
                          .join(", ")}
                        {" · "}
                        {codeLabel(AppointmentKindLabels, a.kind, lang)}
                        {" · "}
                        {a.room}
                        {a.interpreterID && interpreterName.has(a.interpreterID)
                          ? ` · ${interpreterName.get(a.interpreterID)}`
                          : ""}
                      </a>
                    ))}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {booking && (
        <Modal title={bt("booking.title")} onClose={() => setBooking(false)} wide>
          <BookingForm
            officeID={officeID}
            start={new Date(days[0]!.getFullYear(), days[0]!.getMonth(), days[0]!.getDate(), 9)}
            onCancel={() => setBooking(false)}
            onDone={() => {
              setBooking(false);
              setReloads((n) => n + 1);
            }}
          />
        </Modal>
      )}
    </section>
  );
}
