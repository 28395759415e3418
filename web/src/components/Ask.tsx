import { useCallback, useState, type ReactNode } from "react";
import { useI18n } from "../i18n/i18n.tsx";
import { Modal } from "./Modal.tsx";

/** One value to ask the user for. */
export interface Question {
  title: string;
  label: string;
  /** The confirming button's label. */
  submit: string;
  /** The other button's label, when "Cancel" would be ambiguous (e.g. beside "Cancel relocation"). */
  cancel?: string;
  type?: "text" | "date";
  multiline?: boolean;
  /** An empty answer is refused (default); false lets the user confirm without one. */
  required?: boolean;
  /** Shortest acceptable answer once trimmed, and what to say when it is shorter. */
  minLength?: number;
  tooShort?: string;
}

/**
 * Asks for one value in the app's own dialog (focus kept in it, Escape cancels, errors inline), where the
 * browser's `window.prompt` can be blocked, cannot be styled or translated, and shows no error. Render `dialog`
 * once in the component; `await ask(question)` is the trimmed answer, or undefined when the user cancels.
 */
export function useAsk(): { dialog: ReactNode; ask: (q: Question) => Promise<string | undefined> } {
  const [pending, setPending] = useState<{ q: Question; done: (v: string | undefined) => void } | null>(null);
  const ask = useCallback(
    (q: Question) =>
      new Promise<string | undefined>((resolve) =>
        setPending({
          q,
          done: (v) => {
            setPending(null);
            resolve(v);
          },
        }),
      ),
    [],
  );
  const dialog = pending ? <AskDialog q={pending.q} done={pending.done} /> : null;
  return { dialog, ask };
}

function AskDialog({ q, done }: { q: Question; done: (v: string | undefined) => void }) {
  const { t } = useI18n();
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const Field = q.multiline ? "textarea" : "input";
  return (
    <Modal title={q.title} onClose={() => done(undefined)}>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const answer = value.trim();
          if (!answer && q.required !== false) return setError(t("ask.required"));
          if (answer && q.minLength && answer.length < q.minLength)
            return setError(q.tooShort ?? t("ask.required"));
          done(answer);
        }}
      >
        <label>
          {q.label}
          <Field
            autoFocus
            value={value}
            type={q.multiline ? undefined : (q.type ?? "text")}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "ask-error" : undefined}
            onChange={(e) => (setValue(e.target.value), setError(null))}
          />
        </label>
        {error && (
          <p id="ask-error" role="alert" className="error">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={() => done(undefined)}>
            {q.cancel ?? t("common.cancel")}
          </button>
          <button type="submit" className="primary">
            {q.submit}
          </button>
        </div>
      </form>
    </Modal>
  );
}
