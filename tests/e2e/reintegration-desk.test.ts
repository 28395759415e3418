import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../packages/local/src/runtime.ts";
import { TAP, apiCall, apiToken, buildWeb, launch, openAs, startStack } from "./support.ts";

type Row = Record<string, unknown>;
let stack: LocalStack;
let browser: Browser;
let caseworker: string;

const day = (n: number) => new Date(Date.now() + n * 864e5).toISOString().slice(0, 10);

beforeAll(async () => {
  buildWeb();
  stack = await startStack();
  caseworker = await apiToken(stack.url, "caseworker@example.org");
  browser = await launch();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const get = (path: string) => apiCall<Row>(stack.url, caseworker, "GET", path);
const section = (page: Page, id: string) => page.locator(`section[aria-labelledby='${id}']`);
const dialog = (page: Page) => page.locator("dialog[open]").last();

describe("return and reintegration desk, in French", () => {
  it("registers a return by picking the person, writes a plan approved by a supervisor, records three quotes with scans and the decision, and downloads the AVRR table", async () => {
    const finance = await apiToken(stack.url, "finance@example.org");
    const payees = await apiCall<{ results: { record: Row }[] }>(stack.url, finance, "POST", "/api/payees", {
      rows: [{ ref: "a", values: { kind: "supplier", name: "Ferme Diallo", channel: { type: "bank", accountNumber: "200012345678" } } }],
    });
    const payeeID = payees.results[0]!.record.payeeID;
    for (const [name, extra] of [
      ["Ferme Diallo", { payeeID }],
      ["Aviculture Thiès", {}],
      ["Poussins du Cap-Vert", {}],
    ] as const)
      await apiCall(stack.url, caseworker, "POST", "/api/suppliers", { name, country: "SEN", category: "livestock", ...extra });
    await apiCall(stack.url, caseworker, "POST", "/api/individuals", {
      rows: [{ ref: "m", values: { givenName: "Moussa", familyName: "Diopkane", sex: "male", dateOfBirth: "1990-06-01", nationality: "SEN", officeID: TAP } }],
    });

    const cw = await openAs(browser, stack.url, {
      email: "caseworker@example.org",
      path: "/returns-desk",
      lang: "fr",
      ready: "h1:has-text('Bureau retour et réintégration')",
    });
    const page = cw.page;
    // register the return: the person picked by name
    const register = section(page, "register");
    await register.locator("#f-individualIDs").fill("Diopkane");
    await register.getByRole("button", { name: /Moussa Diopkane/ }).click();
    await register.locator("#f-countryOfReturn").fill("SEN");
    await register.locator("#f-destinationAdm1").fill("Thiès");
    await register.getByRole("button", { name: "Enregistrer" }).click();
    await page.getByRole("heading", { name: "Personnes de ce retour" }).waitFor();
    const returnID = new URL(page.url()).pathname.split("/")[2]!;
    const stored = await get(`/api/returns/${returnID}`);
    expect(stored).toMatchObject({ countryOfReturn: "SEN", status: "registered", officeID: TAP });
    await section(page, "return-steps").getByText("Moussa Diopkane").waitFor();

    // vulnerability, shown with its labels
    await page.getByRole("button", { name: "Évaluer la vulnérabilité" }).click();
    await dialog(page).getByLabel("Parent isolé").check();
    await dialog(page).getByLabel("Aucun réseau de soutien").check();
    await dialog(page).getByRole("button", { name: "Évaluer la vulnérabilité" }).click();
    await section(page, "return-vulnerability").getByText("Score 30 · Moyenne").waitFor();
    expect(await section(page, "return-vulnerability").textContent()).toContain("Parent isolé, Aucun réseau de soutien");

    // the plan: a collective project
    const plan = section(page, "return-plan");
    await plan.getByText("Pas encore de plan.").waitFor();
    await plan.getByRole("button", { name: "Ajouter un projet" }).click();
    await plan.locator("select[aria-label='Projet']").selectOption({ label: "Projet collectif" });
    await plan.locator("select[aria-label='Appui']").selectOption({ label: "Économique" });
    await plan.locator("input[aria-label='Quoi']").fill("Élevage de poulets avec trois autres rapatriés");
    await plan.locator("input[aria-label='Participants']").fill("4");
    await plan.locator("input[aria-label='Budget']").fill("150000");
    await plan.locator("input[aria-label='Devise']").fill("XOF");
    await plan.getByRole("button", { name: "Enregistrer le plan" }).click();
    await plan.getByText("Brouillon, en attente d'approbation").waitFor();
    const draft = await get(`/api/returns/${returnID}/plan`);
    expect(draft).toMatchObject({ status: "draft" });
    expect(draft.items).toMatchObject([
      { project: "collective", kind: "economic", participants: 4, budget: 150000, currency: "XOF", status: "planned" },
    ]);

    // another user approves the plan (and the return)
    const sup = await openAs(browser, stack.url, {
      email: "supervisor@example.org",
      path: `/returns/${returnID}`,
      lang: "fr",
      ready: "#return-plan",
    });
    await section(sup.page, "return-plan").getByRole("button", { name: "Approuver le plan" }).click();
    await section(sup.page, "return-plan").getByText("Approuvé", { exact: true }).waitFor();
    await sup.page.getByRole("button", { name: "Passer à : Approuvé" }).click();
    await section(sup.page, "return-steps").locator("strong", { hasText: "Approuvé" }).waitFor();
    const approved = await get(`/api/returns/${returnID}/plan`);
    const supervisor = await apiCall<Row>(stack.url, await apiToken(stack.url, "supervisor@example.org"), "GET", "/api/me");
    expect(approved).toMatchObject({ status: "approved", approvedBy: supervisor.userID });

    // back at the caseworker's desk: arrival, then three quotes with their scans, and the choice
    await page.reload();
    await page.getByRole("button", { name: "Passer à : Rentré" }).click();
    await dialog(page).locator("input").fill(day(-1));
    await dialog(page).getByRole("button", { name: "Rentré" }).click();
    await section(page, "return-steps").locator("strong", { hasText: "Rentré" }).waitFor();
    const quotes = section(page, "return-quotes");
    await quotes.getByRole("button", { name: "Saisir les devis" }).click();
    const form = dialog(page);
    const names = ["Ferme Diallo", "Aviculture Thiès", "Poussins du Cap-Vert"];
    for (const [n, name] of names.entries()) {
      const row = form.locator("fieldset").nth(n);
      await row.locator("select").selectOption({ label: `${name} · Bétail` });
      await row.locator("input[inputmode='decimal']").fill(String(140000 + n * 6000));
      await row.locator("input[type='file']").setInputFiles({
        name: `devis-${n + 1}.pdf`,
        mimeType: "application/pdf",
        buffer: Buffer.from(`%PDF-1.4 devis ${name}`),
      });
    }
    await form.getByRole("button", { name: "Enregistrer les devis" }).click();
    const first = quotes.locator("tr", { hasText: "Ferme Diallo" });
    await first.waitFor();
    await first.getByRole("button", { name: "Choisir ce devis" }).click();
    await dialog(page).locator("textarea").fill("Le moins cher, et il livre au village");
    await dialog(page).getByRole("button", { name: "Choisir ce devis" }).click();
    await quotes.getByText("Fournisseur choisi, en attente d'approbation").waitFor();
    const [invoice] = (await get(`/api/returns/${returnID}/invoices`)).items as Row[];
    expect((invoice!.quotes as Row[]).map((q) => [q.amount, q.currency, q.date, typeof q.fileID])).toEqual([
      [140000, "XOF", day(0), "string"],
      [146000, "XOF", day(0), "string"],
      [152000, "XOF", day(0), "string"],
    ]);
    const files = (await get(`/api/returns/${returnID}/files`)).items as Row[];
    expect(files.map((f) => f.kind)).toEqual(["quote", "quote", "quote"]);

    // the supervisor decides
    await sup.page.reload();
    await section(sup.page, "return-quotes").getByRole("button", { name: "Approuver" }).click();
    await dialog(sup.page).getByRole("button", { name: "Approuver" }).click();
    await section(sup.page, "return-quotes").getByText("Approuvé", { exact: true }).waitFor();
    const [decided] = (await get(`/api/returns/${returnID}/invoices`)).items as Row[];
    expect(decided).toMatchObject({ status: "approved", amount: 140000, currency: "XOF" });
    expect(decided!.paymentID).toMatch(/^pay_/);
    await sup.ctx.close();

    // the month's AVRR table, downloaded as CSV with French headers
    await page.goto(`${stack.url}/returns-desk`);
    const monthly = section(page, "monthly");
    await monthly.locator("input[type='month']").fill(day(-1).slice(0, 7));
    await monthly.locator("tbody tr", { hasText: "SEN" }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      monthly.getByRole("button", { name: "Télécharger le CSV" }).click(),
    ]);
    const csv = (await readFile((await download.path())!, "utf8")).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(csv[0]!.split(",").slice(0, 3)).toEqual(["Pays de retour", "Dossiers rentrés", "Personnes rentrées"]);
    expect(csv[1]!.split(",").slice(0, 3)).toEqual(["SEN", "1", "1"]);
    await cw.ctx.close();
  }, 300_000);
});
