import { useEffect, useState } from "react";
import { ApiError, api } from "../api/client.ts";
import { resources, type Resource } from "../domains/resources.ts";
import { getPath, moneyFormatter, toText, type FieldSpec } from "../grid/fields.ts";
import { formatMoney } from "../payments/money.ts";
import { isRawID, namesRecords, useRefName, isStaffValue, StaffList } from "../grid/RefCell.tsx";
import type { Values } from "../grid/store.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { Messages, type MessageKey } from "../i18n/messages.ts";
import { navigate } from "../nav.ts";
import { RecordDecisions } from "../work/RecordDecisions.tsx";
import { ConfiguredSection, configuredText } from "../fields/ConfiguredSection.tsx";
import { useCatalogue } from "../fields/catalogue.ts";
import type { Office } from "./Shell.tsx";

interface AuditItem {
  auditID: string;
  time: string;
  actorID: string;
  /** The staff member's name or the partner's organisation (absent for system actors). */
  actorName?: string;
  action: string;
  reason?: string;
  changes?: Record<string, { before?: unknown; after?: unknown }>;
}

/** One record: its fields and its audit trail (who changed what, when, before and after). */
export function RecordPage(props: { resource: Resource; id: string; offices: Office[] }) {
  const i18n = useI18n();
  const { t, field } = i18n;
  const [record, setRecord] = useState<Values | null>(null);
  const [history, setHistory] = useState<AuditItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [historyError, setHistoryError] = useState<string | null>(null);
  const { resource, id } = props;
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    setRecord(null);
    setHistory(null);
    api<Values>("GET", `${resource.path}/${id}`)
      .then(setRecord)
      .catch((e) => setError(e instanceof ApiError ? e.message : String(e)));
    // One history route for every record type, for whoever may read the record.
    setHistoryError(null);
    api<{ items: AuditItem[] }>("GET", `/api/audit?recordId=${encodeURIComponent(id)}&limit=500`)
      .then((r) => setHistory(r.items))
      .catch((e) => {
        setHistory([]);
        setHistoryError(e instanceof ApiError ? e.message : String(e));
      });
  }, [resource, id, reloads]);
  const offices = new Map(props.offices.map((o) => [o.officeID, o.name]));
  // what happened, in words: a known step's label, never the internal action code
  const historyAction = (action: string) => {
    const key = `history.action.${action}`;
    return t((Object.hasOwn(Messages.en, key) ? key : "history.action.other") as MessageKey);
  };
  const specs = resource.columns.map((c) => c.context as FieldSpec).filter(Boolean);
  const moneyFields = new Set(
    resource.columns.filter((c) => c.valueFormatter === moneyFormatter).map((c) => c.field as string),
  );
  // the operation's configured fields (issue 19): their values in history read like the record page shows them
  const catalogue = useCatalogue(resource.key);
  const configuredDef = (key: string) => catalogue?.all.find((d) => d.key === key);
  const show = (f: string, v: unknown): string => {
    const def = f.startsWith("fields.") ? configuredDef(f.slice(7)) : undefined;
    if (def) return configuredText(i18n, catalogue, def, v);
    if (f === "fields" && v && typeof v === "object" && !Array.isArray(v))
      return Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined && x !== null && x !== "")
        .map(([k, x]) => `${field(`fields.${k}`)}: ${show(`fields.${k}`, x)}`)
        .join(" · ");
    const spec = specs.find((s) => s.field === f);
    // an amount in minor units reads as money in the record's currency, as its grid shows it
    const currency = record?.currency;
    if (typeof v === "number" && typeof currency === "string" && moneyFields.has(f))
      return formatMoney(i18n.locale, currency, v);
    if (spec?.kind === "date") return i18n.date(v as string);
    if (spec?.kind === "datetime" || f === "timeUpdated") return i18n.dateTime(v as string);
    // an instant kept as text (an appointment's start, a trip's departure) still reads as a local time
    if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return i18n.dateTime(v);
    if (spec?.kind === "bool" && typeof v === "boolean") return t(v ? "common.yes" : "common.no");
    if (spec) return toText(spec, v, i18n.lang, offices, true);
    // Nested values (a departure {at, by}, a destination {name, adm}): "Field: value" pairs, times in the locale.
    const scalar = (x: unknown): string =>
      typeof x === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(x)
        ? i18n.dateTime(x)
        : typeof x === "object" && x !== null
          ? JSON.stringify(x)
          : String(x ?? "");
    if (v && typeof v === "object" && !Array.isArray(v))
      return Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined && x !== null && x !== "")
        .map(([k, x]) => `${field(k)}: ${scalar(x)}`)
        .join(" · ");
    return Array.isArray(v) ? v.map(scalar).join("; ") : scalar(v);
  };
  return (
    <section className="page record" aria-labelledby="page-title">
      <a
        href={`/${resource.key}`}
        onClick={(e) => {
          e.preventDefault();
          navigate(`/${resource.key}`);
        }}
      >
        ← {t("record.back")}
      </a>
      <h1 id="page-title">
        {/* a record without a readable number is titled by its kind, never by its internal ID */}
        {record && !isRawID(record[resource.titleField])
          ? String(record[resource.titleField] ?? "")
          : field(resource.idField)}
      </h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="record-layout">
        <section className="card" aria-labelledby="details">
          <h2 id="details">{t("record.details")}</h2>
          {record && (
            <dl className="fields">
              {/* the record's own internal ID is not a detail a person reads */}
              {specs
                .filter((s) => s.field !== resource.idField)
                .map((s) => (
                  <div key={s.field}>
                    <dt>{field(s.field)}</dt>
                    <dd>
                      <Linked
                        field={s.field}
                        own={resource.idField}
                        value={getPath(record, s.field)}
                        record={record}
                      >
                        {show(s.field, getPath(record, s.field)) || "—"}
                      </Linked>
                    </dd>
                  </div>
                ))}
            </dl>
          )}
        </section>
        {record && (
          <ConfiguredSection
            resource={resource}
            id={id}
            record={record}
            reload={() => setReloads((n) => n + 1)}
          />
        )}
        <RecordDecisions resourceKey={resource.key} id={id} reload={() => setReloads((n) => n + 1)} />
        {resource.panel && record && (
          <resource.panel id={id} record={record} reload={() => setReloads((n) => n + 1)} />
        )}
        <section className="card" aria-labelledby="history">
          <h2 id="history">{t("record.history")}</h2>
          {historyError && <p className="muted">{historyError}</p>}
          {history && history.length === 0 && !historyError && (
            <p className="muted">{t("record.noHistory")}</p>
          )}
          {history && history.length > 0 && (
            <ol className="timeline">
              {[...history].reverse().map((h) => (
                <li key={h.auditID}>
                  <div className="when">
                    <strong>{historyAction(h.action)}</strong> · {i18n.dateTime(h.time)} ·{" "}
                    <span className="muted">{h.actorName ?? h.actorID}</span>
                  </div>
                  {h.reason && <div className="muted">{h.reason}</div>}
                  {h.changes && (
                    <table className="plain small">
                      <tbody>
                        {Object.entries(h.changes).map(([f, c]) => (
                          <tr key={f}>
                            <th scope="row">{field(f)}</th>
                            <td className="before">{show(f, c.before)}</td>
                            <td aria-hidden>→</td>
                            <td className="after">{show(f, c.after)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )}
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
    </section>
  );
}

/** A field holding another record's ID (householdID, tripID…) links to that record's page. */
function Linked(props: { field: string; own: string; value: unknown; record: Values; children: string }) {
  const target =
    props.field !== props.own && typeof props.value === "string" && props.value
      ? resources.find((r) => r.idField === props.field)
      : undefined;
  // a name the record carries for its reference (a payment's `payeeName`) is used as is, without asking for the
  // referenced record; `<x>Readable: false` says the reader may not open it, so it is not a link
  const base = props.field.replace(/ID$/, "");
  const carried =
    typeof props.record[`${base}Name`] === "string" ? (props.record[`${base}Name`] as string) : undefined;
  // a referenced record reads by its name or number, not by its ID
  const name =
    useRefName(target?.key ?? "", target && carried === undefined ? props.value : undefined) ?? carried;
  // a colleague (assignedTo, createdBy…) reads by name
  if (!target) return isStaffValue(props.value) ? <StaffList value={props.value} /> : <>{props.children}</>;
  if (name === "—") return <>—</>;
  if (carried !== undefined && props.record[`${base}Readable`] === false) return <>{carried}</>;
  const href = `/${target.key}/${encodeURIComponent(props.value as string)}`;
  return (
    <a
      href={href}
      onClick={(e) => {
        e.preventDefault();
        navigate(href);
      }}
    >
      {isRawID(props.value) && namesRecords(target.key) ? (name ?? "…") : props.children}
    </a>
  );
}
