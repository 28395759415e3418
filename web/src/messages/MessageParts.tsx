import { useCallback, useEffect, useState } from "react";
import { api, ApiError } from "../api/client.ts";
import { useMe } from "../components/lookups.ts";
import { problemSentence } from "../components/RecordForm.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { messageText, type MessageTextKey } from "./messageText.ts";

export type Msg = {
  messageID: string;
  individualID?: string;
  personName?: string;
  direction: "out" | "in";
  channel: "sms" | "whatsapp";
  kind?: string;
  language?: string;
  body: string;
  state: string;
  providerID?: string;
  optOut?: boolean;
  timeCreated: string;
};

/** The messages screens' words in the user's language. */
export function useMT() {
  const i18n = useI18n();
  const m = (k: MessageTextKey, vars?: Record<string, string | number>) => messageText(i18n.lang, k, vars);
  return { ...i18n, m };
}

/** A message's state in words: a local instance's "sent" is kept in the outbox, not sent. */
export function stateLabel(m: (k: MessageTextKey) => string, msg: Msg): string {
  if (msg.state === "sent" && msg.providerID?.startsWith("outbox:")) return m("state.local");
  return m(`state.${msg.state}` as MessageTextKey);
}

/** What a message is about, in words (a reply says it is one, and whether it stopped messages). */
export function kindLabel(m: (k: MessageTextKey) => string, msg: Msg): string {
  if (msg.direction === "in") return msg.optOut ? m("msg.optedOutReply") : m("msg.reply");
  return msg.kind ? m(`kind.${msg.kind}` as MessageTextKey) : "";
}

/** The sentence for a refusal to send (no consent, no phone, opted out), or the app's usual one. */
export function sendError(i18n: ReturnType<typeof useMT>, err: unknown): string {
  const code = err instanceof ApiError ? err.problem.code : undefined;
  if (code === "message.no_consent") return i18n.m("msg.noConsent");
  if (code === "message.no_phone") return i18n.m("msg.noPhone");
  if (code === "message.opted_out")
    return i18n.m("msg.optedOut", { channel: "", time: "" }).replace(/ \(.*\)/, "");
  return problemSentence(i18n, err);
}

type PersonMessagesData = {
  items: Msg[];
  optOuts: { channel: "sms" | "whatsapp"; time: string }[];
  consent: boolean;
  hasPhone: boolean;
};
type Appt = { appointmentID: string; start: string; room?: string; status: string };

/**
 * A person's messages on their page: what was sent to them (in which language, its delivery state) and their
 * replies, whether they stopped messages; and, for those who may, sending one (an appointment reminder or a notice).
 */
