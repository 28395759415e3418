import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../packages/local/src/runtime.ts";
import { Alpha3ToAlpha2 } from "../../packages/schema/src/countries.ts";
import { parseDelimited } from "../../web/src/grid/delimited.ts";
import {
  apiCall,
  apiToken,
  buildWeb,
  cell,
  DEMO_PASSWORD,
  displayedRowIDs,
  htmlDir,
  givePurpose,
  launch,
  pasteText,
  registerIndividuals,
  showRow,
  signIn,
  startStack,
  TAP,
} from "./support.ts";

interface Individual {
  individualID: string;
  givenName: string;
  familyName: string;
  sex: string;
  dateOfBirth?: string;
  estimatedAge?: number;
  version: number;
}

let stack: LocalStack;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
let admin: string;
let ids: string[];
const DEMO_OPERATION_ID = "op_01JDEMOMEX0000000000000000";
/** Browser confirm() prompts seen, and how the next one is answered. */
const dialogs: string[] = [];
let answer = true;

const get = (id: string) => apiCall<Individual>(stack.url, admin, "GET", `/api/individuals/${id}`);

beforeAll(async () => {
  buildWeb();
  stack = await startStack();
  admin = await apiToken(stack.url, "admin@example.org");
  // A name a spreadsheet would run as a formula, to prove exports neutralise it (registered first: listed last).
  await apiCall(stack.url, admin, "POST", "/api/individuals", {
    rows: [
      {
        ref: "f",
        values: {
          givenName: "=SUM(1+1)",
          familyName: "Formula",
          sex: "male",
          estimatedAge: 40,
          nationality: "HND",
          officeID: TAP,
        },
      },
    ],
  });
  ids = await registerIndividuals(stack.url, admin, 30, "e2e");
  browser = await launch();
  ctx = await browser.newContext({ acceptDownloads: true, viewport: { width: 1600, height: 1000 } });
  page = await ctx.newPage();
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void (answer ? d.accept() : d.dismiss());
  });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("the registry grid, through the real UI", () => {
  it("signs in and shows the registry", async () => {
    await signIn(page, stack.url, "admin@example.org");
    await expect.poll(async () => (await displayedRowIDs(page)).length).toBeGreaterThan(10);
    await expect.poll(() => page.getByTestId("row-count").textContent()).toMatch(/31 rows/);
  });

  it("sorts by a column both ways and by two columns, in the order of the values as they read", async () => {
    const { items } = await apiCall<{ items: (Individual & { nationality: string })[] }>(
      stack.url,
      admin,
      "GET",
      "/api/individuals?limit=1000",
    );
    const byID = new Map(items.map((r) => [r.individualID, r]));
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const shown = async (key: (r: Individual & { nationality: string }) => string) =>
      (await displayedRowIDs(page)).slice(0, 12).map((id) => key(byID.get(id)!));
    const header = (col: string) => page.locator(`.ag-header-cell[col-id="${col}"] .ag-header-cell-label`);
    const family = items.map((r) => r.familyName);
    const ariaSort = (col: string) =>
      page.locator(`.ag-header-cell[col-id="${col}"]`).getAttribute("aria-sort");
    const sortOrder = (col: string) =>
      page
        .locator(`.ag-header-cell[col-id="${col}"] .wp-sort-indicator .ag-sort-order`)
        .textContent({ timeout: 2_000 });
    const loadOrder = (await displayedRowIDs(page)).slice(0, 12);

    await header("familyName").click();
    await expect.poll(() => shown((r) => r.familyName)).toEqual([...family].sort(cmp).slice(0, 12));
    await expect.poll(() => ariaSort("familyName")).toBe("ascending");
    await expect.poll(() => ariaSort("givenName")).toBe("none");
    await header("familyName").click();
    await expect.poll(() => shown((r) => r.familyName)).toEqual([...family].sort(cmp).reverse().slice(0, 12));
    await expect.poll(() => ariaSort("familyName")).toBe("descending");

    // Nationality, then given name (shift-click adds a second sort column). A nationality sorts by the country's
    // name as the cell shows it (English here, in English alphabetical order), not by its code.
    await header("familyName").click();
    await header("nationality").click();
    await header("givenName").click({ modifiers: ["Shift"] });
    const countries = new Intl.DisplayNames(["en"], { type: "region" });
    const country = (code: string) => countries.of(Alpha3ToAlpha2[code] ?? code) ?? code;
    const collator = new Intl.Collator("en");
    const pair = (r: Individual & { nationality: string }) => `${r.nationality}|${r.givenName}`;
    const expected = items
      .map(pair)
      .sort(
        (a, b) =>
          collator.compare(country(a.split("|")[0]!), country(b.split("|")[0]!)) ||
          cmp(a.split("|")[0]!, b.split("|")[0]!) ||
          cmp(a.split("|")[1]!, b.split("|")[1]!),
      );
    // the codes' order is another order here (a sort by the codes would not pass)
    const byCodes = items
      .map(pair)
      .sort((a, b) => cmp(a.split("|")[0]!, b.split("|")[0]!) || cmp(a.split("|")[1]!, b.split("|")[1]!));
    expect(byCodes.slice(0, 12)).not.toEqual(expected.slice(0, 12));
    await expect.poll(() => shown(pair)).toEqual(expected.slice(0, 12));
    // each sorted column's place among them, beside its arrow
    await expect.poll(() => sortOrder("nationality")).toBe("1");
    await expect.poll(() => sortOrder("givenName")).toBe("2");
    await expect.poll(() => ariaSort("familyName")).toBe("none");
    // Back to no sort: the load order.
    await header("nationality").click();
    await header("nationality").click();
    await expect
      .poll(() =>
        page
          .locator(".ag-header-cell[aria-sort='ascending'], .ag-header-cell[aria-sort='descending']")
          .count(),
      )
      .toBe(0);
    await expect.poll(async () => (await displayedRowIDs(page)).slice(0, 12)).toEqual(loadOrder);

    // From the keyboard: Enter on a focused header sorts by it, as a click does.
    await page.locator('.ag-header-cell[col-id="familyName"]').focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => shown((r) => r.familyName)).toEqual([...family].sort(cmp).slice(0, 12));
    await expect.poll(() => ariaSort("familyName")).toBe("ascending");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await displayedRowIDs(page)).slice(0, 12)).toEqual(loadOrder);
  });

  it("edits a cell, shows it as unsaved, and saves it", async () => {
    const id = ids[0]!;
    await showRow(page, id);
    await cell(page, id, "givenName").dblclick();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("Ana Lucía");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByTestId("unsaved").textContent()).toMatch(/1 unsaved changes in 1 rows/);
    await expect(cell(page, id, "givenName").getAttribute("class")).resolves.toContain("wp-dirty");
    await page.getByTestId("save").click();
    await expect.poll(async () => (await get(id)).givenName).toBe("Ana Lucía");
    await expect.poll(() => cell(page, id, "__status").textContent()).toBe("Saved");
    await expect.poll(() => page.getByTestId("unsaved").textContent()).toBe("No unsaved changes");
  });

  it("pastes a 20×5 block from a spreadsheet (quoted cell, Spanish enum label) and saves it in one go", async () => {
    const rows = (await displayedRowIDs(page)).slice(0, 20);
    expect(rows).toHaveLength(20);
    const block = rows
      .map((_, i) =>
        [
          `Nombre${i}`,
          i === 0 ? '"De la\tCruz ""Tata"""' : `Apellido${i}`,
          i % 2 ? "Mujer" : "hombre",
          `${String((i % 27) + 1).padStart(2, "0")}/03/1990`,
          "",
        ].join("\t"),
      )
      .join("\r\n");
    await cell(page, rows[0]!, "givenName").click();
    await pasteText(page, block + "\r\n");
    await expect.poll(() => page.getByTestId("unsaved").textContent()).toMatch(/in 20 rows/);
    await expect.poll(() => cell(page, rows[1]!, "sex").textContent()).toBe("Female");
    await page.getByTestId("save").click();
    await expect
      .poll(() => page.getByTestId("unsaved").textContent(), { timeout: 20_000 })
      .toBe("No unsaved changes");
    const first = await get(rows[0]!);
    expect(first).toMatchObject({
      givenName: "Nombre0",
      familyName: 'De la\tCruz "Tata"',
      sex: "male",
      dateOfBirth: "1990-03-01",
    });
    const second = await get(rows[1]!);
    expect(second).toMatchObject({
      givenName: "Nombre1",
      familyName: "Apellido1",
      sex: "female",
      dateOfBirth: "1990-03-02",
    });
    const last = await get(rows[19]!);
    expect(last).toMatchObject({ givenName: "Nombre19", sex: "female", dateOfBirth: "1990-03-20" });
  });

  it("undoes a paste with Ctrl+Z, putting every pasted cell back", async () => {
    const [a, b] = await displayedRowIDs(page);
    const before = [await get(a!), await get(b!)];
    await cell(page, a!, "givenName").click();
    await pasteText(page, "Uno\tDos\nTres\tCuatro\n");
    await expect.poll(() => cell(page, b!, "familyName").textContent()).toBe("Cuatro");
    await expect.poll(() => page.getByTestId("unsaved").textContent()).toMatch(/4 unsaved changes in 2 rows/);
    await page.keyboard.press("Control+z");
    await expect.poll(() => page.getByTestId("unsaved").textContent()).toBe("No unsaved changes");
    await expect.poll(() => cell(page, a!, "givenName").textContent()).toBe(before[0]!.givenName);
    await expect.poll(() => cell(page, b!, "familyName").textContent()).toBe(before[1]!.familyName);
    await page.keyboard.press("Control+y");
    await expect.poll(() => cell(page, a!, "givenName").textContent()).toBe("Uno");
    await page.keyboard.press("Control+z");
    await expect.poll(() => page.getByTestId("unsaved").textContent()).toBe("No unsaved changes");
  });

  it("refuses an invalid cell with the schema's message and does not save it", async () => {
    const id = (await displayedRowIDs(page))[2]!;
    const before = await get(id);
    // an age no person has (nationality is picked from the list of countries, never typed)
    await cell(page, id, "estimatedAge").dblclick();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("500");
    await page.keyboard.press("Enter");
    await expect.poll(() => cell(page, id, "estimatedAge").getAttribute("class")).toContain("wp-invalid");
    await cell(page, id, "estimatedAge").click();
    await expect.poll(() => page.getByTestId("cell-message").textContent()).toMatch(/120/);
    // the problem is the cell's tooltip too (the browser's own: the title), and only that cell's
    await expect.poll(() => cell(page, id, "estimatedAge").getAttribute("title")).toMatch(/120/);
    expect(await cell(page, id, "givenName").getAttribute("title")).toBeNull();
    await page.getByTestId("save").click();
    await expect.poll(() => cell(page, id, "__status").textContent()).toBe("Invalid");
    // the row's outcome says why on its status cell
    await expect.poll(() => cell(page, id, "__status").getAttribute("title")).toMatch(/\S/);
    const after = (await get(id)) as unknown as { version: number; estimatedAge?: number };
    expect(after.version).toBe(before.version);
    expect(after.estimatedAge).toBe((before as unknown as { estimatedAge?: number }).estimatedAge);
    await page.getByRole("button", { name: "Discard" }).click();
    await expect.poll(() => page.getByTestId("unsaved").textContent()).toBe("No unsaved changes");
  });

  it("shows a conflict with another user's save, field by field, and keeps the user's choice", async () => {
    const id = (await displayedRowIDs(page))[5]!;
    await cell(page, id, "familyName").dblclick();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("Mine");
    await page.keyboard.press("Enter");

    const other = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page2 = await other.newPage();
    await signIn(page2, stack.url, "supervisor@example.org");
    await cell(page2, id, "familyName").dblclick();
    await page2.keyboard.press("ControlOrMeta+a");
    await page2.keyboard.type("Theirs");
    await page2.keyboard.press("Enter");
    await page2.getByTestId("save").click();
    await expect.poll(async () => (await get(id)).familyName).toBe("Theirs");
    await other.close();

    await page.getByTestId("save").click();
    const dialog = page.getByRole("dialog", { name: "Someone else changed these records" });
    await dialog.waitFor();
    await expect(dialog.locator('tr[data-field="familyName"] .theirs').textContent()).resolves.toBe("Theirs");
    await expect(dialog.locator('tr[data-field="familyName"] .mine').textContent()).resolves.toBe("Mine");
    await dialog.getByRole("button", { name: "Apply and save" }).click();
    await expect.poll(async () => (await get(id)).familyName).toBe("Mine");
    await expect.poll(() => cell(page, id, "__status").textContent()).toBe("Saved");
  });

  it("imports a CSV with column mapping, reports the bad row in the dry run, and creates the good ones", async () => {
    const countBefore = (await page.getByTestId("row-count").textContent())!;
    const csv = [
      "Given name,Family name,Sexo,Date of birth,Nationality",
      "Imp,Uno,Mujer,1988-04-01,HND",
      "Imp,Dos,male,02/05/1977,VEN",
      "Imp,Tres,banana,1990-01-01,HTI",
    ].join("\n");
    await page.getByRole("button", { name: "Import…" }).click();
    const dialog = page.getByRole("dialog", { name: "Import rows from a file" });
    await dialog
      .locator('input[type="file"]')
      .setInputFiles({ name: "people.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await expect(dialog.getByLabel("Sexo").inputValue()).resolves.toBe("sex");
    await dialog.getByRole("button", { name: "Check (dry run)" }).click();
    await expect
      .poll(() => dialog.getByTestId("import-summary").textContent())
      .toBe("2 ready, 1 with problems");
    await expect(dialog.locator('tr[data-line="4"]').textContent()).resolves.toMatch(/Sex/);
    await dialog.getByRole("button", { name: "Import 2 rows" }).click();
    await expect
      .poll(() => dialog.getByTestId("import-summary").textContent())
      .toBe("Imported: 2 created, 1 refused");
    await dialog.getByRole("button", { name: "Close" }).click();
    const n = Number(countBefore.replace(/\D/g, ""));
    await expect.poll(() => page.getByTestId("row-count").textContent()).toBe(`${n + 2} rows`);
  });

  it("exports the current view to CSV and XLSX, formula-safe, and the files read back", async () => {
    await page.getByLabel("Search all columns").fill("");
    const shown = Number((await page.getByTestId("row-count").textContent())!.replace(/\D/g, ""));
    const [csvDl] = await Promise.all([
      page.waitForEvent("download"),
      page
        .getByRole("button", { name: "Export CSV" })
        .click()
        .then(() => givePurpose(page)),
    ]);
    const csv = parseDelimited(readFileSync((await csvDl.path())!, "utf8").replace(/^\uFEFF/, ""), ",");
    expect(csv[0]).toEqual(expect.arrayContaining(["Registration no.", "Given name", "Family name", "Sex"]));
    expect(csv).toHaveLength(shown + 1);
    const given = csv[0]!.indexOf("Given name");
    expect(csv.some((r) => r[given] === "'=SUM(1+1)")).toBe(true);
    expect(csv.some((r) => r[given] === "=SUM(1+1)")).toBe(false);

    const [xDl] = await Promise.all([
      page.waitForEvent("download"),
      page
        .getByRole("button", { name: "Export XLSX" })
        .click()
        .then(() => givePurpose(page)),
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await xDl.path())!);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(shown + 1);
    const values: string[] = [];
    ws.getColumn(given + 1).eachCell((c) => values.push(String(c.value)));
    expect(values).toContain("'=SUM(1+1)");
    expect(ws.getCell(1, given + 1).value).toBe("Given name");

    // Both exports were permission-checked and audited by the server, with their row counts.
    const { AuditEntity } = await import("../../packages/core/src/audit/audit.entity.ts");
    const events = await AuditEntity.query
      .byOperation({ operationID: DEMO_OPERATION_ID })
      .go({ pages: "all" });
    const audited = events.data
      .filter((e) => e.action === "export.view")
      .map((e) => e.changes as { format: { after: string }; rowCount: { after: number } });
    expect(audited.map((c) => c.format.after).sort()).toEqual(["csv", "xlsx"]);
    expect(audited.every((c) => c.rowCount.after === shown)).toBe(true);
  });

  it("offers pasted rows beyond the grid as new records and creates them on save", async () => {
    await page.getByLabel("Search all columns").fill("Formula");
    await expect.poll(() => page.getByTestId("row-count").textContent()).toBe("1 rows");
    const [id] = await displayedRowIDs(page);
    await cell(page, id!, "givenName").click();
    const before = dialogs.length;
    await pasteText(
      page,
      [
        "=SUM(1+1)\tFormula\tMale\t\t40\tHND",
        "Nuevo\tRegistro\tMujer\t1995-05-05\t\tVEN",
        "Otra\tPersona\tHombre\t\t33\tSLV",
      ].join("\n"),
    );
    expect(dialogs.slice(before).join()).toMatch(/2 more rows than the grid/);
    await expect.poll(() => page.getByTestId("unsaved").textContent()).toMatch(/2 new rows/);
    await page.getByTestId("save").click();
    await expect.poll(() => page.getByTestId("notice").textContent()).toMatch(/created 2/);
    expect(await get(id!)).toMatchObject({ givenName: "=SUM(1+1)", version: 1 });
    await page.getByLabel("Search all columns").fill("Registro");
    await expect.poll(() => page.getByTestId("row-count").textContent()).toBe("1 rows");
    const [created] = await displayedRowIDs(page);
    expect(created).toMatch(/^ind_/);
    await expect.poll(() => cell(page, created!, "__status").textContent()).toBe("Created");
    expect(await get(created!)).toMatchObject({
      givenName: "Nuevo",
      sex: "female",
      dateOfBirth: "1995-05-05",
      nationality: "VEN",
    });
    await page.getByLabel("Search all columns").fill("");
  });

  it("flags a pasted person who is likely already registered, and creates them only with a reason", async () => {
    await page.getByLabel("Search all columns").fill("Registro");
    await expect.poll(() => page.getByTestId("row-count").textContent()).toBe("1 rows");
    const [existing] = await displayedRowIDs(page);
    await cell(page, existing!, "givenName").click();
    answer = true;
    await pasteText(
      page,
      ["Nuevo\tRegistro\tMujer\t1995-05-05\t\tVEN", "Nuevo\tRegistro\tMujer\t1995-05-05\t\tVEN"].join("\n"),
    );
    await expect.poll(() => page.getByTestId("unsaved").textContent()).toMatch(/1 new rows/);
    await page.getByTestId("save").click();
    await expect.poll(() => page.getByTestId("override-duplicates").count()).toBe(1);
    expect(await page.locator(".wp-status-duplicate").count()).toBe(1);
    await page.getByTestId("override-duplicates").click();
    const why = page.getByRole("dialog", { name: "Create rows despite likely matches" });
    // Too short a reason is refused in the dialog, which stays open.
    await why.getByRole("textbox").fill("same");
    await why.getByRole("button", { name: "Create anyway" }).click();
    await expect.poll(() => why.getByRole("alert").textContent()).toMatch(/at least 5 characters/);
    await why.getByRole("textbox").fill("Sister with the same name, other birthplace");
    await why.getByRole("button", { name: "Create anyway" }).click();
    await expect.poll(() => why.count()).toBe(0);
    await page.getByTestId("save").click();
    await expect.poll(() => page.getByTestId("notice").textContent()).toMatch(/created 1/);
    await page.getByLabel("Search all columns").fill("");
    const { items } = await apiCall<{ items: { givenName: string; familyName: string }[] }>(
      stack.url,
      admin,
      "GET",
      "/api/individuals?limit=1000",
    );
    expect(items.filter((i) => i.givenName === "Nuevo" && i.familyName === "Registro")).toHaveLength(2);
  });

  it("fills down and sets a field for the selected rows as undoable steps, then saves them", async () => {
    const rows = (await displayedRowIDs(page)).slice(8, 11);
    for (const id of rows)
      await page.locator(`.ag-row[row-id="${id}"] .ag-cell[col-id="ag-Grid-SelectionColumn"] input`).click();
    await expect.poll(() => page.getByText("3 selected").count()).toBe(1);
    await cell(page, rows[0]!, "legalStatus").click();
    await pasteText(page, "Refugiado");
    await page.getByRole("button", { name: "Fill down" }).click();
    await expect.poll(() => cell(page, rows[2]!, "legalStatus").textContent()).toBe("Refugee");
    await page.getByRole("button", { name: "Set field…" }).click();
    const dialog = page.getByRole("dialog", { name: "Set a field for 3 selected rows" });
    await dialog.getByLabel("Field").selectOption("status");
    await dialog.getByLabel("Value").selectOption("inactive");
    await dialog.getByRole("button", { name: "Apply" }).click();
    await expect.poll(() => page.getByTestId("unsaved").textContent()).toMatch(/6 unsaved changes in 3 rows/);
    await page.getByRole("button", { name: "Undo" }).click();
    await expect.poll(() => page.getByTestId("unsaved").textContent()).toMatch(/3 unsaved changes in 3 rows/);
    await page.getByRole("button", { name: "Redo" }).click();
    await page.getByTestId("save").click();
    await expect.poll(() => page.getByTestId("unsaved").textContent()).toBe("No unsaved changes");
    for (const id of rows)
      expect(await get(id)).toMatchObject({ legalStatus: "refugee", status: "inactive" });
  });

  it("selects every row the search shows with the header's box, then all rows, then none", async () => {
    await page.reload(); // no selection left from the steps before
    // loaded: a count of rows, not the 0 shown before the first page arrives
    await expect.poll(() => page.getByTestId("row-count").textContent()).toMatch(/^[1-9]\d* rows$/);
    const total = (await page.getByTestId("row-count").textContent())!;
    const box = page.getByRole("checkbox", { name: "Select all rows shown" });
    await expect.poll(() => box.isChecked()).toBe(false);
    const search = page.getByRole("searchbox", { name: "Search all columns" });
    await search.fill("e2e"); // the registered family names the steps before did not overwrite
    await expect.poll(() => page.getByTestId("row-count").textContent()).not.toBe(total);
    const some = Number((await page.getByTestId("row-count").textContent())!.split(" ")[0]);
    expect(some).toBeGreaterThan(1);
    await box.click();
    await expect.poll(() => page.getByText(`${some} selected`).count()).toBe(1);
    await expect.poll(() => box.isChecked()).toBe(true);
    // the rows the search hid stay unselected: shown again, the box is neither ticked nor clear
    await search.fill("");
    await expect.poll(() => page.getByTestId("row-count").textContent()).toBe(total);
    await expect
      .poll(() => box.evaluate((e) => (e as unknown as { indeterminate: boolean }).indeterminate))
      .toBe(true);
    // from the keyboard: Space on the header cell selects every row shown
    await page.locator('.ag-header-cell[col-id="ag-Grid-SelectionColumn"]').focus();
    await page.keyboard.press("Space");
    await expect.poll(() => page.getByText(`${total.split(" ")[0]} selected`).count()).toBe(1);
    await expect.poll(() => box.isChecked()).toBe(true);
    await box.click();
    await expect.poll(() => page.getByText(/ selected$/).count()).toBe(0);
    await expect.poll(() => box.isChecked()).toBe(false);
  });

  it("filters by a column: text contains, two conditions joined by OR, a country by its name, then none", async () => {
    await page.reload();
    // loaded: a count of rows, not the 0 shown before the first page arrives
    await expect.poll(() => page.getByTestId("row-count").textContent()).toMatch(/^[1-9]\d* rows$/);
    const total = (await page.getByTestId("row-count").textContent())!;
    const { items } = await apiCall<{ items: (Individual & { nationality: string })[] }>(
      stack.url,
      admin,
      "GET",
      "/api/individuals?limit=1000",
    );
    const shown = async () => (await displayedRowIDs(page)).sort();
    // the count the grid reports, and whether every row it draws is one of them (it draws those in view)
    const showing = async (expected: string[]) =>
      `${await page.getByTestId("row-count").textContent()}, ${(await displayedRowIDs(page)).every((id) => expected.includes(id))}`;
    const where = (test: (r: Individual & { nationality: string }) => boolean) =>
      items
        .filter(test)
        .map((r) => r.individualID)
        .sort();
    const openFilter = async (col: string) => {
      await page.locator(`.ag-header-cell[col-id="${col}"] .ag-header-cell-filter-button`).click();
      await page.locator(".ag-filter-body input").first().waitFor();
    };

    await openFilter("familyName");
    // the filter button sits beside the sortable label: opening the filter does not sort the column
    await expect
      .poll(() => page.locator('.ag-header-cell[col-id="familyName"]').getAttribute("aria-sort"))
      .toBe("none");
    // the condition boxes shown (each condition has a hidden second box, for "between")
    const inputs = page.locator(".ag-filter-body input[type='text']:visible");
    await inputs.nth(0).fill("E2E"); // case does not matter: the registered family names the steps before kept
    const one = where((r) => r.familyName.toLowerCase().includes("e2e"));
    expect(one.length).toBeGreaterThan(1);
    expect(one.length).toBeLessThan(items.length);
    await expect.poll(() => showing(one)).toBe(`${one.length} rows, true`);
    // a second condition, joined by OR: the first five letters of a family name without "e2e"
    const other = items.find((r) => !r.familyName.toLowerCase().includes("e2e"))!.familyName.slice(0, 5);
    await page.locator(".ag-filter-condition-operator-or input").click();
    await inputs.nth(1).fill(other);
    const either = where(
      (r) =>
        /e2e/.test(r.familyName.toLowerCase()) || r.familyName.toLowerCase().includes(other.toLowerCase()),
    );
    expect(either.length).toBeGreaterThan(one.length);
    await expect.poll(() => showing(either)).toBe(`${either.length} rows, true`);
    await page.keyboard.press("Escape");

    // a coded column filters by the name the user reads, not the stored code (together with the one above)
    await openFilter("nationality");
    await page.locator(".ag-filter-body input[type='text']").first().fill("hondu");
    const both = where(
      (r) =>
        (/e2e/.test(r.familyName.toLowerCase()) ||
          r.familyName.toLowerCase().includes(other.toLowerCase())) &&
        r.nationality === "HND",
    );
    expect(both.length).toBeGreaterThan(0);
    expect(both.length).toBeLessThan(either.length);
    await expect.poll(shown).toEqual(both);
    await page.keyboard.press("Escape");

    // cleared: every row again
    await page.evaluate("window.scrollTo(0, 0)");
    for (const col of ["nationality", "familyName"]) {
      await openFilter(col);
      // the second condition first: emptying the first hides the second
      for (const input of (await page.locator(".ag-filter-body input[type='text']:visible").all()).reverse())
        await input.fill("");
      await page.keyboard.press("Escape");
    }
    await expect.poll(() => page.getByTestId("row-count").textContent()).toBe(total);
  });

  it("asks before leaving with unsaved changes, and keeps them when the user stays", async () => {
    const id = (await displayedRowIDs(page))[12]!;
    await cell(page, id, "givenName").click();
    await pasteText(page, "Pendiente");
    answer = false;
    await page.getByRole("link", { name: "Households", exact: true }).click();
    expect(dialogs.at(-1)).toMatch(/unsaved changes/);
    expect(new URL(page.url()).pathname).toBe("/individuals");
    await expect(cell(page, id, "givenName").textContent()).resolves.toBe("Pendiente");
    answer = true;
    await page.getByRole("button", { name: "Discard" }).click();
    await page.getByRole("link", { name: "Households", exact: true }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/households");
    await page.getByRole("link", { name: "Individuals", exact: true }).click();
    await page.locator(`.ag-row[row-id="${id}"]`).first().waitFor();
  });

  it("opens a record with its history, field by field", async () => {
    await showRow(page, ids[0]!);
    await page.locator(`.ag-row[row-id="${ids[0]}"] .ag-cell[col-id="registrationNumber"] a`).click();
    await page.getByRole("heading", { name: "History" }).waitFor();
    const history = page.locator(".timeline");
    await expect.poll(() => history.textContent()).toContain("Ana Lucía");
    await expect(history.locator("li").count()).resolves.toBeGreaterThanOrEqual(2);
    await page.getByRole("link", { name: /Back to the list/ }).click();
    await page.locator(".ag-row").first().waitFor();
  });

  it("saves a view (search, sort, columns) per user and brings it back on a fresh grid", async () => {
    await page.getByLabel("Search all columns").fill("García");
    await page.locator('.ag-header-cell[col-id="familyName"] .ag-header-cell-label').click();
    await expect.poll(() => page.getByTestId("row-count").textContent()).toMatch(/^\d+ rows$/);
    const filtered = await page.getByTestId("row-count").textContent();
    const order = (await displayedRowIDs(page)).slice(0, 3);
    await page.getByLabel("Saved views").selectOption("__save");
    const save = page.getByRole("dialog", { name: "Save this view" });
    await save.getByLabel("Name of this view").fill("García by family name");
    await save.getByRole("button", { name: "Save" }).click();
    // Kept on the server for this user (it follows them to another browser), not in this browser.
    await expect
      .poll(async () =>
        (
          await apiCall<{ items: { name: string }[] }>(stack.url, admin, "GET", "/api/views/individuals")
        ).items.map((v) => v.name),
      )
      .toContain("García by family name");
    // the sort is kept in the view's column state, as AG Grid writes it (a view saved before reads the same)
    const stored = await apiCall<{
      items: { name: string; columns: { colId: string; sort?: string | null }[] }[];
    }>(stack.url, admin, "GET", "/api/views/individuals");
    const columns = stored.items.find((v) => v.name === "García by family name")!.columns;
    expect(columns.filter((c) => c.sort).map((c) => [c.colId, c.sort])).toEqual([["familyName", "asc"]]);
    await page.evaluate("localStorage.clear()");
    await page.getByRole("link", { name: "Households", exact: true }).click();
    await page.getByRole("link", { name: "Individuals", exact: true }).click();
    await page.locator(".ag-row").first().waitFor();
    await expect.poll(() => page.getByTestId("row-count").textContent()).not.toBe(filtered);
    await page.getByLabel("Saved views").selectOption("García by family name");
    await expect.poll(() => page.getByLabel("Search all columns").inputValue()).toBe("García");
    await expect.poll(() => page.getByTestId("row-count").textContent()).toBe(filtered);
    await expect.poll(async () => (await displayedRowIDs(page)).slice(0, 3)).toEqual(order);
    await expect
      .poll(() => page.locator('.ag-header-cell[col-id="familyName"]').getAttribute("aria-sort"))
      .toBe("ascending");
    await page.getByLabel("Search all columns").fill("");
  });

  it("shows each role only the lists it may read, and lands a finance approver on the batches waiting for them", async () => {
    const other = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    try {
      const p = await other.newPage();
      const navLinks = async () =>
        (await p.locator("nav.sidenav a").allTextContents()).map((s) => s.trim()).filter(Boolean);
      await p.goto(`${stack.url}/`);
      await p.getByLabel(/e-mail/i).fill("approver@example.org");
      await p.getByLabel(/password/i).fill(DEMO_PASSWORD);
      await p.getByRole("button", { name: "Sign in" }).click();
      await expect.poll(() => new URL(p.url()).pathname).toBe("/payment-batches");
      await expect
        .poll(navLinks)
        .toEqual(["My account", "Payments", "Payees", "Payment batches", "Dashboard", "Data quality"]);

      await p.getByRole("button", { name: "Sign out", exact: true }).click();
      await p.getByLabel(/e-mail/i).fill("caseworker@example.org");
      await p.getByLabel(/password/i).fill(DEMO_PASSWORD);
      await p.getByRole("button", { name: "Sign in" }).click();
      await expect.poll(navLinks).toContain("Individuals");
      const links = await navLinks();
      expect(links).not.toContain("Payments");
      expect(links).not.toContain("Payment batches");
    } finally {
      await other.close();
    }
  });

  it("shows the dashboard and data quality in Spanish, with no English titles left", async () => {
    const nav = page.locator("nav.sidenav");
    const main = page.locator("main.content");
    await page.getByLabel("Language").selectOption("es");
    await expect.poll(() => nav.locator(".navtitle").allTextContents()).toContain("Informes");
    await nav.getByRole("link", { name: "Tablero", exact: true }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Tablero");
    const titles = () => main.locator(".dash-card h2").allTextContents();
    await expect.poll(titles).toContain("Personas registradas (EGD)");
    expect(await titles()).toEqual(
      expect.arrayContaining([
        "Casos por etapa",
        "Referencias: tiempo de respuesta por socio",
        "Nacionalidad",
      ]),
    );
    // Everyone the earlier tests registered (and did not delete), counted and worded in Spanish.
    const { items } = await apiCall<{ items: unknown[] }>(
      stack.url,
      admin,
      "GET",
      "/api/individuals?limit=1000",
    );
    const people = items.length;
    expect(people).toBeGreaterThan(30);
    await expect.poll(() => main.locator(".dash-card .big").first().textContent()).toBe(`${people} personas`);
    await expect.poll(() => page.getByTestId("dash-meta").textContent()).toMatch(/^Edades al .* cargado en/);
    const english = [
      "Registered individuals",
      "Cases by stage",
      "Nationality",
      "Dashboard",
      "No records",
      "Male",
    ];
    const text = (await main.innerText()) + (await nav.innerText());
    for (const s of english) expect(text).not.toContain(s);

    await nav.getByRole("link", { name: "Calidad de los datos", exact: true }).click();
    await expect
      .poll(() => page.getByRole("heading", { level: 1 }).textContent())
      .toBe("Calidad de los datos");
    await expect
      .poll(() => page.getByTestId("dq-table").locator("th").allTextContents())
      .toEqual(["Problema", "Registros", "Cómo corregirlo", ""]);
    expect(await main.innerText()).toMatch(
      new RegExp(`^Se revisaron ${people} personas y \\d+ hogares`, "m"),
    );
    expect(await main.innerText()).not.toMatch(/How to fix|Checked|Open individuals/);

    await page.getByLabel("Idioma").selectOption("en");
    await nav.getByRole("link", { name: "Individuals", exact: true }).click();
    await page.locator(".ag-row").first().waitFor();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Individuals");
  });

  it("switches to Arabic and mirrors the layout", async () => {
    const navBefore = (await page.locator("nav.sidenav").boundingBox())!;
    await page.getByLabel("Language").selectOption("ar");
    await expect.poll(() => htmlDir(page)).toBe("rtl");
    await expect.poll(() => page.locator(".ag-root-wrapper.ag-rtl, .ag-rtl").count()).toBeGreaterThan(0);
    const navAfter = (await page.locator("nav.sidenav").boundingBox())!;
    const content = (await page.locator("main.content").boundingBox())!;
    expect(navBefore.x).toBeLessThan(10);
    expect(navAfter.x).toBeGreaterThan(content.x);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("الأفراد");
    await page.getByLabel("اللغة").selectOption("en");
  });

  it("cancels a relocation from its record page with a reason asked in the app's own dialog", async () => {
    const hh = await apiCall<{ householdID: string }>(stack.url, admin, "POST", "/api/households", {
      officeID: TAP,
    });
    const rel = await apiCall<{ relocationID: string }>(stack.url, admin, "POST", "/api/relocations", {
      householdID: hh.householdID,
      officeID: TAP,
      householdSize: 2,
      vulnerability: 40,
      destination: { adm: "MX19039", name: "Monterrey" },
      earliestDate: new Date().toISOString().slice(0, 10),
      readiness: { documents: true, medical: true, briefingAttended: true, consent: true },
    });
    await page.goto(`${stack.url}/relocations/${rel.relocationID}`);
    const cancel = page.getByRole("button", { name: "Cancel relocation" });
    const signInButton = page.getByRole("button", { name: "Sign in" });
    await cancel.or(signInButton).first().waitFor();
    if (await signInButton.isVisible()) {
      // Run alone (-t): sign in first; the record page opens after.
      await page.getByLabel(/e-mail/i).fill("admin@example.org");
      await page.getByLabel(/password/i).fill("waypoint-demo");
      await signInButton.click();
    }
    await cancel.click();
    const dialog = page.getByRole("dialog", { name: "Cancel this relocation" });
    // An empty reason is refused in the dialog.
    await dialog.getByRole("button", { name: "Cancel relocation" }).click();
    await expect.poll(() => dialog.getByRole("alert").textContent()).toBe("Enter a value.");
    await dialog.getByRole("textbox").fill("Family found housing on its own");
    await dialog.getByRole("button", { name: "Cancel relocation" }).click();
    await expect
      .poll(
        async () =>
          (await apiCall<{ status: string }>(stack.url, admin, "GET", `/api/relocations/${rel.relocationID}`))
            .status,
      )
      .toBe("cancelled");
    const history = await apiCall<{ items: { reason?: string }[] }>(
      stack.url,
      admin,
      "GET",
      `/api/audit?recordId=${rel.relocationID}`,
    );
    expect(history.items.some((e) => e.reason === "Family found housing on its own")).toBe(true);
    // The panel speaks the user's language too.
    await page.getByLabel("Language").selectOption("es");
    await page.getByRole("heading", { name: "Lo que ha pasado" }).waitFor();
    await page.getByLabel("Idioma").selectOption("en");
    // The household it is about is a link to the household's own page.
    await page.locator(`dl.fields a[href="/households/${hh.householdID}"]`).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/households/${hh.householdID}`);
  });
});
