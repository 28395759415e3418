import { useEffect, useState } from "react";
import { AppointmentKindLabels, codeLabel } from "@waypoint/schema";
import { ApiError, api } from "../api/client.ts";
import { recordName, useMe, useRecords } from "../components/lookups.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { operationZone, todayHere } from "../i18n/zone.ts";
import { CaseloadPage } from "./CaseloadPage.tsx";
import "./work.css";

type Row = Record<string, unknown>;

/** A caseworker's landing page: today's appointments in their office, and their own cases (overdue first). */
export function TodayPage(props: { officeID: string | null }) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const { me } = useMe();
  const [items, setItems] = useState<Row[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const office = props.officeID ?? (me?.officeIDs.length === 1 ? me.officeIDs[0] : undefined);
  useEffect(() => {
    // the operation's today (its time zone, whatever the browser's): the API's days are the operation's
    const day = todayHere();
    const q = office ? `&officeID=${encodeURIComponent(office)}` : "";
    api<{ items: Row[] }>("GET", `/api/appointments?day=${day}&limit=500${q}`)
      .then((page) => {
        setItems(
          page.items
            .filter((a) => a.status !== "cancelled")
            .sort((a, b) => String(a.start).localeCompare(String(b.start))),
        );
      })
      .catch((e) => setError(e instanceof ApiError ? e.message : String(e)));
  }, [office]);
  const people = useRecords("individuals", [
    ...new Set((items ?? []).flatMap((a) => (a.participants as string[]) ?? [])),
  ]);
  const time = new Intl.DateTimeFormat(i18n.locale, {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: operationZone(),
  });
  return (
    <section className="page work" aria-labelledby="page-title">
      <h1 id="page-title">{t("work.today.title")}</h1>
      <section className="card" aria-labelledby="today-appointments">
        <h2 id="today-appointments">{t("work.today.appointments")}</h2>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {items && items.length === 0 && <p className="muted">{t("work.today.none")}</p>}
        {items && items.length > 0 && (
          <table className="plain">
            <tbody>
              {items.map((a) => (
                <tr key={String(a.appointmentID)}>
                  <th scope="row">
                    {time.format(new Date(String(a.start)))}–{time.format(new Date(String(a.end)))}
                  </th>
                  <td>{codeLabel(AppointmentKindLabels, a.kind as never, lang)}</td>
                  <td>
                    {((a.participants as string[]) ?? [])
                      .map((id) => recordName("individuals", people.get(id)) ?? "…")
                      .join(", ") || "—"}
                  </td>
                  <td>{t("work.interviews.room", { room: String(a.room) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {me && <CaseloadPage officeID={props.officeID} mine={me.userID} />}
    </section>
  );
}
