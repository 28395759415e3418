import type { ColDef } from "ag-grid-community";
import { useState } from "react";
import type { z } from "zod";
import { useI18n } from "../i18n/i18n.tsx";
import { isoToParts } from "./DateInput.tsx";
import { specsOf, type FormField } from "./formFields.ts";
import { useMe } from "./lookups.ts";
import { Modal } from "./Modal.tsx";
import { patchOne } from "./patchOne.ts";
import { RecordForm } from "./RecordForm.tsx";

type Row = Record<string, unknown>;

/** A stored value as the form holds it (date parts, text for lists and numbers). */
function toRaw(f: FormField, v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  if (f.kind === "date") return isoToParts(String(v));
  if (f.kind === "list") return Array.isArray(v) ? v.join(", ") : String(v);
  if (f.kind === "number") return String(v);
  return v;
}

const isReference = (field: string) => /ID$|IDs$|^assignedTo$/.test(field);
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * "Edit details" for any record type: the fields its grid may edit (the patch schema decides, as in the grid),
 * as a RecordForm, saved through the collection's bulk PATCH at the version read. Only changed fields are sent.
 */
export function EditDetails(props: {
  path: string;
  id: string;
  record: Row;
  columns: ColDef[];
  changes: z.ZodObject;
  /** The permission to change this kind of record (`case.update`…). */
  action: string;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const { mayOn } = useMe();
  const [open, setOpen] = useState(false);
  if (!mayOn(props.action, props.record)) return null;
  const fields: FormField[] = specsOf(props.columns)
    // references typed as IDs (a household, an assignee) are changed with their own pickers, not as text
    .filter((s) => s.editable && s.kind !== "household" && s.kind !== "readonly" && !isReference(s.field))
    .map((s) => ({ field: s.field, kind: s.kind, table: s.table }));
  const initial = Object.fromEntries(fields.map((f) => [f.field, toRaw(f, props.record[f.field])]));
  return (
    <>
      <button aria-haspopup="dialog" type="button" onClick={() => setOpen(true)}>
        {t("record.edit")}
      </button>
      {open && (
        <Modal title={t("record.edit")} onClose={() => setOpen(false)} wide>
          <RecordForm
            schema={props.changes}
            fields={fields}
            initial={initial}
            transform={(body) =>
              Object.fromEntries(
                fields
                  .filter((f) => !same(body[f.field], props.record[f.field]) && body[f.field] !== undefined)
                  .map((f) => [f.field, body[f.field]]),
              )
            }
            send={(changes) =>
              Object.keys(changes).length
                ? patchOne(props.path, props.id, Number(props.record.version), changes)
                : Promise.resolve(props.record)
            }
            submitLabel={t("form.submit")}
            onCancel={() => setOpen(false)}
            onDone={() => {
              setOpen(false);
              props.onSaved();
            }}
          />
        </Modal>
      )}
    </>
  );
}
