import { randomBytes } from "node:crypto";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { freePort } from "../../packages/local/src/dynamo-local.ts";
import { startLocal, type LocalOptions, type LocalStack } from "../../packages/local/src/runtime.ts";

export const DEMO_PASSWORD = "waypoint-demo";
export const TAP = "off_01JDEMOTAP0000000000000000";

export { buildWeb } from "./build-web.ts";

/**
 * The DynamoDB Local of the browser run (tests/e2e/global-setup.ts), with a table of this file's own in it (deleted
 * when the stack stops); outside the test run (the screenshot scripts) none, and the stack starts its own.
 */
export function sharedDynamo(): LocalOptions["sharedDynamo"] {
  const endpoint = process.env.WAYPOINT_E2E_DYNAMO;
  return endpoint ? { endpoint, table: `waypoint-e2e-${randomBytes(6).toString("hex")}` } : undefined;
}

/**
 * The `npm start` stack on a temporary in-memory data dir. Only the foundation (operation, offices, demo users) is
 * seeded, so the grid holds exactly the rows a test registers, whatever demo data other modules add.
 */
export async function startStack(): Promise<LocalStack> {
  const stack = await startLocal({
    memory: true,
    port: await freePort(),
    buildWeb: false,
    seed: false,
    sharedDynamo: sharedDynamo(),
  });
  const { Actor } = await import("@waypoint/core");
  const { seedFoundation } = await import("../../packages/local/src/seed/foundation.ts");
  await Actor.provide({ type: "system", reason: "e2e" }, seedFoundation);
  return stack;
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

export async function apiToken(url: string, email: string): Promise<string> {
  const res = await fetch(`${url}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  if (!res.ok) throw new Error(`login ${email}: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

export async function apiCall<T = unknown>(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const GIVEN = ["Ana", "Luis", "Marie", "Jean", "Fatima", "Omar", "Rosa", "Pedro", "Yasmin", "Carlos"];
const FAMILY = [
  "García",
  "Pierre",
  "Haddad",
  "Mendoza",
  "Joseph",
  "Rahimi",
  "López",
  "Duarte",
  "Saint-Louis",
  "Cruz",
];

/** Registers `n` individuals in the Tapachula office through the real bulk API. */
export async function registerIndividuals(url: string, token: string, n: number, tag: string) {
  const rows = Array.from({ length: n }, (_, i) => ({
    ref: String(i),
    values: {
      givenName: GIVEN[i % GIVEN.length],
      familyName: `${FAMILY[i % FAMILY.length]}-${tag}${i}`,
      sex: i % 2 ? "male" : "female",
      dateOfBirth: `19${70 + (i % 30)}-0${1 + (i % 9)}-1${i % 10}`,
      nationality: ["HND", "HTI", "VEN", "SLV", "CUB"][i % 5],
      officeID: TAP,
    },
  }));
  const res = await apiCall<{ results: { status: string; record?: { individualID: string } }[] }>(
    url,
    token,
    "POST",
    "/api/individuals",
    { rows },
  );
  const ids = res.results.map((r) => r.record?.individualID).filter(Boolean) as string[];
  if (ids.length !== n)
    throw new Error(`registered ${ids.length} of ${n}: ${JSON.stringify(res.results.slice(0, 3))}`);
  return ids;
}

export async function signIn(page: Page, url: string, email: string, path = "/individuals") {
  await page.goto(`${url}${path}`);
  await page.getByLabel(/e-mail/i).fill(email);
  await page.getByLabel(/password/i).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator(".ag-row").first().waitFor();
}

/** A cell of the grid by row id (getRowId) and field. */
export const cell = (page: Page, rowID: string, field: string) =>
  page.locator(`.ag-row[row-id="${rowID}"] .ag-cell[col-id="${field}"]`);

// Browser-side snippets are strings: this file is type-checked with Node's types, not the DOM's.
const PASTE = `(text) => {
  const dt = new DataTransfer();
  dt.setData("text/plain", text);
  const target = document.activeElement ?? document.body;
  target.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
}`;
const ROW_IDS = `[...new Map([...document.querySelectorAll(".ag-row[row-id]")]
  .map((r) => [r.getAttribute("row-id"), Number(r.getAttribute("row-index"))]))]
  .sort((a, b) => a[1] - b[1]).map(([id]) => id)`;

/** Pastes text into the focused grid cell the way a browser delivers Ctrl+V from Excel: a DOM paste event. */
export async function pasteText(page: Page, text: string) {
  await page.evaluate(`(${PASTE})(${JSON.stringify(text)})`);
}

// The grid draws the rows in view and a few beyond (rowBuffer): scroll from the top until the row is drawn.
const SHOW_ROW = `async (id) => {
  const viewport = document.querySelector(".ag-grid-viewport");
  const drawn = () => [...document.querySelectorAll(".ag-row[row-id]")].some((r) => r.getAttribute("row-id") === id);
  const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  if (drawn()) return true;
  viewport.scrollTop = 0;
  for (let i = 0; i < 400; i++) {
    await frame();
    if (drawn()) return true;
    if (viewport.scrollTop + viewport.clientHeight >= viewport.scrollHeight) return false;
    viewport.scrollTop += Math.max(40, viewport.clientHeight / 2);
  }
  return false;
}`;

/** Scrolls the grid until the row is drawn (rows far from the viewport are not in the page). */
export async function showRow(page: Page, rowID: string): Promise<void> {
  if (!(await page.evaluate(`(${SHOW_ROW})(${JSON.stringify(rowID)})`)))
    throw new Error(`row ${rowID} is not in the grid`);
}

/** Row ids in display order (rows rendered in the viewport). */
export async function displayedRowIDs(page: Page): Promise<string[]> {
  return (await page.evaluate(ROW_IDS)) as string[];
}

export const htmlDir = async (page: Page) => (await page.evaluate("document.documentElement.dir")) as string;

/**
 * A fresh browser context in `lang` (Mexico City's time zone), signed in as `email` straight on `path`; waits for
 * `ready` when given. Each call is a colleague at their own desk.
 */
export async function openAs(
  browser: Browser,
  url: string,
  opts: { email: string; path: string; lang?: string; ready?: string },
): Promise<{ ctx: BrowserContext; page: Page }> {
  const lang = opts.lang ?? "es";
  const ctx = await browser.newContext({
    viewport: { width: 1500, height: 1000 },
    timezoneId: "America/Mexico_City",
    locale: lang === "ar" ? "ar" : "es-MX",
  });
  await ctx.addInitScript(`localStorage.setItem("waypoint.lang", ${JSON.stringify(lang)})`);
  const page = await ctx.newPage();
  await page.goto(`${url}${opts.path}`);
  await page.locator('input[type="email"]').fill(opts.email);
  await page.locator('input[type="password"]').fill(DEMO_PASSWORD);
  await page.locator('button[type="submit"]').click();
  if (opts.ready) await page.locator(opts.ready).first().waitFor();
  return { ctx, page };
}

/**
 * Answers the "what is this file for?" dialog that an export naming people opens first (web/src/privacy/
 * PurposeDialog.tsx): the given purpose code, else the one proposed, else the first; then makes the file.
 */
export async function givePurpose(page: Page, purpose?: string): Promise<void> {
  const d = page.locator("dialog");
  const radios = d.locator('input[name="purpose"]');
  await radios.first().waitFor();
  if (purpose) await d.locator(`input[name="purpose"][value="${purpose}"]`).check();
  else if ((await d.locator('input[name="purpose"]:checked').count()) === 0) await radios.first().check();
  await d.locator('button[type="submit"]').click();
}
