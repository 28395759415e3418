import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../packages/local/src/runtime.ts";
import {
  apiCall,
  apiToken,
  buildWeb,
  cell,
  DEMO_PASSWORD,
  displayedRowIDs,
  launch,
  startStack,
  TAP,
} from "./support.ts";

const DEMO_OPERATION_ID = "op_01JDEMOMEX0000000000000000";
const MTY = "off_01JDEMOMTY0000000000000000";
const B_EMAIL = "caseworker.mty@example.org";

let stack: LocalStack;
let browser: Browser;
let admin: string;
let tapIDs: string[];
let mtyIDs: string[];

async function register(officeID: string, names: string[]) {
  const res = await apiCall<{ results: { record?: { individualID: string } }[] }>(
    stack.url,
    admin,
    "POST",
    "/api/individuals",
    {
      rows: names.map((familyName, i) => ({
        ref: String(i),
        values: {
          givenName: "Sesión",
          familyName,
          sex: "female",
          estimatedAge: 30 + i,
          nationality: "HND",
          officeID,
        },
      })),
    },
  );
  const ids = res.results.map((r) => r.record?.individualID).filter(Boolean) as string[];
  if (ids.length !== names.length) throw new Error(JSON.stringify(res.results));
  return ids;
}

/** Signs in from the page the app shows, in the same tab (no reload: what the tab kept in memory stays). */
async function signInHere(page: Page, email: string) {
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  await page.getByLabel(/e-mail/i).fill(email);
  await page.getByLabel(/password/i).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator(".ag-row").first().waitFor();
}

async function stageEdit(page: Page, id: string, value: string) {
  await cell(page, id, "givenName").dblclick();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type(value);
  await page.keyboard.press("Enter");
  await expect.poll(() => page.getByTestId("unsaved").textContent()).toMatch(/1 unsaved changes in 1 rows/);
}

const givenName = async (id: string) =>
  (await apiCall<{ givenName: string }>(stack.url, admin, "GET", `/api/individuals/${id}`)).givenName;

beforeAll(async () => {
  buildWeb();
  stack = await startStackWithB();
  admin = await apiToken(stack.url, "admin@example.org");
  tapIDs = await register(TAP, ["Tapachula-1", "Tapachula-2", "Tapachula-3"]);
  mtyIDs = await register(MTY, ["Monterrey-1", "Monterrey-2"]);
  browser = await launch();
});

async function startStackWithB() {
  const s = await startStack();
  const { Actor, User } = await import("@waypoint/core");
  await Actor.provide({ type: "system", reason: "e2e" }, () =>
    User.create({
      email: B_EMAIL,
      name: "Mateo Monterrey",
      password: DEMO_PASSWORD,
      grants: [{ operationID: DEMO_OPERATION_ID, role: "caseworker", officeIDs: [MTY] }],
    }),
  );
  return s;
}

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("the sign-in page shows demo accounts only when the server says so", () => {
  it("a local demo instance names them; a server that says nothing (a deployed stage) shows none", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    try {
      const page = await ctx.newPage();
      await page.goto(`${stack.url}/`);
      const demo = page.getByTestId("demo-accounts");
      await expect.poll(() => demo.textContent()).toContain("admin@example.org");
      expect(await demo.textContent()).toContain(DEMO_PASSWORD);

      // A deployed stage answers { demo: null }: nothing of the demo anywhere on the page.
      await page.route("**/auth/config", (r) =>
        r.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify({ demo: null }) }),
      );
      await page.reload();
      await page.getByRole("button", { name: "Sign in" }).waitFor();
      await page.waitForLoadState("networkidle");
      const text = (await page.locator("body").textContent()) ?? "";
      expect(text).not.toContain(DEMO_PASSWORD);
      expect(text).not.toContain("example.org");
    } finally {
      await ctx.close();
    }
  });
});

describe("the browser forgets the previous user", () => {
  it("after a 401 or an expired session, the next person in the tab sees their own rows and no staged edit", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    try {
      const page = await ctx.newPage();
      await page.goto(`${stack.url}/individuals`);
      await signInHere(page, "caseworker@example.org");
      await expect.poll(async () => (await displayedRowIDs(page)).sort()).toEqual([...tapIDs].sort());
      await stageEdit(page, tapIDs[0]!, "Edit of A");

      // A's session ends on the server (a token it no longer accepts): the save meets a 401.
      await page.evaluate(`(() => {
        const s = JSON.parse(sessionStorage.getItem("waypoint.session"));
        sessionStorage.setItem("waypoint.session", JSON.stringify({ ...s, token: s.token + "x" }));
      })()`);
      await page.getByTestId("save").click();

      // B signs in in the same tab: B's rows, none of A's, and A's edit neither shown nor sent.
      await signInHere(page, B_EMAIL);
      await expect.poll(async () => (await displayedRowIDs(page)).sort()).toEqual([...mtyIDs].sort());
      await expect.poll(() => page.getByTestId("unsaved").textContent()).toBe("No unsaved changes");
      expect(await page.getByText("Edit of A").count()).toBe(0);
      expect(await givenName(tapIDs[0]!)).toBe("Sesión");

      // B's session expires in the browser: the next request finds it expired, removes it and asks to sign in.
      await stageEdit(page, mtyIDs[0]!, "Edit of B");
      await page.evaluate(`(() => {
        const s = JSON.parse(sessionStorage.getItem("waypoint.session"));
        sessionStorage.setItem("waypoint.session", JSON.stringify({ ...s, expiresAt: "2000-01-01T00:00:00.000Z" }));
      })()`);
      await page.getByTestId("save").click();
      await signInHere(page, "caseworker@example.org");
      expect(await page.evaluate(`sessionStorage.getItem("waypoint.session").includes("2000-01-01")`)).toBe(
        false,
      );
      await expect.poll(async () => (await displayedRowIDs(page)).sort()).toEqual([...tapIDs].sort());
      await expect.poll(() => page.getByTestId("unsaved").textContent()).toBe("No unsaved changes");
      expect(await page.getByText("Edit of B").count()).toBe(0);
      expect(await givenName(mtyIDs[0]!)).toBe("Sesión");
    } finally {
      await ctx.close();
    }
  });
});
