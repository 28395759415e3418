import type { ColDef, Column, GridApi, IRowNode } from "ag-grid-community";
import { describe, expect, it } from "vitest";
import { label } from "@waypoint/schema";
import { z } from "zod";
import { makeI18n } from "../i18n/i18n.tsx";
import { columnsFor, type FieldSpec, type GridContext } from "./fields.ts";
import { keyedSort } from "./keyedSort.ts";
import { pathReader } from "./path.ts";
import { refText } from "./refNames.ts";
import { textFilterHandler, type TextModel } from "./textFilter.ts";

type Row = { paymentID: string; payeeID?: string | null; payeeName?: string; amount?: number };

// payees named by the rows themselves (a payment's list carries its payee's name): no look-up is needed
const rows: Row[] = [
  { paymentID: "p1", payeeID: "pye_01JAAAAAAAAAAAAAAAAAAAAAAA", payeeName: "Zainab Bakr", amount: 3 },
  { paymentID: "p2", payeeID: "pye_01JBBBBBBBBBBBBBBBBBBBBBBB", payeeName: "Amina Haddad", amount: 1 },
  { paymentID: "p3", payeeID: null, amount: 2 },
  { paymentID: "p4", payeeID: "pye_01JCCCCCCCCCCCCCCCCCCCCCCC", payeeName: "Bashir Nouri", amount: 5 },
  // a value that is no ID (typed before the field was a reference) reads as it is
  { paymentID: "p5", payeeID: "Hand-written payee", amount: 4 },
];
const context = { i18n: makeI18n("en") } as GridContext;
const c = columnsFor<Row>(z.object({ payeeID: z.string() }));
// what RefCell.tsx's refColumn adds to a column besides the renderer (RefCell.tsx needs a browser to load)
const payee = c.readonly("payeeID", refText("payees", { name: "payeeName", readable: "payeeReadable" }));
const amount = c.number("amount");

/** AG Grid's reading of a column's filter value: its filterValueGetter, with the row's own getValue. */
const filterValue = (col: ColDef<Row>) => (node: IRowNode<Row>) =>
  (col.filterValueGetter as (p: unknown) => unknown)({
    data: node.data,
    node,
    colDef: col,
    context,
    getValue: (field: string) => pathReader(field)(node.data),
  });
function filtered(col: ColDef<Row>, model: TextModel) {
  const handler = textFilterHandler({ colDef: col as ColDef });
  handler.init!({ filterParams: {} } as never);
  return rows
    .map((data) => ({ data }) as IRowNode<Row>)
    .filter((node) =>
      handler.doesFilterPass({
        model,
        node,
        data: node.data,
        handlerParams: { getValue: filterValue(col) },
      } as never),
    )
    .map((n) => n.data!.paymentID);
}
function sorted(col: ColDef<Row>, sort: "asc" | "desc") {
  const column = { getColDef: () => col, getColId: () => col.field } as unknown as Column;
  const api = { getColumn: () => column, getGridOption: () => context } as unknown as GridApi;
  const nodes = rows.map((data) => ({ data }) as IRowNode);
  keyedSort(api, nodes, [{ colId: col.field as string, sort }]);
  return nodes.map((n) => (n.data as Row).paymentID);
}

describe("a column of references", () => {
  it("filters by the name its cells show, never by the stored ID", () => {
    expect(filtered(payee, { filterType: "text", type: "contains", filter: "amina" })).toEqual(["p2"]);
    expect(filtered(payee, { filterType: "text", type: "startsWith", filter: "Bashir N" })).toEqual(["p4"]);
    expect(filtered(payee, { filterType: "text", type: "contains", filter: "pye_01JB" })).toEqual([]);
    expect(filtered(payee, { filterType: "text", type: "contains", filter: "hand-written" })).toEqual(["p5"]);
    expect(filtered(payee, { filterType: "text", type: "blank" })).toEqual(["p3"]);
  });

  it("sorts by that name (empty first ascending, last descending), not by the ID", () => {
    expect(sorted(payee, "asc")).toEqual(["p3", "p2", "p4", "p5", "p1"]);
    expect(sorted(payee, "desc")).toEqual(["p1", "p5", "p4", "p2", "p3"]);
  });

  it("is the only kind of column with a sort key of its own: others sort by the stored value", () => {
    expect((payee.context as FieldSpec).ref).toBe("payees");
    expect((payee.context as FieldSpec).sortKey).toBeTypeOf("function");
    expect((payee.context as FieldSpec).field).toBe("payeeID");
    expect((amount.context as FieldSpec).sortKey).toBeUndefined();
    expect(sorted(amount, "asc")).toEqual(["p2", "p3", "p1", "p5", "p4"]);
  });
});

