import ExcelJS from "exceljs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../packages/local/src/runtime.ts";
import { Messages } from "../../web/src/i18n/messages.ts";
import {
  apiCall,
  apiToken,
  buildWeb,
  cell,
  displayedRowIDs,
  DEMO_PASSWORD,
  givePurpose,
  launch,
  pasteText,
  registerIndividuals,
  startStack,
  TAP,
} from "./support.ts";

type Row = Record<string, unknown>;
let stack: LocalStack;
let browser: Browser;
let admin: string;
let ids: string[];

const PROGRES = { en: "proGres ID", es: "ID proGres", fr: "Identifiant proGres", ar: "رقم proGres" };
const EMBASSY = {
  en: "Referred by embassy",
  es: "Referido por la embajada",
  fr: "Orienté par l'ambassade",
  ar: "أحالته السفارة",
};
const MX = { en: "Embassy of Mexico", es: "Embajada de México", fr: "Ambassade du Mexique", ar: "سفارة المكسيك" };
const GT = {
  en: "Embassy of Guatemala",
  es: "Embajada de Guatemala",
  fr: "Ambassade du Guatemala",
  ar: "سفارة غواتيمالا",
};
const FAMILY = {
  en: "Family abroad",
  es: "Familia en el extranjero",
  fr: "Famille à l'étranger",
  ar: "العائلة في الخارج",
};
const DOCUMENTS = { en: "Documents held", es: "Documentos en su poder", fr: "Documents détenus", ar: "الوثائق المتوفرة" };
const ar = Messages.ar;

