import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../packages/local/src/runtime.ts";
import { parseDelimited } from "../../web/src/grid/delimited.ts";
import {
  apiCall,
  apiToken,
  buildWeb,
  cell,
  displayedRowIDs,
  launch,
  pasteText,
  registerIndividuals,
  signIn,
  startStack,
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

const get = (id: string) => apiCall<Individual>(stack.url, admin, "GET", `/api/individuals/${id}`);

beforeAll(async () => {
  buildWeb();
  stack = await startStack();
  admin = await apiToken(stack.url, "admin@example.org");
  ids = await registerIndividuals(stack.url, admin, 30, "e2e");
  browser = await launch();
  ctx = await browser.newContext({ acceptDownloads: true, viewport: { width: 1600, height: 1000 } });
  page = await ctx.newPage();
  page.on("dialog", (d) => void d.accept());
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("the registry grid, through the real UI", () => {
  it("signs in and shows the registry", async () => {
    await signIn(page, stack.url, "admin@example.org");
    await expect.poll(async () => (await displayedRowIDs(page)).length).toBeGreaterThan(10);
    await expect.poll(() => page.getByTestId("row-count").textContent()).toMatch(/30 rows/);
  });

  it("edits a cell, shows it as unsaved, and saves it", async () => {
    const id = ids[0]!;
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
});
