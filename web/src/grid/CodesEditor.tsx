import { codeLabel } from "@waypoint/schema";
import type { CustomCellEditorProps } from "ag-grid-react";
import type { FieldSpec, GridContext } from "./fields.ts";

/** Multi-select of coded values (e.g. specific needs), as a popup of labelled checkboxes. */
export function CodesEditor(p: CustomCellEditorProps) {
  const spec = p.colDef.context as FieldSpec;
  const ctx = p.context as GridContext;
  const value: string[] = Array.isArray(p.value) ? (p.value as string[]) : [];
  const table = spec.table ?? {};
  return (
    <div className="codes-editor" role="group" aria-label={ctx.i18n.field(spec.field)}>
      {Object.keys(table).map((code) => (
        <label key={code}>
          <input
            type="checkbox"
            checked={value.includes(code)}
            onChange={(e) =>
              p.onValueChange(e.target.checked ? [...value, code] : value.filter((c) => c !== code))
            }
          />
          <span className="code">{code}</span> {codeLabel(table, code, ctx.i18n.lang)}
        </label>
      ))}
      <button type="button" onClick={() => p.stopEditing()}>
        OK
      </button>
    </div>
  );
}
