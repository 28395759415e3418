import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SecondFactor } from "@waypoint/core/auth/totp";
import type { LocalStack } from "../../packages/local/src/runtime.ts";
import { apiCall, apiToken, buildWeb, DEMO_PASSWORD, htmlDir, launch, startStack, TAP } from "./support.ts";

/**
 * Work surfaces through the real UI: a supervisor in Arabic approves a closure from their queue; a BID is decided
 * by a panel of two supervisors, each from their queue; an interpreter sees only their interviews, with names.
 */
type Row = Record<string, unknown>;
let stack: LocalStack;
let browser: Browser;
let admin: string;
let caseworker: string;
const DEMO_OPERATION_ID = "op_01JDEMOMEX0000000000000000";
const SECOND_SUPERVISOR = "supervisor2@example.org";

beforeAll(async () => {
  buildWeb();
  stack = await startStack();
  admin = await apiToken(stack.url, "admin@example.org");
  caseworker = await apiToken(stack.url, "caseworker@example.org");
  // a second supervisor of Tapachula, for the BID panel
  const { Actor, User } = await import("@waypoint/core");
  await Actor.provide({ type: "system", reason: "e2e" }, () =>
    User.create({
      email: SECOND_SUPERVISOR,
      name: "Aisha Rahimi",
      password: DEMO_PASSWORD,
      grants: [{ operationID: DEMO_OPERATION_ID, role: "supervisor", officeIDs: [TAP] }],
    }),
  );
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const person = (givenName: string, familyName: string, dateOfBirth: string, extra: Row = {}) =>
  apiCall<Row>(stack.url, admin, "POST", "/api/individuals", {
    givenName,
    familyName,
    sex: "female",
    dateOfBirth,
    nationality: "HTI",
    officeID: TAP,
    ...extra,
  });

/** Signs in from the start page and waits for the role's landing page. */
async function openAs(email: string, landing: string, lang?: string): Promise<Page> {
  const ctx = await browser.newContext({
    viewport: { width: 1400, height: 1000 },
    timezoneId: "America/Mexico_City",
  });
  if (lang) await ctx.addInitScript(`localStorage.setItem("waypoint.lang", ${JSON.stringify(lang)})`);
  const page = await ctx.newPage();
  await page.goto(`${stack.url}/`);
  await page.locator('input[type="email"]').fill(email);
  await page.locator('input[type="password"]').fill(DEMO_PASSWORD);
  await page.locator('button[type="submit"]').click();
  if (email === SECOND_SUPERVISOR) {
    // not a seeded demo account: a supervisor enrols an authenticator at first sign-in (second factor)
    await page.getByTestId("totp-secret").waitFor();
    const secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");
    await page.getByLabel("Code", { exact: true }).fill(SecondFactor.codeFor(secret));
    await page.getByRole("button", { name: "Check the code and finish" }).click();
    await page.getByRole("button", { name: "I have kept these codes: continue" }).click();
  }
  await expect.poll(() => new URL(page.url()).pathname).toBe(landing);
  return page;
}

describe("work surfaces, through the real UI", () => {
  it("a supervisor in Arabic lands on their queue and approves a case closure from it", async () => {
    const p = await person("Nadège", "Toussaint", "1985-05-02");
    const kase = await apiCall<Row>(stack.url, caseworker, "POST", "/api/cases", {
      officeID: TAP,
      type: "protection",
      individualIDs: [p.individualID],
    });
    await apiCall(stack.url, caseworker, "POST", `/api/cases/${kase.caseID}/closure-request`, {
      reason: "Objetivos del plan cumplidos",
      version: kase.version,
    });
    const page = await openAs("supervisor@example.org", "/queue", "ar");
    expect(await htmlDir(page)).toBe("rtl");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("ما ينتظر قرارك");
    const item = page.locator("section[aria-labelledby='q-closures'] li", {
      hasText: String(kase.caseNumber),
    });
    await expect.poll(() => item.first().textContent()).toContain("Objetivos del plan cumplidos");
    await expect.poll(() => item.first().textContent()).toContain("Carmen Villalobos");
    await item
      .first()
      .getByRole("link", { name: `افتح ${kase.caseNumber} لاتخاذ القرار` })
      .click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/cases/${kase.caseID}`);
    const decision = page.locator("section.decision");
    await decision.getByRole("heading", { name: "بانتظار قرارك" }).waitFor();
    await decision.locator("select").selectOption({ label: "موافقة" });
    await decision.locator("textarea").fill("تمت المراجعة");
    await decision.getByRole("button", { name: "تسجيل القرار" }).click();
    await page.getByText("تم تسجيل قرارك.").waitFor();
    const stored = await apiCall<Row>(stack.url, admin, "GET", `/api/cases/${kase.caseID}`);
    expect(stored.closureApproval).toMatchObject({ decision: "approved", comment: "تمت المراجعة" });
    // the record's history says what happened in words, never the internal step name
    const timeline = page.locator(".timeline");
    await expect.poll(() => timeline.textContent()).toContain("وُوفق على الإغلاق");
    expect(await timeline.textContent()).not.toMatch(/closure\.|create|update/);
    // back on the queue, nothing waits for this case any more
    await page.locator("nav.sidenav").getByRole("link", { name: "بانتظاري" }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/queue");
    await expect
      .poll(async () => page.locator("section[aria-labelledby='q-closures']").textContent())
      .not.toContain(String(kase.caseNumber));
    await page.context().close();
  });

  it("a BID is decided by a panel of two supervisors, each voting from their queue", async () => {
    const mother = await person("Roseline", "Augustin", "1989-01-20");
    const child = await person("Wideline", "Augustin", "2017-06-11", { specificNeeds: ["UASC-SC"] });
    const kase = await apiCall<Row>(stack.url, caseworker, "POST", "/api/cases", {
      officeID: TAP,
      type: "bip",
      individualIDs: [mother.individualID, child.individualID],
    });
    const bid = await apiCall<Row>(stack.url, caseworker, "POST", "/api/assessments", {
      caseID: kase.caseID,
      kind: "bid",
      individualID: child.individualID,
      summary: "Best interests determination",
    });
    await apiCall(stack.url, caseworker, "POST", `/api/assessments/${bid.assessmentID}/submit`, {
      version: bid.version,
    });

    const vote = async (email: string, panelSoFar: string, status: string) => {
      const page = await openAs(email, "/queue");
      const item = page.locator("section[aria-labelledby='q-reviews'] li", {
        hasText: String(kase.caseNumber),
      });
      await expect.poll(() => item.textContent()).toContain("Wideline Augustin");
      await expect.poll(() => item.textContent()).toContain(panelSoFar);
      await item.getByRole("link").click();
      // a BIA/BID opens on its own page (rounds, panel, links to the case), where the review form waits
      await expect.poll(() => new URL(page.url()).pathname).toBe(`/bip/${String(bid.assessmentID)}`);
      const decision = page.locator("section.decision");
      await decision.getByRole("heading", { name: "Your review" }).waitFor();
      await decision.locator("select").selectOption({ label: "Approve" });
      await decision.locator("textarea").fill("In the child's best interests");
      await decision.getByRole("button", { name: "Record the decision" }).click();
      // recorded: the review form leaves the page (the vote is in the panel's round)
      await expect.poll(() => decision.count()).toBe(0);
      const stored = await apiCall<Row>(stack.url, admin, "GET", `/api/assessments?caseID=${kase.caseID}`);
      expect((stored.items as Row[]).find((a) => a.assessmentID === bid.assessmentID)?.status).toBe(status);
      await page.context().close();
    };
    await vote("supervisor@example.org", "Panel: 0 of 2 approvals", "submitted");
    await vote(SECOND_SUPERVISOR, "Samuel Okafor: Approve", "approved");
  });

  it("an interpreter lands on their interviews: names, languages, local time and place, and nothing else", async () => {
    const p = await person("Mackenson", "Dorélien", "1990-09-09", { languages: ["hat"] });
    const other = await person("Lucía", "Hernández", "1992-02-02");
    const me = await apiCall<{ userID: string }>(
      stack.url,
      await apiToken(stack.url, "interpreter@example.org"),
      "GET",
      "/api/me",
    );
    const start = new Date(Date.now() + 86_400_000);
    start.setUTCHours(16, 0, 0, 0);
    const end = new Date(start.getTime() + 45 * 60_000);
    await apiCall(stack.url, caseworker, "POST", "/api/appointments", {
      officeID: TAP,
      kind: "interview",
      room: "Sala 4",
      start: start.toISOString(),
      end: end.toISOString(),
      participants: [p.individualID],
      interpreterID: me.userID,
      interpreterLanguage: "hat",
      notes: "Traer acta de nacimiento",
    });
    await apiCall(stack.url, caseworker, "POST", "/api/appointments", {
      officeID: TAP,
      kind: "interview",
      room: "Sala 5",
      start: start.toISOString(),
      end: end.toISOString(),
      participants: [other.individualID],
    });
    const page = await openAs("interpreter@example.org", "/interviews", "es");
    const rows = page.locator("table.interviews tbody tr");
    await expect.poll(() => rows.count()).toBe(1);
    const text = (await rows.first().textContent()) ?? "";
    expect(text).toContain("Mackenson Dorélien");
    // the person's and the interview's language, in the UI language (Chromium says "haitiano")
    expect(text).toMatch(/\(haitiano\)|\(criollo haitiano\)/);
    expect(text).toContain("Tapachula");
    expect(text).toContain("sala Sala 4");
    // 16:00 UTC is 10:00 in Mexico City
    expect(text).toContain("10:00");
    expect(text).not.toContain("Lucía");
    expect(text).not.toContain("acta");
    // the menu holds only their interviews (and their own account)
    const nav = (await page.locator("nav.sidenav a").allTextContents()).map((s) => s.trim());
    expect(nav).toEqual(["Mis entrevistas", "Mi cuenta"]);
    await page.context().close();
  });

  it("a caseworker lands on their day: today's appointments and their own cases, overdue follow-ups marked", async () => {
    const me = await apiCall<{ userID: string }>(stack.url, caseworker, "GET", "/api/me");
    const p = await person("Esther", "Jean-Louis", "1993-03-03");
    const kase = await apiCall<Row>(stack.url, caseworker, "POST", "/api/cases", {
      officeID: TAP,
      type: "protection",
      individualIDs: [p.individualID],
      assignedTo: me.userID,
      dueFollowUp: "2026-01-15",
    });
    // the current quarter hour: today in any time zone the browser is in
    const start = new Date(Math.floor(Date.now() / 900_000) * 900_000);
    await apiCall(stack.url, caseworker, "POST", "/api/appointments", {
      officeID: TAP,
      kind: "counselling",
      room: "Sala 7",
      start: start.toISOString(),
      end: new Date(start.getTime() + 30 * 60_000).toISOString(),
      participants: [p.individualID],
    });
    const page = await openAs("caseworker@example.org", "/today");
    const today = page.locator("section[aria-labelledby='today-appointments']");
    await expect.poll(() => today.textContent()).toContain("Esther Jean-Louis");
    const mine = page.locator("tr.overdue", { hasText: String(kase.caseNumber) });
    await expect.poll(() => mine.count()).toBe(1);
    // whose case it is, by name, beside its number
    await expect.poll(() => mine.innerText()).toContain("Esther Jean-Louis");
    const header = await page.locator("section[aria-labelledby='caseload-title'] thead").innerText();
    expect(header).not.toMatch(/individualIDs|\bIDs?\b/);
    const nav = (await page.locator("nav.sidenav a").allTextContents()).map((s) => s.trim());
    expect(nav).toContain("My day");
    expect(nav).not.toContain("Caseload by worker");
    await page.context().close();
  });
  it("a page whose code cannot be fetched says so in the user's language inside the shell, and opens on reload", async () => {
    // the caseworker's My day is its own chunk; the chunk is refused as after a deployment replaced it
    const ctx = await browser.newContext({
      viewport: { width: 1400, height: 1000 },
      timezoneId: "America/Mexico_City",
    });
    await ctx.addInitScript(`localStorage.setItem("waypoint.lang", "es")`);
    let refused = 0;
    await ctx.route(/\/assets\/TodayPage-[^/]+\.js$/, (route) => {
      refused++;
      return route.fulfill({ status: 404, body: "" });
    });
    const page = await ctx.newPage();
    await page.goto(`${stack.url}/`);
    await page.locator('input[type="email"]').fill("caseworker@example.org");
    await page.locator('input[type="password"]').fill(DEMO_PASSWORD);
    await page.locator('button[type="submit"]').click();
    // one automatic reload (a tab from before a deployment gets the new build), then the sentence, not a blank app
    const alert = page.getByRole("alert").filter({ hasText: "No se pudo mostrar esta página" });
    await alert.waitFor({ timeout: 30_000 });
    expect(refused).toBeGreaterThanOrEqual(2);
    expect(await page.locator("nav.sidenav").isVisible()).toBe(true);
    expect(await alert.innerText()).not.toMatch(/TodayPage|import|module|Error/i);
    // the chunk is back: the reload button opens the page
    await ctx.unroute(/\/assets\/TodayPage-[^/]+\.js$/);
    await alert.getByRole("button", { name: "Volver a cargar la página" }).click();
    await page.locator("section[aria-labelledby='caseload-title']").waitFor();
    await ctx.close();
    // a chunk name that is not there is a 404 (never the app's page in its place, which the browser would keep);
    // the chunks that are there are kept for good (their names change with their content)
    const gone = await fetch(`${stack.url}/assets/TodayPage-gone0000.js`);
    expect(gone.status).toBe(404);
    expect(gone.headers.get("cache-control")).toBeNull();
    const html = await (await fetch(`${stack.url}/today`)).text();
    const entry = html.match(/\/assets\/index-[^"]+\.js/)?.[0];
    expect(entry).toBeTruthy();
    const found = await fetch(`${stack.url}${entry}`);
    expect(found.status).toBe(200);
    expect(found.headers.get("cache-control")).toContain("immutable");
  });
});
