import { useState } from "react";
import { api } from "../api/client.ts";
import { useAsk } from "../components/Ask.tsx";
import { useMe } from "../components/lookups.ts";
import { problemSentence } from "../components/RecordForm.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { navigate } from "../nav.ts";
import { privacyText, type PrivacyTextKey } from "./privacyText.ts";

/**
 * Data protection on a person's page: erasure on request (supervisors of the person's office), asked with a
 * reason in the app's own dialog. Offered only to roles that may take it on this record.
 */
export function PrivacyActions({ id, record }: { id: string; record: Record<string, unknown> }) {
  const i18n = useI18n();
  const { lang } = i18n;
  const tt = (k: PrivacyTextKey) => privacyText(lang, k);
  const { mayOn } = useMe();
  const { dialog, ask } = useAsk();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!mayOn("individual.erase", record)) return null;
  return (
    <>
      <button
        className="danger"
        disabled={busy}
        onClick={async () => {
          const reason = await ask({
            title: tt("privacy.eraseTitle"),
            label: tt("privacy.eraseReason"),
            submit: tt("privacy.eraseSubmit"),
            multiline: true,
            minLength: 3,
            tooShort: tt("privacy.tooShort"),
          });
          if (!reason) return;
          setBusy(true);
          setError(null);
          try {
            await api("POST", `/api/individuals/${encodeURIComponent(id)}/erase`, { reason });
            navigate("/individuals");
          } catch (err) {
            setError(problemSentence(i18n, err) || tt("privacy.failed"));
          } finally {
            setBusy(false);
          }
        }}
      >
        {tt("privacy.erase")}
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {dialog}
    </>
  );
}
