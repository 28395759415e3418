/**
 * Screenshots of the work surfaces for the README: the supervisor's queue and an interpreter's interviews.
 * `node --import tsx tests/e2e/screenshots-work.ts` (builds the web app, starts the stack in memory).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../../packages/local/src/paths.ts";
import { apiCall, apiToken, buildWeb, DEMO_PASSWORD, launch, startStack, TAP } from "./support.ts";

type Row = Record<string, unknown>;
const out = join(repoRoot, "docs", "screenshots");
mkdirSync(out, { recursive: true });
buildWeb();
const stack = await startStack();
const browser = await launch();
try {
  const admin = await apiToken(stack.url, "admin@example.org");
  const cw = await apiToken(stack.url, "caseworker@example.org");
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
  for (const [g, f, reason] of [
    ["Nadège", "Toussaint", "Case plan goals met; safe housing secured"],
    ["Marisol", "Reyes", "Relocated to Monterrey, follow-up completed"],
  ] as const) {
    const p = await person(g, f, "1986-04-12");
    const c = await apiCall<Row>(stack.url, cw, "POST", "/api/cases", {
      officeID: TAP,
      type: "protection",
      individualIDs: [p.individualID],
      assignedTo: (await apiCall<Row>(stack.url, cw, "GET", "/api/me")).userID,
    });
    await apiCall(stack.url, cw, "POST", `/api/cases/${c.caseID}/closure-request`, {
      reason,
      version: c.version,
    });
  }
  const mother = await person("Roseline", "Augustin", "1989-01-20");
  const child = await person("Wideline", "Augustin", "2017-06-11", { specificNeeds: ["UASC-SC"] });
  const bip = await apiCall<Row>(stack.url, cw, "POST", "/api/cases", {
    officeID: TAP,
    type: "bip",
    individualIDs: [mother.individualID, child.individualID],
  });
  const bid = await apiCall<Row>(stack.url, cw, "POST", "/api/assessments", {
    caseID: bip.caseID,
    kind: "bid",
    individualID: child.individualID,
    summary: "Best interests determination",
  });
  await apiCall(stack.url, cw, "POST", `/api/assessments/${bid.assessmentID}/submit`, {
    version: bid.version,
  });
  const interpreter = await apiToken(stack.url, "interpreter@example.org");
  const me = await apiCall<Row>(stack.url, interpreter, "GET", "/api/me");
  const p = await person("Mackenson", "Dorélien", "1990-09-09", { languages: ["hat", "fra"] });
  for (const [day, hour, room] of [
    [1, 15, "Sala 2"],
    [2, 17, "Sala 4"],
  ] as const) {
    const start = new Date(Date.now() + day * 86_400_000);
    start.setUTCHours(hour, 0, 0, 0);
    await apiCall(stack.url, cw, "POST", "/api/appointments", {
      officeID: TAP,
      kind: "interview",
      room,
      start: start.toISOString(),
      end: new Date(start.getTime() + 3_600_000).toISOString(),
      participants: [p.individualID],
      interpreterID: me.userID,
      interpreterLanguage: "hat",
    });
  }

  const shoot = async (email: string, landing: string, file: string, lang = "en") => {
    const ctx = await browser.newContext({
      viewport: { width: 1440, height: 860 },
      timezoneId: "America/Mexico_City",
    });
    await ctx.addInitScript(`localStorage.setItem("waypoint.lang", ${JSON.stringify(lang)})`);
    const page = await ctx.newPage();
    await page.goto(`${stack.url}/`);
    await page.locator('input[type="email"]').fill(email);
    await page.locator('input[type="password"]').fill(DEMO_PASSWORD);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`**${landing}`);
    await page.locator("section.page h1").waitFor();
    await page.waitForTimeout(800);
    await page.screenshot({ path: join(out, file) });
    await ctx.close();
  };
  await shoot("supervisor@example.org", "/queue", "queue.png");
  await shoot("interpreter@example.org", "/interviews", "interviews-es.png", "es");
} finally {
  await browser.close();
  await stack.stop();
}
