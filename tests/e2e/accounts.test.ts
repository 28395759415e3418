import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../packages/local/src/runtime.ts";
import { buildWeb, launch, openAs, startStack, TAP } from "./support.ts";

/**
 * Staff accounts end to end, in Spanish: an admin invites a caseworker, the caseworker follows the outbox link in
 * a browser of their own, chooses a password and signs in; the admin deactivates them and the caseworker's next
 * action signs them out with a sentence. Along the way: the app's security headers, and a strict CSP that the
 * built app (AG Grid and its styles) works under without a violation. And, in French, the first sign-in with a
 * temporary password: choose one's own, then land on the home screen.
 */
let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  buildWeb();
  stack = await startStack();
  browser = await launch();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Console messages that report a Content-Security-Policy violation. */
function cspViolations(page: Page): string[] {
  const out: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) out.push(m.text());
  });
  return out;
}

describe("staff accounts in the browser", () => {
  it("the app is served with a strict CSP, no framing, nosniff and a referrer policy", async () => {
    const res = await fetch(`${stack.url}/staff`);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    const asset = await fetch(`${stack.url}/auth/config`);
    expect(asset.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("an admin invites a caseworker who sets a password and signs in; deactivated, their next action signs them out", async () => {
    const email = `lucia.${Date.now()}@example.org`;
    const admin = await openAs(browser, stack.url, {
      email: "admin@example.org",
      path: "/staff",
      lang: "es",
      ready: "table",
    });
    const adminCsp = cspViolations(admin.page);
    const a = admin.page;
    await a.getByRole("heading", { name: "Personal" }).waitFor();

    // the e-mail of a colleague already in this operation is refused on the field
    await a.getByLabel("Nombre").fill("Otra Persona");
    await a.getByLabel("Correo electrónico").fill("caseworker@example.org");
    await a.getByRole("button", { name: "Enviar invitación" }).click();
    await a.getByText("Esta persona ya trabaja en esta operación.").waitFor();

    await a.getByLabel("Nombre").fill("Lucía Caseworker");
    await a.getByLabel("Correo electrónico").fill(email);
    await a.getByLabel("Rol").selectOption("caseworker");
    await a.getByLabel("Tapachula Field Office").check();
    await a.getByRole("button", { name: "Enviar invitación" }).click();
    await a.getByText(`Invitación enviada a ${email}.`).waitFor();
    const row = a.locator(`tr[data-user="${email}"]`);
    await expect.poll(() => row.innerText()).toContain("Invitada");

    // the outbox keeps the message with its one-time link
    await a.getByRole("link", { name: "Bandeja de salida", exact: true }).click();
    const link = await a.locator(`tr[data-to="${email}"] a.outbox-link`).first().getAttribute("href");
    expect(link).toMatch(/^\/invite\/usr_/);

    // the caseworker, in a fresh browser context, signed out
    const ctx = await browser.newContext({ locale: "es-MX", timezoneId: "America/Mexico_City" });
    await ctx.addInitScript(`localStorage.setItem("waypoint.lang", "es")`);
    const c = await ctx.newPage();
    const cwCsp = cspViolations(c);
    await c.goto(`${stack.url}${link}`);
    await c.getByRole("heading", { name: "Elija su contraseña" }).waitFor();
    await c.getByText(`Bienvenida/o, Lucía Caseworker. Elija una contraseña para ${email}.`).waitFor();
    await c.getByLabel("Contraseña nueva").fill("qwerty123456");
    await c.getByLabel("Repita la contraseña").fill("qwerty123456");
    await c.getByRole("button", { name: "Guardar contraseña" }).click();
    await c
      .getByText("Esta contraseña está en una lista de contraseñas comunes o filtradas; elija otra.")
      .waitFor();
    const password = "faro-marea-cedro-2026";
    await c.getByLabel("Contraseña nueva").fill(password);
    await c.getByLabel("Repita la contraseña").fill(password);
    await c.getByRole("button", { name: "Guardar contraseña" }).click();
    await c.getByText("Su contraseña está guardada. Inicie sesión con ella.").waitFor();
    await c.getByRole("button", { name: "Ir a iniciar sesión" }).click();
    await c.locator('input[type="email"]').fill(email);
    await c.locator('input[type="password"]').fill(password);
    await c.locator('button[type="submit"]').click();
    // signed in: the caseworker's menu (the cases grid with AG Grid's own styles)
    await c.getByRole("link", { name: "Casos" }).click();
    await c.locator(".ag-header-cell").first().waitFor();
    // AG Grid's injected theme styles apply under the CSP (its header cells are flex boxes)
    const display = await c
      .locator(".ag-header-cell")
      .first()
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- browser-side code; no DOM types here
      .evaluate((el) => (globalThis as any).getComputedStyle(el).display as string);
    expect(display).toBe("flex");

    // the admin sees the account active and deactivates it
    await a.goto(`${stack.url}/staff`);
    await a.locator(`tr[data-user="${email}"]`).getByRole("link", { name: "Lucía Caseworker" }).click();
    await expect.poll(() => a.getByTestId("user-status").innerText()).toBe("Activa");
    a.once("dialog", (d) => void d.accept());
    await a.getByRole("button", { name: "Desactivar cuenta" }).click();
    await expect.poll(() => a.getByTestId("user-status").innerText()).toBe("Desactivada");

    // the caseworker's very next action ends their session, with a sentence in Spanish
    await c.getByRole("link", { name: "Personas" }).click();
    await c.getByTestId("session-ended").waitFor();
    expect(await c.getByTestId("session-ended").innerText()).toBe(
      "Su cuenta fue desactivada y se cerró su sesión. Consulte a un administrador si es un error.",
    );
    await c.locator('input[type="email"]').waitFor();

    // in French: an account with a temporary password (the CLI's first admin does the same) chooses its own at its
    // first sign-in, then lands on the home screen
    const temp = `camille.${Date.now()}@example.org`;
    const { Actor, User } = await import("@waypoint/core");
    await Actor.provide({ type: "system", reason: "e2e" }, () =>
      User.create({
        email: temp,
        name: "Camille Temporaire",
        password: "Provisoire-Depart-4417",
        mustChangePassword: true,
        grants: [{ operationID: "op_01JDEMOMEX0000000000000000", role: "caseworker", officeIDs: [TAP] }],
      }),
    );
    const fctx = await browser.newContext({ locale: "fr-FR", timezoneId: "America/Mexico_City" });
    await fctx.addInitScript(`localStorage.setItem("waypoint.lang", "fr")`);
    const f = await fctx.newPage();
    await f.goto(`${stack.url}/`);
    await f.locator('input[type="email"]').fill(temp);
    await f.locator('input[type="password"]').fill("Provisoire-Depart-4417");
    await f.locator('button[type="submit"]').click();
    await f.getByRole("heading", { name: "Choisissez votre mot de passe" }).waitFor();
    // the temporary password again is refused, in French
    await f.getByLabel("Nouveau mot de passe").fill("Provisoire-Depart-4417");
    await f.getByLabel("Répétez le mot de passe").fill("Provisoire-Depart-4417");
    await f.getByRole("button", { name: "Enregistrer le mot de passe" }).click();
    await f.locator("p.error, [role=alert]").first().waitFor();
    expect(await f.locator("p.error, [role=alert]").first().innerText()).not.toMatch(/password|temporary/i);
    await f.getByLabel("Nouveau mot de passe").fill("falaise-girofle-ardoise-58");
    await f.getByLabel("Répétez le mot de passe").fill("falaise-girofle-ardoise-58");
    await f.getByRole("button", { name: "Enregistrer le mot de passe" }).click();
    // the home screen: signed in as Camille, the French menu, no password step left
    await expect.poll(() => f.locator(".who").innerText()).toContain("Camille Temporaire");
    await f.getByRole("link", { name: "Mon compte" }).waitFor();
    expect(await f.getByRole("heading", { name: "Choisissez votre mot de passe" }).count()).toBe(0);
    expect(await f.locator("html").getAttribute("lang")).toBe("fr");
    // the new password is the one that works now
    const login = await fetch(`${stack.url}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: temp, password: "falaise-girofle-ardoise-58" }),
    });
    expect(login.status).toBe(200);
    await fctx.close();

    expect(adminCsp).toEqual([]);
    expect(cwCsp).toEqual([]);
    await ctx.close();
    await admin.ctx.close();
  }, 180_000);

  it("an admin edits an office: a room with its seats, and an interpreter who now works there with one more language", async () => {
    const admin = await openAs(browser, stack.url, {
      email: "admin@example.org",
      path: "/operations/op_01JDEMOMEX0000000000000000",
      lang: "es",
      ready: 'tr[data-office="TEN"]',
    });
    const a = admin.page;
    await a.locator('tr[data-office="TEN"]').getByRole("button", { name: "Editar" }).click();
    const form = a.getByRole("form", { name: "Editar la oficina Tenosique Field Office" });
    await form.getByRole("button", { name: "Añadir una sala" }).click();
    await form.getByLabel("Sala", { exact: true }).last().fill("Sala de entrevistas A");
    await form.getByLabel("Plazas").last().fill("12");
    const jb = form.locator('[data-interpreter="Jean-Baptiste Pierre"]');
    await jb.getByRole("checkbox").check();
    await jb.getByLabel("Idiomas").fill("hat, fra, spa, por");
    await form.getByRole("button", { name: "Guardar" }).click();
    await a.getByText("Oficina Tenosique Field Office guardada.").waitFor();

    // stored: the office at its next version with the room, the interpreter in both offices with the new language
    const token = (await a.evaluate(`JSON.parse(sessionStorage.getItem("waypoint.session")).token`)) as string;
    const res = await fetch(`${stack.url}/api/operations/op_01JDEMOMEX0000000000000000/offices`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const offices = (await res.json()) as { items: { code: string; version: number; rooms?: unknown[] }[] };
    const ten = offices.items.find((o) => o.code === "TEN")!;
    expect(ten.rooms).toContainEqual({ name: "Sala de entrevistas A", capacity: 12 });
    expect(ten.version).toBeGreaterThan(1);
    const users = (await (
      await fetch(`${stack.url}/api/users`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { items: { name: string; officeIDs: string[]; languages?: string[] }[] };
    const interpreter = users.items.find((u) => u.name === "Jean-Baptiste Pierre")!;
    expect(interpreter.officeIDs).toEqual(expect.arrayContaining([TAP, "off_01JDEMOTEN0000000000000000"]));
    expect(interpreter.languages).toEqual(["hat", "fra", "spa", "por"]);
    await admin.ctx.close();
  }, 120_000);

  it("an admin resets a colleague's lost authenticator from the staff account screen: confirmed, audited, the colleague's session ends", async () => {
    const { Actor, Audit, User } = await import("@waypoint/core");
    const { SecondFactor } = await import("@waypoint/core/auth/totp");
    const OP = "op_01JDEMOMEX0000000000000000";
    const email = `tomas.factor.${Date.now()}@example.org`;
    const password = "brujula-sendero-ocre-71";
    const user = await Actor.provide({ type: "system", reason: "e2e" }, async () => {
      const u = await User.create({
        email,
        name: "Tomás Autenticador",
        password,
        grants: [{ operationID: OP, role: "caseworker", officeIDs: [TAP] }],
      });
      const { secret } = await SecondFactor.startEnrolment(u);
      await SecondFactor.confirmEnrolment(u.userID, SecondFactor.codeFor(secret), OP);
      return { ...u, secret };
    });
    // the colleague's open session (password, then the app's next code)
    const post = (path: string, body: unknown) =>
      fetch(`${stack.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, string> }));
    const step1 = await post("/auth/login", { email, password });
    expect(step1.json.secondFactor).toBe("verify");
    const step2 = await post("/auth/second-factor", {
      challenge: step1.json.challenge,
      code: SecondFactor.codeFor(user.secret, Date.now() + 30_000),
    });
    expect(step2.status).toBe(200);
    const me = () =>
      fetch(`${stack.url}/api/me`, { headers: { authorization: `Bearer ${step2.json.token}` } }).then((r) => r.status);
    expect(await me()).toBe(200);

    const admin = await openAs(browser, stack.url, {
      email: "admin@example.org",
      path: `/staff/${user.userID}`,
      lang: "es",
      ready: '[data-testid="second-factor-status"]',
    });
    const a = admin.page;
    expect(await a.getByTestId("second-factor-status").innerText()).toBe(
      "Esta cuenta tiene configurada una aplicación de autenticación.",
    );
    let asked = "";
    a.once("dialog", (d) => {
      asked = d.message();
      void d.accept();
    });
    await a.getByRole("button", { name: "Restablecer autenticador" }).click();
    await a
      .getByText(
        "Se restableció el autenticador de Tomás Autenticador y se cerraron sus sesiones. Lo configurará de nuevo al iniciar sesión.",
      )
      .waitFor();
    expect(asked).toContain("¿Restablecer el autenticador de Tomás Autenticador");
    await expect
      .poll(() => a.getByTestId("second-factor-status").innerText())
      .toBe("Esta cuenta no tiene configurada ninguna aplicación de autenticación.");
    expect(await a.getByRole("button", { name: "Restablecer autenticador" }).count()).toBe(0);
    // the colleague's session has ended; the reset is in the account's history, by the admin
    expect(await me()).toBe(401);
    const adminUser = (await User.byEmail("admin@example.org"))!;
    const history = await Actor.provide(
      { type: "user", userID: adminUser.userID, email: adminUser.email, operationID: OP, role: "admin", officeIDs: [] },
      () => Audit.history({ recordID: user.userID }),
    );
    expect(history.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: "secondFactor.reset", actorID: adminUser.userID })]),
    );

    await admin.ctx.close();
  }, 120_000);

  it("a caseworker turns a second factor on from their own account page and off again with a current code, in Arabic", async () => {
    const { SecondFactor } = await import("@waypoint/core/auth/totp");
    const me = await openAs(browser, stack.url, {
      email: "caseworker@example.org",
      path: "/account",
      lang: "ar",
      ready: '[data-testid="sf-status"]',
    });
    const p = me.page;
    expect(await p.locator("html").getAttribute("dir")).toBe("rtl");
    await p.getByRole("button", { name: "تفعيل عامل ثانٍ" }).click();
    // the QR code is drawn in the browser (a data: image), the key is shown in text
    const qr = await p.getByTestId("totp-qr").getAttribute("src");
    expect(qr).toMatch(/^data:image\/png;base64,/);
    const secret = (await p.getByTestId("totp-secret").innerText()).replace(/\s/g, "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await p.getByLabel("الرمز من التطبيق").fill(SecondFactor.codeFor(secret));
    await p.getByRole("button", { name: "تأكيد" }).click();
    await p.getByTestId("recovery-codes").waitFor();
    expect(await p.getByTestId("recovery-codes").locator("li").count()).toBe(10);
    await p.getByRole("button", { name: "لقد حفظتها" }).click();
    await expect.poll(() => p.getByTestId("sf-status").innerText()).toMatch(/رموز الاسترداد المتبقية: (10|١٠)/);

    // off again, with the app's next code (the one just used would be a replay)
    await p.getByLabel("الرمز من التطبيق").fill(SecondFactor.codeFor(secret, Date.now() + 30_000));
    await p.getByRole("button", { name: "إيقاف العامل الثاني" }).click();
    await p.getByText("العامل الثاني متوقف. يطلب تسجيل الدخول كلمة المرور فقط.").waitFor();
    const login = await fetch(`${stack.url}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "caseworker@example.org", password: "waypoint-demo" }),
    });
    expect(((await login.json()) as { token?: string }).token).toBeTruthy();
    await me.ctx.close();
  }, 120_000);
});
