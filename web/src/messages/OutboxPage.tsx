import { useCallback, useEffect, useState } from "react";
import { api } from "../api/client.ts";
import { OutboxPage as MailOutbox } from "../accounts/StaffPage.tsx";
import { useMe } from "../components/lookups.ts";
import { problemSentence } from "../components/RecordForm.tsx";
import { kindLabel, stateLabel, useMT, type Msg } from "./MessageParts.tsx";

/**
 * `/outbox`: the messages to people (SMS, WhatsApp) with their delivery state and the replies; on a local
 * instance, what would have been sent. Administrators also see the e-mails the instance kept. Those who may send
 * queue the reminders of a day's appointments here.
 */
export function MessagesOutboxPage({
  offices,
  officeID,
}: {
  offices: { officeID: string; name: string }[];
  officeID: string | null;
}) {
  const i18n = useMT();
  const { m, dateTime } = i18n;
  const { may } = useMe();
  const [data, setData] = useState<{ items: Msg[]; provider: string } | null>(null);
  const [office, setOffice] = useState(officeID ?? offices[0]?.officeID ?? "");
  const [day, setDay] = useState(() => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    if (!may("message.read")) return;
    api<{ items: Msg[]; provider: string }>("GET", "/api/messages")
      .then(setData)
      .catch(() => setData({ items: [], provider: "outbox" }));
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(load, [load]);
  const queue = async (e: React.FormEvent) => {
    e.preventDefault();
    setNote(null);
    setError(null);
    try {
      await api("POST", "/api/messages/reminders", { officeID: office, date: day });
      setNote(m("msg.queued"));
      setTimeout(load, 8000);
    } catch (err) {
      setError(problemSentence(i18n, err));
    }
  };
  return (
    <>
      {may("message.read") && (
        <section className="page outbox messages-outbox" aria-labelledby="page-title">
          <h1 id="page-title">{m("msg.outbox")}</h1>
          <h2>{m("msg.messages")}</h2>
          {data && (
            <p className="muted">
              {data.provider === "outbox" ? m("msg.introLocal") : m("msg.introProvider")}
            </p>
          )}
          {may("message.send") && offices.length > 0 && (
            <form className="inline-form" onSubmit={queue} aria-label={m("msg.reminders")}>
              <h3>{m("msg.reminders")}</h3>
              <p className="muted">{m("msg.remindersIntro")}</p>
              <label>
                {m("msg.office")}
                <select value={office} onChange={(e) => setOffice(e.target.value)}>
                  {offices.map((o) => (
                    <option key={o.officeID} value={o.officeID}>
                      {o.name}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {m("msg.date")}
                <input type="date" value={day} required onChange={(e) => setDay(e.target.value)} />
              </label>
              <button type="submit">{m("msg.queue")}</button>
              {note && (
                <p role="status" className="notice">
                  {note}
                </p>
              )}
              {error && (
                <p role="alert" className="error">
                  {error}
                </p>
              )}
            </form>
          )}
          {data?.items.length === 0 && <p className="muted">{m("msg.none")}</p>}
          {data && data.items.length > 0 && (
            <table className="plain" aria-label={m("msg.messages")}>
              <thead>
                <tr>
                  <th scope="col">{m("msg.time")}</th>
                  <th scope="col">{m("msg.person")}</th>
                  <th scope="col">{m("msg.kind")}</th>
                  <th scope="col">{m("msg.channel")}</th>
                  <th scope="col">{m("msg.language")}</th>
                  <th scope="col">{m("msg.state")}</th>
                  <th scope="col">{m("msg.text")}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((x) => (
                  <tr key={x.messageID} data-state={x.state}>
                    <td>{dateTime(x.timeCreated)}</td>
                    <td>
                      {x.individualID ? (
                        <a href={`/individuals/${x.individualID}`}>{x.personName || "…"}</a>
                      ) : (
                        ""
                      )}
                    </td>
                    <td>{kindLabel(m, x)}</td>
                    <td>{m(`channel.${x.channel}`)}</td>
                    <td>{x.language ? m(`lang.${x.language}` as "lang.en") : ""}</td>
                    <td className="message-state">{stateLabel(m, x)}</td>
                    <td dir="auto" lang={x.language}>
                      {x.body}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      {may("message.template") && <TemplateEditor />}
      {may("user.manage") && (
        <div className="mail-outbox">
          <MailOutbox />
        </div>
      )}
    </>
  );
}

type Template = {
  kind: string;
  texts: Record<"en" | "es" | "fr" | "ar", string | undefined>;
  fallback: "en" | "es" | "fr" | "ar";
  custom: boolean;
  version: number;
};
const TEMPLATE_LANGS = ["en", "es", "fr", "ar"] as const;

/** Administrators write the operation's texts for each kind of message, in the four languages. */
export function TemplateEditor() {
  const i18n = useMT();
  const { m } = i18n;
  const [items, setItems] = useState<Template[] | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api<{ items: Template[] }>("GET", "/api/messages/templates")
      .then((r) => setItems(r.items))
      .catch(() => setItems([]));
  }, []);
  useEffect(load, [load]);
  const save = async (t: Template) => {
    setNote(null);
    setError(null);
    try {
      const texts = Object.fromEntries(
        TEMPLATE_LANGS.filter((l) => t.texts[l]?.trim()).map((l) => [l, t.texts[l]]),
      );
      await api("PUT", `/api/messages/templates/${t.kind}`, {
        texts,
        fallback: t.fallback,
        ...(t.custom ? { version: t.version } : {}),
      });
      setNote(m("msg.saved"));
      load();
    } catch (err) {
      setError(problemSentence(i18n, err));
    }
  };
  const edit = (kind: string, patch: Partial<Template>) =>
    setItems((cur) => cur?.map((t) => (t.kind === kind ? { ...t, ...patch } : t)) ?? null);
  return (
    <section className="page message-templates" aria-labelledby="templates-title">
      <h2 id="templates-title">{m("msg.templates")}</h2>
      <p className="muted">{m("msg.templatesIntro")}</p>
      {note && (
        <p role="status" className="notice">
          {note}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {items?.map((t) => (
        <details key={t.kind}>
          <summary>
            {m(`kind.${t.kind}` as "kind.notice")}
            {!t.custom && ` (${m("msg.builtIn")})`}
          </summary>
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void save(t);
            }}
          >
            {TEMPLATE_LANGS.map((l) => (
              <label key={l}>
                {m(`lang.${l}`)}
                <textarea
                  dir={l === "ar" ? "rtl" : "ltr"}
                  lang={l}
                  value={t.texts[l] ?? ""}
                  maxLength={1000}
                  required={l === "en"}
                  onChange={(e) => edit(t.kind, { texts: { ...t.texts, [l]: e.target.value } })}
                />
              </label>
            ))}
            <label>
              {m("msg.fallback")}
              <select
                value={t.fallback}
                onChange={(e) => edit(t.kind, { fallback: e.target.value as Template["fallback"] })}
              >
                {TEMPLATE_LANGS.map((l) => (
                  <option key={l} value={l}>
                    {m(`lang.${l}`)}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit">{m("msg.save")}</button>
          </form>
        </details>
      ))}
    </section>
  );
}
