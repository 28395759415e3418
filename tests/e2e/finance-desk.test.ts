import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../packages/local/src/runtime.ts";
import { apiCall, apiToken, buildWeb, launch, startStack, openAs } from "./support.ts";

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

const get = (path: string, token = finance) => apiCall<Row>(stack.url, token, "GET", path);

describe("finance desk in Spanish: payees, a batch from the payments grid, the approver's queue", () => {
  it("finance creates a payee with an Arabic name by form, batches selected payments; the approver lands on the batch", async () => {
    const fsp = await apiCall<Row>(stack.url, finance, "POST", "/api/fsp-profiles", {
      name: "Banco de prueba EUR",
      kind: "bank",
      currency: "EUR",
      defaultFormat: "pain.001.001.09",
      debtor: { name: "ACNUR prueba", iban: "DE89370400440532013000", bic: "COBADEFFXXX" },
    });

    // 1. A payee through the form: a mistyped IBAN is refused on its question, the corrected one is created.
    const fin = await openAs(browser, stack.url, { email: "finance@example.org", path: "/payees" });
    await fin.page.getByRole("heading", { name: "Beneficiarios" }).waitFor();
    await fin.page.getByRole("button", { name: "Nuevo beneficiario…" }).click();
    const form = fin.page.locator("dialog[open]");
    await form.locator("#f-name").fill("فاطمة الزهراء");
    await form.locator("#f-channel-iban").fill("FI48 8000 2002 3303 55");
    await form.getByRole("button", { name: "Crear beneficiario" }).click();
    await form.locator("#f-channel-iban-error").waitFor();
    expect(await form.locator("#f-channel-iban-error").innerText()).toMatch(/IBAN/);
    // an error only the API finds (the mobile number is not a real one) lands on its question too
    await form.locator("#f-channel-type").selectOption("mobile_money");
    await form.locator("#f-channel-iban").fill("");
    await form.locator("#f-channel-msisdn").fill("+5200000000");
    await form.getByRole("button", { name: "Crear beneficiario" }).click();
    await form.locator("#f-channel-msisdn-error").waitFor();
    expect(await get("/api/payees?q=" + encodeURIComponent("فاطمة"))).toMatchObject({ items: [] });
    await form.locator("#f-channel-type").selectOption("bank");
    await form.locator("#f-channel-msisdn").fill("");
    await form.locator("#f-channel-iban").fill("FI48 8000 2002 3303 54");
    await form.getByRole("button", { name: "Crear beneficiario" }).click();
    await fin.page.waitForURL(/\/payees\/pye_/);
    await fin.page.getByRole("heading", { name: "فاطمة الزهراء" }).waitFor();
    const payeeID = fin.page.url().split("/").pop()!;
    const stored = await get(`/api/payees/${payeeID}`);
    expect(stored.name).toBe("فاطمة الزهراء");
    expect((stored.channel as Row).iban).toBe("FI4880002002330354");
    // the bank's name for her, suggested in Latin letters, is on her page
    expect(stored.nameLatin).toMatch(/^[A-Za-z' ]+$/);
    await expect
      .poll(() => fin.page.getByTestId("payee-bank-name").innerText())
      .toBe(String(stored.nameLatin));
    // back in the payees grid, her row shows the bank name and the account (in full: finance may see it)
    await fin.page.getByRole("link", { name: "Beneficiarios", exact: true }).click();
    const row = fin.page.locator(`.ag-row[row-id="${payeeID}"]`).first();
    await expect.poll(() => row.locator('[col-id="nameLatin"]').innerText()).toBe(String(stored.nameLatin));
    expect(await row.locator('[col-id="channel.iban"]').innerText()).toBe("FI4880002002330354");
    await fin.ctx.close();

    // 2. Payments to her, and one more; finance selects two in the payments grid and creates a batch.
    const other = await apiCall<Row>(stack.url, finance, "POST", "/api/payees", {
      kind: "individual",
      name: "Rosa Núñez",
      channel: { type: "bank", iban: "FR1420041010050500013M02606" },
    });
    const made = await apiCall<{ results: { id: string }[] }>(stack.url, finance, "POST", "/api/payments", {
      rows: [
        { ref: "a", values: { payeeID, purpose: "cash_for_protection", amount: 12500, currency: "EUR" } },
        { ref: "b", values: { payeeID: other.payeeID, purpose: "transport", amount: 3000, currency: "EUR" } },
        { ref: "c", values: { payeeID: other.payeeID, purpose: "transport", amount: 999, currency: "EUR" } },
      ],
    });
    const [p1, p2, p3] = made.results.map((r) => r.id);
    const fin2 = await openAs(browser, stack.url, { email: "finance@example.org", path: "/payments" });
    for (const id of [p1, p2]) {
      const box = fin2.page.locator(`.ag-row[row-id="${id}"] .ag-selection-checkbox input`).first();
      await box.waitFor();
      await box.check();
    }
    await fin2.page.getByRole("button", { name: "Crear lote…" }).click();
    const dialog = fin2.page.locator("dialog[open]");
    await dialog.getByText("2 pagos seleccionados").waitFor();
    // totals per currency before creating: two payments, 155.00 EUR
    await expect
      .poll(() => dialog.getByTestId("batch-totals").innerText())
      .toMatch(/EUR\s+2\s+\S*\s?155[.,]00/);
    await expect.poll(() => dialog.locator("#batch-fsp").inputValue()).toBe(fsp.fspProfileID);
    await dialog.getByRole("button", { name: "Crear lote", exact: true }).click();
    await fin2.page.waitForURL(/\/payment-batches\/bat/);
    await fin2.page.getByRole("heading", { name: "Trabajo en este lote" }).waitFor();
    const batchID = fin2.page.url().split("/").pop()!;
    // the batch page lists its payments: payee by name, amount in the batch's currency, status in Spanish
    const listed = fin2.page.locator('section[aria-labelledby="batch-payments"]');
    await listed.getByRole("heading", { name: "Pagos de este lote" }).waitFor();
    await expect.poll(() => listed.locator("tbody tr").count()).toBe(2);
    expect(await listed.locator("thead").innerText()).toMatch(/Beneficiario\s+Importe\s+Estado\s+Motivo/);
    const lines = (await listed.locator("tbody tr").allInnerTexts()).sort();
    expect(lines[0]).toMatch(/Rosa Núñez\s+EUR\s?30[.,]00\s+En un lote/);
    expect(lines[1]).toMatch(/فاطمة الزهراء\s+EUR\s?125[.,]00\s+En un lote/);
    const batch = await get(`/api/payment-batches/${batchID}`);
    expect(batch.count).toBe(2);
    expect(batch.total).toBe(15500);
    const inBatch = await get(`/api/payments?batchID=${batchID}`);
    expect((inBatch.items as Row[]).map((p) => p.paymentID).sort()).toEqual([p1, p2].sort());
    expect((await get(`/api/payments/${p3}`)).status).toBe("approved");

    // Asking again for the same payments is refused, each payment named with its reason.
    await fin2.ctx.close();
    const fin3 = await openAs(browser, stack.url, { email: "finance@example.org", path: "/payments" });
    for (const id of [p1, p2]) {
      const box = fin3.page.locator(`.ag-row[row-id="${id}"] .ag-selection-checkbox input`).first();
      await box.waitFor();
      await box.check();
    }
    await fin3.page.getByRole("button", { name: "Crear lote…" }).click();
    const again = fin3.page.locator("dialog[open]");
    await again.getByRole("button", { name: "Crear lote", exact: true }).click();
    const refusal = again.getByTestId("batch-refusal");
    await refusal.waitFor();
    const text = await refusal.innerText();
    expect(text).toContain("No se creó ningún lote");
    expect(text).toContain("فاطمة الزهراء");
    expect(text).toContain("Rosa Núñez");
    expect(text).toContain("Ya está en otro lote");

    // With nothing selected, the batch comes from a filter: transport payments only (Rosa's 9.99).
    await again.getByRole("button", { name: "Cancelar" }).click();
    for (const id of [p1, p2])
      await fin3.page.locator(`.ag-row[row-id="${id}"] .ag-selection-checkbox input`).first().uncheck();
    await fin3.page.getByRole("button", { name: "Crear lote…" }).click();
    const byFilter = fin3.page.locator("dialog[open]");
    await byFilter.locator("#batch-purpose").selectOption("transport");
    await expect
      .poll(() => byFilter.getByTestId("batch-totals").innerText())
      .toMatch(/EUR\s+1\s+\S*\s?9[.,]99/);
    await byFilter.getByRole("button", { name: "Crear lote", exact: true }).click();
    await fin3.page.waitForURL(
      (u) => /\/payment-batches\/bat/.test(u.pathname) && !u.pathname.endsWith(batchID),
    );
    const filtered = fin3.page.url().split("/").pop()!;
    await expect.poll(async () => (await get(`/api/payment-batches/${filtered}`)).count).toBe(1);
    const members = await get(`/api/payments?batchID=${filtered}`);
    expect((members.items as Row[]).map((p) => p.paymentID)).toEqual([p3]);

    // Finance submits it from the batch page.
    await fin3.ctx.close();
    await apiCall(stack.url, finance, "POST", `/api/payment-batches/${batchID}/submit`, {});
    expect((await get(`/api/payment-batches/${batchID}`)).status).toBe("submitted");

    // 3. The approver lands on the batches waiting for them and opens this one.
    const appr = await openAs(browser, stack.url, { email: "approver@example.org", path: "/" });
    await appr.page.waitForURL(/\/payment-batches$/);
    const queue = appr.page.getByTestId("batch-queue");
    await queue.getByRole("heading", { name: "Esperan su aprobación" }).waitFor();
    await queue.getByRole("link", { name: String(batch.batchNumber) }).click();
    await appr.page.waitForURL(new RegExp(`/payment-batches/${batchID}$`));
    await appr.page.getByRole("button", { name: "Aprobar", exact: true }).waitFor();
    await appr.ctx.close();

    // Finance, who submitted it, finds nothing waiting for them (the queue is the approver's).
    const fin4 = await openAs(browser, stack.url, { email: "finance@example.org", path: "/payment-batches" });
    await fin4.page.getByRole("heading", { name: /lotes/i }).first().waitFor();
    expect(await fin4.page.getByTestId("batch-queue").count()).toBe(0);
    // Her dashboard lists the batch among those in progress, by number, with its status in Spanish.
    await fin4.page.locator('nav.sidenav a[href="/dashboard"]').click();
    const progress = fin4.page.getByTestId("batches-in-progress");
    await progress.getByRole("heading", { name: "Lotes en curso" }).waitFor();
    const line = progress.getByRole("row").filter({ hasText: String(batch.batchNumber) });
    await line.getByText("Enviado para aprobación").waitFor();
    await fin4.ctx.close();

    // 4. Finance changes her IBAN on her page: the form starts from the full details and the page shows the new one.
    const fin5 = await openAs(browser, stack.url, {
      email: "finance@example.org",
      path: `/payees/${payeeID}`,
    });
    await fin5.page.getByRole("button", { name: "Cambiar datos bancarios…" }).click();
    const change = fin5.page.locator("dialog[open]");
    expect(await change.locator("#f-channel-iban").inputValue()).toBe("FI4880002002330354");
    await change.locator("#f-channel-iban").fill("DE89 3704 0044 0532 0130 00");
    await change.getByRole("button", { name: "Guardar datos" }).click();
    await fin5.page.getByTestId("payee-channel").getByText("DE89370400440532013000").waitFor();
    expect(((await get(`/api/payees/${payeeID}`)).channel as Row).iban).toBe("DE89370400440532013000");
    await fin5.ctx.close();
  });
});

describe("payments pasted from a spreadsheet, in Spanish", () => {
  it("finance pastes rows with payees by name and amounts in major units, sees what is wrong per line, creates the good ones", async () => {
    await apiCall<Row>(stack.url, finance, "POST", "/api/payees", {
      kind: "individual",
      name: "Lucía Pegado",
      channel: { type: "bank", iban: "DE89370400440532013000" },
    });
    const fin = await openAs(browser, stack.url, { email: "finance@example.org", path: "/payments" });
    try {
      await fin.page.getByRole("button", { name: "Pegar pagos…" }).click();
      const dialog = fin.page.locator("dialog[open]");
      await dialog
        .locator("textarea[name=rows]")
        .fill(
          "Beneficiario\tPropósito\tMonto\tMoneda\n" +
            "lucia pegado\tEfectivo para protección\t1.500,50\tEUR\n" +
            "Nadie Aquí\tTransporte\t10\tEUR\n" +
            "Lucía Pegado\tTransporte\tdiez\tEUR\n",
        );
      await dialog.getByRole("button", { name: "Revisar" }).click();
      const table = dialog.getByTestId("paste-results");
      await table.waitFor();
      const lines = await table.locator("tbody tr").allInnerTexts();
      expect(lines).toHaveLength(3);
      // es-MX writes euros as EUR 1,500.50
      expect(lines[0]).toMatch(/Lucía Pegado\s+Efectivo para protección\s+EUR\s1,500\.50\s+Listo/);
      expect(lines[1]).toContain("Ningún beneficiario tiene este nombre");
      expect(lines[2]).toContain("No es un monto");
      // the check stored nothing
      const before = await get(`/api/payments?limit=1000&purpose=cash_for_protection&currency=EUR`);
      expect((before.items as Row[]).filter((p) => p.amount === 150050)).toEqual([]);

      await dialog.getByRole("button", { name: "Crear 1 pagos" }).click();
      await expect
        .poll(() => dialog.getByRole("status").innerText())
        .toContain("1 pagos creados, 2 sin crear");
      const after = await get(`/api/payments?limit=1000&purpose=cash_for_protection&currency=EUR`);
      expect((after.items as Row[]).filter((p) => p.amount === 150050)).toEqual([
        expect.objectContaining({ status: "approved", currency: "EUR" }),
      ]);
    } finally {
      await fin.ctx.close();
    }
  });
});

describe("a mobile-money number changed in the payees grid, in Spanish", () => {
  it("the number cell is checked by the API (the refusal in Spanish on the cell, nothing stored), a good number is saved and the approved batch needs approval again", async () => {
    const approver = await apiToken(stack.url, "approver@example.org");
    const fsp = await apiCall<Row>(stack.url, finance, "POST", "/api/fsp-profiles", {
      name: "Dinero móvil de prueba",
      kind: "mobile_money",
      currency: "MXN",
      defaultFormat: "mobile-money-csv",
      mobileMoney: {
        provider: "spei-movil",
        country: "MX",
        columns: [
          { header: "telefono", field: "msisdn" },
          { header: "monto", field: "amount" },
        ],
      },
    });
    const payee = await apiCall<Row>(stack.url, finance, "POST", "/api/payees", {
      kind: "individual",
      name: "Celia Móvil Rejilla",
      channel: { type: "mobile_money", msisdn: "+525512340001", provider: "spei-movil" },
    });
    const payeeID = String(payee.payeeID);
    const made = await apiCall<{ results: { id: string }[] }>(stack.url, finance, "POST", "/api/payments", {
      rows: [{ values: { payeeID, purpose: "transport", amount: 45000, currency: "MXN" } }],
    });
    const created = await apiCall<Row>(stack.url, finance, "POST", "/api/payment-batches", {
      fspProfileID: fsp.fspProfileID,
      currency: "MXN",
      paymentIDs: [made.results[0]!.id],
    });
    const batchID = String(created.batchID);
    const submitted = await apiCall<Row>(
      stack.url,
      finance,
      "POST",
      `/api/payment-batches/${batchID}/submit`,
      {
        version: created.version,
      },
    );
    await apiCall(stack.url, approver, "POST", `/api/payment-batches/${batchID}/approve`, {
      version: submitted.version,
    });
    expect((await get(`/api/payment-batches/${batchID}`)).status).toBe("approved");

    const fin = await openAs(browser, stack.url, { email: "finance@example.org", path: "/payees" });
    try {
      const page = fin.page;
      const row = page.locator(`.ag-row[row-id="${payeeID}"]`);
      const msisdn = row.locator('.ag-cell[col-id="channel.msisdn"]').first();
      // the number column is to the right of the account columns: move there from the row's status cell (the grid
      // scrolls to the focused cell)
      const toNumber = async () => {
        const at = () =>
          page.evaluate(`document.activeElement?.closest("[col-id]")?.getAttribute("col-id") ?? null`);
        await row.locator('.ag-cell[col-id="__status"]').first().click();
        for (let i = 0; i < 15 && (await at()) !== "channel.msisdn"; i++)
          await page.keyboard.press("ArrowRight");
        expect(await at()).toBe("channel.msisdn");
      };
      const typeNumber = async (text: string) => {
        await toNumber();
        await page.keyboard.press("Enter");
        await page.keyboard.press("ControlOrMeta+a");
        await page.keyboard.type(text);
        await page.keyboard.press("Enter");
      };
      await row.first().waitFor({ timeout: 30_000 });
      await toNumber();
      expect(await msisdn.innerText()).toBe("+525512340001");
      // a number of another country: the provider pays in Mexico
      await typeNumber("+14155235571");
      await expect.poll(() => msisdn.getAttribute("class")).toContain("wp-dirty");
      await page.getByTestId("save").click();
      await expect.poll(() => msisdn.getAttribute("class"), { timeout: 30_000 }).toContain("wp-invalid");
      await toNumber();
      await expect
        .poll(() => page.getByTestId("cell-message").innerText())
        .toContain("no es un número móvil del país en el que paga este proveedor");
      expect(((await get(`/api/payees/${payeeID}`)).channel as Row).msisdn).toBe("+525512340001");
      expect((await get(`/api/payment-batches/${batchID}`)).status).toBe("approved");

      // the right number, written without its country code as people in Mexico give it: stored in E.164, the
      // provider kept
      await typeNumber("5512340002");
      await page.getByTestId("save").click();
      await expect
        .poll(async () => (await get(`/api/payees/${payeeID}`)).channel, { timeout: 30_000 })
        .toEqual({ type: "mobile_money", msisdn: "+525512340002", provider: "spei-movil" });
      await expect.poll(() => msisdn.innerText()).toBe("+525512340002");
      // four eyes: the batch is back with the approvers, its approval cleared
      const after = await get(`/api/payment-batches/${batchID}`);
      expect(after.status).toBe("submitted");
      expect(after.approvals).toEqual([]);
    } finally {
      await fin.ctx.close();
    }
  });
});
