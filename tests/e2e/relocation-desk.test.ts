import type { Browser, Page } from "playwright-core";
import { readFile } from "node:fs/promises";
import jsQR from "jsqr";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../packages/local/src/runtime.ts";
import { MEXICO_AREAS } from "../../packages/local/src/seed/countries.ts";
import { DEMO_OPERATION } from "../../packages/local/src/seed/foundation.ts";
import { apiCall, apiToken, buildWeb, givePurpose, launch, openAs, startStack, TAP } from "./support.ts";

type Row = Record<string, unknown>;
let stack: LocalStack;
let browser: Browser;
let admin: string;

beforeAll(async () => {
  buildWeb();
  stack = await startStack();
  admin = await apiToken(stack.url, "admin@example.org");
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const get = <T = Row>(path: string) => apiCall<T>(stack.url, admin, "GET", path);

/** Three households of the Tapachula office with two members each (one with a serious medical condition). */
async function households() {
  const out: { householdID: string; head: string }[] = [];
  for (const [i, family] of ["Ramírez", "Castillo", "Hernández"].entries()) {
    const hh = await apiCall<Row>(stack.url, admin, "POST", "/api/households", { officeID: TAP });
    const head = ["Marta", "Julio", "Sonia"][i]!;
    const res = await apiCall<{ results: { status: string }[] }>(stack.url, admin, "POST", "/api/individuals", {
      rows: [
        [head, "1985-05-10", "head", []],
        [["Tomás", "Elena", "Raúl"][i]!, "2016-02-20", "child", i === 0 ? ["SM"] : []],
      ].map(([given, dob, rel, needs], j) => ({
        ref: String(j),
        values: {
          givenName: given,
          familyName: family,
          sex: j === 0 ? "female" : "male",
          dateOfBirth: dob,
          nationality: "HND",
          officeID: TAP,
          householdID: hh.householdID,
          relationshipToHead: rel,
          specificNeeds: needs,
        },
        overrideDuplicates: { reason: "e2e household member" },
      })),
    });
    expect(res.results.map((r) => r.status)).toEqual(["created", "created"]);
    out.push({ householdID: String(hh.householdID), head: `${head} ${family}` });
  }
  return out;
}

/** The ticket PDF's text of each page, and the QR codes of its images decoded (pdf.js reads, jsQR decodes). */
async function readTicket(bytes: Uint8Array) {
  const { getDocument, OPS } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const pdf = await getDocument({ data: bytes }).promise;
  const pages: { text: string; qr: string[] }[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const text = ((await page.getTextContent()).items as { str: string }[]).map((i) => i.str).join(" ");
    const ops = await page.getOperatorList();
    const qr: string[] = [];
    for (let i = 0; i < ops.fnArray.length; i++) {
      if (ops.fnArray[i] !== OPS.paintImageXObject) continue;
      const img = await new Promise<{ width: number; height: number; data: Uint8ClampedArray }>((res) =>
        page.objs.get(ops.argsArray[i][0], res),
      );
      const px = img.width * img.height;
      const step = img.data.length / px;
      const rgba = new Uint8ClampedArray(px * 4);
      for (let k = 0; k < px; k++) {
        rgba[k * 4] = img.data[k * step]!;
        rgba[k * 4 + 1] = img.data[k * step + (step > 1 ? 1 : 0)]!;
        rgba[k * 4 + 2] = img.data[k * step + (step > 2 ? 2 : 0)]!;
        rgba[k * 4 + 3] = 255;
      }
      const code = jsQR(rgba, img.width, img.height);
      if (code) qr.push(code.data);
    }
    pages.push({ text, qr });
  }
  return pages;
}

/** In-app navigation, as a link does (a reload would sign the user out of the e2e session). */
const go = (page: Page, path: string) =>
  page.evaluate(`history.pushState(null, "", ${JSON.stringify(path)}); dispatchEvent(new PopStateEvent("popstate"))`);

const rowOf = (page: Page, name: string) => page.locator("tr", { hasText: name });

describe("relocation desk in Spanish: from eligible households to the follow-up after arrival", () => {
  it("the team opens relocations from a selection, ticks the checklist, checks in at the terminal, prints tickets and records a follow-up", async () => {
    const hhs = await households();
    // a fourth household, for Guadalajara (step 2b)
    const lucia = await apiCall<Row>(stack.url, admin, "POST", "/api/households", { officeID: TAP });
    await apiCall(stack.url, admin, "POST", "/api/individuals", {
      givenName: "Lucía",
      familyName: "Bonilla",
      sex: "female",
      dateOfBirth: "1972-08-14",
      nationality: "SLV",
      officeID: TAP,
      householdID: lucia.householdID,
      relationshipToHead: "head",
    });
    // the operation's towns and regions, as an administrator imports them from the gazetteer
    await apiCall(stack.url, admin, "POST", `/api/operations/${DEMO_OPERATION.operationID}/areas/import`, {
      csv: `pcode,name,parent,level\n${MEXICO_AREAS.join("\n")}\n`,
    });

    // 1. The supervisor schedules the bus on the relocation-day page.
    const sup = await openAs(browser, stack.url, { email: "supervisor@example.org", path: "/relocation-day" });
    await sup.page.getByRole("heading", { name: "Día de reubicación en la terminal" }).waitFor();
    await sup.page.getByRole("button", { name: "Nuevo autobús" }).click();
    const departure = new Date(Date.now() + 10 * 86_400_000);
    const p = (n: number) => String(n).padStart(2, "0");
    const local = `${departure.getFullYear()}-${p(departure.getMonth() + 1)}-${p(departure.getDate())}T08:30`;
    const form = sup.page.getByRole("form", { name: "Datos del autobús" });
    await form.getByLabel("Salida (hora local)").fill(local);
    await form.getByLabel("Terminal de salida").fill("Terminal OCC Tapachula");
    await form.getByLabel("Destino (ciudad)").fill("Monterrey");
    await form.getByLabel("Código del área de destino").fill("MX19039");
    await form.getByLabel("Línea de autobuses").fill("OCC");
    await form.getByLabel("Plazas").fill("40");
    await form.getByRole("button", { name: "Guardar" }).click();
    await sup.page
      .getByText("Guardado.")
      .waitFor()
      .catch(async (e) => {
        throw new Error(`${e}\n${(await sup.page.locator("body").innerText()).slice(-1500)}`);
      });
    const trips = (await get<{ items: Row[] }>("/api/relocation-trips")).items;
    expect(trips).toHaveLength(1);
    const trip = trips[0]!;
    expect(trip).toMatchObject({ seats: 40, carrier: "OCC", destination: { adm: "MX19039", name: "Monterrey" } });
    await sup.ctx.close();

    // 2. The caseworker picks the three households and opens their relocations on that bus.
    const cw = await openAs(browser, stack.url, { email: "caseworker@example.org", path: "/relocation-eligible" });
    const page = cw.page;
    await page.getByRole("heading", { name: "Hogares que podrían reubicarse" }).waitFor();
    for (const h of hhs) await page.getByRole("checkbox", { name: h.head, exact: true }).check();
    await page.getByText("3 seleccionados").waitFor();
    // the destination and the bus are picked by name, never by code
    await page.getByRole("searchbox", { name: "Destino", exact: true }).fill("monter");
    await page.getByRole("list", { name: "Destino" }).getByRole("button", { name: "Monterrey · Nuevo León" }).click();
    await page.getByRole("searchbox", { name: "Autobús", exact: true }).fill("OCC");
    const bus = page.getByRole("list", { name: "Autobús" }).getByRole("button");
    expect(await bus.count()).toBe(1);
    expect(await bus.innerText()).toContain("Terminal OCC Tapachula · OCC · 40 plazas libres");
    await bus.click();
    await page.getByRole("button", { name: "Abrir reubicaciones para la selección" }).click();
    await page.getByText("3 reubicaciones abiertas.").waitFor();
    const rels = (await get<{ items: Row[] }>("/api/relocations")).items;
    expect(rels).toHaveLength(3);
    expect(rels.every((r) => r.tripID === trip.tripID && r.confirmed === true && r.status === "preparing")).toBe(true);
    expect((await get(`/api/relocation-trips/${trip.tripID}`)).seatsTaken).toBe(6);
    const relOf = (h: { householdID: string }) => rels.find((r) => r.householdID === h.householdID)!;

    // 2b. A fourth household goes to Guadalajara, where no bus goes yet: the town is found among the operation's
    // areas by name and the relocation waits for the planner without a bus.
    await page.getByRole("button", { name: "Cambiar" }).first().click();
    await page.getByRole("searchbox", { name: "Destino", exact: true }).fill("guadal");
    await page.getByRole("list", { name: "Destino" }).getByRole("button", { name: "Guadalajara · Jalisco" }).click();
    await page.getByRole("searchbox", { name: "Autobús", exact: true }).fill("");
    await page.getByText("Ningún autobús a este destino admite pasajeros").waitFor();
    await page.getByRole("checkbox", { name: "Lucía Bonilla", exact: true }).check();
    await page.getByRole("button", { name: "Abrir reubicaciones para la selección" }).click();
    await page.getByText("1 reubicaciones abiertas.").waitFor();
    const luciaRel = (await get<{ items: Row[] }>("/api/relocations")).items.find((r) => r.householdID === lucia.householdID);
    expect(luciaRel).toMatchObject({ destination: { adm: "MX14039", name: "Guadalajara" }, status: "preparing" });
    expect(luciaRel!.tripID).toBeUndefined();

    // 3. The checklist, ticked on each relocation's page (the third household still lacks its medical clearance).
    for (const [i, h] of hhs.entries()) {
      await go(page, `/relocations/${relOf(h).relocationID}`);
      await page.getByRole("heading", { name: "Lista de requisitos" }).waitFor();
      for (const item of ["Documentos", "Asistió a la sesión informativa previa", "Certificado médico", "Consentimiento para la reubicación"]) {
        if (i === 2 && item === "Certificado médico") continue;
        const box = page.getByRole("checkbox", { name: item });
        // the tick is saved, then the page shows the stored checklist
        await box.click();
        await expect.poll(() => box.isChecked()).toBe(true);
        await expect.poll(() => box.isDisabled()).toBe(false);
      }
      // the workflow in human words, no state codes
      await page.getByText(i === 2 ? "Siguiente: completar la lista de requisitos" : "Requisitos completos").first().waitFor();
    }
    const ready = await get(`/api/relocations/${relOf(hhs[0]!).relocationID}`);
    expect(ready.readiness).toEqual({ documents: true, medical: true, briefingAttended: true, consent: true });
    expect((await get(`/api/relocations/${relOf(hhs[2]!).relocationID}`)).readiness).toMatchObject({ medical: false });

    // 4. Relocation day, on a tablet: the manifest with names, ages, needs and seats.
    await page.setViewportSize({ width: 768, height: 1024 });
    await go(page, `/relocation-day`);
    await page.getByRole("heading", { name: "Día de reubicación en la terminal" }).waitFor();
    await rowOf(page, "Marta Ramírez").waitFor();
    const marta = rowOf(page, "Marta Ramírez");
    expect(await marta.innerText()).toContain("Tomás Ramírez");
    expect(await marta.innerText()).toMatch(/\d+ años/);
    expect(await marta.innerText()).toContain("Condición médica grave");
    await page.getByText("Plazas ocupadas 6 de 40").waitFor();

    // 5. Check in everyone at once: the household whose checklist is incomplete is refused, with the reason.
    await page.getByRole("checkbox", { name: "Seleccionar todos" }).check();
    await page.getByRole("button", { name: "Registrar a los hogares seleccionados" }).click();
    await page.getByText("2 hechos, 1 sin hacer.").waitFor();
    await page.getByText("Sonia Hernández: la lista de requisitos no está completa").waitFor();
    await page.getByText("registrados 4").waitFor();

    // 6. Sonia's family did not come: their seats go back to the bus.
    await rowOf(page, "Sonia Hernández").getByRole("button", { name: "No se presentó" }).click();
    await page.getByText("Plazas ocupadas 4 de 40").waitFor();
    expect((await get(`/api/relocations/${relOf(hhs[2]!).relocationID}`)).status).toBe("no_show");
    expect(await get(`/api/relocation-trips/${trip.tripID}`)).toMatchObject({ seatsTaken: 4, seatsCheckedIn: 4 });

    // 7. Marta's tickets printed: the PDF is read back, its QR codes hold the ticket numbers; then handed over.
    const stored = await get<{ ticket: { numbers: string[] } }>(`/api/relocations/${relOf(hhs[0]!).relocationID}`);
    expect(stored.ticket.numbers).toHaveLength(2);
    const [pdfResponse, saved] = await Promise.all([
      page.waitForResponse((r) => r.url().includes("/tickets") && r.status() === 200),
      page.waitForEvent("download"),
      rowOf(page, "Marta Ramírez")
        .getByRole("button", { name: "Imprimir boletos" })
        .click()
        .then(() => givePurpose(page)),
    ]);
    expect(pdfResponse.headers()["content-type"]).toBe("application/pdf");
    const ticket = await readTicket(new Uint8Array(await readFile((await saved.path())!)));
    expect(ticket).toHaveLength(2);
    expect(ticket[0]!.text).toContain("Boleto de autobús");
    expect(ticket[0]!.text).toContain("Marta Ramírez");
    expect(ticket[0]!.text).toContain(stored.ticket.numbers[0]);
    expect(ticket[1]!.text).toContain("Tomás Ramírez");
    expect(ticket.map((t) => t.qr)).toEqual([[stored.ticket.numbers[0]], [stored.ticket.numbers[1]]]);
    await rowOf(page, "Marta Ramírez").getByRole("button", { name: "Marcar como entregados" }).click();
    await rowOf(page, "Marta Ramírez").getByText("Boletos entregados").waitFor();
    expect(
      ((await get(`/api/relocations/${relOf(hhs[0]!).relocationID}`)).ticket as Row).deliveredAt,
    ).toBeTruthy();

    // 8. On board, all at once.
    await page.getByRole("checkbox", { name: "Seleccionar todos" }).check();
    await page.getByRole("button", { name: "Confirmar a bordo a los seleccionados" }).click();
    await page.getByText("2 hechos, 0 sin hacer.").waitFor();
    await page.getByText("a bordo 4").waitFor();
    expect(await get(`/api/relocation-trips/${trip.tripID}`)).toMatchObject({
      seatsTaken: 4,
      seatsCheckedIn: 4,
      seatsDeparted: 4,
    });

    // 9. After arrival: the follow-up call's outcome.
    await page.setViewportSize({ width: 1280, height: 1000 });
    await go(page, `/relocation-follow-ups`);
    await page.getByRole("heading", { name: "Seguimiento tras la llegada" }).waitFor();
    const card = page.locator("li.card", { hasText: "Marta Ramírez" });
    await card.getByRole("button", { name: "Registrar el resultado" }).first().click();
    await card.getByLabel("Necesidades que nos comentaron").fill("Cupo escolar para Tomás");
    await card.getByLabel("Remitido a un servicio").check();
    await card.getByRole("button", { name: "Guardar el resultado" }).click();
    await card.getByText("Se contactó al hogar · remitido · Cupo escolar para Tomás").waitFor();
    const after = await get<{ followUps: Row[] }>(`/api/relocations/${relOf(hhs[0]!).relocationID}`);
    expect(after.followUps.find((f) => f.month === 1)?.outcome).toEqual({
      reached: true,
      referred: true,
      needs: "Cupo escolar para Tomás",
    });
    // the relocation's page tells the story in words
    await go(page, `/relocations/${relOf(hhs[0]!).relocationID}`);
    await page.getByText("Salió en el autobús").waitFor();
    await page.getByText("Boletos entregados al hogar").waitFor();
    await page.getByText("Seguimiento (Al mes): contactado · remitido").waitFor();
    await cw.ctx.close();
  }, 300_000);
});
