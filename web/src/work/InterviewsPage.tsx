import { useEffect, useState } from "react";
import type { InterpreterInterview } from "@waypoint/schema";
import { ApiError, api } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { Locales } from "../i18n/messages.ts";
import "./work.css";
import { operationZone, zoneName } from "../i18n/zone.ts";

/**
 * An interpreter's landing page: the interviews they are booked for, with the people's names and languages, the
 * time (local) and the place; the API gives them nothing else.
 */
export function InterviewsPage() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const [items, setItems] = useState<InterpreterInterview[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ items: InterpreterInterview[] }>("GET", "/api/work/interviews?days=31")
      .then((r) => setItems(r.items))
      .catch((e) => setError(e instanceof ApiError ? e.message : String(e)));
  }, []);
  const names = new Intl.DisplayNames([Locales[lang]], { type: "language" });
  const language = (code: string) => {
    try {
      return names.of(code) ?? code;
    } catch {
      return code;
    }
  };
  // the operation's time zone, whatever the browser's
  const zone = operationZone();
  const day = new Intl.DateTimeFormat(Locales[lang], { weekday: "long", day: "numeric", month: "long", timeZone: zone });
  const time = new Intl.DateTimeFormat(Locales[lang], { hour: "2-digit", minute: "2-digit", timeZone: zone });
  return (
    <section className="page work" aria-labelledby="page-title">
      <h1 id="page-title">{t("work.interviews.title")}</h1>
      <p className="muted">{t("work.interviews.zone", { zone: zoneName(Locales[lang], zone) })}</p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {items && items.length === 0 && <p className="muted">{t("work.interviews.empty")}</p>}
      {items && items.length > 0 && (
        <table className="plain interviews">
          <thead>
            <tr>
              <th scope="col">{t("work.interviews.when")}</th>
              <th scope="col">{t("work.interviews.who")}</th>
              <th scope="col">{t("work.interviews.language")}</th>
              <th scope="col">{t("work.interviews.where")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.appointmentID}>
                <td>
                  {day.format(new Date(a.start))}, {time.format(new Date(a.start))}–
                  {time.format(new Date(a.end))}
                </td>
                <td>
                  {a.people.length === 0
                    ? "—"
                    : a.people.map((p, i) => (
                        <div key={i}>
                          <strong>{p.name}</strong>
                          {p.languages.length > 0 && (
                            <span className="muted"> ({p.languages.map(language).join(", ")})</span>
                          )}
                        </div>
                      ))}
                </td>
                <td>{a.language ? language(a.language) : "—"}</td>
                <td>
                  {a.place.office} · {t("work.interviews.room", { room: a.place.room })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
