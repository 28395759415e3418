import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Actor, User } from "@waypoint/core";
import { SecondFactor } from "@waypoint/core/auth/totp";
import { SecondFactorEntity } from "@waypoint/core/auth/second-factor.entity";
import type { LocalStack } from "../../packages/local/src/runtime.ts";
import { DEMO_OPERATION } from "../../packages/local/src/seed/foundation.ts";
import { startProvider, type TestProvider } from "../support/oidc-provider.ts";
import { apiCall, apiToken, buildWeb, DEMO_PASSWORD, launch, startStack, TAP } from "./support.ts";

let stack: LocalStack;
let browser: Browser;
let idp: TestProvider;

beforeAll(async () => {
  buildWeb();
  stack = await startStack();
  browser = await launch();
  idp = await startProvider(
    [{ login: "lucia", email: "lucia.sso@agency.example.org", name: "Lucía Medina", groups: ["wp-field"] }],
    [`${stack.url}/auth/sso/callback`],
  );
});

afterAll(async () => {
  await browser?.close();
  await idp?.close();
  await stack?.stop();
});

async function page(lang = "en"): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1300, height: 900 }, timezoneId: "America/Mexico_City" });
  await ctx.addInitScript(`localStorage.setItem("waypoint.lang", ${JSON.stringify(lang)})`);
  return ctx.newPage();
}

const session = async (p: Page) =>
  JSON.parse(((await p.evaluate(`sessionStorage.getItem("waypoint.session")`)) as string | null) ?? "null") as {
    me: { role: string; email: string };
  } | null;

describe("second factor and single sign-on in the browser", () => {
  it("a supervisor enrols an authenticator at first sign-in, keeps the recovery codes, and signs in with a code later", async () => {
    const email = "nadia.supervisor@example.org";
    await Actor.provide({ type: "system", reason: "e2e" }, () =>
      User.create({
        email,
        name: "Nadia Benali",
        password: DEMO_PASSWORD,
        grants: [{ operationID: DEMO_OPERATION.operationID, role: "supervisor", officeIDs: [TAP] }],
      }),
    );
    const p = await page();
    await p.goto(stack.url);
    await p.locator('input[type="email"]').fill(email);
    await p.locator('input[type="password"]').fill(DEMO_PASSWORD);
    await p.locator('button[type="submit"]').click();
    // enrolment: a QR code and the key to type by hand
    await p.getByRole("heading", { name: "Set up a second factor" }).waitFor();
    await p.getByTestId("totp-qr").waitFor();
    const secret = ((await p.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await session(p)).toBeNull();
    // a wrong code first: refused in a sentence, nothing signed in
    await p.getByLabel("Code", { exact: true }).fill("000000" === SecondFactor.codeFor(secret) ? "111111" : "000000");
    await p.getByRole("button", { name: "Check the code and finish" }).click();
    await p.getByRole("alert").filter({ hasText: "This code is not right" }).waitFor();
    expect(await session(p)).toBeNull();
    await p.getByLabel("Code", { exact: true }).fill(SecondFactor.codeFor(secret));
    await p.getByRole("button", { name: "Check the code and finish" }).click();
    const codes = p.getByTestId("recovery-codes").locator("li");
    await codes.first().waitFor();
    expect(await codes.count()).toBe(10);
    await p.getByRole("button", { name: "I have kept these codes: continue" }).click();
    await p.locator(".sidenav").waitFor();
    expect((await session(p))?.me.role).toBe("supervisor");
    const stored = (await SecondFactorEntity.get({ userID: (await User.byEmail(email))!.userID }).go()).data;
    expect(stored?.state).toBe("active");
    await p.context().close();

    // later, in another browser: password, then the app's next code
    const q = await page("es");
    await q.goto(stack.url);
    await q.locator('input[type="email"]').fill(email);
    await q.locator('input[type="password"]').fill(DEMO_PASSWORD);
    await q.locator('button[type="submit"]').click();
    await q.getByRole("heading", { name: "Escriba el código de su aplicación de autenticación" }).waitFor();
    expect(await session(q)).toBeNull();
    await q.getByLabel("Código", { exact: true }).fill(SecondFactor.codeFor(secret, Date.now() + 30_000));
    await q.getByRole("button", { name: "Continuar" }).click();
    await q.locator(".sidenav").waitFor();
    expect((await session(q))?.me).toMatchObject({ role: "supervisor", email });
    await q.context().close();
  });

  it("a user of an operation with single sign-on signs in through the provider's page and lands with the mapped role", async () => {
    const admin = await apiToken(stack.url, "admin@example.org");
    await apiCall(stack.url, admin, "PUT", "/api/sso-config", {
      name: "Agency ID",
      issuer: idp.issuer,
      clientID: idp.clientID,
      clientSecret: idp.clientSecret,
      mappings: [{ value: "wp-field", role: "caseworker", officeIDs: [TAP] }],
    });
    const p = await page();
    await p.goto(stack.url);
    await p.getByRole("link", { name: "Sign in with Agency ID" }).click();
    // the test provider's own sign-in page
    await p.locator('input[name="login"]').fill("lucia");
    await p.locator('input[name="password"]').fill("anything");
    await p.locator('button[type="submit"]').click();
    await p.locator(".sidenav").waitFor();
    expect(new URL(p.url()).hash).toBe("");
    expect((await session(p))?.me).toMatchObject({ role: "caseworker", email: "lucia.sso@agency.example.org" });
    await p.context().close();
  });
});
