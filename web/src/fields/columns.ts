import { useMemo } from "react";
import type { ColDef, ValueFormatterParams } from "ag-grid-community";
import type { FieldDefinition } from "@waypoint/schema";
import { z } from "zod";
import { loadSession } from "../api/client.ts";
import { columnsFor, type FieldSpec, type GridContext } from "../grid/fields.ts";
import { refColumn } from "../grid/RefCell.tsx";
import { codeTable, roleEdits, updateActionOf, useCatalogue, type Catalogue } from "./catalogue.ts";

/** The collection that names the records a reference field points to. */
const REF_COLLECTION: Record<string, string> = {
  individual: "individuals",
  household: "households",
  case: "cases",
  payee: "payees",
};

const groupCount = (p: ValueFormatterParams) =>
  Array.isArray(p.value) ? new Intl.NumberFormat(document.documentElement.lang || "en").format(p.value.length) : "";

/**
 * Grid columns of a collection's configured fields (`fields.<key>`), from their definitions: the kind of cell the
 * type asks for (codes as labels in the user's language, yes/no, dates, numbers), editable only when the role may
 * change the record and the field. Fields the role may not see are not in the catalogue at all.
 */
export function configuredColumns(resourceKey: string, catalogue: Catalogue | undefined): ColDef[] {
  if (!catalogue || catalogue.fields.length === 0) return [];
  const me = loadSession()?.me;
  const action = updateActionOf(resourceKey);
  const mayUpdate = Boolean(me && action && (!me.permissions || me.permissions.includes(action)));
  // a repeating group is read-only in a cell (its entries are changed on the record page)
  const editable = (d: FieldDefinition) => mayUpdate && roleEdits(d, me?.role) && d.type !== "group";
  // the builders decide editability by the patch schema's keys: here, the fields this role may change
  const shape = Object.fromEntries(
    catalogue.fields.filter(editable).map((d) => [`fields.${d.key}`, z.unknown()] as const),
  );
  const c = columnsFor<Record<string, unknown>>(z.object(shape));
  return catalogue.fields.map((def) => {
    const field = `fields.${def.key}`;
    const list = def.options ? catalogue.lists.get(def.options) : undefined;
    const table = codeTable(list);
    let col: ColDef;
    switch (def.type) {
      case "number":
        col = c.number(field);
        break;
      case "date":
        col = c.date(field);
        break;
      case "yesNo":
        col = c.bool(field);
        break;
      case "oneOf":
        col = c.enum(field, table, {
          // only codes in use are offered; a retired one still reads by its label
          cellEditorParams: (p: { context: unknown }) => ({
            values: Object.keys(codeTable(list, true)),
            formatValue: (v: string) =>
              table[v]?.[(p.context as GridContext).i18n.lang] ?? table[v]?.en ?? v,
          }),
        });
        break;
      case "manyOf":
        col = c.codes(field, codeTable(list, true), {
          valueFormatter: (p: ValueFormatterParams) =>
            Array.isArray(p.value)
              ? p.value
                  .map((v: string) => {
                    const lang = (p.context as GridContext).i18n.lang;
                    return table[v]?.[lang] ?? table[v]?.en ?? v;
                  })
                  .join(", ")
              : "",
        });
        break;
      case "group":
        col = c.readonly(field, { valueFormatter: groupCount });
        break;
      case "reference": {
        // a link to another record reads, filters and sorts by that record's name or number, never its ID
        const coll = REF_COLLECTION[def.referenceType ?? ""];
        col = coll ? c.text(field, { ...refColumn(coll), width: 190 }) : c.text(field);
        break;
      }
      case "longText":
        col = c.text(field, { width: 240 });
        break;
      default:
        col = c.text(field, { width: 170 });
    }
    (col.context as FieldSpec).configured = { def, list };
    return col;
  });
}

/** The configured columns of a collection, as its catalogue arrives (stable while it does not change). */
export function useConfiguredColumns(resourceKey: string): ColDef[] {
  const catalogue = useCatalogue(resourceKey);
  return useMemo(() => configuredColumns(resourceKey, catalogue), [resourceKey, catalogue]);
}
