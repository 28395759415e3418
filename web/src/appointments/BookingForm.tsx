import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  AppointmentCreate,
  AppointmentKindLabels,
  type Availability,
  type InterpreterOption,
} from "@waypoint/schema";
import { api } from "../api/client.ts";
import { partsToIso, type DateParts } from "../components/DateInput.tsx";
import type { FormField } from "../components/formFields.ts";
import { useRecords } from "../components/lookups.ts";
import { RecordForm } from "../components/RecordForm.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { Locales } from "../i18n/messages.ts";
import { bookingText, type BookingTextKey } from "./bookingText.ts";
import "./booking.css";
import { instantOf, operationZone, wallTime, zoneName } from "../i18n/zone.ts";

type Row = Record<string, unknown>;
const DURATIONS = [15, 30, 45, 60, 90, 120];

/** Start and end (ISO, UTC) of a day, a local time and a length in minutes, read in the operation's time zone. */
export function slotOf(
  day: unknown,
  time: unknown,
  minutes: unknown,
): { start: string; end: string } | undefined {
  const iso = typeof day === "string" ? day : partsToIso(day as DateParts | undefined);
  if (!iso || !/^\d{4}-\d{2}-\d{2}$/.test(iso) || typeof time !== "string" || !/^\d{2}:\d{2}$/.test(time))
    return undefined;
  if (Number.isNaN(Date.parse(`${iso}T${time}:00Z`))) return undefined;
  const at = new Date(instantOf(iso, time));
  if (Number.isNaN(at.getTime())) return undefined;
  return {
    start: at.toISOString(),
    end: new Date(at.getTime() + Number(minutes ?? 60) * 60000).toISOString(),
  };
}

