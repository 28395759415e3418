import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../packages/local/src/runtime.ts";
import { DEMO_PASSWORD, TAP, apiCall, apiToken, buildWeb, launch, startStack } from "./support.ts";

type Row = Record<string, unknown>;
let stack: LocalStack;
let browser: Browser;
let admin: string;
let caseworker: string;
const year = new Date().getFullYear();

beforeAll(async () => {
  buildWeb();
  stack = await startStack();
  admin = await apiToken(stack.url, "admin@example.org");
  caseworker = await apiToken(stack.url, "caseworker@example.org");
  browser = await launch();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const api = <T = Row>(token: string, method: string, path: string, body?: unknown) =>
  apiCall<T>(stack.url, token, method, path, body);
const submissionOf = (id: string) => api(caseworker, "GET", `/api/resettlement/${id}`);

async function person(givenName: string, familyName: string, dateOfBirth: string) {
  return api(admin, "POST", "/api/individuals", {
    givenName,
    familyName,
    sex: "female",
    dateOfBirth,
    nationality: "HND",
    officeID: TAP,
  });
}

/** A second reviewing officer in Tapachula (a BID panel needs two), created the way an admin's tool would. */
async function secondSupervisor() {
  const { Actor, Auth, User } = await import("@waypoint/core");
  return Actor.provide({ type: "system", reason: "e2e" }, async () => {
    const { DEMO_OPERATION } = await import("../../packages/local/src/seed/foundation.ts");
    const u = await User.create({
      email: "panel@example.org",
      name: "Layla Mansour",
      password: "waypoint-demo",
      grants: [{ operationID: DEMO_OPERATION.operationID, role: "supervisor", officeIDs: [TAP] }],
    });
    return (await Auth.issue(u)).token;
  });
}

/**
 * A colleague at their own desk: a fresh context in Spanish (Mexico City's time), signed in straight on `path`.
 * The sign-in page is asked again when a first load stalls on a busy machine.
 */
async function openAs(_b: Browser, url: string, opts: { email: string; path: string }) {
  const ctx = await browser.newContext({
    viewport: { width: 1500, height: 1000 },
    timezoneId: "America/Mexico_City",
    locale: "es-MX",
  });
  await ctx.addInitScript(`localStorage.setItem("waypoint.lang", "es")`);
  const page = await ctx.newPage();
  page.setDefaultTimeout(60_000);
  for (let attempt = 1; ; attempt++) {
    await page.goto(`${url}${opts.path}`);
    try {
      await page.locator('input[type="email"]').waitFor({ timeout: 30_000 });
      break;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
  await page.locator('input[type="email"]').fill(opts.email);
  await page.locator('input[type="password"]').fill(DEMO_PASSWORD);
  await page.locator('button[type="submit"]').click();
  return { ctx, page };
}

/** Clicks a button of the page and submits the dialog it opens (filling it first). */
async function step(page: Page, button: string, fill?: (d: Locator) => Promise<void>, submit = "Guardar") {
  await page.getByRole("button", { name: button, exact: true }).click();
  const dialog = page.locator("dialog[open]");
  await fill?.(dialog);
  await dialog.getByRole("button", { name: submit, exact: true }).click();
  await dialog.waitFor({ state: "detached" });
}

async function quotaRow(page: Page) {
  await page.goto(`${stack.url}/quotas`);
  const row = page.locator('tr[data-country="CAN"][data-programme="rst"]');
  await row.waitFor();
  return row;
}

describe("resettlement desk in Spanish", () => {
  it("a submission drafted, quality-reviewed, flagged, cleared by another officer, decided and departed; quota progress moves on the quotas screen and the dashboard", async () => {
    await api(admin, "PUT", "/api/quotas", { year, country: "CAN", programme: "rst", quotaIndividuals: 20 });
    const head = await person("Dilcia", "Zelaya Paz", "1985-04-02");
    const spouse = await person("Wilmer", "Paz Orellana", "1983-09-20");
    const kase = await api(admin, "POST", "/api/cases", {
      officeID: TAP,
      type: "resettlement",
      individualIDs: [head.individualID, spouse.individualID],
    });
    const created = await api(caseworker, "POST", "/api/resettlement", {
      caseID: kase.caseID,
      programme: "rst",
      country: "CAN",
      quotaYear: year,
      primaryCategory: "LPN",
    });
    const id = String(created.submissionID);

    // 0. Canada's selection mission to Tapachula: the supervisor plans it with its delegation, puts the case on it
    // and books the family's interview while the case is being prepared; the schedule names the people.
    const mHead = await person("Reina", "Mejía Soto", "1976-06-11");
    const mChild = await person("Keila", "Mejía Soto", "2012-01-30");
    const mCase = await api(admin, "POST", "/api/cases", {
      officeID: TAP,
      type: "resettlement",
      individualIDs: [mHead.individualID, mChild.individualID],
    });
    const mSub = await api(caseworker, "POST", "/api/resettlement", {
      caseID: mCase.caseID,
      programme: "rst",
      country: "CAN",
      quotaYear: year,
      primaryCategory: "WAR",
    });
    const mID = String(mSub.submissionID);
    const msn = await openAs(browser, stack.url, { email: "supervisor@example.org", path: "/missions" });
    const first = new Date(Date.now() + 20 * 86_400_000);
    const parts = (d: Date) => [String(d.getDate()), String(d.getMonth() + 1), String(d.getFullYear())];
    const fillDate = async (q: Locator, d: Date) => {
      const [dd, mm, yy] = parts(d);
      await q.locator(".date-day input").fill(dd!);
      await q.locator(".date-month input").fill(mm!);
      await q.locator(".date-year input").fill(yy!);
    };
    await msn.page.getByRole("heading", { name: "Misiones de selección" }).waitFor();
    await step(
      msn.page,
      "Planificar una misión",
      async (d) => {
        await d.locator("#f-country").selectOption("CAN");
        await d.locator("#f-location").fill("Tapachula, oficina de ACNUR");
        await fillDate(d.locator("fieldset.question").nth(0), first);
        await fillDate(d.locator("fieldset.question").nth(1), new Date(first.getTime() + 2 * 86_400_000));
        await d.locator("#f-delegationText").fill("Claire Tremblay, oficial de IRCC\nMarc Gagnon, médico");
      },
      "Planificar una misión",
    );
    await msn.page.getByRole("heading", { name: "Tapachula, oficina de ACNUR · Canadá" }).waitFor();
    await step(
      msn.page,
      "Cambiar los casos",
      (d) => d.getByRole("checkbox", { name: new RegExp(String(mCase.caseNumber)) }).check(),
      "Enviar",
    );
    await msn.page.locator('section[aria-labelledby="msn-cases"]').getByText("2 personas").waitFor();
    await step(
      msn.page,
      "Reservar una entrevista",
      async (d) => {
        await d.locator("#f-submissionID").selectOption(mID);
        await d.locator("#f-room").fill("Sala 2");
        await fillDate(d.locator("fieldset.question").nth(0), first);
        await d.locator("#f-from").fill("09:00");
        await d.locator("#f-to").fill("10:30");
      },
      "Reservar una entrevista",
    );
    const schedule = msn.page.locator('section[aria-labelledby="msn-schedule"]');
    await expect.poll(() => schedule.innerText()).toContain("Sala 2");
    expect(await schedule.innerText()).toContain("Reina Mejía Soto");
    const missions = await api<{ items: Row[] }>(admin, "GET", "/api/selection-missions");
    const mission = missions.items.find((m) => m.location === "Tapachula, oficina de ACNUR")!;
    expect(mission).toMatchObject({
      country: "CAN",
      submissionIDs: [mID],
      delegation: [
        { name: "Claire Tremblay", role: "oficial de IRCC" },
        { name: "Marc Gagnon", role: "médico" },
      ],
    });
    const booked = await api<{ items: Row[] }>(admin, "GET", `/api/selection-missions/${mission.missionID}/schedule`);
    expect(booked.items).toEqual([expect.objectContaining({ submissionID: mID, room: "Sala 2" })]);
    await msn.ctx.close();

    // 1. The caseworker opens the case's submission: its people by name, a section written, sent to QA.
    const cw = await openAs(browser, stack.url, {
      email: "caseworker@example.org",
      path: `/resettlement/${id}`,
    });
    await cw.page.getByRole("heading", { name: "Trabajo en esta solicitud" }).waitFor();
    await cw.page
      .getByRole("link", { name: String(kase.caseNumber) })
      .first()
      .waitFor();
    const people = cw.page.locator('section[aria-labelledby="case-people"]');
    await people.getByRole("link", { name: "Dilcia", exact: true }).waitFor();
    await people.getByRole("link", { name: "Wilmer", exact: true }).waitFor();
    expect(await people.innerText()).toContain("Zelaya Paz");
    await step(
      cw.page,
      "Redactar las secciones",
      (d) =>
        d.locator("#f-sections-protectionNeeds").fill("Amenazas de una pandilla tras denunciar extorsión."),
      "Enviar",
    );
    await cw.page.getByText("Amenazas de una pandilla tras denunciar extorsión.", { exact: true }).waitFor();
    expect((await submissionOf(id)).sections).toEqual({
      protectionNeeds: "Amenazas de una pandilla tras denunciar extorsión.",
    });
    await step(cw.page, "Entrevista realizada");
    await step(cw.page, "Enviar a revisión de calidad");
    await cw.page.getByText("Etapa: Redactado").waitFor();
    // the drafter is not offered the review
    await cw.page.getByText("En espera de la revisión de calidad.").waitFor();
    expect((await submissionOf(id)).status).toBe("drafted");

    // 2. The supervisor's quality review: recommended, with a comment.
    const sup = await openAs(browser, stack.url, {
      email: "supervisor@example.org",
      path: `/resettlement/${id}`,
    });
    await sup.page.getByRole("heading", { name: "Revisión de calidad" }).waitFor();
    await sup.page.locator("#f-decision").selectOption("recommend");
    await sup.page.locator("#f-comment").fill("Completa y coherente");
    await sup.page.getByRole("button", { name: "Enviar", exact: true }).click();
    await sup.page.getByText("Etapa: Recomendado").waitFor();
    expect(await submissionOf(id)).toMatchObject({
      status: "recommended",
      reviewComment: "Completa y coherente",
    });
    // the reviewer's name, not an ID
    await sup.page.getByText("Samuel Okafor").first().waitFor();

    // 3. Submitted to the country: the quotas screen counts it.
    await cw.page.reload();
    await step(cw.page, "Presentar al país");
    await cw.page.getByText("Etapa: Presentado").waitFor();
    let row = await quotaRow(sup.page);
    expect(await row.locator("td.submitted").innerText()).toBe("1 casos · 2 personas");
    expect(await row.locator("td.departed").innerText()).toBe("0 casos · 0 personas");

    // 4. The spouse's biodata changes after submission: the integrity flag is raised without waiting for the next
    //    step (the stack's job runner screens the submissions the country holds), and the next step is refused.
    const spouseNow = await api(admin, "GET", `/api/individuals/${spouse.individualID}`);
    await api(admin, "PATCH", "/api/individuals", {
      rows: [{ id: spouse.individualID, version: spouseNow.version, changes: { givenName: "Wilmer Josué" } }],
    });
    await expect.poll(async () => (await submissionOf(id)).openFlags, { timeout: 30_000 }).toBe(1);
    await cw.page.reload();
    await cw.page.getByText("Datos biográficos cambiados").waitFor();
    // the caseworker who shaped it is not offered the resolution
    expect(await cw.page.getByRole("button", { name: "Resolver", exact: true }).count()).toBe(0);
    await cw.page.getByRole("button", { name: "Registrar aceptación", exact: true }).click();
    const refused = cw.page.locator("dialog[open]");
    await refused.locator("#f-reason").fill("Aceptado tras la misión de selección");
    await refused.getByRole("button", { name: "Guardar", exact: true }).click();
    await refused.getByText("Primero una persona revisora debe resolver las alertas de integridad").waitFor();
    await refused.getByRole("button", { name: "Cancelar" }).click();
    expect(await submissionOf(id)).toMatchObject({ status: "submitted", openFlags: 1 });
    // the selection mission's cases say it too (the case put on Canada's mission for this)
    const planned = await api<Row>(admin, "GET", `/api/selection-missions/${mission.missionID}`);
    await api(admin, "PATCH", `/api/selection-missions/${mission.missionID}`, {
      version: planned.version,
      changes: { submissionIDs: [mID, id] },
    });
    await cw.page.goto(`${stack.url}/missions/${mission.missionID}`);
    await cw.page
      .getByTestId("mission-case-flags")
      .filter({ hasText: "alertas de integridad por resolver: 1" })
      .waitFor();
    await cw.page.goto(`${stack.url}/resettlement/${id}`);
    await cw.page.getByRole("heading", { name: "Trabajo en esta solicitud" }).waitFor();

    // 5. Another officer (the supervisor) clears it, with the reason.
    await sup.page.goto(`${stack.url}/resettlement/${id}`);
    await sup.page.getByText("Cambiado tras la presentación: Nombre").waitFor();
    await step(
      sup.page,
      "Resolver",
      async (d) => {
        await d.locator("#f-outcome").selectOption("cleared");
        await d.locator("#f-note").fill("Segundo nombre añadido con el documento de identidad");
      },
      "Resolver",
    );
    await sup.page.getByText(/Descartada por Samuel Okafor/).waitFor();
    const cleared = await submissionOf(id);
    expect(cleared.openFlags).toBe(0);
    expect((cleared.flags as Row[])[0]).toMatchObject({
      status: "resolved",
      resolution: { outcome: "cleared", note: "Segundo nombre añadido con el documento de identidad" },
    });

    // 6. Decision and departure, recorded by the caseworker.
    await cw.page.reload();
    await step(cw.page, "Registrar aceptación", (d) =>
      d.locator("#f-reason").fill("Aceptado tras la entrevista"),
    );
    await step(cw.page, "Organizar la salida", async (d) => {
      await d.locator(".date-day input").fill("15");
      await d.locator(".date-month input").fill("12");
      await d.locator(".date-year input").fill(String(year));
    });
    await step(cw.page, "Registrar la salida");
    await cw.page.getByText("Etapa: Partió").waitFor();
    expect(await submissionOf(id)).toMatchObject({ status: "departed", departureDate: `${year}-12-15` });

    // 7. Progress moved: departed people against the quota, on the quotas screen and on the dashboard.
    row = await quotaRow(sup.page);
    expect(await row.locator("td.departed").innerText()).toBe("1 casos · 2 personas");
    expect(await row.innerText()).toContain("10 % del cupo ya partió");
    await sup.page.goto(`${stack.url}/dashboard`);
    const card = sup.page.locator('table.rst-dashboard tr[data-country="CAN"]');
    await card.waitFor();
    expect(await card.locator("th").innerText()).toBe("Canadá");
    expect(await card.locator("td.departed").innerText()).toBe("2");
    expect(await card.innerText()).toContain("2 partieron de un cupo de 20");
    await cw.ctx.close();
    await sup.ctx.close();
  }, 600_000);

  it("a BID with a panel: the reviewers by name, the decision recorded by the supervisor from the queue", async () => {
    const panel = await secondSupervisor();
    const mother = await person("Yesenia", "Castillo Mejía", "1990-01-11");
    const child = await person("Brayan", "Castillo Mejía", `${year - 9}-06-01`);
    const kase = await api(admin, "POST", "/api/cases", {
      officeID: TAP,
      type: "pta",
      individualIDs: [mother.individualID, child.individualID],
    });
    const sub = await api(caseworker, "POST", "/api/resettlement", {
      caseID: kase.caseID,
      programme: "pta",
      country: "CAN",
      quotaYear: year,
      primaryCategory: "CHR",
      transitCountry: "CRI",
    });
    // the caseworker starts the child's BID from the submission and sends it to the reviewers
    const cw = await openAs(browser, stack.url, {
      email: "caseworker@example.org",
      path: `/resettlement/${String(sub.submissionID)}`,
    });
    await step(
      cw.page,
      "Iniciar una EIS o DIS para un niño o niña",
      async (d) => {
        await d.locator("#f-kind").selectOption("bid");
        await d.locator("#f-individualID").selectOption({ label: "Brayan Castillo Mejía" });
        await d.locator("#f-summary").fill("Reasentamiento con la madre; se escuchó la opinión del niño");
      },
      "Iniciar una EIS o DIS para un niño o niña",
    );
    await cw.page.waitForURL(/\/bip\/asm_/);
    const bid = { assessmentID: cw.page.url().split("/").pop()! };
    await cw.page.getByRole("button", { name: "Enviar a revisión" }).click();
    await cw.page.locator(".bip-status", { hasText: "En espera del panel" }).waitFor();
    const submitted = await api(caseworker, "GET", `/api/assessments/${bid.assessmentID}`);
    expect(submitted).toMatchObject({ kind: "bid", status: "submitted", individualID: child.individualID });
    await cw.ctx.close();
    await api(panel, "POST", `/api/assessments/${bid.assessmentID}/review`, {
      decision: "approve",
      comment: "De acuerdo",
      version: submitted.version,
    });

    const sup = await openAs(browser, stack.url, { email: "supervisor@example.org", path: "/queue" });
    await sup.page.locator("#q-reviews").waitFor();
    await sup.page
      .locator('section[aria-labelledby="q-reviews"]')
      .getByRole("link", { name: new RegExp(String(kase.caseNumber)) })
      .click();
    await sup.page.waitForURL(new RegExp(`/bip/${String(bid.assessmentID)}$`));
    await sup.page.getByRole("heading", { name: /Brayan Castillo Mejía/ }).waitFor();
    await sup.page.getByText("1 de 2 aprobaciones").first().waitFor();
    await sup.page.getByText("Layla Mansour").waitFor();
    await sup.page.getByRole("link", { name: /Mecanismo de Protección en Tránsito · Canadá/ }).waitFor();
    await sup.page.locator("#f-decision").selectOption("approve");
    await sup.page.locator("#f-comment").fill("El panel recomienda el reasentamiento");
    await sup.page.getByRole("button", { name: "Registrar la decisión" }).click();
    await sup.page.locator(".bip-status", { hasText: "Aprobada" }).waitFor();
    await sup.page.getByText("2 de 2 aprobaciones").first().waitFor();
    const reviewers = await sup.page.locator(".bip-round li strong").allInnerTexts();
    expect(reviewers).toEqual(["Layla Mansour", "Samuel Okafor"]);

    const stored = await api(caseworker, "GET", `/api/assessments/${bid.assessmentID}`);
    expect(stored.status).toBe("approved");
    expect((stored.reviews as Row[]).map((r) => r.decision)).toEqual(["approve", "approve"]);
    // the BIA/BID list per child names the child and the case
    await sup.page.goto(`${stack.url}/bip`);
    await sup.page.getByText("Brayan Castillo Mejía").waitFor();
    expect(String(sub.submissionID)).toMatch(/^rst_/);
    await sup.ctx.close();
  }, 600_000);
});
