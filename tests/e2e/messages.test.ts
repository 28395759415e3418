import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../packages/local/src/runtime.ts";
import { apiCall, apiToken, buildWeb, launch, openAs, startStack, TAP } from "./support.ts";

type Row = Record<string, unknown>;
let stack: LocalStack;
let browser: Browser;
let caseworker: string;

beforeAll(async () => {
  buildWeb();
  stack = await startStack();
  caseworker = await apiToken(stack.url, "caseworker@example.org");
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("messages to people", () => {
  it("a caseworker (Spanish UI) sends an appointment reminder in the person's language (French) and sees it on the person's page and in the outbox with its status", async () => {
    const person = await apiCall<Row>(stack.url, caseworker, "POST", "/api/individuals", {
      givenName: "Aminata",
      familyName: "Traoré",
      sex: "female",
      dateOfBirth: "1992-04-04",
      nationality: "HTI",
      languages: ["fra"],
      phone: "+525512349876",
      officeID: TAP,
      legalStatus: "asylum_seeker",
      overrideDuplicates: { reason: "e2e messages person" },
    });
    const id = String(person.individualID);
    await apiCall(stack.url, caseworker, "POST", `/api/individuals/${id}/consents`, {
      purpose: "messages",
      date: "2026-01-10",
      how: "verbal",
    });
    const day = new Date(Date.now() + 9 * 86_400_000).toISOString().slice(0, 10);
    const appt = await apiCall<Row>(stack.url, caseworker, "POST", "/api/appointments", {
      officeID: TAP,
      kind: "interview",
      room: "Sala 3",
      start: `${day}T16:00:00.000Z`,
      end: `${day}T16:30:00.000Z`,
      participants: [id],
    });
    expect(appt.appointmentID).toBeTruthy();

    const { ctx, page } = await openAs(browser, stack.url, {
      email: "caseworker@example.org",
      path: `/individuals/${id}`,
      lang: "es",
      ready: "#person-messages form",
    });
    const section = page.locator("#person-messages");
    await section.getByText("Todavía no hay mensajes.").waitFor();
    // the appointment is offered by its date and time, never its ID
    const option = (await section.locator("select").nth(2).locator("option").first().textContent()) ?? "";
    expect(option).toContain("Sala 3");
    expect(option).not.toMatch(/apt_|\d{4}-\d{2}-\d{2}T/);
    await section.getByRole("button", { name: "Enviar" }).click();
    await section.getByText("Mensaje enviado.").waitFor();
    const row = section.locator("tbody tr").first();
    await row.getByText("Recordatorio de cita").waitFor();
    // no provider on a local instance: kept in the outbox, written in the person's language (French)
    expect(await row.locator(".message-state").textContent()).toBe("Guardado en la bandeja de salida");
    const text = (await row.locator("td").last().textContent()) ?? "";
    expect(text).toMatch(
      /^Bonjour Aminata, rappel : votre rendez-vous est le .* 2026|^Bonjour Aminata, rappel/,
    );
    expect(text).toContain("Sala 3");
    // sending it again sends nothing twice
    await section.getByRole("button", { name: "Enviar" }).click();
    await section.getByText("Este mensaje ya se había enviado; no se volvió a enviar.").waitFor();
    expect(await section.locator("tbody tr").count()).toBe(1);

    // the outbox lists it with the person's name, the language and the status
    await page.getByRole("link", { name: "Bandeja de salida" }).click();
    const outRow = page.locator(".messages-outbox tbody tr", { hasText: "Aminata Traoré" });
    await outRow.waitFor();
    await outRow.getByText("Francés").waitFor();
    await outRow.getByText("Guardado en la bandeja de salida").waitFor();
    await outRow.getByText("Recordatorio de cita").waitFor();
    const stored = await apiCall<{ items: Row[] }>(
      stack.url,
      caseworker,
      "GET",
      `/api/messages/person/${id}`,
    );
    expect(stored.items).toHaveLength(1);
    expect(stored.items[0]).toMatchObject({ state: "sent", language: "fr", kind: "appointment_reminder" });
    await ctx.close();
  });
});