export function PersonMessages({ id, record }: { id: string; record: Record<string, unknown> }) {
  const i18n = useMT();
  const { m, dateTime } = i18n;
  const { may, mayOn } = useMe();
  const [data, setData] = useState<PersonMessagesData | null>(null);
  const [appts, setAppts] = useState<Appt[]>([]);
  const [kind, setKind] = useState<"appointment_reminder" | "notice">("appointment_reminder");
  const [channel, setChannel] = useState<"sms" | "whatsapp">("sms");
  const [appt, setAppt] = useState("");
  const [notice, setNotice] = useState("");
  const [subject, setSubject] = useState("");
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const canRead = may("message.read");
  const canSend = mayOn("message.send", record);
  const q = encodeURIComponent(id);
  const load = useCallback(() => {
    if (!canRead) return;
    api<PersonMessagesData>("GET", `/api/messages/person/${q}`)
      .then(setData)
      .catch(() => setData({ items: [], optOuts: [], consent: false, hasPhone: false }));
  }, [q, canRead]);
  useEffect(load, [load]);
  useEffect(() => {
    if (!canSend || !may("appointment.read")) return;
    api<{ items: Appt[] }>("GET", `/api/appointments?individualID=${q}&limit=1000`)
      .then((r) => {
        const now = new Date().toISOString();
        const next = r.items
          .filter((a) => a.status === "booked" && a.start >= now)
          .sort((a, b) => a.start.localeCompare(b.start));
        setAppts(next);
        setAppt((cur) => cur || next[0]?.appointmentID || "");
      })
      .catch(() => setAppts([]));
  }, [q, canSend]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!canRead) return null;

  const send = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setNote(null);
    setBusy(true);
    try {
      const body =
        kind === "appointment_reminder"
          ? { individualID: id, kind, channel, ref: appt }
          : {
              individualID: id,
              kind,
              channel,
              ref: `notice:${subject.trim().toLowerCase()}`,
              values: { text: notice.trim() },
            };
      const r = await api<{ duplicate: boolean }>("POST", "/api/messages", body);
      setNote(r.duplicate ? m("msg.already") : m("msg.sent"));
      load();
    } catch (err) {
      setError(sendError(i18n, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section id="person-messages" className="related" aria-labelledby="person-messages-title">
      <h2 id="person-messages-title">{m("msg.messages")}</h2>
      {data?.optOuts.map((o) => (
        <p key={o.channel} className="notice warning">
          {m("msg.optedOut", { channel: m(`channel.${o.channel}`), time: dateTime(o.time) })}
        </p>
      ))}
      {data && data.items.length === 0 && <p className="muted">{m("msg.none")}</p>}
      {data && data.items.length > 0 && (
        <table className="plain" aria-label={m("msg.messages")}>
          <thead>
            <tr>
              <th scope="col">{m("msg.time")}</th>
              <th scope="col">{m("msg.kind")}</th>
              <th scope="col">{m("msg.channel")}</th>
              <th scope="col">{m("msg.state")}</th>
              <th scope="col">{m("msg.text")}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((x) => (
              <tr key={x.messageID} data-state={x.state}>
                <td>{dateTime(x.timeCreated)}</td>
                <td>{kindLabel(m, x)}</td>
                <td>{m(`channel.${x.channel}`)}</td>
                <td className="message-state">{stateLabel(m, x)}</td>
                <td dir="auto" lang={x.language}>
                  {x.body}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canSend && data && (
        <form className="inline-form" onSubmit={send} aria-label={m("msg.send")}>
          <h3>{m("msg.send")}</h3>
          {!data.consent && <p className="muted">{m("msg.noConsent")}</p>}
          {data.consent && !data.hasPhone && <p className="muted">{m("msg.noPhone")}</p>}
          <label>
            {m("msg.kind")}
            <select value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
              <option value="appointment_reminder">{m("kind.appointment_reminder")}</option>
              <option value="notice">{m("kind.notice")}</option>
            </select>
          </label>
          <label>
            {m("msg.channel")}
            <select value={channel} onChange={(e) => setChannel(e.target.value as typeof channel)}>
              <option value="sms">{m("channel.sms")}</option>
              <option value="whatsapp">{m("channel.whatsapp")}</option>
            </select>
          </label>
          {kind === "appointment_reminder" &&
            (appts.length ? (
              <label>
                {m("msg.appointment")}
                <select value={appt} onChange={(e) => setAppt(e.target.value)}>
                  {appts.map((a) => (
                    <option key={a.appointmentID} value={a.appointmentID}>
                      {[dateTime(a.start), a.room].filter(Boolean).join(" · ")}
                    </option>
                  ))}
                </select>
              </label>
            ) : (
              <p className="muted">{m("msg.noAppointments")}</p>
            ))}
          {kind === "notice" && (
            <>
              <label>
                {m("msg.noticeRef")}
                <input value={subject} maxLength={60} required onChange={(e) => setSubject(e.target.value)} />
              </label>
              <label>
                {m("msg.noticeText")}
                <textarea
                  value={notice}
                  maxLength={200}
                  required
                  onChange={(e) => setNotice(e.target.value)}
                />
              </label>
            </>
          )}
          <button
            type="submit"
            disabled={busy || (kind === "appointment_reminder" && !appt) || !data.consent || !data.hasPhone}
          >
            {m("msg.sendButton")}
          </button>
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
    </section>
  );
}
