import { useState } from "react";
import { Modal } from "../components/Modal.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import type { Resource } from "../domains/resources.ts";
import { toText, type FieldSpec } from "./fields.ts";
import { valueAt, type GridStore, type Values } from "./store.ts";

export interface Conflict {
  key: string;
  title: string;
  current: Values;
  fields: string[];
}

export function conflictsOf(store: GridStore, resource: Resource): Conflict[] {
  const out: Conflict[] = [];
  for (const [key, o] of store.outcomes) {
    if (o.status !== "conflict" || !o.current) continue;
    const fields = [...(store.edits.get(key)?.keys() ?? [])];
    out.push({ key, title: String(o.current[resource.titleField] ?? key), current: o.current, fields });
  }
  return out;
}

/** Shows, per conflicting row and field, their saved value beside the user's; the user keeps one of the two. */
export function ConflictDialog(props: {
  conflicts: Conflict[];
  store: GridStore;
  specs: Map<string, FieldSpec>;
  onResolve: (keepMine: Map<string, string[]>) => void;
  onClose: () => void;
}) {
  const { t, field, lang } = useI18n();
  const [choice, setChoice] = useState<Record<string, "mine" | "theirs">>({});
  const show = (f: string, v: unknown) => {
    const spec = props.specs.get(f);
    return spec ? toText(spec, v, lang) : String(v ?? "");
  };
  return (
    <Modal title={t("conflict.title")} onClose={props.onClose} wide>
      <p className="muted">{t("conflict.help")}</p>
      {props.conflicts.map((c) => (
        <section key={c.key} className="conflict" aria-label={c.title}>
          <h3>{c.title}</h3>
          <table className="plain">
            <thead>
              <tr>
                <th>{t("conflict.field")}</th>
                <th>{t("conflict.theirs")}</th>
                <th>{t("conflict.yours")}</th>
              </tr>
            </thead>
            <tbody>
              {c.fields.map((f) => {
                const id = `${c.key}:${f}`;
                const pick = choice[id] ?? "mine";
                return (
                  <tr key={f} data-field={f}>
                    <td>{field(f)}</td>
                    <td>
                      <label>
                        <input
                          type="radio"
                          name={id}
                          checked={pick === "theirs"}
                          onChange={() => setChoice({ ...choice, [id]: "theirs" })}
                        />{" "}
                        <span className="theirs">{show(f, valueAt(c.current, f))}</span>
                      </label>
                    </td>
                    <td>
                      <label>
                        <input
                          type="radio"
                          name={id}
                          checked={pick === "mine"}
                          onChange={() => setChoice({ ...choice, [id]: "mine" })}
                        />{" "}
                        <span className="mine">{show(f, props.store.value(c.key, f))}</span>
                      </label>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      ))}
      <div className="actions">
        <button type="button" onClick={props.onClose}>
          {t("conflict.later")}
        </button>
        <button
          type="button"
          className="primary"
          onClick={() =>
            props.onResolve(
              new Map(
                props.conflicts.map((c) => [
                  c.key,
                  c.fields.filter((f) => (choice[`${c.key}:${f}`] ?? "mine") === "mine"),
                ]),
              ),
            )
          }
        >
          {t("conflict.apply")}
        </button>
      </div>
    </Modal>
  );
}
