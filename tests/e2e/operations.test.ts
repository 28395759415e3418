import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../packages/local/src/runtime.ts";
import { DEMO_PASSWORD } from "../../packages/local/src/seed/foundation.ts";
import { apiCall, apiToken, buildWeb, launch, openAs, startStack } from "./support.ts";

type Row = Record<string, unknown>;
let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  buildWeb();
  stack = await startStack();
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const BAD_CSV = [
  "pcode,name,parent_pcode,level",
  "SN01,Dakar,,1",
  "SN0101,Dakar,SN01,2",
  "SN0102,Guédiawaye,SN01,2",
  "SN0901,Nulle part,SN09,2",
].join("\n");
const GOOD_CSV = [
  "pcode,name,parent_pcode,level",
  "SN01,Dakar,,1",
  "SN0101,Dakar,SN01,2",
  "SN0102,Guédiawaye,SN01,2",
  "SN12,Tambacounda,,1",
  "SN1204,Tambacounda,SN12,2",
].join("\n");

describe("an admin opens a country operation, in French", () => {
  it("creates 'Sénégal test' (a bad country code, then Mexico's code refused first), checks a gazetteer with an error, imports it, opens an office; a time shows in the operation's zone whatever the browser's", async () => {
    const admin = await apiToken(stack.url, "admin@example.org");
    const { ctx, page } = await openAs(browser, stack.url, {
      email: "admin@example.org",
      path: "/operations",
      lang: "fr",
      ready: "h1#page-title",
    });
    try {
      await page.getByRole("heading", { name: "Opérations" }).waitFor();
      await page.getByRole("button", { name: "Nouvelle opération…" }).click();
      const form = page.getByRole("form", { name: "Nouvelle opération" });
      await form.getByLabel("Nom").fill("Sénégal test");
      await form.getByLabel(/^Pays/).fill("SEN");
      await form.getByLabel(/^Monnaie/).fill("XOF");
      await form.getByLabel(/^Fuseau horaire/).fill("Africa/Dakar");
      await form.getByLabel("anglais").check();
      await form.getByRole("button", { name: "Créer l’opération" }).click();
      await expect
        .poll(() => form.getByRole("alert").first().textContent())
        .toContain("Ce n’est pas un code pays");
      const before = await apiCall<{ items: Row[] }>(stack.url, admin, "GET", "/api/operations");
      expect(before.items.some((o) => o.name === "Sénégal test")).toBe(false);

      // Mexico (the demo operation) has the code MEX: typed in any case, it is refused on the code field, nothing stored
      await form.getByLabel(/^Pays/).fill("SN");
      await expect.poll(() => form.textContent()).toContain("Sénégal");
      await form.getByLabel(/^Code/).fill("mex");
      expect(await form.getByLabel(/^Code/).inputValue()).toBe("MEX");
      await form.getByRole("button", { name: "Créer l’opération" }).click();
      const codeField = form.locator("label", { has: page.locator('input[name="code"]') });
      await expect
        .poll(() => codeField.getByRole("alert").textContent())
        .toBe("Une autre opération a déjà ce code. Choisissez-en un autre.");
      expect(await form.getByLabel(/^Code/).getAttribute("aria-invalid")).toBe("true");
      const refused = await apiCall<{ items: Row[] }>(stack.url, admin, "GET", "/api/operations");
      expect(refused.items.some((o) => o.name === "Sénégal test")).toBe(false);

      // left empty, the code is the name's first three letters
      await form.getByLabel(/^Code/).fill("");
      await form.getByRole("button", { name: "Créer l’opération" }).click();
      await page.waitForURL(/\/operations\/op_/);
      const operationID = page.url().split("/").pop()!;
      await page.getByRole("heading", { name: "Sénégal test · Sénégal" }).waitFor();
      await page.getByText("Code SEN : il fait partie de chaque numéro").waitFor();
      const ops = await apiCall<{ items: Row[] }>(stack.url, admin, "GET", "/api/operations");
      expect(ops.items.find((o) => o.operationID === operationID)).toMatchObject({
        name: "Sénégal test",
        code: "SEN",
        country: "SN",
        currency: "XOF",
        timeZone: "Africa/Dakar",
        languages: ["fr", "en"],
      });

      // a gazetteer with an unknown parent: the row to correct, nothing stored
      await page.getByLabel("…ou collez son contenu").fill(BAD_CSV);
      await page.getByRole("button", { name: "Vérifier le fichier" }).click();
      const check = page.getByTestId("area-check");
      await expect.poll(() => check.textContent()).toContain("Rien n’a été enregistré");
      const rows = page.getByRole("table", { name: "Lignes à corriger" });
      expect(await rows.textContent()).toContain("SN0901");
      expect(await rows.textContent()).toContain(
        "Sa zone parente SN09 n’est ni dans le fichier ni dans la liste.",
      );
      expect(await page.getByRole("button", { name: "Importer" }).isDisabled()).toBe(true);
      const none = await apiCall<{ items: Row[] }>(
        stack.url,
        admin,
        "GET",
        `/api/operations/${operationID}/areas`,
      );
      expect(none.items).toEqual([]);

      await page.getByLabel("…ou collez son contenu").fill(GOOD_CSV);
      await page.getByRole("button", { name: "Vérifier le fichier" }).click();
      await expect.poll(() => check.textContent()).toContain("Le fichier est correct");
      await page.getByRole("button", { name: "Importer" }).click();
      await expect.poll(() => check.textContent()).toContain("Importé : 5 zones.");
      const areas = await apiCall<{ items: Row[] }>(
        stack.url,
        admin,
        "GET",
        `/api/operations/${operationID}/areas`,
      );
      expect(areas.items.map((a) => a.pcode)).toEqual(["SN01", "SN0101", "SN0102", "SN12", "SN1204"]);

      // an office in one of its areas, with rooms
      const office = page.getByRole("form", { name: "Nouveau bureau" });
      await office.getByLabel(/^Code/).fill("DKR");
      await office.getByLabel("Nom").fill("Bureau de Dakar");
      await office.getByLabel("Région").selectOption({ label: "Dakar" });
      await office.getByLabel("Département").selectOption({ label: "Guédiawaye" });
      await office.getByLabel(/^Salles/).fill("Salle 1, Salle 2");
      await office.getByRole("button", { name: "Créer le bureau" }).click();
      const offices = page.getByRole("table", { name: "Bureaux" });
      await expect.poll(() => offices.textContent()).toContain("Bureau de Dakar");
      expect(await offices.textContent()).toContain("Guédiawaye, Dakar");
      expect(await offices.textContent()).toContain("Salle 1, Salle 2");
      const stored = await apiCall<{ items: Row[] }>(
        stack.url,
        admin,
        "GET",
        `/api/operations/${operationID}/offices`,
      );
      expect(stored.items).toMatchObject([
        {
          code: "DKR",
          name: "Bureau de Dakar",
          adm1: "SN01",
          adm2: "SN0102",
          rooms: [{ name: "Salle 1" }, { name: "Salle 2" }],
        },
      ]);
      const officeID = String(stored.items[0]!.officeID);

      // an interview at 09:00 in Dakar today shows at 09:00 to a browser set to Tokyo's time
      const login = await fetch(`${stack.url}/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "admin@example.org", password: DEMO_PASSWORD, operationID }),
      });
      const session = (await login.json()) as { token: string; me: { timeZone?: string } };
      expect(session.me.timeZone).toBe("Africa/Dakar");
      const today = new Date().toISOString().slice(0, 10); // Dakar is UTC+0 all year
      await apiCall(stack.url, session.token, "POST", "/api/appointments", {
        officeID,
        kind: "interview",
        room: "Salle 1",
        start: `${today}T09:00:00.000Z`,
        end: `${today}T09:30:00.000Z`,
      });
      const tokyo = await browser.newContext({
        viewport: { width: 1500, height: 1000 },
        timezoneId: "Asia/Tokyo",
        locale: "fr-FR",
      });
      try {
        await tokyo.addInitScript(
          `localStorage.setItem("waypoint.lang", "fr"); sessionStorage.setItem("waypoint.session", ${JSON.stringify(JSON.stringify(session))})`,
        );
        const cal = await tokyo.newPage();
        await cal.goto(`${stack.url}/calendar`);
        await cal.getByText("Africa/Dakar").first().waitFor();
        const grid = cal.locator("main");
        await expect.poll(() => grid.textContent(), { timeout: 15_000 }).toContain("09:00–09:30");
        expect(await grid.textContent()).not.toContain("18:00–18:30");
      } finally {
        await tokyo.close();
      }
    } finally {
      await ctx.close();
    }
  }, 180_000);
});
