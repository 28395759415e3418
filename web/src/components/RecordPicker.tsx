import { useEffect, useRef, useState } from "react";
import { SexLabels, codeLabel } from "@waypoint/schema";
import { api } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { recordName, useRecords } from "./lookups.ts";

type Row = Record<string, unknown>;

/**
 * Searches the register through the individuals search API (`POST /api/individuals/search`, the list's query in the
 * body; `q`: family name then given name as a prefix, or a
 * registration number or phone where the API supports them). Two words are tried in both orders, so "Marie Joseph"
 * and "Joseph Marie" both find her. The page shows names and numbers, never an ID.
 */
async function searchIndividuals(text: string, officeID?: string): Promise<Row[]> {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const queries = [words.join(" ")];
  if (words.length > 1) queries.push([...words.slice(1), words[0]].join(" "));
  // the typed name travels in the request body, never in a URL (browser history, proxy logs): data-protection.md
  const pages = await Promise.all(
    queries.map((q) =>
      api<{ items: Row[] }>("POST", "/api/individuals/search", { limit: 10, q, ...(officeID ? { officeID } : {}) })
        .then((r) => r.items)
        .catch(() => []),
    ),
  );
  const seen = new Map<string, Row>();
  for (const r of pages.flat()) seen.set(String(r.individualID), r);
  return [...seen.values()];
}

/** Key facts of a person beside their name: registration number, sex, date of birth or age. */
export function personFacts(r: Row, i18n: ReturnType<typeof useI18n>): string {
  return [
    r.registrationNumber,
    r.sex ? codeLabel(SexLabels, r.sex as keyof typeof SexLabels, i18n.lang) : undefined,
    r.dateOfBirth
      ? i18n.date(String(r.dateOfBirth))
      : typeof r.estimatedAge === "number"
        ? i18n.t("person.age", { n: r.estimatedAge })
        : undefined,
    r.phone,
  ]
    .filter(Boolean)
    .join(" · ");
}

/** Picks a person by name, registration number or phone; the chosen one is shown by name with key facts. */
export function RecordPicker(props: {
  id: string;
  value: string | undefined;
  onChange: (id: string | undefined, record?: Row) => void;
  officeID?: string;
  invalid?: boolean;
  describedBy?: string;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [text, setText] = useState("");
  const [results, setResults] = useState<Row[] | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = useRecords("individuals", props.value ? [props.value] : []).get(props.value ?? "");
  const seq = useRef(0);
  useEffect(() => {
    const q = text.trim();
    if (q.length < 2) {
      setResults(null);
      return;
    }
    const n = ++seq.current;
    setBusy(true);
    const timer = setTimeout(() => {
      void searchIndividuals(q, props.officeID).then((rows) => {
        if (n !== seq.current) return;
        setResults(rows);
        setBusy(false);
      });
    }, 250);
    return () => clearTimeout(timer);
  }, [text, props.officeID]);

  if (props.value)
    return (
      <div className="picker-chosen">
        <strong>{recordName("individuals", chosen) ?? "…"}</strong>
        {chosen && <span className="muted"> · {personFacts(chosen, i18n)}</span>}{" "}
        <button type="button" className="link" onClick={() => props.onChange(undefined)}>
          {t("picker.change")}
        </button>
      </div>
    );
  return (
    <div className="picker">
      <input
        id={props.id}
        type="search"
        value={text}
        placeholder={t("picker.placeholder")}
        autoComplete="off"
        aria-invalid={props.invalid || undefined}
        aria-describedby={props.describedBy}
        onChange={(e) => setText(e.target.value)}
      />
      {busy && <span className="muted small"> {t("picker.searching")}</span>}
      {results && !busy && results.length === 0 && <p className="muted small">{t("picker.none")}</p>}
      {results && results.length > 0 && (
        <ul className="picker-results" aria-label={t("picker.results")}>
          {results.map((r) => (
            <li key={String(r.individualID)}>
              <button
                type="button"
                onClick={() => {
                  props.onChange(String(r.individualID), r);
                  setText("");
                  setResults(null);
                }}
              >
                <strong>{recordName("individuals", r)}</strong>
                <span className="muted"> · {personFacts(r, i18n)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
