import { readFile } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../packages/local/src/runtime.ts";
import { apiCall, apiToken, buildWeb, launch, openAs, startStack, TAP } from "./support.ts";

type Row = Record<string, unknown>;
let stack: LocalStack;
let browser: Browser;
let supervisor: string;
let partnerKey: string;
let partnerOrg: string;

beforeAll(async () => {
  buildWeb();
  stack = await startStack();
  supervisor = await apiToken(stack.url, "supervisor@example.org");
  const { Actor, Organisation } = await import("@waypoint/core");
  const { DEMO_OPERATION } = await import("../../packages/local/src/seed/foundation.ts");
  const key = await Actor.provide({ type: "system", reason: "e2e" }, async () => {
    const org = await Organisation.create({ operationID: DEMO_OPERATION.operationID, name: "Clínica Norte" });
    const k = await Organisation.createKey({
      organisationID: org.organisationID,
      name: "e2e",
      scopes: ["referrals:read"],
    });
    return { key: k.key, organisationID: org.organisationID };
  });
  partnerKey = key.key;
  partnerOrg = key.organisationID;
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function person(givenName: string, familyName: string): Promise<string> {
  const p = await apiCall<Row>(stack.url, supervisor, "POST", "/api/individuals", {
    givenName,
    familyName,
    sex: "female",
    dateOfBirth: "1990-02-02",
    nationality: "HND",
    languages: ["spa"],
    officeID: TAP,
    legalStatus: "asylum_seeker",
    overrideDuplicates: { reason: "e2e fixture person" },
  });
  return String(p.individualID);
}

const partnerStatus = async (referralID: string) =>
  (
    await fetch(`${stack.url}/v1/referrals/${referralID}`, {
      headers: { authorization: `Bearer ${partnerKey}` },
    })
  ).status;

describe("data protection on the person's page", () => {
  it("a supervisor withdraws sharing consent and the partner's next read is a 404", async () => {
    const id = await person("Marisol", "Quiñónez");
    const referral = await apiCall<Row>(stack.url, supervisor, "POST", "/api/referrals", {
      officeID: TAP,
      toOrganisationID: partnerOrg,
      individualID: id,
      serviceCategory: "health",
      reason: "Control médico",
      consent: { given: true, date: "2026-01-10" },
    });
    await apiCall(stack.url, supervisor, "POST", `/api/individuals/${id}/consents`, {
      purpose: "sharing",
      organisationID: partnerOrg,
      date: "2026-01-10",
      how: "written",
    });
    expect(await partnerStatus(String(referral.referralID))).toBe(200);

    const { ctx, page } = await openAs(browser, stack.url, {
      email: "supervisor@example.org",
      path: `/individuals/${id}`,
      lang: "en",
      ready: "#person-consents",
    });
    const row = page.locator("#person-consents tr", { hasText: "Sharing with a partner" });
    await row.getByRole("button", { name: "Withdraw" }).click();
    await page.locator("dialog input").fill("2026-02-01");
    await page.locator("dialog").getByRole("button", { name: "Withdraw" }).click();
    await row.getByText("Withdrawn").waitFor();
    expect(await partnerStatus(String(referral.referralID))).toBe(404);
    await ctx.close();
  });

  it("a supervisor erases a person, and produces the subject-access PDF of another, read back", async () => {
    const erased = await person("Yesenia", "Barahona");
    const kept = await person("Gloria", "Mejía");
    const { ctx, page } = await openAs(browser, stack.url, {
      email: "supervisor@example.org",
      path: `/individuals/${erased}`,
      lang: "en",
      ready: "text=Erase this person…",
    });
    await page.getByRole("button", { name: "Erase this person…" }).click();
    await page.locator("dialog textarea").fill("The person asked to be erased");
    await page.getByRole("button", { name: "Erase for good" }).click();
    await page.waitForURL(/\/individuals$/);
    const gone = await fetch(`${stack.url}/api/individuals/${erased}`, {
      headers: { authorization: `Bearer ${supervisor}` },
    });
    expect(gone.status).toBe(404);

    await page.goto(`${stack.url}/individuals/${kept}`);
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Everything we hold (PDF)" }).click();
    // what the file is for is asked first: the person's own request is proposed
    const why = page.locator("dialog");
    expect(await why.getByRole("radio", { name: "The person asked for their own data" }).isChecked()).toBe(true);
    await why.getByRole("button", { name: "Make the file" }).click();
    const file = await (await download).path();
    const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
    const pdf = await getDocument({ data: new Uint8Array(await readFile(file!)), useSystemFonts: false })
      .promise;
    let text = "";
    for (let n = 1; n <= pdf.numPages; n++)
      text += ((await (await pdf.getPage(n)).getTextContent()).items as { str: string }[])
        .map((i) => i.str)
        .join(" ");
    expect(text).toContain("Lo que guardamos sobre usted");
    expect(text).toContain("Gloria");
    expect(text).toContain("Mejía");
    await ctx.close();
  });

  it("in Spanish, a supervisor says what a subject-access file is for (other, in words, for a lawyer) before it is made; the sharing log on the record shows it", async () => {
    const id = await person("Evangelina", "Tzunún");
    const { ctx, page } = await openAs(browser, stack.url, {
      email: "supervisor@example.org",
      path: `/individuals/${id}`,
      lang: "es",
      ready: "#person-subject-access",
    });
    const button = page.getByRole("button", { name: "Todo lo que guardamos (JSON)" });
    expect(await button.getAttribute("aria-haspopup")).toBe("dialog");
    await button.click();
    const why = page.locator("dialog");
    await why.getByRole("heading", { name: "¿Para qué es este archivo?" }).waitFor();
    // every purpose in Spanish; "other" needs words, said on the field
    for (const label of ["Gestión de casos", "Remisión a un proveedor de servicios", "La persona pidió sus propios datos"])
      await why.getByRole("radio", { name: label }).waitFor();
    await why.getByRole("radio", { name: "Otro (indique cuál)" }).check();
    await why.getByRole("button", { name: "Generar el archivo" }).click();
    await why.getByRole("alert").getByText("Indique en pocas palabras para qué es el archivo.").waitFor();
    expect(await why.getByLabel("Indique para qué es").getAttribute("aria-invalid")).toBe("true");
    await why.getByLabel("Indique para qué es").fill("Pedido de su abogada");
    await why.getByLabel("Quién lo recibe (opcional)").fill("Defensoría Pública");
    const download = page.waitForEvent("download");
    await why.getByRole("button", { name: "Generar el archivo" }).click();
    const saved = JSON.parse(await readFile((await (await download).path())!, "utf8")) as { record: Row };
    expect(JSON.stringify(saved)).toContain("Evangelina");

    // the server kept the purpose; the person's record shows it in their sharing log
    const log = await apiCall<{ items: Row[] }>(stack.url, supervisor, "GET", `/api/individuals/${id}/sharing`);
    expect(log.items.find((e) => e.kind === "subject_access")).toMatchObject({
      purpose: "other",
      purposeOther: "Pedido de su abogada",
      recipient: "Defensoría Pública",
    });
    const row = page.locator("#person-sharing tr", { hasText: "Pedido de su abogada" });
    await row.waitFor();
    expect(await row.textContent()).toContain("En un archivo exportado");
    expect(await row.textContent()).toContain("Defensoría Pública");

    // a purpose from the list is shown in the reader's language
    await page.getByRole("button", { name: "Todo lo que guardamos (JSON)" }).click();
    await why.getByRole("radio", { name: "Verificación y corrección de los datos" }).check();
    const second = page.waitForEvent("download");
    await why.getByRole("button", { name: "Generar el archivo" }).click();
    await second;
    await page.locator("#person-sharing tr", { hasText: "Verificación y corrección de los datos" }).waitFor();
    await ctx.close();
  });
});
