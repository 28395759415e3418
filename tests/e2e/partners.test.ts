import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../packages/local/src/runtime.ts";
import { apiCall, apiToken, buildWeb, htmlDir, launch, openAs, startStack } from "./support.ts";

/**
 * The secret part of a key `wpk_<keyID>_<secret>`. The secret is base64url, whose alphabet has `_`: `split("_")[2]`
 * gave only the secret's first run up to its own `_`, and `''` when it started with one (1 key in 64), which every
 * page "contains".
 */
function secretOf(key: string) {
  const m = /^wpk_[0-9A-Z]{26}_([A-Za-z0-9_-]{43})$/.exec(key);
  expect(m, key).not.toBeNull();
  return m![1]!;
}

let stack: LocalStack;
let browser: Browser;
let organisationID: string;

beforeAll(async () => {
  buildWeb();
  stack = await startStack();
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const partnerCall = (key: string, method: string, path: string, body?: unknown) =>
  fetch(`${stack.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

describe("partners in the UI, in French", () => {
  it("an admin creates an organisation and a referral key; the secret shows once; the key posts a referral staff see; revoked, it is refused", async () => {
    const { ctx, page } = await openAs(browser, stack.url, {
      email: "admin@example.org",
      path: "/partners",
      lang: "fr",
    });
    await page.getByRole("heading", { name: "Organisations partenaires" }).waitFor();
    const name = `Médecins du Monde ${Date.now().toString(36)}`;
    await page.getByRole("textbox", { name: "Nom", exact: true }).fill(name);
    await page.getByRole("combobox", { name: "Type" }).selectOption("ngo");
    await page.getByRole("button", { name: "Créer l’organisation" }).click();
    await page.getByRole("heading", { name, level: 1 }).waitFor();
    organisationID = page.url().split("/partners/")[1]!;
    expect(organisationID).toMatch(/^org_/);

    // a key with the referral scope, chosen by its sentence
    await page
      .getByRole("textbox", { name: "Nom de la clé (quel système l’utilise)" })
      .fill("Système de gestion MdM");
    await page
      .getByRole("checkbox", { name: "Nous envoyer des références de personnes qui ont besoin d’un service" })
      .check();
    await page.getByRole("button", { name: "Créer la clé" }).click();
    const dialog = page.getByRole("dialog", { name: "Copiez la clé maintenant" });
    await dialog.waitFor();
    const key = await dialog.locator("input[data-secret]").inputValue();
    const secretPart = secretOf(key);
    await dialog.getByRole("button", { name: "Copier" }).click();
    await dialog.getByRole("button", { name: "Je l’ai copiée" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(await page.content()).not.toContain(secretPart);

    // after a reload the key is listed by name, active, and its secret is nowhere on the page
    await page.reload();
    await page.getByRole("heading", { name, level: 1 }).waitFor();
    const row = page.locator('tr[data-key-name="Système de gestion MdM"]');
    await row.getByText("Active", { exact: true }).waitFor();
    await row.getByText("Nous envoyer des références de personnes qui ont besoin d’un service").waitFor();
    expect(await page.content()).not.toContain(secretPart);
    expect(await page.locator("input[data-secret]").count()).toBe(0);

    // the partner's system uses the key: a referral staff then see
    const posted = await partnerCall(key, "POST", "/v1/referrals", {
      person: { givenName: "Aïcha", familyName: "Diallo", sex: "female", estimatedAge: 27 },
      consent: { dataSharing: true, date: "2026-11-20" },
      serviceCategory: "legal",
      urgency: "urgent",
      narrative: "Besoin d’une assistance juridique avant l’audience.",
    });
    expect(posted.status).toBe(201);
    const referral = (await posted.json()) as { id: string };
    const staff = await apiToken(stack.url, "admin@example.org");
    const seen = await apiCall<{ referralID: string; reason: string }>(
      stack.url,
      staff,
      "GET",
      `/api/referrals/${referral.id}`,
    );
    expect(seen.referralID).toBe(referral.id);
    expect(seen.reason).toBe("Besoin d’une assistance juridique avant l’audience.");

    // revoked after confirmation: the partner's next call is refused
    await row.getByRole("button", { name: "Révoquer…" }).click();
    const confirm = page.getByRole("dialog", { name: "Révoquer la clé « Système de gestion MdM »" });
    await confirm.getByRole("button", { name: "Révoquer la clé" }).click();
    await page.getByText("La clé « Système de gestion MdM » est révoquée.").waitFor();
    await row.getByText("Révoquée", { exact: true }).waitFor();
    expect((await partnerCall(key, "GET", "/v1/referrals")).status).toBe(401);

    // the history names who did what, without the secret
    await page.getByRole("heading", { name: "Modifications" }).waitFor();
    await page.getByText("Clé « Système de gestion MdM » révoquée").waitFor();
    expect(await page.content()).not.toContain(secretPart);
    await ctx.close();
  });

  it("in Arabic the page reads right to left, and a key replaced in the UI works while the old one is refused", async () => {
    const admin = await apiToken(stack.url, "admin@example.org");
    const old = await apiCall<{ keyID: string; key: string }>(
      stack.url,
      admin,
      "POST",
      `/api/organisations/${organisationID}/keys`,
      { name: "Kobo", scopes: ["intake:kobo", "referrals:read"] },
    );
    const { ctx, page } = await openAs(browser, stack.url, {
      email: "admin@example.org",
      path: `/partners/${organisationID}`,
      lang: "ar",
    });
    await page.getByRole("heading", { name: "مفاتيح واجهة البرمجة" }).waitFor();
    expect(await htmlDir(page)).toBe("rtl");
    const row = page.locator('tr[data-key-name="Kobo"]');
    await row.getByRole("button", { name: "استبداله بمفتاح جديد…" }).click();
    await page
      .getByRole("dialog", { name: "استبدال المفتاح «Kobo»" })
      .getByRole("button", { name: "استبدال المفتاح" })
      .click();
    const dialog = page.getByRole("dialog", { name: "انسخ المفتاح الآن" });
    const fresh = await dialog.locator("input[data-secret]").inputValue();
    await dialog.getByRole("button", { name: "لقد نسخته" }).click();
    expect((await partnerCall(old.key, "GET", "/v1/referrals")).status).toBe(401);
    expect((await partnerCall(fresh, "GET", "/v1/referrals")).status).toBe(200);
    await page.locator('tr[data-key-name="Kobo"]').getByText("يحل محل مفتاح سابق").waitFor();
    await page.getByText("أُنشئ المفتاح «Kobo» بدلًا من مفتاح سابق").waitFor();

    // what a person reads: no raw IDs, internal codes, camelCase names or ISO times
    const text = (await page.locator("main, .content").first().innerText()).replace(/https?:\S+/g, "");
    for (const bad of [
      /\b[a-z]{2,5}_[0-9A-Z]{26}\b/,
      /\b[a-z]+(?:_[a-z0-9]+)+\b/,
      /\b[a-z]+(?:[A-Z][a-z0-9]*|ID)+\b/,
      /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/,
    ])
      expect(text).not.toMatch(bad);
    expect(text).not.toContain(secretOf(fresh));
    await ctx.close();
  });

  it("a Kobo form is linked to the organisation with its mapping, tried first on a real Kobo submission", async () => {
    const { ctx, page } = await openAs(browser, stack.url, {
      email: "admin@example.org",
      path: `/partners/${organisationID}`,
      lang: "fr",
    });
    await page.getByRole("heading", { name: "Formulaires Kobo" }).waitFor();
    await page.getByText("Aucun formulaire Kobo n’est lié à ce partenaire.").waitFor();
    await page.getByRole("button", { name: "Lier un formulaire Kobo" }).click();
    await page.getByRole("textbox", { name: "Identifiant du formulaire Kobo" }).fill("aZmRegistration2024");
    await page.getByRole("textbox", { name: "Nom du formulaire" }).fill("Enregistrement Zambie");
    const questions = page.getByRole("textbox", { name: "Question Kobo (chemin)" });
    const fields = page.getByRole("combobox", { name: "Champ Waypoint" });
    await questions.nth(0).fill("fullName");
    await fields.nth(0).selectOption({ label: "Nom complet" });
    await page.getByRole("button", { name: "Ajouter une question" }).click();
    await questions.nth(1).fill("sex");
    await fields.nth(1).selectOption({ label: "Sexe" });
    await page.getByRole("button", { name: "Ajouter une question" }).click();
    await questions.nth(2).fill("birthYear");
    await fields.nth(2).selectOption({ label: "Année de naissance" });
    await page
      .getByRole("textbox", { name: "Une soumission d’exemple (JSON, telle que Kobo l’envoie)" })
      .fill(readFileSync("/work/shared/oracles/kobo/rodekruis-kobo-connect_kobo_data.json", "utf8"));
    await page.getByRole("button", { name: "Essayer la correspondance" }).click();
    await page.getByText("Cette soumission attendrait une vérification :").waitFor();
    const result = page.getByRole("status").filter({ hasText: "Ce que Waypoint lirait" });
    await result.getByText("Prénom").waitFor();
    await result.getByText("birthYear").waitFor(); // the question that would send it to review, by its Kobo path
    await page.getByRole("button", { name: "Enregistrer la correspondance" }).click();
    await page.getByText("Correspondance enregistrée.").waitFor();
    await page.getByText("Enregistrement Zambie").waitFor();
    const admin = await apiToken(stack.url, "admin@example.org");
    const form = await apiCall<{ organisationID: string; fields: Record<string, { field: string }> }>(
      stack.url,
      admin,
      "GET",
      "/api/kobo-forms/aZmRegistration2024",
    );
    expect(form.organisationID).toBe(organisationID);
    expect(form.fields).toEqual({
      fullName: { field: "fullName" },
      sex: { field: "sex" },
      birthYear: { field: "birthYear" },
    });
    await ctx.close();
  });

  it("the webhook: its secret shows once, a delivery to the partner shows as delivered and is sent again on request, then it is paused", async () => {
    const received: string[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => (received.push(body), res.end("ok")));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/waypoint`;
    try {
      const { ctx, page } = await openAs(browser, stack.url, {
        email: "admin@example.org",
        path: `/partners/${organisationID}`,
        lang: "fr",
      });
      await page.getByText("Aucun webhook configuré.").waitFor();
      await page.getByRole("textbox", { name: "Adresse (https://…)" }).fill(hookUrl);
      await page.getByRole("button", { name: "Configurer l’adresse" }).click();
      const dialog = page.getByRole("dialog", { name: "Copiez le secret de signature maintenant" });
      const secret = await dialog.locator("input[data-secret]").inputValue();
      expect(secret).toMatch(/^whsec_/);
      await dialog.getByRole("button", { name: "Je l’ai copiée" }).click();
      await page.getByText("Envoi actif").waitFor();
      expect(await page.content()).not.toContain(secret);

      // staff refer someone to the partner: the event reaches its server
      const staff = await apiToken(stack.url, "admin@example.org");
      const ref = await apiCall<{ referralID: string }>(stack.url, staff, "POST", "/api/referrals", {
        officeID: "off_01JDEMOTAP0000000000000000",
        toOrganisationID: organisationID,
        serviceCategory: "legal",
        reason: "Audience la semaine prochaine",
        consent: { given: true, date: "2026-11-20" },
      });
      await expect
        .poll(() => received.some((b) => b.includes(ref.referralID)), { timeout: 30_000 })
        .toBe(true);
      await page.reload();
      const row = page.locator("table.deliveries tr").filter({ hasText: "Une référence est créée" });
      await row.getByText("Livré").waitFor();
      await row.getByText("A répondu 200").waitFor();
      await row.getByRole("button", { name: "Renvoyer" }).click();
      await page.getByText("Remis en file pour un nouvel envoi.").waitFor();
      await expect
        .poll(() => received.filter((b) => b.includes(ref.referralID)).length, { timeout: 30_000 })
        .toBe(2);

      await page.getByRole("button", { name: "Mettre en pause" }).click();
      await page.getByText("En pause", { exact: true }).waitFor();
      await page.getByRole("button", { name: "Reprendre" }).waitFor();
      await ctx.close();
    } finally {
      server.close();
    }
  });
});