const localTime = (d: Date) =>
  `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;

/** The language names of the user's language (Haitian Creole, criollo haitiano…). */
export function useLanguageName() {
  const { lang } = useI18n();
  return useMemo(() => {
    const names = new Intl.DisplayNames([Locales[lang]], { type: "language" });
    return (code: string) => {
      try {
        return names.of(code) ?? code;
      } catch {
        return code;
      }
    };
  }, [lang]);
}

/**
 * Booking that fits the work: the person (picked by name, registration number or phone, or one of the case's
 * people), their case, the kind, the office and room, the interpreting language (the person's first) and an
 * interpreter who works in it, the day and time (the browser's time zone: the operation has none yet). While it is
 * filled in, the agenda is asked whether the room, the interpreter and the person are free, and the next free
 * times of the same length are offered; one click takes one. Saving still goes through the booking's slot claims.
 */
export function BookingForm(props: {
  officeID: string;
  caseID?: string;
  /** The case's people, when booking from a case (otherwise the register is searched). */
  people?: { value: string; label: string }[];
  /** A start proposed by the caller (a calendar cell). */
  start?: Date;
  onDone: (result: unknown) => void;
  onCancel?: () => void;
}) {
  const i18n = useI18n();
  const { lang } = i18n;
  const bt = (k: BookingTextKey, v?: Record<string, string | number>) => bookingText(lang, k, v);
  const languageName = useLanguageName();
  const [values, setValues] = useState<Row>({});
  const control = useRef<(v: Row) => void>(undefined);
  const [picked, setPicked] = useState<Row | undefined>();
  const participant = typeof values.participant === "string" ? values.participant : "";
  const officeID = typeof values.officeID === "string" && values.officeID ? values.officeID : props.officeID;
  // the person's own record (languages), whether picked in the register or from the case's people
  const known = useRecords("individuals", participant && !picked ? [participant] : []);
  const person = picked?.individualID === participant ? picked : known.get(participant);
  const personLanguages = (person?.languages as string[] | undefined) ?? [];

  const [interpreters, setInterpreters] = useState<InterpreterOption[]>([]);
  useEffect(() => {
    let live = true;
    api<{ items: InterpreterOption[] }>(
      "GET",
      `/api/appointments/interpreters?officeID=${encodeURIComponent(officeID)}`,
    )
      .then((r) => live && setInterpreters(r.items))
      .catch(() => live && setInterpreters([]));
    return () => void (live = false);
  }, [officeID]);

  // the office's rooms (Administration → Operations): chosen from the list when the office names its rooms
  const [rooms, setRooms] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    api<{ items: { officeID: string; rooms?: { name: string }[] }[] }>("GET", "/api/offices")
      .then((r) => live && setRooms((r.items.find((o) => o.officeID === officeID)?.rooms ?? []).map((x) => x.name)))
      .catch(() => live && setRooms([]));
    return () => void (live = false);
  }, [officeID]);

  // the person's cases, when not booking from one
  const [cases, setCases] = useState<Row[]>([]);
  useEffect(() => {
    if (props.caseID || !participant) return setCases([]);
    let live = true;
    api<{ items: Row[] }>("GET", `/api/cases?individualID=${encodeURIComponent(participant)}&limit=50`)
      .then((r) => live && setCases(r.items))
      .catch(() => live && setCases([]));
    return () => void (live = false);
  }, [participant, props.caseID]);

  const language = typeof values.interpreterLanguage === "string" ? values.interpreterLanguage : "";
  // the person's languages first, then every language an interpreter of the office works in
  const languages = [...new Set([...personLanguages, ...interpreters.flatMap((i) => i.languages)])];
  const matching = interpreters.filter((i) => language && i.languages.includes(language));

  // the person's first language an interpreter works in is proposed once the person is known
  const proposed = useRef<string>("");
  useEffect(() => {
    if (!participant || proposed.current === participant || language) return;
    const first = personLanguages.find((l) => interpreters.some((i) => i.languages.includes(l)));
    if (first) {
      proposed.current = participant;
      control.current?.({ interpreterLanguage: first });
    }
  }, [participant, personLanguages, interpreters, language]);

  const slot = slotOf(values.day, values.time, values.duration);
  const room = typeof values.room === "string" ? values.room.trim() : "";
  const interpreterID =
    typeof values.interpreterID === "string" && matching.some((i) => i.userID === values.interpreterID)
      ? values.interpreterID
      : "";
  const [check, setCheck] = useState<{ key: string; answer?: Availability; busy: boolean }>({
    key: "",
    busy: false,
  });
  const [again, setAgain] = useState(0);
  const zone = operationZone();
  const query =
    slot && room
      ? new URLSearchParams({
          officeID,
          room,
          start: slot.start,
          end: slot.end,
          ...(interpreterID ? { interpreterID } : {}),
          ...(participant ? { participants: participant } : {}),
          count: "3",
          tz: zone,
        }).toString()
      : "";
  useEffect(() => {
    if (!query) return setCheck({ key: "", busy: false });
    let live = true;
    setCheck((c) => ({ ...c, key: query, busy: true }));
    const t = setTimeout(() => {
      api<Availability>("GET", `/api/appointments/availability?${query}`)
        .then((answer) => live && setCheck({ key: query, answer, busy: false }))
        .catch(() => live && setCheck({ key: query, busy: false }));
    }, 250);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [query, again]);

  const time = new Intl.DateTimeFormat(Locales[lang], {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: zone,
  });
  const dayTime = new Intl.DateTimeFormat(Locales[lang], {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: zone,
  });

  const fields: FormField[] = [
    props.people
      ? { field: "participant", kind: "select", options: props.people, label: bt("booking.person") }
      : { field: "participant", kind: "ref", ref: "individuals", label: bt("booking.person") },
    ...(props.caseID
      ? []
      : [
          {
            field: "caseID",
            kind: "select" as const,
            label: bt("booking.case"),
            options: cases.map((c) => ({ value: String(c.caseID), label: String(c.caseNumber ?? "") })),
          },
        ]),
    { field: "kind", kind: "enum", table: AppointmentKindLabels },
    { field: "officeID", kind: "office" },
    rooms.length
      ? { field: "room", kind: "select" as const, options: rooms.map((r) => ({ value: r, label: r })) }
      : { field: "room", kind: "text" as const },
    { field: "day", kind: "date" },
    { field: "time", kind: "time", hint: bt("booking.timeHint") },
    {
      field: "duration",
      kind: "select",
      label: bt("booking.duration"),
      options: DURATIONS.map((n) => ({ value: String(n), label: bt("booking.minutes", { n }) })),
    },
    {
      field: "interpreterLanguage",
      kind: "select",
      label: bt("booking.language"),
      hint: personLanguages.length
        ? bt("booking.languageHint", { languages: personLanguages.map(languageName).join(", ") })
        : undefined,
      options: languages.map((l) => ({ value: l, label: languageName(l) })),
    },
    {
      field: "interpreterID",
      kind: "select",
      label: bt("booking.interpreter"),
      hint:
        language && matching.length === 0 ? bt("booking.noInterpreterFound") : bt("booking.interpreterHint"),
      options: matching.map((i) => ({ value: i.userID, label: i.name })),
    },
  ];

  const answer = check.key === query ? check.answer : undefined;
  const footer = (
    <div className="booking-check" aria-live="polite">
      <p className="muted small">{bt("booking.zone", { zone: zoneName(Locales[lang], zone) })}</p>
      {query && check.busy && <p className="muted">{bt("booking.checking")}</p>}
      {query && !check.busy && answer?.free && <p className="booking-free">{bt("booking.free")}</p>}
      {query && !check.busy && answer && !answer.free && (
        <div className="booking-busy" role="status">
          <p>
            <strong>{bt("booking.busy")}</strong>
          </p>
          <ul>
            {answer.conflicts.map((c, i) => (
              <li key={i}>
                {bt(`booking.conflict.${c.kind}`, {
                  from: time.format(new Date(c.start)),
                  to: time.format(new Date(c.end)),
                })}
              </li>
            ))}
          </ul>
        </div>
      )}
      {query && !check.busy && answer && !answer.free && (
        <div className="booking-next">
          {answer.next.length === 0 ? (
            <p>{bt("booking.noneFree")}</p>
          ) : (
            <>
              <p>{bt("booking.next")}</p>
              <div className="booking-slots">
                {answer.next.map((n) => {
                  const s = new Date(n.start);
                  const when = `${dayTime.format(s)}–${time.format(new Date(n.end))}`;
                  const wall = wallTime(n.start);
                  const [y, m, d] = wall.date.split("-").map(Number);
                  return (
                    <button
                      key={n.start}
                      type="button"
                      onClick={() =>
                        control.current?.({
                          day: { day: String(d), month: String(m), year: String(y) },
                          time: wall.time,
                        })
                      }
                    >
                      {bt("booking.use", { when })}
                    </button>
                  );
                })}
              </div>
            </>
          )}
        </div>
      )}
    </div>
  );

  const initial = useMemo<Row>(() => {
    const s = props.start;
    return {
      officeID: props.officeID,
      duration: "60",
      kind: "interview",
      ...(s
        ? {
            day: { day: String(s.getDate()), month: String(s.getMonth() + 1), year: String(s.getFullYear()) },
            time: localTime(s),
          }
        : {}),
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the starting values, once
  }, []);
  const onValues = useCallback((v: Row) => setValues(v), []);

  return (
    <RecordForm
      schema={AppointmentCreate}
      path="/api/appointments"
      fixed={props.caseID ? { caseID: props.caseID } : {}}
      initial={initial}
      fields={fields}
      officeID={props.officeID}
      onValues={onValues}
      onPicked={(_, r) => setPicked(r)}
      control={control}
      footer={footer}
      send={async (body) => {
        try {
          return await api("POST", "/api/appointments", body);
        } catch (e) {
          setAgain((n) => n + 1); // taken meanwhile: show what is free now
          throw e;
        }
      }}
      transform={({
        participant: p,
        day,
        time: at,
        duration,
        interpreterID: who,
        interpreterLanguage,
        ...rest
      }) => {
        const s = slotOf(day, at, duration);
        const valid = typeof who === "string" && matching.some((i) => i.userID === who);
        return {
          ...rest,
          ...(s ? s : day || at ? { start: "invalid" } : {}),
          participants: p ? [p] : [],
          ...(valid ? { interpreterID: who } : {}),
          ...(interpreterLanguage ? { interpreterLanguage } : {}),
        };
      }}
      fieldOfPath={(p) =>
        p === "start"
          ? "day"
          : p === "end"
            ? "duration"
            : p.startsWith("participants")
              ? "participant"
              : undefined
      }
      submitLabel={i18n.t("form.submit")}
      onDone={props.onDone}
      onCancel={props.onCancel}
    />
  );
}