beforeAll(async () => {
  buildWeb();
  stack = await startStack();
  admin = await apiToken(stack.url, "admin@example.org");
  ids = await registerIndividuals(stack.url, admin, 6, "fld");
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const get = <T = Row>(path: string) => apiCall<T>(stack.url, admin, "GET", path);

/**
 * `openAs` with the sign-in page asked again when a first load stalls (as the crawl does: on a loaded machine a
 * second browser context's first load sometimes never shows the form).
 */
async function signedIn(email: string, path: string, lang: string, ready: string) {
  const ctx = await browser.newContext({
    viewport: { width: 1500, height: 1000 },
    timezoneId: "America/Mexico_City",
    locale: lang === "ar" ? "ar" : lang === "en" ? "en-GB" : `${lang}-MX`,
  });
  await ctx.addInitScript(`localStorage.setItem("waypoint.lang", ${JSON.stringify(lang)})`);
  const page = await ctx.newPage();
  for (let attempt = 1; ; attempt++) {
    await page.goto(`${stack.url}${path}`);
    try {
      await page.locator('input[type="email"]').waitFor({ timeout: 20_000 });
      break;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
  await page.locator('input[type="email"]').fill(email);
  await page.locator('input[type="password"]').fill(DEMO_PASSWORD);
  await page.locator('button[type="submit"]').click();
  await page.locator(ready).first().waitFor();
  return { ctx, page };
}

/** Fills four inputs named `<prefix>en|es|fr|ar` of a form. */
async function fillLabels(page: Page, scope: string, prefix: string, labels: Record<string, string>) {
  for (const [l, text] of Object.entries(labels)) await page.locator(`${scope} input[name="${prefix}${l}"]`).fill(text);
}

/**
 * Focuses a row's cell of a column far to the end of the grid (configured columns come after the built-in ones,
 * outside the first screen): a cell of the row, End to its last column, then back column by column.
 */
async function focusCell(page: Page, rowID: string, colID: string) {
  const at = () => page.evaluate(`document.activeElement?.closest("[col-id]")?.getAttribute("col-id") ?? null`);
  // Ctrl+arrow goes to the row's edge (the end is on the left in Arabic), an arrow the other way steps back
  for (const [edge, back] of [
    ["Control+ArrowRight", "ArrowLeft"],
    ["Control+ArrowLeft", "ArrowRight"],
  ]) {
    // the status column is pinned: on screen however far the grid is scrolled
    await cell(page, rowID, "__status").first().click();
    await page.keyboard.press(edge!);
    for (let i = 0; i < 4 && (await at()) !== colID; i++) await page.keyboard.press(back!);
    if ((await at()) === colID) return;
  }
  expect(await at()).toBe(colID);
}

describe("configured fields: an admin adds them, a caseworker works with them in Arabic", () => {
  it("an admin adds a proGres ID and a 'Referred by embassy' field in four languages; a caseworker in Arabic pastes, filters, exports them to XLSX with their HXL tags and edits them on the person's page", async () => {
    // --- the admin: a code list of embassies, then the two fields, with the API's refusal shown on its field
    const { ctx: adminCtx, page: a } = await signedIn("admin@example.org", "/code-lists", "en", "h1");
    await a.getByRole("button", { name: "New code list" }).click();
    const newList = a.getByRole("dialog", { name: "New code list" });
    await newList.locator('input[name="listKey"]').fill("embassy");
    await fillLabels(a, "dialog", "labels.", { en: "Embassies", es: "Embajadas", fr: "Ambassades", ar: "السفارات" });
    await newList.getByRole("button", { name: "Create the list" }).click();
    await a.getByRole("heading", { name: "Embassies" }).waitFor();
    for (const [code, labels] of [
      ["MX", MX],
      ["GT", GT],
    ] as const) {
      await a.getByRole("button", { name: "Add a code" }).click();
      const d = a.getByRole("dialog", { name: "New code" });
      await d.locator('input[name="code"]').fill(code);
      await fillLabels(a, "dialog", "code.labels.", labels);
      await d.getByRole("button", { name: "Add a code" }).click();
      await a.locator(`tr[data-code="${code}"]`).waitFor();
    }
    const list = await get<{ codes: { code: string; labels: Row }[]; version: number }>("/api/code-lists/embassy");
    expect(list.codes.map((c) => c.code)).toEqual(["MX", "GT"]);
    expect(list.codes[0]!.labels).toEqual(MX);

    await a.locator('nav.sidenav a[href="/fields"]').click();
    await a.getByRole("heading", { name: "Fields", exact: true }).waitFor();
    const addField = async (key: string, type: string, labels: Record<string, string>, hxl: string, options?: string) => {
      await a.getByRole("button", { name: "Add a field" }).click();
      const d = a.getByRole("dialog", { name: "New field" });
      await d.locator('input[name="key"]').fill(key);
      await d.locator('select[name="type"]').selectOption(type);
      if (options) await d.locator('select[name="options"]').selectOption({ label: options });
      await fillLabels(a, "dialog", "labels.", labels);
      await d.locator('input[name="hxl"]').fill(hxl);
      await d.getByRole("button", { name: "Save the field" }).click();
      return d;
    };
    await addField("progresId", "text", PROGRES, "#affected+id+progres");
    await a.locator('tr[data-field="progresId"]').waitFor();
    // the same key again: the API refuses it (keys are never reused) and says so on the key, in words
    const again = await addField("progresId", "oneOf", EMBASSY, "#affected+referral+embassy", "Embassies");
    await again.getByText("A field of this record type already uses this key").waitFor();
    await again.locator('input[name="key"]').fill("referredByEmbassy");
    await again.getByRole("button", { name: "Save the field" }).click();
    await a.locator('tr[data-field="referredByEmbassy"]').waitFor();
    const fields = await get<{ items: Row[] }>("/api/fields?recordType=individual");
    expect(fields.items.map((f) => [f.key, f.type, f.options ?? null, f.hxl, f.labels])).toEqual([
      ["progresId", "text", null, "#affected+id+progres", PROGRES],
      ["referredByEmbassy", "oneOf", "embassy", "#affected+referral+embassy", EMBASSY],
    ]);
    // making proGres ID required reports the records that lack it, with the way to the data-quality page
    await a.locator('tr[data-field="progresId"]').getByRole("button", { name: "Edit" }).click();
    const edit = a.getByRole("dialog", { name: /Edit the field/ });
    await edit.locator('input[name="required"]').check();
    await edit.getByRole("button", { name: "Save the field" }).click();
    await a.getByTestId("fields-notice").getByText("6 records have no value for “proGres ID” yet").waitFor();
    await a.getByTestId("fields-notice").getByRole("link", { name: "Open the data-quality page" }).click();
    const dq = a.getByTestId("dq-table").locator("tr", { hasText: "Required field missing: proGres ID" });
    await expect.poll(() => dq.locator("td.num").textContent()).toBe("6");
    const progres = (await get<{ items: Row[] }>("/api/fields?recordType=individual")).items[0]!;
    expect([progres.required, progres.version]).toEqual([true, 2]);

    // --- a caseworker, in Arabic: the columns carry the Arabic labels; a pasted block with labels in three
    // languages (and a code) is read into codes; a label of no code is flagged on its cell before any save
    const { ctx, page } = await signedIn("caseworker@example.org", "/individuals", "ar", ".ag-row");
    const order = (await displayedRowIDs(page)).filter((id) => ids.includes(id));
    expect(order.length).toBeGreaterThanOrEqual(5);
    await focusCell(page, order[0]!, "fields.progresId");
    await page.locator('.ag-header-cell[col-id="fields.progresId"]').getByText(PROGRES.ar).waitFor();
    await page.locator('.ag-header-cell[col-id="fields.referredByEmbassy"]').getByText(EMBASSY.ar).waitFor();
    await pasteText(
      page,
      ["P-001\tسفارة المكسيك", "P-002\tEmbajada de Guatemala", "P-003\tEmbassy of Mexico", "P-004\tسفارة كندا"].join("\n"),
    );
    const bad = cell(page, order[3]!, "fields.referredByEmbassy");
    await expect.poll(() => bad.getAttribute("class")).toContain("wp-invalid");
    await bad.click();
    await page.getByTestId("cell-message").getByText("ليست في القائمة: سفارة كندا").waitFor();
    // corrected with the list's code itself, then saved
    await pasteText(page, "MX");
    await expect.poll(() => bad.getAttribute("class")).not.toContain("wp-invalid");
    await page.getByTestId("save").click();
    const stored = async (id: string) => (await get<{ fields?: Row }>(`/api/individuals/${id}`)).fields ?? {};
    await expect.poll(() => stored(order[0]!)).toEqual({ progresId: "P-001", referredByEmbassy: "MX" });
    expect(await stored(order[1]!)).toEqual({ progresId: "P-002", referredByEmbassy: "GT" });
    expect(await stored(order[2]!)).toEqual({ progresId: "P-003", referredByEmbassy: "MX" });
    expect(await stored(order[3]!)).toEqual({ progresId: "P-004", referredByEmbassy: "MX" });

    // meanwhile the admin retires Guatemala: the caseworker's screen still offers it, the server refuses it, and
    // the refusal shows on that very cell
    await apiCall(stack.url, admin, "PATCH", "/api/code-lists/embassy", {
      version: (await get<{ version: number }>("/api/code-lists/embassy")).version,
      changes: { codes: [{ code: "GT", retired: true }] },
    });
    await focusCell(page, order[4]!, "fields.referredByEmbassy");
    await pasteText(page, GT.fr);
    await page.getByTestId("save").click();
    const refused = cell(page, order[4]!, "fields.referredByEmbassy");
    await expect.poll(() => refused.getAttribute("class"), { timeout: 30_000 }).toContain("wp-invalid");
    await expect
      .poll(() => page.locator(`.ag-row[row-id="${order[4]}"] .ag-cell[col-id="__status"]`).first().textContent())
      .toBe(ar["outcome.invalid"]);

    expect(await stored(order[4]!)).toEqual({});
    // Guatemala, saved for the second person before the admin retired it, stays (read by its label below)
    expect(await stored(order[1]!)).toEqual({ progresId: "P-002", referredByEmbassy: "GT" });

    // filtering on a configured value: the people referred by Mexico's embassy, by its Arabic label
    await page.getByLabel(ar["grid.search"]).fill(MX.ar);
    await expect
      .poll(async () => (await displayedRowIDs(page)).sort())
      .toEqual([order[0]!, order[2]!, order[3]!].sort());

    // the view exported to XLSX: Arabic headers, the HXL hashtag row, the values as the caseworker sees them
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: ar["grid.exportXlsx"] }).click().then(() => givePurpose(page, "reporting")),
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).map((v) => String(v ?? ""));
    const pCol = header.indexOf(PROGRES.ar);
    const eCol = header.indexOf(EMBASSY.ar);
    expect(pCol).toBeGreaterThan(0);
    expect(eCol).toBeGreaterThan(0);
    expect(ws.getCell(2, pCol).value).toBe("#affected+id+progres");
    expect(ws.getCell(2, eCol).value).toBe("#affected+referral+embassy");
    expect(ws.rowCount).toBe(2 + 3);
    const exported = [3, 4, 5].map((r) => [ws.getCell(r, pCol).value, ws.getCell(r, eCol).value]);
    expect(exported.sort()).toEqual([
      ["P-001", MX.ar],
      ["P-003", MX.ar],
      ["P-004", MX.ar],
    ]);

    // the person's page: the section of the operation's fields, by their Arabic labels, changed through its form
    // (the refused Guatemala is dropped first: the grid would rightly ask before leaving unsaved changes)
    await page.getByRole("button", { name: ar["grid.discard"] }).click();
    await page.getByLabel(ar["grid.search"]).fill("");
    await page.locator(`.ag-row[row-id="${order[1]}"] .ag-cell[col-id="registrationNumber"] a`).click();
    const section = page.locator("section.card", { has: page.locator("#configured-fields") });
    await section.getByText(PROGRES.ar).waitFor();
    await section.getByText("P-002").waitFor();
    await section.getByText(GT.ar).waitFor();
    // its history names the field by its label and the code by its label too
    await page.locator(".timeline th", { hasText: PROGRES.ar }).first().waitFor();
    await page.locator(".timeline td.after", { hasText: GT.ar }).first().waitFor();
    await section.getByRole("button", { name: "تعديل هذه الحقول" }).click();
    const form = page.getByRole("dialog", { name: "تعديل هذه الحقول" });
    await form.locator("#f-fields-progresId").fill("P-002-B");
    await form.getByRole("button", { name: ar["form.submit"] }).click();
    await section.getByText("P-002-B").waitFor();
    expect(await stored(order[1]!)).toEqual({ progresId: "P-002-B", referredByEmbassy: "GT" });

    await ctx.close();
    await adminCtx.close();
  });

  it("an admin defines a repeating group on cases in the field editor; a caseworker in Spanish adds, removes and corrects its entries through 'Edit these fields' on a case's page, the problem shown on the entry's input and nothing saved until it is right", async () => {
    // --- the admin: a group "Family abroad" on cases, of a required name, an age (at most 120) and a yes/no
    const { ctx: adminCtx, page: a } = await signedIn("admin@example.org", "/fields", "en", "h1");
    await a.locator(".toolbar select").selectOption("case");
    await a.getByText("No field of its own yet for this record type.").waitFor();
    await a.getByRole("button", { name: "Add a field" }).click();
    const d = a.getByRole("dialog", { name: "New field" });
    await d.locator('input[name="key"]').fill("familyAbroad");
    await d.locator('select[name="type"]').selectOption("group");
    await fillLabels(a, "dialog", "labels.", FAMILY);
    // saved without a sub-field: refused on the sub-fields, before any request
    await d.getByRole("button", { name: "Save the field" }).click();
    await d.getByText("A repeating group needs at least one sub-field.").waitFor();
    for (const [i, key, type, labels] of [
      [0, "name", "text", { en: "Name", es: "Nombre", fr: "Nom", ar: "الاسم" }],
      [1, "age", "number", { en: "Age", es: "Edad", fr: "Âge", ar: "العمر" }],
      [2, "inMexico", "yesNo", { en: "In Mexico", es: "En México", fr: "Au Mexique", ar: "في المكسيك" }],
    ] as const) {
      await d.getByRole("button", { name: "Add a sub-field" }).click();
      const sub = d.locator(`fieldset.sub-field[data-sub="${i}"]`);
      await sub.locator(`input[name="subFields.${i}.key"]`).fill(key);
      await sub.locator(`select[name="subFields.${i}.type"]`).selectOption(type);
      await fillLabels(a, `fieldset.sub-field[data-sub="${i}"]`, `subFields.${i}.labels.`, labels);
      if (key === "name") await sub.getByLabel("An answer is required").check();
      if (key === "age") await sub.getByLabel("Largest value (optional)").fill("120");
    }
    await d.getByRole("button", { name: "Save the field" }).click();
    await a.locator('tr[data-field="familyAbroad"]').waitFor();
    const defs = async () => (await get<{ items: Row[] }>("/api/fields?recordType=case")).items;
    const def = (await defs()).find((f) => f.key === "familyAbroad")!;
    expect(def.type).toBe("group");
    expect((def.subFields as Row[]).map((s) => [s.key, s.type, s.required, s.max ?? null])).toEqual([
      ["name", "text", true, null],
      ["age", "number", false, 120],
      ["inMexico", "yesNo", false, null],
    ]);
    await adminCtx.close();
    // a second group on cases, so the form asks two: each one's buttons must say which group they act on
    await apiCall(stack.url, admin, "POST", "/api/fields", {
      recordType: "case",
      key: "documentsHeld",
      type: "group",
      labels: DOCUMENTS,
      subFields: [
        { key: "kind", type: "text", labels: { en: "Document", es: "Documento", fr: "Document", ar: "الوثيقة" } },
        { key: "expires", type: "date", labels: { en: "Expires", es: "Vence", fr: "Expire le", ar: "ينتهي في" } },
      ],
    });
    expect((await defs()).map((f) => f.key)).toEqual(["familyAbroad", "documentsHeld"]);

    // --- a caseworker, in Spanish, on a case of theirs: both groups in the section, still empty
    const cw = await apiToken(stack.url, "caseworker@example.org");
    const me = await apiCall<Row>(stack.url, cw, "GET", "/api/me");
    const person = ids[5]!;
    const kase = await apiCall<Row>(stack.url, admin, "POST", "/api/cases", {
      officeID: TAP,
      type: "protection",
      individualIDs: [person],
      assignedTo: me.userID,
    });
    const caseID = String(kase.caseID);
    const stored = async () => (await get<{ fields?: Row }>(`/api/cases/${caseID}`)).fields ?? {};
    const { ctx, page } = await signedIn("caseworker@example.org", `/cases/${caseID}`, "es", "#configured-fields");
    const section = page.locator("section.card", { has: page.locator("#configured-fields") });
    await section.locator('[data-field="fields.familyAbroad"] dt').getByText(FAMILY.es).waitFor();
    await section.locator('[data-field="fields.documentsHeld"] dt').getByText(DOCUMENTS.es).waitFor();
    // one way to change them: the section's form (no second editor per group)
    expect(await section.getByRole("button").count()).toBe(1);
    await section.getByRole("button", { name: "Editar estos campos" }).click();
    const form = page.getByRole("dialog", { name: "Editar estos campos" });
    const family = form.locator("fieldset.question", { has: page.locator("legend", { hasText: FAMILY.es }) });
    await family.getByText("Aún no hay ninguna entrada.").waitFor();
    const addFamily = form.getByRole("button", { name: `Añadir una entrada a «${FAMILY.es}»`, exact: true });
    for (let i = 0; i < 3; i++) await addFamily.click();
    await form.getByRole("button", { name: `Añadir una entrada a «${DOCUMENTS.es}»`, exact: true }).click();
    const input = (group: string, row: number, sub: string) => form.locator(`#f-fields-${group}-${row}-${sub}`);
    await input("familyAbroad", 0, "name").fill("Rosa Pérez");
    await input("familyAbroad", 0, "age").fill("34");
    await input("familyAbroad", 0, "inMexico").selectOption("yes");
    await input("familyAbroad", 1, "name").fill("de más");
    await input("familyAbroad", 2, "name").fill("Juan Pérez");
    await input("familyAbroad", 2, "age").fill("150");
    await input("documentsHeld", 0, "kind").fill("Pasaporte");
    // a date of an entry is typed as day, month and year, as every other date of a form
    for (const [part, v] of [["day", "31"], ["month", "12"], ["year", "2027"]])
      await form.locator(`input[name="f-fields-documentsHeld-0-expires-${part}"]`).fill(v);
    // every entry's remove button names its group and entry: the two "entry 1" buttons are told apart
    for (const name of [
      `Quitar la entrada 1 de «${FAMILY.es}»`,
      `Quitar la entrada 2 de «${FAMILY.es}»`,
      `Quitar la entrada 3 de «${FAMILY.es}»`,
      `Quitar la entrada 1 de «${DOCUMENTS.es}»`,
    ])
      expect(await form.getByRole("button", { name, exact: true }).count(), name).toBe(1);
    // the entry added by mistake is removed: the third becomes the second
    await form.getByRole("button", { name: `Quitar la entrada 2 de «${FAMILY.es}»`, exact: true }).click();
    await expect.poll(() => family.locator("fieldset.group-row").count()).toBe(2);
    await expect.poll(() => input("familyAbroad", 1, "name").inputValue()).toBe("Juan Pérez");

    // an age above the group's 120: said on that entry's age, in Spanish, and in the summary; nothing is stored
    await form.getByRole("button", { name: Messages.es["form.submit"] }).click();
    const bad = family.locator('fieldset[data-row="1"] [data-sub="age"]');
    await bad.locator(".field-error").getByText("Debe ser como máximo 120").waitFor();
    expect(await input("familyAbroad", 1, "age").getAttribute("aria-invalid")).toBe("true");
    expect(await family.locator('fieldset[data-row="0"] .field-error').count()).toBe(0);
    expect(await form.locator("#f-fields-documentsHeld-0-kind").getAttribute("aria-invalid")).toBeNull();
    await form
      .locator(".error-summary a", { hasText: `${FAMILY.es} · Entrada 2 · Edad: Debe ser como máximo 120` })
      .waitFor();
    expect(await stored()).toEqual({});

    // corrected, saved: the section shows both groups' entries, the case holds them
    await input("familyAbroad", 1, "age").fill("15");
    await expect.poll(() => bad.locator(".field-error").count()).toBe(0);
    await form.getByRole("button", { name: Messages.es["form.submit"] }).click();
    await form.waitFor({ state: "detached" });
    await section.getByText("Nombre: Juan Pérez · Edad: 15").waitFor();
    await section.getByText("Nombre: Rosa Pérez · Edad: 34 · En México: Sí").waitFor();
    await section.getByText("Documento: Pasaporte · Vence: 31 dic 2027").waitFor();
    expect(await stored()).toEqual({
      familyAbroad: [{ name: "Rosa Pérez", age: 34, inMexico: true }, { name: "Juan Pérez", age: 15 }],
      documentsHeld: [{ kind: "Pasaporte", expires: "2027-12-31" }],
    });
    await ctx.close();
  });
});

describe("a configured reference field: its column reads, filters and sorts by the person's name", () => {
  it("a caseworker filters a 'Referred by (person)' column by the referrer's name and finds the row, searches by it, and sorts the column by name", async () => {
    const REFERRED_BY = {
      en: "Referred by (person)",
      es: "Referido por (persona)",
      fr: "Orienté par (personne)",
      ar: "أحاله (شخص)",
    };
    await apiCall(stack.url, admin, "POST", "/api/fields", {
      recordType: "individual",
      key: "referredByPerson",
      type: "reference",
      referenceType: "individual",
      labels: REFERRED_BY,
    });
    // the referrers, registered in an order unlike their names' (IDs sort by time: Zainab, Amina, Bashir)
    const register = async (people: { given: string; family: string; year: number; fields: Row }[]) => {
      const res = await apiCall<{ results: { record?: { individualID: string } }[] }>(
        stack.url,
        admin,
        "POST",
        "/api/individuals",
        {
          rows: people.map((p, i) => ({
            ref: String(i),
            values: {
              givenName: p.given,
              familyName: p.family,
              sex: "female",
              dateOfBirth: `${p.year}-05-2${i}`,
              nationality: "SYR",
              officeID: TAP,
              fields: p.fields,
            },
          })),
        },
      );
      const out = res.results.map((r) => r.record?.individualID);
      expect(out.every(Boolean), JSON.stringify(res.results)).toBe(true);
      return out as string[];
    };
    // proGres ID is required on individuals since the test above
    const [zainab, amina, bashir] = await register([
      { given: "Zainab", family: "Bakr-refx", year: 1981, fields: { progresId: "R-1" } },
      { given: "Amina", family: "Haddad-refx", year: 1982, fields: { progresId: "R-2" } },
      { given: "Bashir", family: "Nouri-refx", year: 1983, fields: { progresId: "R-3" } },
    ]);
    const [byZainab, byAmina, byBashir] = await register(
      [zainab, amina, bashir].map((referrer, i) => ({
        given: ["Lina", "Omar", "Sami"][i]!,
        family: `Referred-refx${i}`,
        year: 1990 + i,
        fields: { progresId: `R-${10 + i}`, referredByPerson: referrer },
      })),
    );

    const { ctx, page } = await signedIn("caseworker@example.org", "/individuals", "en", ".ag-row");
    await expect.poll(() => page.getByTestId("row-count").textContent()).toMatch(/^[1-9]\d* rows$/);
    const total = (await page.getByTestId("row-count").textContent())!;
    const col = "fields.referredByPerson";
    // the column is far to the right: a cell of it focused brings its header into view
    await focusCell(page, (await displayedRowIDs(page))[0]!, col);
    const header = page.locator(`.ag-header-cell[col-id="${col}"]`);
    await header.getByText(REFERRED_BY.en).waitFor();

    // the referrer's name, in any case, finds the person she referred (not shown on screen before: the names of
    // every row are asked for, not only the drawn ones), never the referrer's ID
    await header.locator(".ag-header-cell-filter-button").click();
    const input = page.locator(".ag-filter-body input[type='text']:visible").first();
    await input.fill("amina hadd");
    await expect.poll(() => displayedRowIDs(page)).toEqual([byAmina]);
    await expect.poll(() => page.getByTestId("row-count").textContent()).toBe("1 rows");
    await expect.poll(() => cell(page, byAmina!, col).textContent()).toBe("Amina Haddad-refx");
    await input.fill(amina!);
    await expect.poll(() => page.getByTestId("row-count").textContent()).toBe("0 rows");
    await input.fill("");
    await page.keyboard.press("Escape");
    await expect.poll(() => page.getByTestId("row-count").textContent()).toBe(total);

    // the search box reads the name too: Zainab herself, and the person she referred
    await page.getByLabel("Search all columns").fill("Bakr-refx");
    await expect.poll(async () => (await displayedRowIDs(page)).sort()).toEqual([zainab, byZainab].sort());
    await page.getByLabel("Search all columns").fill("");
    await expect.poll(() => page.getByTestId("row-count").textContent()).toBe(total);

    // sorted by the names shown: descending puts Zainab's, Bashir's, then Amina's referral first (by ID it would be
    // Bashir's, Amina's, Zainab's); people without a referrer come last
    const label = header.locator(".ag-header-cell-label");
    await label.click();
    await expect.poll(() => header.getAttribute("aria-sort")).toBe("ascending");
    await label.click();
    await expect.poll(() => header.getAttribute("aria-sort")).toBe("descending");
    await expect
      .poll(async () => (await displayedRowIDs(page)).slice(0, 3))
      .toEqual([byZainab, byBashir, byAmina]);
    await ctx.close();
  });
});