describe("household and office columns", () => {
  type Person = { individualID: string; householdID?: string; officeID?: string };
  const people: Person[] = [
    { individualID: "i1", householdID: "hh_b", officeID: "off_1" },
    { individualID: "i2", householdID: "hh_a", officeID: "off_2" },
    { individualID: "i3" },
    { individualID: "i4", householdID: "hh_c", officeID: "off_3" },
  ];
  // IDs in one order, the numbers and names they show in another
  const ctx = {
    i18n: makeI18n("es"),
    households: new Map([
      ["hh_a", "MEX-HH-0300"],
      ["hh_b", "MEX-HH-0100"],
      ["hh_c", "MEX-HH-0200"],
    ]),
    offices: new Map([
      ["off_1", "Tapachula"],
      ["off_2", "Ciudad de México"],
      ["off_3", "Monterrey"],
    ]),
  } as unknown as GridContext;
  const p = columnsFor<Person>(z.object({ householdID: z.string(), officeID: z.string() }));
  function order(col: ColDef<Person>) {
    const column = { getColDef: () => col, getColId: () => col.field } as unknown as Column;
    const api = { getColumn: () => column, getGridOption: () => ctx } as unknown as GridApi;
    const nodes = people.map((data) => ({ data }) as IRowNode);
    keyedSort(api, nodes, [{ colId: col.field as string, sort: "asc" }]);
    return nodes.map((n) => (n.data as Person).individualID);
  }

  it("sort by the registration number and the office name they show, not by the IDs", () => {
    expect(order(p.household("householdID"))).toEqual(["i3", "i1", "i4", "i2"]);
    expect(order(p.office("officeID"))).toEqual(["i3", "i2", "i4", "i1"]);
  });
});

describe("a column of codes shown by their names", () => {
  type Person = { individualID: string; nationality?: string | null };
  const table = {
    ARE: label(
      "United Arab Emirates",
      "Emiratos Árabes Unidos",
      "Émirats arabes unis",
      "الإمارات العربية المتحدة",
    ),
    COL: label("Colombia", "Colombia", "Colombie", "كولومبيا"),
    DEU: label("Germany", "Alemania", "Allemagne", "ألمانيا"),
    EGY: label("Egypt", "Egipto", "Égypte", "مصر"),
    ZMB: label("Zambia", "Zambia", "Zambie", "زامبيا"),
  };
  const people: Person[] = [
    { individualID: "are", nationality: "ARE" },
    { individualID: "col", nationality: "COL" },
    { individualID: "none", nationality: null },
    { individualID: "deu", nationality: "DEU" },
    { individualID: "egy", nationality: "EGY" },
    { individualID: "zmb", nationality: "ZMB" },
  ];
  const p = columnsFor<Person>(z.object({ nationality: z.string() }));
  const col = p.enum("nationality", table);
  function order(lang: "en" | "es" | "fr", sort: "asc" | "desc") {
    const ctx = { i18n: makeI18n(lang) } as GridContext;
    const column = { getColDef: () => col, getColId: () => col.field } as unknown as Column;
    const api = { getColumn: () => column, getGridOption: () => ctx } as unknown as GridApi;
    const nodes = people.map((data) => ({ data }) as IRowNode);
    keyedSort(api, nodes, [{ colId: "nationality", sort }]);
    return nodes.map((n) => (n.data as Person).individualID);
  }

  it("sorts by the names in the user's language and its alphabet (É beside E), not by the codes", () => {
    expect(order("en", "asc")).toEqual(["none", "col", "egy", "deu", "are", "zmb"]);
    expect(order("es", "asc")).toEqual(["none", "deu", "col", "egy", "are", "zmb"]);
    expect(order("fr", "asc")).toEqual(["none", "deu", "col", "egy", "are", "zmb"]);
    expect(order("fr", "desc")).toEqual(["zmb", "are", "egy", "col", "deu", "none"]);
  });
});
