import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../packages/local/src/runtime.ts";
import { apiCall, apiToken, buildWeb, launch, openAs, startStack, TAP } from "./support.ts";

type Row = Record<string, unknown>;
let stack: LocalStack;
let browser: Browser;
let admin: string;
let caseworker: string;

beforeAll(async () => {
  buildWeb();
  stack = await startStack();
  admin = await apiToken(stack.url, "admin@example.org");
  caseworker = await apiToken(stack.url, "caseworker@example.org");
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const section = (page: Page, title: string) =>
  page.locator("section.related", { has: page.getByRole("heading", { name: title, exact: true }) });
const dialog = (page: Page) => page.locator("dialog[open]");
const question = (scope: Locator, label: string) => scope.locator(".question", { hasText: label }).first();

describe("questionnaires: an admin reweighs the vulnerability questionnaire, old assessments keep theirs", () => {
  it("admin publishes version 2 in French; the caseworker's new assessment (Spanish) scores by it, the old one keeps version 1", async () => {
    const person = await apiCall<Row>(stack.url, admin, "POST", "/api/individuals", {
      givenName: "Marie",
      familyName: "Joseph",
      sex: "female",
      dateOfBirth: "1991-05-02",
      nationality: "HTI",
      officeID: TAP,
    });
    const me = await apiCall<Row>(stack.url, caseworker, "GET", "/api/me");
    const kase = await apiCall<Row>(stack.url, admin, "POST", "/api/cases", {
      officeID: TAP,
      type: "protection",
      individualIDs: [person.individualID],
      assignedTo: me.userID,
    });
    const caseID = String(kase.caseID);
    const answers = [
      { questionID: "disability", answer: true },
      { questionID: "shelter", answer: "temporary" },
    ];
    // recorded before the change: 15 + 8 = 23, medium, by the built-in version 1
    const old = await apiCall<Row>(stack.url, caseworker, "POST", "/api/assessments", {
      caseID,
      kind: "vulnerability",
      answers,
    });
    expect(old).toMatchObject({ score: 23, level: "medium", questionnaireVersion: 1 });

    // The admin, in French: disability weighs 40 instead of 15, and "high" starts at 45 instead of 40.
    const a = await openAs(browser, stack.url, { email: "admin@example.org", path: "/questionnaires", lang: "fr" });
    try {
      const card = a.page.locator("section.card", { has: a.page.getByRole("heading", { name: "Évaluation de la vulnérabilité" }) });
      await card.getByText("Version en vigueur : 1").waitFor();
      await card.getByRole("button", { name: "Créer une nouvelle version" }).click();
      await a.page.getByRole("heading", { name: "Nouvelle version, à partir de la version 1" }).waitFor();
      const disability = a.page.locator("fieldset.question", { has: a.page.locator("legend", { hasText: "Handicap" }) }).first();
      await disability.getByLabel("Points pour « oui »").fill("40");
      const high = a.page.locator("#band-2-min");
      expect(await high.inputValue()).toBe("40");
      await high.fill("45");
      await a.page.getByRole("button", { name: "Publier cette version" }).click();
      await expect.poll(() => a.page.locator("#q-notice").innerText()).toContain("La version 2 est publiée");
      await card.getByText("Version en vigueur : 2").waitFor();
    } finally {
      await a.ctx.close();
    }
    const v2 = await apiCall<Row & { sections: { questions: Row[] }[]; scoring: { bands: Row[] } }>(
      stack.url,
      caseworker,
      "GET",
      "/api/questionnaires/vulnerability/versions/current",
    );
    expect(v2).toMatchObject({ questionnaireVersion: 2, status: "published" });
    expect(v2.sections.flatMap((s) => s.questions).find((q) => q.questionID === "disability")).toMatchObject({ yesPoints: 40 });
    expect(v2.scoring.bands.find((b) => b.band === "high")).toMatchObject({ min: 45 });

    // The caseworker, in Spanish, records a new assessment from the case page: the form is version 2.
    const c = await openAs(browser, stack.url, { email: "caseworker@example.org", path: `/cases/${caseID}`, lang: "es" });
    try {
      const assessments = section(c.page, "Evaluaciones");
      await assessments.getByRole("button", { name: "Registrar evaluación de vulnerabilidad" }).click();
      const form = dialog(c.page);
      await form.getByText("Versión 2 del cuestionario").waitFor();
      // skip conditions live: the socio-economic form asks the amount owed only once "in debt" is yes
      await form.locator("#qa-kind").selectOption({ label: "Socioeconómica" });
      await question(form, "Con deudas").waitFor();
      expect(await form.locator("#qa-debt_amount").count()).toBe(0);
      await question(form, "Con deudas").getByLabel("Sí", { exact: true }).check();
      await form.locator("#qa-debt_amount").waitFor();
      await question(form, "Con deudas").getByLabel("No", { exact: true }).check();
      await expect.poll(() => form.locator("#qa-debt_amount").count()).toBe(0);

      await form.locator("#qa-kind").selectOption({ label: "Vulnerabilidad" });
      await question(form, "Discapacidad").getByLabel("Sí", { exact: true }).check();
      await question(form, "Alojamiento").locator("select").selectOption({ label: "Temporal" });
      // the score as answered, computed in the browser by the same rule core applies
      await expect.poll(() => form.locator("#qa-preview").innerText()).toContain("48 (Alta)");
      await form.getByRole("button", { name: "Guardar" }).click();
      await expect.poll(() => assessments.locator("tbody tr").count()).toBe(2);

      const items = (
        await apiCall<{ items: Row[] }>(stack.url, caseworker, "GET", `/api/assessments?caseID=${caseID}`)
      ).items;
      const fresh = items.find((x) => x.assessmentID !== old.assessmentID)!;
      expect(fresh).toMatchObject({ score: 48, level: "high", questionnaireKey: "vulnerability", questionnaireVersion: 2 });
      expect(items.find((x) => x.assessmentID === old.assessmentID)).toMatchObject({
        score: 23,
        level: "medium",
        questionnaireVersion: 1,
      });

      // the new assessment's score explained, question by question, by version 2 (newest first in the list)
      await assessments.locator("tbody tr").nth(0).getByRole("button", { name: "Explicación de la puntuación" }).click();
      const ex = c.page.locator("#score-explained");
      await ex.getByText("Puntuada con la versión 2").waitFor();
      expect(await ex.locator("tr", { hasText: "Discapacidad" }).innerText()).toMatch(/Sí\s+40/);
      expect(await ex.locator("tr", { hasText: "Alojamiento" }).innerText()).toMatch(/Temporal\s+8/);
      expect(await ex.locator("#score-explained-score").innerText()).toContain("48, Alta");
      await c.page.keyboard.press("Escape");

      // the old one still explains itself by version 1: 15 for the same answer
      await assessments.locator("tbody tr").nth(1).getByRole("button", { name: "Explicación de la puntuación" }).click();
      await ex.getByText("Puntuada con la versión 1").waitFor();
      expect(await ex.locator("tr", { hasText: "Discapacidad" }).innerText()).toMatch(/Sí\s+15/);
      expect(await ex.locator("#score-explained-score").innerText()).toContain("23, Media");
    } finally {
      await c.ctx.close();
    }
  });
});
