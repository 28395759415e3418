import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../packages/local/src/runtime.ts";
import { apiCall, apiToken, buildWeb, launch, startStack, TAP, openAs } from "./support.ts";

type Row = Record<string, unknown>;
let stack: LocalStack;
let browser: Browser;
let admin: string;

beforeAll(async () => {
  buildWeb();
  stack = await startStack();
  admin = await apiToken(stack.url, "admin@example.org");
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const dialog = (page: Page) => page.locator("dialog[open]");
const question = (scope: Locator, label: string) => scope.locator(".question", { hasText: label }).first();

/** A weekday at least three days ahead (a date, read in Mexico City). */
function weekday(): string {
  const d = new Date(Date.now() + 3 * 86_400_000);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

describe("booking in Spanish", () => {
  it("a caseworker books an interview with a Haitian Creole interpreter: the taken time shows with the next free one before saving, and the interpreter sees it", async () => {
    const person = await apiCall<Row>(stack.url, admin, "POST", "/api/individuals", {
      givenName: "Rose",
      familyName: "Dorval",
      sex: "female",
      dateOfBirth: "1991-05-02",
      nationality: "HTI",
      languages: ["hat"],
      officeID: TAP,
    });
    const individualID = String(person.individualID);
    const caseworker = await apiToken(stack.url, "caseworker@example.org");
    const me = await apiCall<Row>(stack.url, caseworker, "GET", "/api/me");
    const kase = await apiCall<Row>(stack.url, admin, "POST", "/api/cases", {
      officeID: TAP,
      type: "protection",
      individualIDs: [individualID],
      assignedTo: me.userID,
    });
    const caseID = String(kase.caseID);
    const { items: interpreters } = await apiCall<{ items: { userID: string; name: string }[] }>(
      stack.url,
      admin,
      "GET",
      `/api/appointments/interpreters?officeID=${TAP}&languages=hat`,
    );
    const interpreter = interpreters.find((i) => i.name === "Jean-Baptiste Pierre")!;
    expect(interpreter).toBeDefined();
    // The interpreter already interprets 10:00–11:00 (Mexico City, UTC-6) that day, in another room.
    const day = weekday();
    await apiCall(stack.url, admin, "POST", "/api/appointments", {
      officeID: TAP,
      kind: "interview",
      room: "Sala B",
      start: `${day}T16:00:00.000Z`,
      end: `${day}T17:00:00.000Z`,
      interpreterID: interpreter.userID,
      interpreterLanguage: "hat",
    });

    const { ctx, page } = await openAs(browser, stack.url, {
      email: "caseworker@example.org",
      path: "/individuals",
      ready: ".ag-row",
    });
    await page.evaluate(
      `history.pushState(null, "", "/cases/${caseID}"); dispatchEvent(new PopStateEvent("popstate"))`,
    );
    const appointments = page.locator("section.related", {
      has: page.getByRole("heading", { name: "Citas", exact: true }),
    });
    await appointments.getByRole("button", { name: "Agendar cita" }).click();
    const bk = dialog(page);
    await expect.poll(() => bk.innerText()).toContain("zona horaria de la operación (hora estándar central)");
    await question(bk, "Persona").locator("select").selectOption({ value: individualID });
    await question(bk, "Tipo").locator("select").selectOption({ label: "Entrevista" });
    await question(bk, "Sala").locator("input").fill("Sala 1");
    const [y, m, d] = day.split("-");
    const date = question(bk, "Fecha");
    await date.getByLabel("Día", { exact: true }).fill(String(Number(d)));
    await date.getByLabel("Mes", { exact: true }).fill(String(Number(m)));
    await date.getByLabel("Año", { exact: true }).fill(y!);
    await question(bk, "Hora").locator("input").fill("10:00");
    // the person's language is proposed, and the interpreters who work in it are offered by name
    const language = question(bk, "Idioma de interpretación").locator("select");
    await expect.poll(() => language.evaluate((s) => (s as unknown as { value: string }).value)).toBe("hat");
    expect(await question(bk, "Idioma de interpretación").innerText()).toContain("haitiano");
    await question(bk, "Intérprete").locator("select").selectOption({ label: "Jean-Baptiste Pierre" });
    // before saving: the time is taken by the interpreter, and the next free time is offered
    const check = bk.locator(".booking-check");
    await expect.poll(() => check.innerText()).toContain("Este horario está ocupado");
    expect(await check.innerText()).toContain("El intérprete está reservado de 10:00 a 11:00.");
    const next = check.getByRole("button", { name: /^Usar .*11:00.12:00$/ });
    await next.first().click();
    await expect.poll(() => question(bk, "Hora").locator("input").inputValue()).toBe("11:00");
    await expect.poll(() => check.innerText()).toContain("Este horario está libre");
    await bk.getByRole("button", { name: "Guardar" }).click();
    await expect.poll(() => appointments.locator("tbody").innerText()).toContain("Entrevista");
    const { items } = await apiCall<{ items: Row[] }>(
      stack.url,
      admin,
      "GET",
      `/api/appointments?caseID=${caseID}`,
    );
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      kind: "interview",
      room: "Sala 1",
      participants: [individualID],
      interpreterID: interpreter.userID,
      interpreterLanguage: "hat",
      start: `${day}T17:00:00.000Z`,
      end: `${day}T18:00:00.000Z`,
    });
    // The calendar, from the menu: the interpreter's week shows both bookings at their local times, with names
    await page.getByRole("link", { name: "Agenda", exact: true }).click();
    const cal = page.locator("section.calendar");
    await cal.getByLabel("Agenda de", { exact: true }).selectOption({ label: "Intérprete" });
    await cal.getByLabel("Intérprete", { exact: true }).selectOption({ label: "Jean-Baptiste Pierre" });
    // the booking's week (the calendar opens on this week)
    const weeks = Math.round(
      (Date.parse(`${day}T12:00:00Z`) - Date.now()) / (7 * 86_400_000) +
        ((new Date().getUTCDay() + 6) % 7) / 7 -
        ((new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7) / 7,
    );
    for (let i = 0; i < weeks; i++) await cal.getByRole("button", { name: "Siguiente" }).click();
    const grid = cal.locator("table.calendar-grid");
    await expect
      .poll(() => grid.innerText())
      .toContain("11:00–12:00 Rose Dorval · Entrevista · Sala 1 · Jean-Baptiste Pierre");
    expect(await grid.innerText()).toContain("10:00–11:00");
    await ctx.close();

    // The interpreter, in a browser of their own, sees the interview with the person's name, at 11:00.
    const mine = await openAs(browser, stack.url, {
      email: "interpreter@example.org",
      path: "/interviews",
      ready: "table.interviews",
    });
    const rows = mine.page.locator("table.interviews tbody tr", { hasText: "Rose Dorval" });
    await expect.poll(() => rows.count()).toBe(1);
    const text = await rows.innerText();
    expect(text).toContain("11:00");
    expect(text).toContain("Sala 1");
    expect(text.toLowerCase()).toContain("haitiano");
    await mine.ctx.close();

    // In Arabic, right to left: the office's calendar, taken to the booking's date and opened as that day from the
    // week, shows the interview with the person's name, kind, room and interpreter at its local time.
    const arabic = await openAs(browser, stack.url, {
      email: "caseworker@example.org",
      path: "/calendar",
      lang: "ar",
      ready: "section.calendar",
    });
    expect(await arabic.page.evaluate("document.documentElement.dir")).toBe("rtl");
    const acal = arabic.page.locator("section.calendar");
    await acal.getByLabel("الانتقال إلى تاريخ").fill(day);
    await acal.locator("thead th").nth(1 + ((new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7)).getByRole("button").click();
    await expect.poll(() => acal.locator("thead th").count()).toBe(2);
    const dayGrid = acal.locator("table.calendar-grid tbody");
    await expect.poll(() => dayGrid.innerText()).toContain("Rose Dorval");
    const booked = dayGrid.locator("a.booking", { hasText: "Rose Dorval" });
    const line = await booked.innerText();
    expect(line).toContain("مقابلة");
    expect(line).toContain("Sala 1");
    expect(line).toContain("Jean-Baptiste Pierre");
    // 11:00–12:00 (Mexico City), kept left to right inside the right-to-left page
    expect(await booked.locator("bdi").getAttribute("dir")).toBe("ltr");
    expect(await booked.locator("bdi").innerText()).toBe("11:00–12:00");
    await arabic.ctx.close();
  });
});
