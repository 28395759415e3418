import { useState } from "react";
import { codeLabel } from "@waypoint/schema";
import { Modal } from "../components/Modal.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import type { FieldSpec } from "./fields.ts";

/** "Set field for selected rows": one field, one value, applied to every selected row as one undoable step. */
export function SetFieldDialog(props: {
  count: number;
  specs: FieldSpec[];
  offices: Map<string, string>;
  onApply: (field: string, text: string) => void;
  onClose: () => void;
}) {
  const { t, field, lang } = useI18n();
  const [name, setName] = useState(props.specs[0]?.field ?? "");
  const [text, setText] = useState("");
  const spec = props.specs.find((s) => s.field === name);
  const options =
    spec?.kind === "enum" && spec.table
      ? Object.keys(spec.table).map((c) => [c, codeLabel(spec.table!, c, lang)] as const)
      : spec?.kind === "office"
        ? [...props.offices.entries()]
        : spec?.kind === "bool"
          ? ([
              ["yes", t("common.yes")],
              ["no", t("common.no")],
            ] as const)
          : null;
  return (
    <Modal title={t("setField.title", { n: props.count })} onClose={props.onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          props.onApply(name, text);
        }}
      >
        <label>
          {t("setField.field")}
          <select value={name} onChange={(e) => (setName(e.target.value), setText(""))}>
            {props.specs.map((s) => (
              <option key={s.field} value={s.field}>
                {field(s.field)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("setField.value")}
          {options ? (
            <select value={text} onChange={(e) => setText(e.target.value)}>
              <option value="" />
              {options.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          ) : (
            <input
              value={text}
              onChange={(e) => setText(e.target.value)}
              type={spec?.kind === "date" ? "date" : "text"}
            />
          )}
        </label>
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" className="primary">
            {t("setField.apply")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
