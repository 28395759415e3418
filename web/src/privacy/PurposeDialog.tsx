import { useCallback, useState, type ReactNode } from "react";
import { ExportPurposeLabels, ExportPurposes, type ExportPurpose } from "@waypoint/schema/privacy";
import { Modal } from "../components/Modal.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import type { Lang } from "../i18n/messages.ts";
import { privacyText } from "./privacyText.ts";

/** Why a file with people in it is made: sent with the export, kept in each person's sharing log. */
export interface ExportWhy {
  purpose: ExportPurpose;
  purposeOther?: string;
  recipient?: string;
}

/** The purpose as query parameters (`purpose=…&purposeOther=…&recipient=…`) for an export's URL. */
export function whyQuery(w: ExportWhy): string {
  const q = new URLSearchParams({ purpose: w.purpose });
  if (w.purposeOther) q.set("purposeOther", w.purposeOther);
  if (w.recipient) q.set("recipient", w.recipient);
  return q.toString();
}

/** A logged purpose in the reader's language: a code's label, the words of "other", or an older entry's words. */
export function purposeText(lang: Lang, purpose: unknown, purposeOther: unknown): string {
  if (typeof purposeOther === "string" && purposeOther) return purposeOther;
  if (typeof purpose !== "string" || !purpose) return "";
  return (ExportPurposeLabels as Record<string, Record<Lang, string>>)[purpose]?.[lang] ?? purpose;
}

/**
 * Asks what a file naming people is for, before it is made (purpose limitation, issue 21): a short list of
 * purposes, "other" in words, and optionally who receives it. Render `dialog` once; `await askPurpose()` is the
 * answer, or undefined when the user cancels (then no file is made).
 */
export function usePurpose(): {
  dialog: ReactNode;
  askPurpose: (suggested?: ExportPurpose) => Promise<ExportWhy | undefined>;
} {
  const [pending, setPending] = useState<{ suggested?: ExportPurpose; done: (v: ExportWhy | undefined) => void } | null>(
    null,
  );
  const askPurpose = useCallback(
    (suggested?: ExportPurpose) =>
      new Promise<ExportWhy | undefined>((resolve) =>
        setPending({
          suggested,
          done: (v) => {
            setPending(null);
            resolve(v);
          },
        }),
      ),
    [],
  );
  const dialog = pending ? <PurposeDialog suggested={pending.suggested} done={pending.done} /> : null;
  return { dialog, askPurpose };
}

function PurposeDialog(props: { suggested?: ExportPurpose; done: (v: ExportWhy | undefined) => void }) {
  const { lang, t } = useI18n();
  const pt = (k: Parameters<typeof privacyText>[1]) => privacyText(lang, k);
  const [purpose, setPurpose] = useState<ExportPurpose | "">(props.suggested ?? "");
  const [other, setOther] = useState("");
  const [recipient, setRecipient] = useState("");
  const [error, setError] = useState<{ field: "purpose" | "purposeOther"; text: string } | null>(null);
  return (
    <Modal title={pt("export.why.title")} onClose={() => props.done(undefined)}>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!purpose) return setError({ field: "purpose", text: pt("export.why.choose") });
          if (purpose === "other" && other.trim().length < 3)
            return setError({ field: "purposeOther", text: pt("export.why.otherMissing") });
          props.done({
            purpose,
            ...(purpose === "other" ? { purposeOther: other.trim() } : {}),
            ...(recipient.trim() ? { recipient: recipient.trim() } : {}),
          });
        }}
      >
        <p className="muted">{pt("export.why.intro")}</p>
        <fieldset
          aria-invalid={error?.field === "purpose" ? true : undefined}
          aria-describedby={error?.field === "purpose" ? "why-error" : undefined}
        >
          <legend>{pt("export.why.purpose")}</legend>
          {ExportPurposes.map((p) => (
            <label key={p} className="check">
              <input
                type="radio"
                name="purpose"
                value={p}
                checked={purpose === p}
                onChange={() => (setPurpose(p), setError(null))}
              />
              {ExportPurposeLabels[p][lang]}
            </label>
          ))}
        </fieldset>
        {purpose === "other" && (
          <label>
            {pt("export.why.other")}
            <input
              name="purposeOther"
              autoFocus
              maxLength={200}
              value={other}
              aria-invalid={error?.field === "purposeOther" ? true : undefined}
              aria-describedby={error?.field === "purposeOther" ? "why-error" : undefined}
              onChange={(e) => (setOther(e.target.value), setError(null))}
            />
          </label>
        )}
        {error && (
          <p id="why-error" role="alert" className="error">
            {error.text}
          </p>
        )}
        <label>
          {pt("export.why.recipient")}
          <input name="recipient" maxLength={200} value={recipient} onChange={(e) => setRecipient(e.target.value)} />
        </label>
        <div className="actions">
          <button type="button" onClick={() => props.done(undefined)}>
            {t("common.cancel")}
          </button>
          <button type="submit" className="primary">
            {pt("export.why.submit")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
