/**
 * Screenshots of the case page for the README: the case as a work surface, the referral form refusing a
 * referral without consent, and the booking form checking the time before saving (Spanish). `node --import tsx tests/e2e/screenshots-case.ts`.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../../packages/local/src/paths.ts";
import { DEMO_PARTNERS } from "../../packages/local/src/seed/foundation.ts";
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
  const me = await apiCall<Row>(stack.url, cw, "GET", "/api/me");
  const hh = await apiCall<Row>(stack.url, admin, "POST", "/api/households", { officeID: TAP });
  const person = (givenName: string, sex: string, dateOfBirth: string, relationshipToHead: string) =>
    apiCall<Row>(stack.url, admin, "POST", "/api/individuals", {
      givenName,
      familyName: "Jean-Baptiste",
      sex,
      dateOfBirth,
      nationality: "HTI",
      languages: ["hat", "fra"],
      interpreterNeeded: true,
      householdID: hh.householdID,
      relationshipToHead,
      officeID: TAP,
    });
  const mother = await person("Nadège", "female", "1988-05-02", "head");
  const son = await person("Wilson", "male", "2015-09-21", "child");
  const kase = await apiCall<Row>(stack.url, cw, "POST", "/api/cases", {
    officeID: TAP,
    type: "protection",
    riskLevel: "high",
    individualIDs: [mother.individualID, son.individualID],
    householdID: hh.householdID,
    assignedTo: me.userID,
    summary: "Threats from a gang in the country of origin; family arrived in Tapachula in October.",
  });
  const caseID = String(kase.caseID);
  for (const [kind, body] of [
    ["phone_call", "Called Nadège: the family moved to the shelter; Wilson attends school."],
    [
      "counselling",
      "Counselling on the asylum procedure with a Haitian Creole interpreter; next step: legal aid.",
    ],
  ])
    await apiCall(stack.url, cw, "POST", `/api/cases/${caseID}/notes`, { kind, body });
  await apiCall(stack.url, cw, "POST", "/api/assessments", {
    caseID,
    kind: "vulnerability",
    individualID: mother.individualID,
    answers: [
      { questionID: "active_threat", answer: true },
      { questionID: "single_caregiver", answer: true },
      { questionID: "shelter", answer: "temporary" },
    ],
  });
  await apiCall(stack.url, cw, "POST", "/api/referrals", {
    officeID: TAP,
    caseID,
    individualID: mother.individualID,
    toOrganisationID: DEMO_PARTNERS[0]!.organisationID,
    serviceCategory: "legal",
    reason: "Legal advice on the asylum claim",
    consent: { given: true, date: new Date().toISOString().slice(0, 10) },
  });
  await apiCall(stack.url, cw, "POST", `/api/cases/${caseID}/documents`, {
    kind: "consent_form",
    title: "Consent to share, signed",
    fileName: "consentimiento.pdf",
    contentType: "application/pdf",
    contentBase64: Buffer.from("%PDF-1.4\n%%EOF\n").toString("base64"),
  });
  const start = new Date(Date.now() + 2 * 86_400_000);
  start.setUTCHours(16, 30, 0, 0);
  await apiCall(stack.url, cw, "POST", "/api/appointments", {
    officeID: TAP,
    caseID,
    kind: "interview",
    room: "Sala 2",
    start: start.toISOString(),
    end: new Date(start.getTime() + 3_600_000).toISOString(),
    participants: [mother.individualID],
  });

  const ctx = await browser.newContext({
    viewport: { width: 1440, height: 2350 },
    timezoneId: "America/Mexico_City",
  });
  await ctx.addInitScript(`localStorage.setItem("waypoint.lang", "es")`);
  const page = await ctx.newPage();
  await page.goto(`${stack.url}/`);
  await page.locator('input[type="email"]').fill("caseworker@example.org");
  await page.locator('input[type="password"]').fill(DEMO_PASSWORD);
  await page.locator('button[type="submit"]').click();
  await page.locator("nav.sidenav").waitFor();
  await page.evaluate(
    `history.pushState(null, "", "/cases/${caseID}"); dispatchEvent(new PopStateEvent("popstate"))`,
  );
  await page
    .locator("#case-appointments tbody, section[aria-labelledby='case-appointments'] tbody")
    .first()
    .waitFor();
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(out, "case-es.png") });
  await page.setViewportSize({ width: 1440, height: 900 });

  const referrals = page.locator("section[aria-labelledby='case-referrals']");
  await referrals.getByRole("button", { name: "Referir a un servicio" }).click();
  const form = page.locator("dialog[open]");
  const question = (label: string) => form.locator(".question", { hasText: label }).first();
  await question("Persona")
    .locator("select")
    .selectOption({ value: String(son.individualID) });
  await question("Servicio").locator("select").selectOption({ label: "Apoyo psicosocial" });
  await question("Referir a").locator("select").selectOption({ value: DEMO_PARTNERS[0]!.organisationID });
  await question("Motivo").locator("textarea").fill("Psychosocial support after the threats");
  await question("¿La persona consintió").getByLabel("No", { exact: true }).check();
  await form.getByRole("button", { name: "Guardar" }).click();
  await form.locator(".error-summary").waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(out, "referral-consent-es.png") });
  await page.keyboard.press("Escape");

  // the booking form: the person's language proposed, the interpreter by name, the time checked before saving
  const appointments = page.locator("section[aria-labelledby='case-appointments']");
  await appointments.getByRole("button", { name: "Agendar cita" }).click();
  const bk = page.locator("dialog[open]");
  const ask = (label: string) => bk.locator(".question", { hasText: label }).first();
  await ask("Persona")
    .locator("select")
    .selectOption({ value: String(mother.individualID) });
  await ask("Tipo").locator("select").selectOption({ label: "Entrevista" });
  await ask("Sala").locator("input").fill("Sala 2");
  const date = ask("Fecha");
  await date.getByLabel("Día", { exact: true }).fill("4");
  await date.getByLabel("Mes", { exact: true }).fill("12");
  await date.getByLabel("Año", { exact: true }).fill("2026");
  await ask("Hora").locator("input").fill("12:00");
  await ask("Intérprete").locator("select").selectOption({ label: "Jean-Baptiste Pierre" });
  await bk.locator(".booking-check").waitFor();
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(out, "booking-es.png") });
  await ctx.close();
} finally {
  await browser.close();
  await stack.stop();
}
