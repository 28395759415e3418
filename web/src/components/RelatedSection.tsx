import { useCallback, useEffect, useState, type ReactNode } from "react";
import { api } from "../api/client.ts";
import { getPath } from "../grid/fields.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { navigate } from "../nav.ts";
import { showValue, type FormField } from "./formFields.ts";
import { recordName, useOffices, useRecords } from "./lookups.ts";
import { Modal } from "./Modal.tsx";
import { RecordForm, type RecordFormProps } from "./RecordForm.tsx";
import "./forms.css";

type Row = Record<string, unknown>;

/** A list of related records, loaded from `path` (a list API answering `{items}`), reloaded after every change. */
export function useRelated(path: string | null, sort?: (a: Row, b: Row) => number) {
  const [items, setItems] = useState<Row[] | null>(null);
  const [failed, setFailed] = useState(false);
  const load = useCallback(() => {
    if (!path) return setItems([]);
    api<{ items: Row[] }>("GET", path)
      .then((r) => {
        setFailed(false);
        setItems(sort ? [...r.items].sort(sort) : r.items);
      })
      .catch(() => {
        setFailed(true);
        setItems([]);
      });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a sort function is a constant of its caller
  }, [path]);
  useEffect(load, [load]);
  return { items, failed, reload: load };
}

export const newestFirst = (a: Row, b: Row) =>
  String(b.timeCreated ?? b.start ?? "").localeCompare(String(a.timeCreated ?? a.start ?? ""));

/**
 * One section of a record page: the related records of one kind (names, translated codes, dates in the user's
 * locale; references shown by name), a link to each record's own page, and an "add" action that opens a
 * RecordForm in a modal when the role may add one.
 */
export function RelatedSection(props: {
  title: string;
  /** List API of the related records; or `items` when the page already has them. */
  path?: string | null;
  items?: Row[] | null;
  /** The columns; `render` draws a cell of its own (e.g. a record's configured values) instead of its text. */
  columns: (FormField & { render?: (row: Row) => ReactNode })[];
  empty: string;
  sort?: (a: Row, b: Row) => number;
  /** The page of one row (e.g. `/referrals/<id>`). */
  link?: (row: Row) => string | undefined;
  /** Which column the link sits on (the first by default). */
  linkField?: string;
  /** Extra content per row (actions, a score…), in a last column. */
  extra?: (row: Row, reload: () => void) => ReactNode;
  /** The add action: shown only when given (the caller checks the role's permission). */
  add?: {
    label: string;
    title?: string;
    form?: Omit<RecordFormProps, "onDone" | "onCancel" | "submitLabel"> & {
      submitLabel?: string;
    };
    /** A form of its own (e.g. booking, which checks conflicts as it is filled in), instead of `form`. */
    render?: (done: () => void, cancel: () => void) => ReactNode;
  };
  onChanged?: () => void;
  children?: ReactNode;
  id?: string;
}) {
  const i18n = useI18n();
  const { t, field } = i18n;
  const offices = useOffices();
  const own = useRelated(props.items === undefined ? (props.path ?? null) : null, props.sort);
  const items = props.items !== undefined ? props.items : own.items;
  const [adding, setAdding] = useState(false);
  const refIDs = (kind: string) =>
    (items ?? []).flatMap((r) =>
      props.columns
        .filter((c) => c.kind === "ref" && (c.ref ?? "individuals") === kind)
        .flatMap((c) => {
          const v = r[c.field];
          return Array.isArray(v) ? v.map(String) : v ? [String(v)] : [];
        }),
    );
  const people = useRecords("individuals", refIDs("individuals"));
  const cases = useRecords("cases", refIDs("cases"));
  const households = useRecords(
    "households",
    props.columns.some((c) => c.kind === "household")
      ? (items ?? []).map((r) => String(r.householdID ?? "")).filter(Boolean)
      : [],
  );
  const refs = new Map<string, string>();
  for (const [id, r] of people) refs.set(id, recordName("individuals", r) ?? "");
  for (const [id, r] of cases) refs.set(id, recordName("cases", r) ?? "");
  for (const [id, r] of households) refs.set(id, recordName("households", r) ?? "");
  const headingID = props.id ?? `sec-${props.title.replace(/\W/g, "-")}`;
  return (
    <section className="card related" aria-labelledby={headingID}>
      <div className="related-head">
        <h2 id={headingID}>{props.title}</h2>
        {props.add && (
          <button aria-haspopup="dialog" type="button" className="primary" onClick={() => setAdding(true)}>
            {props.add.label}
          </button>
        )}
      </div>
      {props.children}
      {items === null && <p className="muted">{t("related.loading")}</p>}
      {items && items.length === 0 && (
        <p className="muted">{own.failed ? t("related.failed") : props.empty}</p>
      )}
      {items && items.length > 0 && (
        <table className="plain">
          <thead>
            <tr>
              {props.columns.map((c) => (
                <th key={c.field} scope="col">
                  {c.label ?? field(c.field)}
                </th>
              ))}
              {props.extra && <th aria-hidden />}
            </tr>
          </thead>
          <tbody>
            {items.map((r, i) => {
              const href = props.link?.(r);
              return (
                <tr key={String(r[Object.keys(r).find((k) => k.endsWith("ID")) ?? ""] ?? i) + i}>
                  {props.columns.map((c, ci) => {
                    if (c.render) return <td key={c.field}>{c.render(r)}</td>;
                    const text =
                      showValue(c, c.get ? c.get(r) : getPath(r, c.field), i18n, { offices, refs }) || "—";
                    const linked = href && (props.linkField ? props.linkField === c.field : ci === 0);
                    return (
                      <td key={c.field} className={c.kind === "textarea" ? "long" : undefined}>
                        {linked ? (
                          <a
                            href={href}
                            onClick={(e) => {
                              e.preventDefault();
                              navigate(href);
                            }}
                          >
                            {text}
                          </a>
                        ) : (
                          text
                        )}
                      </td>
                    );
                  })}
                  {props.extra && <td>{props.extra(r, own.reload)}</td>}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {adding && props.add && (
        <Modal title={props.add.title ?? props.add.label} onClose={() => setAdding(false)} wide>
          {props.add.render ? (
            props.add.render(
              () => {
                setAdding(false);
                own.reload();
                props.onChanged?.();
              },
              () => setAdding(false),
            )
          ) : (
            <RecordForm
              {...props.add.form!}
              submitLabel={props.add.form?.submitLabel ?? t("form.submit")}
              onCancel={() => setAdding(false)}
              onDone={() => {
                setAdding(false);
                own.reload();
                props.onChanged?.();
              }}
            />
          )}
        </Modal>
      )}
    </section>
  );
}
