import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../packages/local/src/runtime.ts";
import { apiCall, apiToken, buildWeb, launch, openAs, startStack, TAP } from "./support.ts";

type Row = Record<string, unknown>;
let stack: LocalStack;
let browser: Browser;
let cw: string;
let admin: string;
const DARI = "معلومات در مورد ثبت نام";
const CLINIC = "org_01JDEMOMSF0000000000000000";

beforeAll(async () => {
  buildWeb();
  stack = await startStack();
  cw = await apiToken(stack.url, "caseworker@example.org");
  admin = await apiToken(stack.url, "admin@example.org");
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const call = <T = Row>(token: string, method: string, path: string, body?: unknown) =>
  apiCall<T>(stack.url, token, method, path, body);

async function register(given: string, family: string) {
  const res = await call<{ results: { record: Row }[] }>(cw, "POST", "/api/individuals", {
    rows: [
      {
        ref: given,
        values: { givenName: given, familyName: family, sex: "female", dateOfBirth: "1990-02-03", nationality: "AFG", officeID: TAP },
      },
    ],
  });
  return res.results[0]!.record as { individualID: string; registrationNumber: string };
}

/** Fills a date question (day, month, year inputs) by its label. */
async function fillDate(page: Page, legend: string, iso: string) {
  const [y, m, d] = iso.split("-");
  const group = page.locator("fieldset", { has: page.locator("legend", { hasText: legend }) });
  await group.getByLabel("Day").fill(d!);
  await group.getByLabel("Month").fill(m!);
  await group.getByLabel("Year").fill(y!);
}

describe("working with communities, in the English UI", () => {
  it("records a session with people picked by name and by a pasted list, counts by sex and age; the person's page lists it", async () => {
    const zahra = await register("Zahra", "Ahmadi");
    const maryam = await register("Maryam", "Karimi");
    const { page } = await openAs(browser, stack.url, {
      email: "caseworker@example.org",
      path: "/activities",
      lang: "en",
      ready: "h1",
    });
    await page.getByRole("button", { name: "Record a session" }).click();
    const dialog = page.locator("dialog[open]");
    await dialog.getByLabel("Kind of activity").selectOption({ label: "Information session" });
    await dialog.getByLabel("Topic").fill("جلسه معلوماتی برنامه ادغام محلی");
    await fillDate(page, "Date", "2026-03-10");
    await dialog.getByLabel("Start time").fill("10:30");
    await dialog.getByLabel("Language").selectOption({ label: "Dari" });
    await dialog.getByRole("checkbox", { name: "Carmen Villalobos" }).check();
    await dialog.getByRole("button", { name: "Save the session" }).click();
    await page.getByRole("heading", { name: "جلسه معلوماتی برنامه ادغام محلی" }).waitFor();
    // 10:30 in Mexico City is 16:30 UTC
    const id = page.url().split("/activities/")[1]!;
    const stored = await call(cw, "GET", `/api/activities/${id}`);
    expect(stored).toMatchObject({ start: "2026-03-10T16:30:00.000Z", language: "prs", topic: "جلسه معلوماتی برنامه ادغام محلی" });

    await page.getByLabel("Person", { exact: true }).fill("Ahmadi");
    await page.getByRole("button", { name: /Zahra Ahmadi/ }).click();
    await page.getByRole("button", { name: "Add this person" }).click();
    await page.getByText("1 added.").waitFor();
    await page.getByLabel(/paste registration numbers/).fill(`${maryam.registrationNumber}\nXX-000`);
    await page.getByRole("button", { name: "Add the listed people" }).click();
    await page.getByText(/Not found, nobody added for: XX-000/).waitFor();
    const list = page.getByRole("list", { name: "Registered people who attended" });
    await list.getByText("Maryam Karimi").waitFor();
    expect(await list.getByText("Zahra Ahmadi").count()).toBe(1);

    await page.getByLabel("18–24 years, Women and girls").fill("7");
    await page.getByLabel("25–59 years, Men and boys").fill("-3");
    await page.getByRole("button", { name: "Save the counts" }).click();
    await page.getByText("Counts are whole numbers, 0 or more.").waitFor();
    await page.getByLabel("25–59 years, Men and boys").fill("4");
    await page.getByRole("button", { name: "Save the counts" }).click();
    await page.getByText("Saved.").waitFor();
    const counted = await call<{ counts: Row[]; attendeeCount: number }>(cw, "GET", `/api/activities/${id}`);
    expect(counted.attendeeCount).toBe(2);
    expect(counted.counts).toEqual(
      expect.arrayContaining([
        { sex: "female", ageGroup: "18_24", count: 7 },
        { sex: "male", ageGroup: "25_59", count: 4 },
      ]),
    );

    await page.goto(`${stack.url}/individuals/${zahra.individualID}`);
    const sessions = page.locator("section", { has: page.getByRole("heading", { name: "Sessions attended" }) });
    await sessions.getByText("جلسه معلوماتی برنامه ادغام محلی").waitFor();
    await sessions.getByText("Information session").waitFor();
  });

  it("logs an enquiry in Dari beside the FAQ, flags the overdue follow-up, registers an interest-form request; the referral form offers the directory's services", async () => {
    await call(admin, "PUT", "/api/enquiries/faq", {
      version: 0,
      entries: [{ language: "en", topic: "registration", question: "Where do I register?", answer: "At the office, 9 to 13." }],
    });
    const consent = await fetch(`${stack.url}/v1/public/interest/consent?lang=es`).then((r) => r.json() as Promise<Row>);
    const sent = await fetch(`${stack.url}/v1/public/interest`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        operation: "MEX",
        givenName: "Rosa",
        familyName: "Quispe",
        phone: "+525598761234",
        language: "es",
        consent: true,
        consentVersion: consent.version,
      }),
    });
    expect(sent.status).toBe(202);

    const { page } = await openAs(browser, stack.url, {
      email: "caseworker@example.org",
      path: "/enquiries",
      lang: "en",
      ready: "h1",
    });
    await page.getByText("Where do I register?").waitFor();
    const form = page.locator("section", { has: page.getByRole("heading", { name: "Log an enquiry" }) });
    await form.getByLabel("Channel").selectOption({ label: "Phone call" });
    await form.getByLabel("Topic").selectOption({ label: "Registration" });
    await form.getByLabel("Caller's name").fill("Ahmad Rahimi");
    await form.getByLabel("Answer given").fill(DARI);
    await fillDate(page, "Follow-up due", "2026-01-05");
    await form.getByLabel("Status").selectOption({ label: "Follow-up due" });
    await form.getByRole("button", { name: "Save the enquiry" }).click();

    const queue = page.getByRole("table", { name: "Queue" });
    const row = queue.locator("tr", { hasText: "Ahmad Rahimi" });
    await row.waitFor();
    await page.reload();
    await row.getByText(DARI, { exact: true }).waitFor();
    await row.getByText("Overdue").waitFor();
    expect(await row.getAttribute("class")).toBe("overdue");
    const stored = await call<{ items: { record: Row; overdue: boolean }[] }>(cw, "GET", "/api/enquiries");
    expect(stored.items.find((r) => r.record.callerName === "Ahmad Rahimi")).toMatchObject({
      overdue: true,
      record: { answer: DARI },
    });

    const lead = queue.locator("tr", { hasText: "Rosa Quispe" });
    await lead.getByText("Interest form").waitFor();
    await lead.getByRole("button", { name: "Register this person" }).click();
    const dialog = page.locator("dialog[open]");
    await dialog.getByLabel("Sex").selectOption({ label: "Female" });
    await fillDate(page, "Date of birth", "1992-07-08");
    await dialog.getByLabel("Nationality").fill("per");
    await dialog.getByRole("button", { name: "Register", exact: true }).click();
    await dialog.waitFor({ state: "detached" });
    await expect.poll(() => lead.count()).toBe(0);
    const found = await call<{ items: Row[] }>(cw, "GET", "/api/individuals?q=Quispe");
    expect(found.items).toHaveLength(1);
    expect(found.items[0]).toMatchObject({ givenName: "Rosa", nationality: "PER" });

    // the directory: an admin's service for the whole operation, offered on a case's referral form
    await call(admin, "POST", "/api/services", {
      name: "Orientación legal gratuita",
      category: "legal",
      organisationID: "org_01JDEMOHIAS000000000000000",
      providerName: "Servicio Jesuita a Refugiados (demo)",
      languages: ["spa", "prs"],
    });
    await call(admin, "POST", "/api/services", {
      name: "Consulta médica",
      category: "health",
      organisationID: CLINIC,
      providerName: "Clínica Comunitaria Tapachula (demo)",
    });
    await page.goto(`${stack.url}/services`);
    await page.getByLabel("Search").fill("orientacion");
    const services = page.getByRole("table", { name: "Service directory" });
    await services.getByText("Orientación legal gratuita").waitFor();
    await expect.poll(() => services.getByText("Consulta médica").count()).toBe(0);

    const person = found.items[0]!;
    const kase = await call<Row>(cw, "POST", "/api/cases", {
      officeID: TAP,
      type: "protection",
      individualIDs: [person.individualID],
    });
    await page.goto(`${stack.url}/cases/${String(kase.caseID)}`);
    await page.getByRole("button", { name: "Refer to a service" }).click();
    const referral = page.locator("dialog[open]");
    await referral.getByText("Services that fit this case").waitFor();
    await referral.locator("li", { hasText: "Consulta médica" }).getByRole("button", { name: "Refer to this service" }).click();
    await referral.getByText("Partner and category filled in from Consulta médica.").waitFor();
    expect(await referral.locator("#f-serviceCategory").inputValue()).toBe("health");
    expect(await referral.locator("#f-toOrganisationID").inputValue()).toBe(CLINIC);
  });
});
