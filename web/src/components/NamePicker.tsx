import { useState } from "react";
import { useI18n } from "../i18n/i18n.tsx";
import "./forms.css";

export interface NameOption {
  id: string;
  name: string;
  /** Key facts shown beside the name (a region, a departure time and seats). */
  detail?: string;
}

/** Letters without accents or case, so "monterrey" finds "Monterrey" and "tapachula" finds "Tapachula". */
const fold = (s: string) =>
  s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLocaleLowerCase();

/**
 * Picks one of a known list by name (a place, a bus): the same look as RecordPicker, for lists the page already
 * holds. Typing narrows the list (every word must appear, accents ignored); the chosen one is shown by its name
 * with its facts and a "Change" button, never by its ID.
 */
export function NamePicker(props: {
  id: string;
  label: string;
  options: NameOption[];
  value: string | undefined;
  onChange: (id: string | undefined) => void;
  placeholder?: string;
  /** What an empty search says ("No place found"). */
  none: string;
  /** A field error under the picker (the API's words for it, translated by the page). */
  error?: string;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const chosen = props.options.find((o) => o.id === props.value);
  const errorID = `${props.id}-error`;
  const words = fold(text).split(/\s+/).filter(Boolean);
  const found = props.options
    .filter((o) => words.every((w) => fold(`${o.name} ${o.detail ?? ""}`).includes(w)))
    .slice(0, 12);
  return (
    <div className="picker name-picker">
      <label htmlFor={props.id}>{props.label}</label>
      {chosen ? (
        <div className="picker-chosen">
          <strong>{chosen.name}</strong>
          {chosen.detail && <span className="muted"> · {chosen.detail}</span>}{" "}
          <button type="button" className="link" disabled={props.disabled} onClick={() => props.onChange(undefined)}>
            {t("picker.change")}
          </button>
        </div>
      ) : (
        <>
          <input
            id={props.id}
            type="search"
            value={text}
            placeholder={props.placeholder}
            autoComplete="off"
            disabled={props.disabled}
            aria-invalid={props.error ? true : undefined}
            aria-describedby={props.error ? errorID : undefined}
            onFocus={() => setOpen(true)}
            onChange={(e) => {
              setText(e.target.value);
              setOpen(true);
            }}
          />
          {open && !props.disabled && (
            <ul className="picker-results" aria-label={props.label}>
              {found.map((o) => (
                <li key={o.id}>
                  <button
                    type="button"
                    onClick={() => {
                      props.onChange(o.id);
                      setText("");
                      setOpen(false);
                    }}
                  >
                    <strong>{o.name}</strong>
                    {o.detail && <span className="muted"> · {o.detail}</span>}
                  </button>
                </li>
              ))}
              {found.length === 0 && <li className="muted small">{props.none}</li>}
            </ul>
          )}
        </>
      )}
      {props.error && (
        <p id={errorID} className="field-error" role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}
