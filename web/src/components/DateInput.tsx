import { useI18n } from "../i18n/i18n.tsx";

/** A date as typed: day, month and year, each its own box (GOV.UK pattern), in the UI language's order. */
export interface DateParts {
  day: string;
  month: string;
  year: string;
}

/** The order of day, month and year in a locale (es-MX, fr-FR, en-GB: day first). */
export function partOrder(locale: string): ("day" | "month" | "year")[] {
  const parts = new Intl.DateTimeFormat(locale, { day: "numeric", month: "numeric", year: "numeric" })
    .formatToParts(new Date(Date.UTC(2000, 11, 31)))
    .map((p) => p.type)
    .filter((t): t is "day" | "month" | "year" => t === "day" || t === "month" || t === "year");
  return parts.length === 3 ? parts : ["day", "month", "year"];
}

/** YYYY-MM-DD from typed parts; the parts as typed when they make no real date (the schema then says so). */
export function partsToIso(p: DateParts | undefined): string | undefined {
  if (!p || (!p.day.trim() && !p.month.trim() && !p.year.trim())) return undefined;
  const d = Number(p.day);
  const m = Number(p.month);
  const y = Number(p.year);
  const iso = `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  const t = new Date(`${iso}T00:00:00Z`);
  const real =
    Number.isInteger(d) &&
    Number.isInteger(m) &&
    Number.isInteger(y) &&
    y >= 1900 &&
    !Number.isNaN(t.getTime()) &&
    t.getUTCDate() === d &&
    t.getUTCMonth() + 1 === m;
  return real ? iso : `${p.year}-${p.month}-${p.day}`;
}

export function isoToParts(iso: string | undefined): DateParts {
  const m = iso?.match(/^(\d{4})-(\d{2})-(\d{2})/);
  return m
    ? { year: m[1]!, month: String(Number(m[2])), day: String(Number(m[3])) }
    : { day: "", month: "", year: "" };
}

export function DateInput(props: {
  id: string;
  value: DateParts | undefined;
  onChange: (v: DateParts) => void;
  invalid?: boolean;
  describedBy?: string;
  /** The element naming the date as a whole (the question's label), when it is not a legend around it. */
  labelledBy?: string;
}) {
  const { t, locale } = useI18n();
  const v = props.value ?? { day: "", month: "", year: "" };
  const labels = { day: t("form.day"), month: t("form.month"), year: t("form.year") };
  return (
    <div className="date-input" role="group" aria-labelledby={props.labelledBy} aria-describedby={props.describedBy}>
      {partOrder(locale).map((part) => (
        <label key={part} className={`date-part date-${part}`}>
          <span>{labels[part]}</span>
          <input
            id={part === partOrder(locale)[0] ? props.id : undefined}
            name={`${props.id}-${part}`}
            inputMode="numeric"
            autoComplete="off"
            maxLength={part === "year" ? 4 : 2}
            value={v[part]}
            aria-invalid={props.invalid || undefined}
            onChange={(e) => props.onChange({ ...v, [part]: e.target.value.replace(/\D/g, "") })}
          />
        </label>
      ))}
    </div>
  );
}
