import { useState } from "react";
import { EnquiryTopicLabels, EnquiryTopics, FaqLanguages, type FaqEntry } from "@waypoint/schema";
import { ApiError, api } from "../api/client.ts";
import { useCT } from "./parts.tsx";

/**
 * The programme's questions and answers in the user's language (English when there are none in it yet), those of
 * the topic being logged first.
 */
export function FaqPanel(props: { entries: FaqEntry[]; topic?: string }) {
  const { c, lang } = useCT();
  const own = props.entries.filter((e) => e.language === lang);
  const shown = own.length ? own : props.entries.filter((e) => e.language === "en");
  if (shown.length === 0) return <p className="muted">{c("enq.faqNone")}</p>;
  const ordered = props.topic
    ? [...shown.filter((e) => e.topic === props.topic), ...shown.filter((e) => e.topic !== props.topic)]
    : shown;
  return (
    <>
      {!own.length && <p className="muted small">{c("enq.faqOther")}</p>}
      <dl>
        {ordered.map((e, i) => (
          <div key={i} lang={e.language} dir={e.language === "ar" ? "rtl" : undefined}>
            <dt>{e.question}</dt>
            <dd>{e.answer}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}

/** An administrator edits the whole FAQ (entries in any of the operation's languages) at its version. */
export function FaqEditor(props: { faq: { entries: FaqEntry[]; version: number }; onDone: () => void; onCancel: () => void }) {
  const { c, label, language, problem } = useCT();
  const [entries, setEntries] = useState<FaqEntry[]>(props.faq.entries);
  const [error, setError] = useState<string | null>(null);
  const set = (i: number, change: Partial<FaqEntry>) =>
    setEntries(entries.map((e, j) => (j === i ? { ...e, ...change } : e)));
  const save = async () => {
    const kept = entries.filter((e) => e.question.trim() && e.answer.trim());
    try {
      await api("PUT", "/api/enquiries/faq", { version: props.faq.version, entries: kept });
      props.onDone();
    } catch (e) {
      setError(e instanceof ApiError && e.status === 409 ? problem(e) : problem(e));
    }
  };
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {entries.map((e, i) => (
        <fieldset key={i} className="question">
          <legend>{`${c("enq.faqQuestion")} ${i + 1}`}</legend>
          <label>
            {c("enq.faqLanguage")}
            <select value={e.language} onChange={(ev) => set(i, { language: ev.target.value as FaqEntry["language"] })}>
              {FaqLanguages.map((l) => (
                <option key={l} value={l}>
                  {language(l)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {c("enq.topic")}
            <select
              value={e.topic ?? ""}
              onChange={(ev) => set(i, { topic: (ev.target.value || undefined) as FaqEntry["topic"] })}
            >
              <option value="">…</option>
              {EnquiryTopics.map((t) => (
                <option key={t} value={t}>
                  {label(EnquiryTopicLabels, t)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {c("enq.faqQuestion")}
            <input value={e.question} onChange={(ev) => set(i, { question: ev.target.value })} />
          </label>
          <label>
            {c("enq.faqAnswer")}
            <textarea rows={3} value={e.answer} onChange={(ev) => set(i, { answer: ev.target.value })} />
          </label>
          <button type="button" className="link" onClick={() => setEntries(entries.filter((_, j) => j !== i))}>
            {c("enq.faqRemove")}
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        onClick={() => setEntries([...entries, { language: "en", question: "", answer: "" } as FaqEntry])}
      >
        {c("enq.faqAdd")}
      </button>
      <div className="actions">
        <button type="button" onClick={props.onCancel}>
          {c("enq.cancel")}
        </button>
        <button type="submit" className="primary">
          {c("enq.faqSave")}
        </button>
      </div>
    </form>
  );
}
