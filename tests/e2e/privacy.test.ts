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
});
