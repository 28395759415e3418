import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../packages/local/src/runtime.ts";
import { apiCall, apiToken, buildWeb, givePurpose, launch, startStack, openAs } from "./support.ts";

type Row = Record<string, unknown>;
let stack: LocalStack;
let browser: Browser;
let finance: string;

beforeAll(async () => {
  buildWeb();
  stack = await startStack();
  finance = await apiToken(stack.url, "finance@example.org");
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The batch page's work panel is on screen. */
async function ready(o: { ctx: BrowserContext; page: Page }) {
  await o.page.getByRole("heading", { name: "Trabajo en este lote" }).waitFor();
  return o;
}

const get = (path: string, token = finance) => apiCall<Row>(stack.url, token, "GET", path);

describe("finance desk: a batch from submission to reconciliation, in Spanish", () => {
  it("finance submits and cannot approve; the approver approves; a changed IBAN needs approval again; export and reconcile", async () => {
    const fsp = await apiCall<Row>(stack.url, finance, "POST", "/api/fsp-profiles", {
      name: "Banco de prueba",
      kind: "bank",
      currency: "EUR",
      defaultFormat: "pain.001.001.09",
      debtor: { name: "ACNUR prueba", iban: "DE89370400440532013000", bic: "COBADEFFXXX" },
    });
    const payees = await apiCall<{ results: { record: Row }[] }>(stack.url, finance, "POST", "/api/payees", {
      rows: [
        {
          ref: "a",
          values: {
            kind: "individual",
            name: "فاطمة حداد",
            channel: { type: "bank", iban: "FI4880002002330354" },
          },
        },
        {
          ref: "b",
          values: {
            kind: "individual",
            name: "Rosa Núñez",
            channel: { type: "bank", iban: "FR1420041010050500013M02606" },
          },
        },
      ],
    });
    const [arabic, rosa] = payees.results.map((r) => r.record);
    expect(arabic!.nameLatin).toMatch(/^Ftmh [A-Za-z]+$/);
    const payments = await apiCall<{ results: { id: string }[] }>(
      stack.url,
      finance,
      "POST",
      "/api/payments",
      {
        rows: [arabic, rosa].map((p, i) => ({
          ref: String(i),
          values: {
            payeeID: p!.payeeID,
            purpose: "cash_for_protection",
            amount: 15000 + i * 1000,
            currency: "EUR",
          },
        })),
      },
    );
    const batch = await apiCall<Row>(stack.url, finance, "POST", "/api/payment-batches", {
      fspProfileID: fsp.fspProfileID,
      currency: "EUR",
      paymentIDs: payments.results.map((r) => r.id),
    });
    const path = `/payment-batches/${batch.batchID}`;

    // Finance submits; the approve button is never offered to them.
    const fin = await ready(await openAs(browser, stack.url, { email: "finance@example.org", path }));
    // a reload keeps the session (the web app is built as users get it, not React's development build)
    await fin.page.reload();
    await fin.page.getByRole("heading", { name: "Trabajo en este lote" }).waitFor({ timeout: 10_000 });
    await fin.page.getByRole("button", { name: "Enviar para aprobación" }).click();
    await fin.page.getByText("Aprobaciones: 0 de 1").waitFor();
    await expect.poll(async () => (await get(`/api${path}`)).status).toBe("submitted");
    expect(await fin.page.getByRole("button", { name: "Aprobar", exact: true }).count()).toBe(0);

    // The approver approves from the batch page.
    const appr = await ready(await openAs(browser, stack.url, { email: "approver@example.org", path }));
    await appr.page.getByRole("button", { name: "Aprobar", exact: true }).click();
    await appr.page.locator("dialog[open]").getByRole("button", { name: "Aprobar", exact: true }).click();
    await expect.poll(async () => (await get(`/api${path}`)).status).toBe("approved");

    // Finance changes Rosa's IBAN: the batch goes back for approval and the export is not offered.
    await apiCall(stack.url, finance, "PATCH", `/api/payees/${rosa!.payeeID}`, {
      version: rosa!.version,
      changes: { channel: { type: "bank", iban: "DE02120300000000202051" } },
    });
    // (each step signs in afresh, as a colleague at another desk would)
    await fin.ctx.close();
    const fin2 = await ready(await openAs(browser, stack.url, { email: "finance@example.org", path }));
    await fin2.page.getByText(/cambiaron después de enviar este lote/).waitFor();
    expect(await fin2.page.getByRole("button", { name: "Exportar para el proveedor de pagos" }).count()).toBe(
      0,
    );

    await appr.ctx.close();
    const appr2 = await ready(await openAs(browser, stack.url, { email: "approver@example.org", path }));
    await appr2.page.getByRole("button", { name: "Aprobar", exact: true }).click();
    await appr2.page.locator("dialog[open]").getByRole("button", { name: "Aprobar", exact: true }).click();
    await expect.poll(async () => (await get(`/api${path}`)).status).toBe("approved");
    await appr2.ctx.close();

    // Export pain.001: refused until the changed payee is accepted, then made and listed.
    await fin2.ctx.close();
    const fin3 = await ready(await openAs(browser, stack.url, { email: "finance@example.org", path }));
    await fin3.page.getByLabel("Formato del archivo").selectOption("pain.001.001.09");
    await fin3.page.getByRole("button", { name: "Exportar para el proveedor de pagos" }).click();
    // what the file is for is asked first (delivering assistance proposed)
    await givePurpose(fin3.page);
    await fin3.page
      .getByText("Algunos beneficiarios cambiaron después del envío: marque que los ha revisado.")
      .waitFor();
    await fin3.page.getByLabel("He revisado los datos cambiados de los beneficiarios y los acepto").check();
    await fin3.page.getByRole("button", { name: "Exportar para el proveedor de pagos" }).click();
    await givePurpose(fin3.page);
    await fin3.page.getByRole("button", { name: "Descargar" }).waitFor();
    const exports = (await get(`/api${path}/exports`)) as { items: Row[] };
    expect(exports.items).toHaveLength(1);

    // The provider's report: one paid, one rejected, and a line about nobody.
    const members = (await Promise.all(payments.results.map((r) => get(`/api/payments/${r.id}`)))) as Row[];
    const csv = [
      "endToEndId,status,reason",
      `${members[0]!.endToEndId},paid,`,
      `${members[1]!.endToEndId},rejected,AC04 cuenta cerrada`,
      "PAY-DESCONOCIDO,paid,",
    ].join("\n");
    // A file that is not a status report: the dialog says why in Spanish, and nothing is applied.
    const reportFile = fin3.page.getByLabel("Archivo del informe (pain.002 XML o CSV)");
    await reportFile.setInputFiles({
      name: "otro.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("nombre,monto\nAna,10\n"),
    });
    await fin3.page.getByRole("button", { name: "Conciliar" }).click();
    await fin3.page
      .getByText("El archivo CSV no tiene columna para la referencia del pago o para el estado.")
      .waitFor();
    expect((await get(`/api/payments/${members[0]!.paymentID}`)).status).not.toBe("paid");
    // The report goes to an upload link (the bucket on AWS; the API's signed link here), then is reconciled.
    await reportFile.setInputFiles({
      name: "informe.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv),
    });
    const sent = fin3.page.waitForRequest((r) => r.method() === "PUT" && r.url().includes("/api/files/"));
    await fin3.page.getByRole("button", { name: "Conciliar" }).click();
    await sent;
    const result = fin3.page.getByRole("status").filter({ hasText: "Resultado del informe" });
    await result.waitFor();
    await expect.poll(() => result.innerText()).toMatch(/Pagado\s+1\s+\S*\s?150/);
    expect(await result.innerText()).toContain("Fallido");
    expect(await result.innerText()).toContain("Sin pago correspondiente");
    const paid = (await get(`/api/payments/${members[0]!.paymentID}`)).status;
    const failed = await get(`/api/payments/${members[1]!.paymentID}`);
    expect(paid).toBe("paid");
    expect(failed.status).toBe("failed");
    expect(failed.failureReason).toContain("AC04");

    // The failed one is paid again in a new batch (its next attempt), which needs its own approval.
    await fin3.page.getByRole("button", { name: "Volver a pagar los 1 pagos fallidos en un lote nuevo" }).click();
    await fin3.page.waitForURL((u) => /\/payment-batches\/bat_/.test(u.pathname) && !u.pathname.endsWith(String(batch.batchID)));
    const retryID = fin3.page.url().split("/").pop()!;
    const retried = await get(`/api/payment-batches/${retryID}`);
    expect(retried).toMatchObject({ count: 1, status: "draft", approvals: [] });
    expect(String(retried.name)).toMatch(/^Reintento de /);
    const again = await get(`/api/payments/${members[1]!.paymentID}`);
    expect([again.status, again.attempt, again.batchID]).toEqual(["in_batch", 2, retryID]);
    expect((await get(`/api/payments/${members[0]!.paymentID}`)).status).toBe("paid");
    await fin3.ctx.close();
  });
});
