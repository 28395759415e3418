import { validateConfiguredValue, type CodeList, type ValueDefinition } from "@waypoint/schema";
import { describe, expect, it } from "vitest";
import { issueText } from "../components/formFields.ts";
import { makeI18n } from "../i18n/i18n.tsx";
import type { Lang } from "../i18n/messages.ts";
import { groupIssue } from "./GroupRows.tsx";

/**
 * A configured value refused by its rule reaches the person in their language, in a form as in the grid (issue 19):
 * the messages come from the contract itself (`validateConfiguredValue`, what core sends as `invalid.value` and what
 * the forms check before sending), so a new wording of a rule that the catalogue does not know shows here.
 */
const L = (en: string) => ({ en, es: en, fr: en, ar: en });
const list = {
  listKey: "embassies",
  codes: [{ code: "SEN", labels: L("Embassy of Senegal") }],
} as unknown as CodeList;
const cases: { name: string; def: ValueDefinition; value: unknown; es: string; kind?: "enum" }[] = [
  { name: "above the range", def: { key: "age", type: "number", labels: L("Age"), min: 0, max: 120 } as never, value: 130, es: "Edad: Debe ser como máximo 120" },
  { name: "below the range", def: { key: "age", type: "number", labels: L("Age"), min: 0, max: 120 } as never, value: -1, es: "Edad: Debe ser al menos 0" },
  { name: "not a number", def: { key: "age", type: "number", labels: L("Age") } as never, value: "doce", es: "Edad: Escriba un número" },
  { name: "not a real date", def: { key: "age", type: "date", labels: L("Age") } as never, value: "2026-02-30", es: "Edad: Escriba una fecha como día/mes/año" },
  { name: "not a phone number", def: { key: "age", type: "phone", labels: L("Age") } as never, value: "12345", es: "Edad: No es un número de teléfono" },
  { name: "not a code of the list", def: { key: "age", type: "oneOf", options: "embassies", labels: L("Age") } as never, value: "XXX", kind: "enum", es: "Edad: elija una de las opciones" },
];
const langs: Lang[] = ["es", "fr", "ar"];

describe("configured values' problems in the user's language", () => {
  for (const c of cases)
    it(`${c.name}: the API's invalid.value in es/fr/ar, never the contract's English`, () => {
      const r = validateConfiguredValue(c.def, c.value, list);
      expect(r.ok).toBe(false);
      const issue = { ...(r as { issues: { path: string; message: string }[] }).issues[0]!, code: "invalid.value" };
      expect(issue.path).toBe("fields.age");
      const es = issueText(makeI18n("es"), "Edad", issue, false, c.kind ?? "text");
      expect(es.toLowerCase()).toBe(c.es.toLowerCase());
      for (const lang of langs) {
        const text = issueText(makeI18n(lang), "X", issue, false, c.kind ?? "text");
        expect(text).not.toContain(issue.message);
        expect(text).not.toBe(issueText(makeI18n("en"), "X", issue, false, c.kind ?? "text"));
      }
      // Arabic: the sentence is written in Arabic script
      expect(issueText(makeI18n("ar"), "العمر", issue, false, c.kind ?? "text")).toMatch(/[\u0600-\u06ff].*[\u0600-\u06ff]/);
    });

  it("a required value left out says so, naming the field", () => {
    const r = validateConfiguredValue({ key: "age", type: "number", labels: L("Age"), required: true } as never, null);
    const issue = { ...(r as { issues: { path: string; message: string }[] }).issues[0]!, code: "invalid.required" };
    expect(issueText(makeI18n("es"), "Edad", issue, true, "number")).toBe("Edad: este dato es obligatorio");
    expect(issueText(makeI18n("ar"), "العمر", issue, true, "number")).toBe("العمر: هذا الحقل مطلوب");
  });

  it("the same check before sending (the form's own zod issue codes) reads the same", () => {
    const issue = { path: "fields.age", code: "too_big", message: "must be at most 120" };
    expect(issueText(makeI18n("es"), "Edad", issue, false, "number")).toBe("Edad: Debe ser como máximo 120");
    expect(issueText(makeI18n("ar"), "العمر", issue, false, "number")).toBe("العمر: يجب ألا تزيد على 120");
  });

  it("a repeating group's problem lands on its entry and sub-field, in the user's language", () => {
    const subs = [
      { key: "name", type: "text", labels: { en: "Name", es: "Nombre", fr: "Nom", ar: "الاسم" }, required: true },
      { key: "age", type: "number", labels: { en: "Age", es: "Edad", fr: "Âge", ar: "العمر" }, required: false, min: 0, max: 120 },
    ] as never;
    const r = validateConfiguredValue(
      { key: "household", type: "group", labels: L("Household"), subFields: subs } as never,
      [{ name: "Awa", age: 34 }, { name: "Moussa", age: 130 }],
    );
    expect(r.ok).toBe(false);
    const issue = (r as { issues: { path: string; message: string }[] }).issues[0]!;
    expect(issue.path).toBe("fields.household.1.age");
    const rest = issue.path.slice("fields.household.".length);
    expect(groupIssue("es", "Miembros del hogar", subs, rest, issue.message)).toEqual({
      at: "1.age",
      inline: "Debe ser como máximo 120",
      summary: "Miembros del hogar · Entrada 2 · Edad: Debe ser como máximo 120",
    });
    expect(groupIssue("ar", "أفراد الأسرة", subs, rest, issue.message)?.inline).toBe("يجب ألا تزيد على 120");
    expect(groupIssue("es", "Miembros del hogar", subs, "", issue.message)).toBeUndefined();
  });
});
