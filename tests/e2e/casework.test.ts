import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../packages/local/src/runtime.ts";
import { DEMO_PARTNERS } from "../../packages/local/src/seed/foundation.ts";
import { apiCall, apiToken, buildWeb, DEMO_PASSWORD, htmlDir, launch, startStack, TAP } from "./support.ts";

type Row = Record<string, unknown>;
let stack: LocalStack;
let browser: Browser;
let admin: string;
const LEGAL = DEMO_PARTNERS[0]!;

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

/** A person with an open protection case assigned to the caseworker, registered through the API. */
async function personWithCase(givenName: string, familyName: string) {
  const person = await apiCall<Row>(stack.url, admin, "POST", "/api/individuals", {
    givenName,
    familyName,
    sex: "female",
    dateOfBirth: "1994-03-12",
    nationality: "HTI",
    languages: ["hat", "fra"],
    officeID: TAP,
  });
  const caseworker = await apiToken(stack.url, "caseworker@example.org");
  const me = await apiCall<Row>(stack.url, caseworker, "GET", "/api/me");
  const kase = await apiCall<Row>(stack.url, admin, "POST", "/api/cases", {
    officeID: TAP,
    type: "protection",
    individualIDs: [person.individualID],
    assignedTo: me.userID,
  });
  return {
    individualID: String(person.individualID),
    caseID: String(kase.caseID),
    caseNumber: String(kase.caseNumber),
  };
}

/** A browser in Mexico's time zone with the UI language set before the app loads. */
async function openAs(lang: string, email: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({
    acceptDownloads: true,
    viewport: { width: 1500, height: 1000 },
    timezoneId: "America/Mexico_City",
    locale: lang === "ar" ? "ar" : "es-MX",
  });
  await ctx.addInitScript(`localStorage.setItem("waypoint.lang", ${JSON.stringify(lang)})`);
  const page = await ctx.newPage();
  const failures: string[] = [];
  page.on("pageerror", (e) => failures.push(e.message));
  await page.goto(`${stack.url}/individuals`);
  await page.locator('input[type="email"]').fill(email);
  await page.locator('input[type="password"]').fill(DEMO_PASSWORD);
  await page.locator('button[type="submit"]').click();
  await page.locator(".ag-row").first().waitFor();
  return { ctx, page };
}

const section = (page: Page, title: string | RegExp) =>
  page.locator("section.related", {
    has: page.getByRole("heading", { name: title, exact: typeof title === "string" }),
  });
const dialog = (page: Page) => page.locator("dialog[open]");
const question = (scope: Locator, label: string) => scope.locator(".question", { hasText: label }).first();

/** Day, month and year boxes of a date question, whatever order the language puts them in. */
async function fillDate(scope: Locator, labels: [string, string, string], iso: string) {
  const [y, m, d] = iso.split("-");
  await scope.getByLabel(labels[0], { exact: true }).fill(String(Number(d)));
  await scope.getByLabel(labels[1], { exact: true }).fill(String(Number(m)));
  await scope.getByLabel(labels[2], { exact: true }).fill(y!);
}

interface Words {
  search: string;
  cases: string;
  notes: string;
  addNote: string;
  noteKind: string;
  counselling: string;
  text: string;
  save: string;
  assessments: string;
  addAssessment: string;
  person: string;
  sgbvQuestion: string;
  yes: string;
  no: string;
  shelterQuestion: string;
  temporary: string;
  medium: string;
  referrals: string;
  refer: string;
  problem: string;
  serviceRequired: string;
  service: string;
  legal: string;
  referTo: string;
  reason: string;
  consentQuestion: string;
  refusal: string;
  pending: string;
  documents: string;
  upload: string;
  file: string;
  docKind: string;
  consentForm: string;
  title: string;
  appointments: string;
  book: string;
  kind: string;
  interview: string;
  room: string;
  date: string;
  dmy: [string, string, string];
  time: string;
  people: string;
  linkPerson: string;
  stages: string;
  askClosure: string;
  waiting: string;
  fileType: string;
  edit: string;
  submit: string;
  approved: string;
  risk: string;
  high: string;
}

const ES: Words = {
  search: "Buscar en todas las columnas",
  cases: "Casos",
  notes: "Notas",
  addNote: "Añadir nota",
  noteKind: "Tipo",
  counselling: "Consejería",
  text: "Texto",
  save: "Guardar",
  assessments: "Evaluaciones",
  addAssessment: "Registrar evaluación de vulnerabilidad",
  person: "Persona",
  sgbvQuestion: "Sobreviviente o en riesgo de VSG",
  yes: "Sí",
  no: "No",
  shelterQuestion: "Alojamiento",
  temporary: "Temporal",
  medium: "Medio",
  referrals: "Referencias",
  refer: "Referir a un servicio",
  problem: "Hay un problema",
  serviceRequired: "Servicio: este dato es obligatorio",
  service: "Servicio",
  legal: "Asistencia legal",
  referTo: "Referir a",
  reason: "Motivo",
  consentQuestion: "¿La persona consintió compartir sus datos?",
  refusal: "No se puede enviar esta referencia: la persona no ha dado su consentimiento",
  pending: "Pendiente",
  documents: "Documentos",
  upload: "Subir documento",
  file: "Archivo",
  docKind: "Tipo",
  consentForm: "Formulario de consentimiento",
  title: "Título",
  appointments: "Citas",
  book: "Agendar cita",
  kind: "Tipo",
  interview: "Entrevista",
  room: "Sala",
  date: "Fecha",
  dmy: ["Día", "Mes", "Año"],
  time: "Hora",
  people: "Personas del caso",
  linkPerson: "Añadir persona al caso",
  stages: "Etapa y aprobaciones",
  askClosure: "Solicitar el cierre del caso",
  waiting: "en espera de un supervisor",
  fileType: "Archivo: no se acepta este tipo de archivo",
  edit: "Editar datos",
  submit: "Enviar",
  approved: "Aprobada",
  risk: "Riesgo",
  high: "Alto",
};

const AR: Words = {
  search: "البحث في كل الأعمدة",
  cases: "الحالات",
  notes: "الملاحظات",
  addNote: "إضافة ملاحظة",
  noteKind: "النوع",
  counselling: "إرشاد",
  text: "النص",
  save: "حفظ",
  assessments: "التقييمات",
  addAssessment: "تسجيل تقييم الهشاشة",
  person: "الشخص",
  sgbvQuestion: "ناجٍ من العنف الجنسي أو معرض لخطره",
  yes: "نعم",
  no: "لا",
  shelterQuestion: "المأوى",
  temporary: "مؤقت",
  medium: "متوسط",
  referrals: "الإحالات",
  refer: "إحالة إلى خدمة",
  problem: "توجد مشكلة",
  serviceRequired: "الخدمة: هذا الحقل مطلوب",
  service: "الخدمة",
  legal: "المساعدة القانونية",
  referTo: "الإحالة إلى",
  reason: "السبب",
  consentQuestion: "هل وافق الشخص على مشاركة بياناته؟",
  refusal: "لا يمكن إرسال هذه الإحالة: لم يوافق الشخص على مشاركة بياناته مع الشريك",
  pending: "قيد الانتظار",
  documents: "الوثائق",
  upload: "رفع وثيقة",
  file: "الملف",
  docKind: "النوع",
  consentForm: "استمارة موافقة",
  title: "العنوان",
  appointments: "المواعيد",
  book: "حجز موعد",
  kind: "النوع",
  interview: "مقابلة",
  room: "الغرفة",
  date: "التاريخ",
  dmy: ["اليوم", "الشهر", "السنة"],
  time: "الوقت",
  people: "أشخاص الحالة",
  linkPerson: "إضافة شخص إلى الحالة",
  stages: "المرحلة والموافقات",
  askClosure: "طلب إغلاق الحالة",
  waiting: "بانتظار المشرف",
  fileType: "الملف: هذا النوع من الملفات غير مقبول",
  edit: "تعديل البيانات",
  submit: "إرسال",
  approved: "معتمدة",
  risk: "الخطورة",
  high: "مرتفع",
};

/** A caseworker's day on one case, through the UI only; outcomes checked through the API and on the page. */
async function caseworkersDay(lang: "es" | "ar", w: Words, givenName: string, familyName: string) {
  const { individualID, caseID, caseNumber } = await personWithCase(givenName, familyName);
  const { ctx, page } = await openAs(lang, "caseworker@example.org");
  const get = <T = Row[]>(path: string) =>
    apiCall<{ items: T }>(stack.url, admin, "GET", path).then((r) => r.items);
  try {
    if (lang === "ar") expect(await htmlDir(page)).toBe("rtl");
    // Find the person by name in the register and open their page, then their case.
    await page.getByLabel(w.search).fill(familyName);
    await page.locator(`.ag-row a`, { hasText: /-/ }).first().click();
    await page.waitForURL(`**/individuals/${individualID}`);
    const cases = section(page, w.cases);
    await cases.getByRole("link", { name: caseNumber }).click();
    await page.waitForURL(`**/cases/${caseID}`);
    await expect.poll(() => section(page, w.people).innerText()).toContain(familyName);

    // A counselling note.
    const notes = section(page, w.notes);
    await notes.getByRole("button", { name: w.addNote }).click();
    await question(dialog(page), w.noteKind).locator("select").selectOption({ label: w.counselling });
    await question(dialog(page), w.text)
      .locator("textarea")
      .fill("Counselling on the asylum procedure; next step: legal aid.");
    await dialog(page).getByRole("button", { name: w.save }).click();
    await expect.poll(() => notes.locator("tbody").innerText()).toContain(w.counselling);
    const storedNotes = await get(`/api/cases/${caseID}/notes`);
    expect(storedNotes).toEqual([
      expect.objectContaining({
        kind: "counselling",
        body: "Counselling on the asylum procedure; next step: legal aid.",
      }),
    ]);

    // A vulnerability assessment from the questionnaire: SGBV risk (20) + temporary shelter (8) = 28, medium.
    const assessments = section(page, w.assessments);
    await assessments.getByRole("button", { name: w.addAssessment }).click();
    const form = dialog(page);
    await question(form, w.person).locator("select").selectOption({ value: individualID });
    await question(form, w.sgbvQuestion).getByLabel(w.yes, { exact: true }).check();
    await question(form, w.shelterQuestion).locator("select").selectOption({ label: w.temporary });
    await form.getByRole("button", { name: w.save }).click();
    await expect.poll(() => assessments.locator("tbody").innerText()).toContain(w.medium);
    const [assessment] = await get(`/api/assessments?caseID=${caseID}`);
    expect(assessment).toMatchObject({ kind: "vulnerability", individualID, score: 28, level: "medium" });
    expect(await assessments.locator("tbody").innerText()).toContain(`${givenName} ${familyName}`);
    // a vulnerability assessment needs no reviewer: submitting it approves it
    await assessments.getByRole("button", { name: w.submit }).click();
    await expect.poll(() => assessments.locator("tbody").innerText()).toContain(w.approved);
    const [submitted] = await get(`/api/assessments?caseID=${caseID}`);
    expect(submitted).toMatchObject({ status: "approved", score: 28 });

    // A referral to the legal partner: nothing filled names the field; no consent is refused in a sentence.
    const referrals = section(page, w.referrals);
    await referrals.getByRole("button", { name: w.refer }).click();
    const rf = dialog(page);
    await rf.getByRole("button", { name: w.save }).click();
    await expect.poll(() => rf.locator(".error-summary").innerText()).toContain(w.problem);
    expect(await rf.locator(".error-summary").innerText()).toContain(w.serviceRequired);
    expect(await question(rf, w.service).locator(".field-error").innerText()).toContain(w.serviceRequired);
    await question(rf, w.person).locator("select").selectOption({ value: individualID });
    await question(rf, w.service).locator("select").selectOption({ label: w.legal });
    await question(rf, w.referTo).locator("select").selectOption({ value: LEGAL.organisationID });
    await question(rf, w.reason).locator("textarea").fill("Legal advice on the asylum claim");
    await question(rf, w.consentQuestion).getByLabel(w.no, { exact: true }).check();
    await rf.getByRole("button", { name: w.save }).click();
    await expect.poll(() => rf.locator(".error-summary").innerText()).toContain(w.refusal);
    expect(await get(`/api/referrals?caseID=${caseID}`)).toEqual([]);
    await question(rf, w.consentQuestion).getByLabel(w.yes, { exact: true }).check();
    await rf.getByRole("button", { name: w.save }).click();
    await expect.poll(() => referrals.locator("tbody").innerText()).toContain(w.legal);
    expect(await referrals.locator("tbody").innerText()).toContain(w.pending);
    expect(await referrals.locator("tbody").innerText()).toContain(LEGAL.name);
    const [referral] = await get(`/api/referrals?caseID=${caseID}`);
    expect(referral).toMatchObject({
      individualID,
      toOrganisationID: LEGAL.organisationID,
      serviceCategory: "legal",
      direction: "outgoing",
      consent: { given: true },
      status: "pending",
    });

    // A document, uploaded and downloaded back.
    const pdf = Buffer.from(`%PDF-1.4\n% consent of ${familyName}\n%%EOF\n`);
    const documents = section(page, w.documents);
    await documents.getByRole("button", { name: w.upload }).click();
    const up = dialog(page);
    const fileInput = question(up, w.file).locator('input[type="file"]');
    await fileInput.setInputFiles({
      name: "tool.exe",
      mimeType: "application/x-msdownload",
      buffer: Buffer.from("MZ"),
    });
    await up.getByRole("button", { name: w.save }).click();
    await expect.poll(() => up.locator(".error-summary").innerText()).toContain(w.fileType);
    await question(up, w.file).locator('input[type="file"]').setInputFiles({
      name: "consentimiento.pdf",
      mimeType: "application/pdf",
      buffer: pdf,
    });
    await question(up, w.docKind).locator("select").selectOption({ label: w.consentForm });
    await question(up, w.title).locator("input").fill("Consent form, signed");
    await up.getByRole("button", { name: w.save }).click();
    await expect.poll(() => documents.locator("tbody").innerText()).toContain("consentimiento.pdf");
    const [doc] = await get(`/api/cases/${caseID}/documents`);
    expect(doc).toMatchObject({ kind: "consent_form", fileName: "consentimiento.pdf", size: pdf.length });
    const download = page.waitForEvent("download");
    await documents.locator("tbody button").first().click();
    const file = await (await download).path();
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(file!).equals(pdf)).toBe(true);

    // An interview, booked in Mexico City time (UTC-6): 10:30 there is 16:30 UTC.
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const appointments = section(page, w.appointments);
    const room = `Sala ${lang}`;
    await appointments.getByRole("button", { name: w.book }).click();
    const bk = dialog(page);
    await question(bk, w.person).locator("select").selectOption({ value: individualID });
    await question(bk, w.kind).locator("select").selectOption({ label: w.interview });
    await question(bk, w.room).locator("input").fill(room);
    await fillDate(question(bk, w.date), w.dmy, day);
    await question(bk, w.time).locator("input").fill("10:30");
    await bk.getByRole("button", { name: w.save }).click();
    await expect.poll(() => appointments.locator("tbody").innerText()).toContain(w.interview);
    const [appointment] = await get(`/api/appointments?caseID=${caseID}`);
    expect(appointment).toMatchObject({
      kind: "interview",
      room,
      officeID: TAP,
      participants: [individualID],
      start: `${day}T16:30:00.000Z`,
      end: `${day}T17:30:00.000Z`,
    });
    const row = await appointments.locator("tbody").innerText();
    expect(row).toMatch(lang === "ar" ? /١٠:٣٠|10:30/ : /10:30/);
    expect(row).toContain(`${givenName} ${familyName}`);
    // A relative joins the case: found by registration number in the person picker, shown by name.
    const relative = await apiCall<Row>(stack.url, admin, "POST", "/api/individuals", {
      givenName: "Jean",
      familyName,
      sex: "male",
      estimatedAge: 8,
      nationality: "HTI",
      officeID: TAP,
    });
    const people = section(page, w.people);
    await people.getByRole("button", { name: w.linkPerson }).click();
    const link = dialog(page);
    await link.locator('input[type="search"]').fill(String(relative.registrationNumber));
    await link.locator(".picker-results button", { hasText: `Jean ${familyName}` }).click();
    await link.getByRole("button", { name: w.save }).click();
    await expect
      .poll(() => people.locator("tbody").innerText())
      .toContain(String(relative.registrationNumber));
    const kase = await apiCall<Row>(stack.url, admin, "GET", `/api/cases/${caseID}`);
    expect(kase.individualIDs).toEqual([individualID, relative.individualID]);

    // The case's own details, edited in a form built from the grid's description.
    await page.getByRole("button", { name: w.edit }).click();
    await question(dialog(page), w.risk).locator("select").selectOption({ label: w.high });
    await dialog(page).getByRole("button", { name: w.save }).click();
    await expect.poll(() => page.locator("dl.fields").innerText()).toContain(w.high);
    expect((await apiCall<Row>(stack.url, admin, "GET", `/api/cases/${caseID}`)).riskLevel).toBe("high");

    // Closing a protection case starts with asking a supervisor.
    const stages = section(page, w.stages);
    await stages.getByRole("button", { name: w.askClosure }).click();
    await dialog(page).locator("textarea").fill("Legal aid secured and the family settled");
    await dialog(page).getByRole("button", { name: w.askClosure }).click();
    await expect.poll(() => stages.innerText()).toContain(w.waiting);
    const closing = await apiCall<Row>(stack.url, admin, "GET", `/api/cases/${caseID}`);
    expect(closing.closureApproval).toMatchObject({
      decision: "pending",
      reason: "Legal aid secured and the family settled",
    });

    // No ID is the only thing a person sees on the case page.
    expect(await page.locator(".work-surface").innerText()).not.toMatch(
      /\b(ind|cas|org|off|usr)_[0-9A-Z]{26}\b/,
    );

    // Back on the person's page: their appointment and referral are listed there too.
    await section(page, w.people).getByRole("link", { name: givenName }).first().click();
    await page.waitForURL(`**/individuals/${individualID}`);
    await expect
      .poll(() => section(page, w.appointments).locator("tbody").innerText())
      .toContain(w.interview);
    await expect.poll(() => section(page, w.referrals).locator("tbody").innerText()).toContain(w.legal);
    expect(await section(page, w.cases).locator("tbody").innerText()).toContain(caseNumber);
  } finally {
    await ctx.close();
  }
}

describe("the case file in the browser", () => {
  it("a caseworker's day in Spanish: finds a person, opens their case, notes, assesses, refers with consent, uploads, books", async () => {
    await caseworkersDay("es", ES, "Marie", "Joseph-Casework");
  });

  it("the same day in Arabic, right to left", async () => {
    await caseworkersDay("ar", AR, "Fatima", "Haddad-Casework");
  });
});

describe("a household's page", () => {
  it("lists its members and their cases by name and number, linking to each", async () => {
    const hh = await apiCall<Row>(stack.url, admin, "POST", "/api/households", { officeID: TAP });
    const member = await apiCall<Row>(stack.url, admin, "POST", "/api/individuals", {
      givenName: "Rosa",
      familyName: "Household-Page",
      sex: "female",
      estimatedAge: 35,
      nationality: "SLV",
      officeID: TAP,
      householdID: hh.householdID,
      relationshipToHead: "head",
    });
    const kase = await apiCall<Row>(stack.url, admin, "POST", "/api/cases", {
      officeID: TAP,
      type: "local_integration",
      householdID: hh.householdID,
      individualIDs: [member.individualID],
    });
    const { ctx, page } = await openAs("es", "caseworker@example.org");
    try {
      // in-app navigation (the router listens to popstate), as a link would
      await page.evaluate(
        `history.pushState(null, "", "/households/${String(hh.householdID)}"); dispatchEvent(new PopStateEvent("popstate"))`,
      );
      const members = section(page, "Integrantes");
      await expect.poll(() => members.locator("tbody").innerText()).toContain("Household-Page");
      expect(await members.locator("tbody").innerText()).toContain(String(member.registrationNumber));
      const cases = section(page, "Casos");
      await expect.poll(() => cases.locator("tbody").innerText()).toContain("Integración local");
      await cases.getByRole("link", { name: String(kase.caseNumber) }).click();
      await page.waitForURL(`**/cases/${String(kase.caseID)}`);
      await expect
        .poll(() => section(page, "Personas del caso").innerText())
        .toContain(String(hh.registrationNumber));
    } finally {
      await ctx.close();
    }
  });
});

describe("what a role may not do is not shown", () => {
  it("a viewer opens a case read-only: no notes, documents or incidents sections, no action buttons", async () => {
    const { caseID } = await personWithCase("Ana", "Viewer-Only");
    const { ctx, page } = await openAs("es", "viewer@example.org");
    try {
      await page.evaluate(
        `history.pushState(null, "", "/cases/${caseID}"); dispatchEvent(new PopStateEvent("popstate"))`,
      );
      await expect.poll(() => section(page, "Personas del caso").innerText()).toContain("Viewer-Only");
      await section(page, "Evaluaciones").waitFor();
      await section(page, "Referencias").waitFor();
      await section(page, "Citas").waitFor();
      const surface = page.locator(".work-surface");
      for (const heading of ["Notas", "Documentos", "Incidentes (restringido)", "Efectivo para protección"])
        expect(await surface.getByRole("heading", { name: heading, exact: true }).count()).toBe(0);
      expect(await surface.getByRole("button").count()).toBe(0);
    } finally {
      await ctx.close();
    }
  });

  it("a finance officer reads the registry grid in Arabic without being offered to add, import, change or save rows", async () => {
    await personWithCase("Rania", "Finance-Reads");
    // opens on the individuals grid, once its first row is drawn
    const { ctx, page } = await openAs("ar", "finance@example.org");
    try {
      const toolbar = page.getByRole("toolbar");
      // the finance role may read individuals and export reports, but not create, change or export registry data
      for (const label of ["إضافة صف", "استيراد…", "تعبئة للأسفل", "تعيين حقل…", "حفظ", "تجاهل", "تصدير CSV"])
        expect(await toolbar.getByRole("button", { name: label, exact: true }).count(), label).toBe(0);
      // no cell opens an editor: a double-click on a name leaves the grid without an input
      await page.locator('.ag-row[row-index="0"] .ag-cell[col-id="givenName"]').dblclick();
      expect(await page.locator(".ag-cell-inline-editing").count()).toBe(0);
    } finally {
      await ctx.close();
    }
  });

  it("a caseworker on a colleague's case may add notes but not move or close it (their role moves their own cases)", async () => {
    const person = await apiCall<Row>(stack.url, admin, "POST", "/api/individuals", {
      givenName: "Luis",
      familyName: "Colleague-Case",
      sex: "male",
      estimatedAge: 50,
      nationality: "HND",
      officeID: TAP,
    });
    const kase = await apiCall<Row>(stack.url, admin, "POST", "/api/cases", {
      officeID: TAP,
      type: "protection",
      individualIDs: [person.individualID],
    });
    const { ctx, page } = await openAs("es", "caseworker@example.org");
    try {
      await page.evaluate(
        `history.pushState(null, "", "/cases/${String(kase.caseID)}"); dispatchEvent(new PopStateEvent("popstate"))`,
      );
      await section(page, "Notas").getByRole("button", { name: "Añadir nota" }).waitFor();
      const stages = section(page, "Etapa y aprobaciones");
      await expect.poll(() => stages.innerText()).toContain("Etapa actual: Abierto");
      expect(await stages.getByRole("button").count()).toBe(0);
    } finally {
      await ctx.close();
    }
  });
});

describe("cash for protection", () => {
  it("a caseworker asks for it in Spanish (errors on the fields first), a supervisor approves it from the queue in Arabic", async () => {
    const { individualID, caseID, caseNumber } = await personWithCase("Rosa", "Cash-Request");
    const finance = await apiToken(stack.url, "finance@example.org");
    await apiCall(stack.url, finance, "POST", "/api/payees", {
      kind: "individual",
      name: "Rosa Cash-Request",
      individualID,
      officeID: TAP,
      channel: { type: "mobile_money", msisdn: "+525512349876", provider: "mpesa" },
    });
    const caseworker = await apiToken(stack.url, "caseworker@example.org");
    const requests = () =>
      apiCall<{ items: Row[] }>(stack.url, caseworker, "GET", `/api/cases/${caseID}/cash-requests`).then(
        (r) => r.items,
      );

    const cw = await openAs("es", "caseworker@example.org");
    try {
      const page = cw.page;
      await page.evaluate(
        `history.pushState(null, "", "/cases/${caseID}"); dispatchEvent(new PopStateEvent("popstate"))`,
      );
      const cash = section(page, "Efectivo para protección");
      await cash.getByRole("button", { name: "Solicitar efectivo para protección" }).click();
      const form = dialog(page);
      // the only payee of the case's person is chosen already, shown with the last digits of the phone only
      await expect
        .poll(() => form.locator("select[name=payeeID] option:checked").innerText())
        .toMatch(/Rosa Cash-Request · Dinero móvil …9876/);
      expect(await form.innerText()).not.toContain("5512349876");
      await form.locator("input[name=amount]").fill("0");
      await form.getByRole("button", { name: "Enviar para aprobación" }).click();
      await expect.poll(() => form.innerText()).toContain("Indique un monto mayor que cero");
      expect(await form.innerText()).toContain("Explique en una frase por qué la persona necesita este efectivo");
      expect(await requests()).toEqual([]);

      await form.locator("input[name=amount]").fill("1500");
      await form.locator("textarea[name=reason]").fill("Renta atrasada: aviso de desalojo para la próxima semana");
      await form.getByRole("button", { name: "Enviar para aprobación" }).click();
      await expect.poll(() => cash.locator("tbody").innerText()).toContain("En espera de la aprobación de un supervisor");
      expect(await cash.locator("tbody").innerText()).toContain("Carmen Villalobos");
      const [asked] = await requests();
      expect(asked).toMatchObject({ amount: 150000, currency: "MXN", status: "draft" });
      // the caseworker is not offered the decision
      expect(await cash.getByRole("button", { name: "Aprobar" }).count()).toBe(0);
    } finally {
      await cw.ctx.close();
    }

    const sup = await openAs("ar", "supervisor@example.org");
    try {
      const page = sup.page;
      await page.evaluate(`history.pushState(null, "", "/queue"); dispatchEvent(new PopStateEvent("popstate"))`);
      const queue = page.locator("section.queue-section", {
        has: page.getByRole("heading", { name: /طلبات نقد للحماية بانتظار الموافقة/ }),
      });
      const item = queue.locator("li", { hasText: caseNumber });
      await expect.poll(() => item.innerText()).toContain("Rosa Cash-Request");
      expect(await item.innerText()).toContain("Carmen Villalobos");
      await item.getByRole("link").click();
      await page.waitForURL(`**/cases/${caseID}`);
      const cash = section(page, "نقد للحماية");
      await cash.getByRole("button", { name: "موافقة" }).click();
      await expect.poll(() => cash.locator("tbody").innerText()).toContain("وافق عليه Samuel Okafor");
      const [decided] = await requests();
      expect(decided).toMatchObject({ status: "approved", decision: "approved" });
    } finally {
      await sup.ctx.close();
    }
  });
});

describe("an operation's own fields on assessments and incidents", () => {
  it("in French, a caseworker fills them when recording an assessment and an incident (labels, help, required marks, errors on the field, the server's too), reads them on the case and changes only those her role may", async () => {
    const { caseID } = await personWithCase("Aminata", "Diallo-Champs");
    const get = <T = Row[]>(path: string) =>
      apiCall<{ items: T }>(stack.url, admin, "GET", path).then((r) => r.items);
    const L = (en: string, es: string, fr: string, ar: string) => ({ en, es, fr, ar });
    await apiCall(stack.url, admin, "POST", "/api/code-lists", {
      listKey: "orientingEmbassy",
      labels: L("Embassies", "Embajadas", "Ambassades", "السفارات"),
      codes: [
        { code: "SEN", labels: L("Embassy of Senegal", "Embajada de Senegal", "Ambassade du Sénégal", "سفارة السنغال") },
        { code: "MLI", labels: L("Embassy of Mali", "Embajada de Malí", "Ambassade du Mali", "سفارة مالي") },
      ],
    });
    const made: Row[] = [];
    const define = async (body: Row) =>
      made.push((await apiCall<{ field: Row }>(stack.url, admin, "POST", "/api/fields", body)).field);
    await define({
      recordType: "assessment",
      key: "mimosaNumber",
      type: "text",
      required: true,
      labels: L("MiMOSA case number", "Número de caso MiMOSA", "Numéro de dossier MiMOSA", "رقم ملف MiMOSA"),
      help: L("As on the MiMOSA form", "Como en la ficha MiMOSA", "Tel qu'il figure sur la fiche MiMOSA", "كما في استمارة MiMOSA"),
    });
    // she sees it, a supervisor writes it
    await define({
      recordType: "assessment",
      key: "supervisorNote",
      type: "text",
      editableBy: ["admin", "supervisor"],
      labels: L("Supervisor's note", "Nota de la supervisora", "Note de la superviseure", "ملاحظة المشرف"),
    });
    // she does not see it at all
    await define({
      recordType: "assessment",
      key: "panelFlag",
      type: "yesNo",
      visibleTo: ["admin", "supervisor"],
      labels: L("Sent to the panel", "Enviado al comité", "Soumis au comité", "أحيل إلى اللجنة"),
    });
    await define({
      recordType: "incident",
      key: "orientingEmbassy",
      type: "oneOf",
      options: "orientingEmbassy",
      required: true,
      labels: L("Embassy that referred", "Embajada que remitió", "Ambassade qui a orienté", "السفارة المحيلة"),
    });
    // incidents are restricted: read back as the caseworker who records them (her own)
    const caseworker = await apiToken(stack.url, "caseworker@example.org");
    const incidentsOfCase = () =>
      apiCall<{ items: Row[] }>(stack.url, caseworker, "GET", `/api/incidents?caseID=${caseID}`).then((r) => r.items);
    const go = (page: Page, path: string) =>
      page.evaluate(`history.pushState(null, "", "${path}"); dispatchEvent(new PopStateEvent("popstate"))`);
    const { ctx, page } = await openAs("fr", "caseworker@example.org");
    try {
      await go(page, `/cases/${caseID}`);
      await expect.poll(() => section(page, "Personnes du cas").innerText()).toContain("Diallo-Champs");

      // --- an assessment: the required MiMOSA number is asked with its help, the fields she may not fill are not
      const assessments = section(page, "Évaluations");
      await assessments.getByRole("button", { name: "Enregistrer une évaluation de vulnérabilité" }).click();
      const form = dialog(page);
      const mimosa = form.locator(".question", { has: page.locator("#f-fields-mimosaNumber") });
      await mimosa.getByText("Numéro de dossier MiMOSA", { exact: true }).waitFor();
      expect(await form.locator("#qa-configured legend").innerText()).toBe("Champs de cette opération");
      expect(await mimosa.innerText()).toContain("Tel qu'il figure sur la fiche MiMOSA");
      expect(await mimosa.innerText()).not.toContain("(facultatif)");
      expect(await form.innerText()).not.toContain("Note de la superviseure");
      expect(await form.innerText()).not.toContain("Soumis au comité");
      await form.locator("#qa-sgbv_risk").getByLabel("Oui", { exact: true }).check();
      await form.getByRole("button", { name: "Enregistrer", exact: true }).click();
      await expect
        .poll(() => mimosa.locator(".field-error").innerText())
        .toBe("Numéro de dossier MiMOSA : ce champ est obligatoire");
      expect(await get(`/api/assessments?caseID=${caseID}`)).toEqual([]);
      await form.locator("#f-fields-mimosaNumber").fill("SN-DKR-2026-0042");
      await form.getByRole("button", { name: "Enregistrer", exact: true }).click();
      await expect.poll(() => assessments.locator("tbody").innerText()).toContain("SN-DKR-2026-0042");
      expect(await assessments.locator("thead").innerText()).toContain("Champs de cette opération");
      expect(await assessments.locator("tbody").innerText()).toContain("Numéro de dossier MiMOSA");
      const [assessment] = await get(`/api/assessments?caseID=${caseID}`);
      expect(assessment).toMatchObject({ kind: "vulnerability", fields: { mimosaNumber: "SN-DKR-2026-0042" } });

      // a supervisor's note and the panel flag, written by the admin; on the case she reads the note, not the flag
      await apiCall(stack.url, admin, "PATCH", "/api/assessments", {
        rows: [
          {
            id: assessment!.assessmentID,
            version: assessment!.version,
            changes: { fields: { supervisorNote: "Vu en comité le 2 décembre", panelFlag: true } },
          },
        ],
      });
      await go(page, "/individuals");
      await go(page, `/cases/${caseID}`);
      await expect.poll(() => section(page, "Évaluations").locator("tbody").innerText()).toContain("Vu en comité le 2 décembre");
      const row = section(page, "Évaluations").locator("tbody tr").first();
      expect(await row.innerText()).toContain("Note de la superviseure");
      expect(await row.innerText()).not.toContain("Soumis au comité");
      // "Modifier ces champs" asks only what she may change: the MiMOSA number, not the supervisor's note
      await row.getByRole("button", { name: "Modifier ces champs" }).click();
      const edit = dialog(page);
      await edit.locator("#f-fields-mimosaNumber").waitFor();
      expect(await edit.locator("#f-fields-supervisorNote").count()).toBe(0);
      expect(await edit.innerText()).not.toContain("Soumis au comité");
      await edit.locator("#f-fields-mimosaNumber").fill("SN-DKR-2026-0043");
      await edit.getByRole("button", { name: "Enregistrer", exact: true }).click();
      await expect.poll(() => section(page, "Évaluations").locator("tbody").innerText()).toContain("SN-DKR-2026-0043");
      const [edited] = await get(`/api/assessments?caseID=${caseID}`);
      expect(edited!.fields).toEqual({
        mimosaNumber: "SN-DKR-2026-0043",
        supervisorNote: "Vu en comité le 2 décembre",
        panelFlag: true,
      });

      // --- an incident: the embassy is asked from the operation's list, in French; a code retired while the form
      // was open is refused by the server and the refusal lands on the question, nothing stored
      const incidents = section(page, "Incidents (restreint)");
      await incidents.getByRole("button", { name: "Enregistrer un incident" }).click();
      const inc = dialog(page);
      const embassy = inc.locator(".question", { has: page.locator("#f-fields-orientingEmbassy") });
      await embassy.getByText("Ambassade qui a orienté", { exact: true }).waitFor();
      expect(await embassy.innerText()).not.toContain("(facultatif)");
      await inc.locator("#f-kind").selectOption("trafficking");
      await inc.locator('input[name="f-dateOfIncident-day"]').fill("20");
      await inc.locator('input[name="f-dateOfIncident-month"]').fill("11");
      await inc.locator('input[name="f-dateOfIncident-year"]').fill("2026");
      await inc.locator("#f-description").fill("Recrutement forcé signalé à Tambacounda");
      await embassy.locator("select").selectOption({ label: "Ambassade du Mali" });
      const list = await apiCall<{ version: number }>(stack.url, admin, "GET", "/api/code-lists/orientingEmbassy");
      await apiCall(stack.url, admin, "PATCH", "/api/code-lists/orientingEmbassy", {
        version: list.version,
        changes: { codes: [{ code: "MLI", retired: true }] },
      });
      await inc.getByRole("button", { name: "Enregistrer", exact: true }).click();
      await expect
        .poll(() => embassy.locator(".field-error").innerText())
        .toBe("Ambassade qui a orienté : choisissez une des options");
      expect(await incidentsOfCase()).toEqual([]);
      await embassy.locator("select").selectOption({ label: "Ambassade du Sénégal" });
      await inc.getByRole("button", { name: "Enregistrer", exact: true }).click();
      await expect.poll(() => incidents.locator("tbody").innerText()).toContain("Ambassade du Sénégal");
      expect(await incidents.locator("tbody").innerText()).toContain("Ambassade qui a orienté");
      const [incident] = await incidentsOfCase();
      expect(incident).toMatchObject({ kind: "trafficking", fields: { orientingEmbassy: "SEN" } });
      expect(await page.locator(".work-surface").innerText()).not.toMatch(/\b(ind|cas|inc|asm)_[0-9A-Z]{26}\b/);
    } finally {
      await ctx.close();
      // the other tests of this file record assessments and incidents without these fields
      for (const f of made)
        await apiCall(stack.url, admin, "POST", `/api/fields/${String(f.fieldID)}/retire`, { version: f.version });
    }
  });

  it("in Spanish, a caseworker records an assessment and an incident with two entries of a repeating group: a problem shows on its entry's input in Spanish, from the form's own check and from the server's", async () => {
    const { caseID } = await personWithCase("Awa", "Ndiaye-Grupo");
    const L = (en: string, es: string, fr: string, ar: string) => ({ en, es, fr, ar });
    const subFields = (max: number) => [
      { key: "name", type: "text", required: true, labels: L("Name", "Nombre", "Nom", "الاسم") },
      { key: "age", type: "number", min: 0, max, labels: L("Age", "Edad", "Âge", "العمر") },
    ];
    const { field } = await apiCall<{ field: Row }>(stack.url, admin, "POST", "/api/fields", {
      recordType: "assessment",
      key: "householdMembers",
      type: "group",
      labels: L("Household members", "Miembros del hogar", "Membres du ménage", "أفراد الأسرة"),
      subFields: subFields(120),
    });
    const { field: witnesses } = await apiCall<{ field: Row }>(stack.url, admin, "POST", "/api/fields", {
      recordType: "incident",
      key: "witnesses",
      type: "group",
      labels: L("Witnesses", "Testigos", "Témoins", "الشهود"),
      subFields: [
        { key: "name", type: "text", required: true, labels: L("Name", "Nombre", "Nom", "الاسم") },
        { key: "phone", type: "phone", labels: L("Phone", "Teléfono", "Téléphone", "الهاتف") },
      ],
    });
    const caseworker = await apiToken(stack.url, "caseworker@example.org");
    const incidentsOf = () =>
      apiCall<{ items: Row[] }>(stack.url, caseworker, "GET", `/api/incidents?caseID=${caseID}`).then((r) => r.items);
    const assessmentsOf = () =>
      apiCall<{ items: Row[] }>(stack.url, admin, "GET", `/api/assessments?caseID=${caseID}`).then((r) => r.items);
    const { ctx, page } = await openAs("es", "caseworker@example.org");
    try {
      await page.evaluate(`history.pushState(null, "", "/cases/${caseID}"); dispatchEvent(new PopStateEvent("popstate"))`);
      await expect.poll(() => section(page, "Personas del caso").innerText()).toContain("Ndiaye-Grupo");
      const assessments = section(page, "Evaluaciones");
      await assessments.getByRole("button", { name: "Registrar evaluación de vulnerabilidad" }).click();
      const form = dialog(page);
      const group = form.locator("fieldset.question", { has: page.locator(".group-rows") });
      await group.locator("legend").first().getByText("Miembros del hogar").waitFor();
      await group.getByText("Aún no hay ninguna entrada.").waitFor();
      await group.getByRole("button", { name: "Añadir una entrada" }).click();
      await group.getByRole("button", { name: "Añadir una entrada" }).click();
      const entry = (row: number, sub: string) => group.locator(`fieldset[data-row="${row}"] [data-sub="${sub}"]`);
      await entry(0, "name").getByLabel("Nombre").fill("Awa Ndiaye");
      await entry(0, "age").getByLabel("Edad").fill("34");
      await entry(1, "name").getByLabel("Nombre").fill("Moussa Ndiaye");
      await entry(1, "age").getByLabel("Edad").fill("130");
      await form.locator("#qa-sgbv_risk").getByLabel("Sí", { exact: true }).check();
      const save = () => form.getByRole("button", { name: "Guardar", exact: true }).click();

      // the form's own check (the field's range): on the second entry's age, in Spanish; nothing sent
      await save();
      await expect.poll(() => entry(1, "age").locator(".field-error").innerText()).toBe("Debe ser como máximo 120");
      expect(await entry(1, "age").locator("input").getAttribute("aria-invalid")).toBe("true");
      expect(await group.locator('fieldset[data-row="0"] .field-error').count()).toBe(0);
      expect(await group.innerText()).toContain("Algunas entradas necesitan una corrección");
      expect(await assessmentsOf()).toEqual([]);

      // while the form is open an admin narrows the range to 99: the form still allows 110, the server refuses it
      // at fields.householdMembers.1.age and the refusal lands on that entry's age, in Spanish
      await apiCall(stack.url, admin, "PATCH", `/api/fields/${String(field.fieldID)}`, {
        version: field.version,
        changes: { subFields: subFields(99) },
      });
      await entry(1, "age").locator("input").fill("110");
      expect(await entry(1, "age").locator(".field-error").count()).toBe(0);
      await save();
      await expect.poll(() => entry(1, "age").locator(".field-error").innerText()).toBe("Debe ser como máximo 99");
      expect(await group.locator('fieldset[data-row="0"] .field-error').count()).toBe(0);
      expect(await assessmentsOf()).toEqual([]);

      await entry(1, "age").locator("input").fill("11");
      await save();
      await expect.poll(() => assessments.locator("tbody").innerText()).toContain("Nombre: Moussa Ndiaye");
      const [assessment] = await assessmentsOf();
      expect(assessment!.fields).toEqual({
        householdMembers: [
          { name: "Awa Ndiaye", age: 34 },
          { name: "Moussa Ndiaye", age: 11 },
        ],
      });

      // --- an incident (the record form): two witnesses, the second's phone not a phone number: on that entry's
      // input and in the error summary, in Spanish; nothing stored until it is corrected
      const incidents = section(page, "Incidentes (restringido)");
      await incidents.getByRole("button", { name: "Registrar incidente" }).click();
      const inc = dialog(page);
      const group2 = inc.locator("fieldset.question", { has: page.locator(".group-rows") });
      await group2.locator("legend").first().getByText("Testigos").waitFor();
      await inc.locator("#f-kind").selectOption("trafficking");
      await inc.locator('input[name="f-dateOfIncident-day"]').fill("20");
      await inc.locator('input[name="f-dateOfIncident-month"]').fill("11");
      await inc.locator('input[name="f-dateOfIncident-year"]').fill("2026");
      await inc.locator("#f-description").fill("Reclutamiento forzado denunciado en la frontera");
      await group2.getByRole("button", { name: "Añadir una entrada" }).click();
      await group2.getByRole("button", { name: "Añadir una entrada" }).click();
      const witness = (row: number, sub: string) => group2.locator(`fieldset[data-row="${row}"] [data-sub="${sub}"]`);
      await witness(0, "name").getByLabel("Nombre").fill("Ibrahima Sow");
      await witness(0, "phone").getByLabel("Teléfono").fill("+221771234567");
      await witness(1, "name").getByLabel("Nombre").fill("Mariama Ba");
      await witness(1, "phone").getByLabel("Teléfono").fill("12345");
      await inc.getByRole("button", { name: "Guardar", exact: true }).click();
      await expect.poll(() => witness(1, "phone").locator(".field-error").innerText()).toBe("No es un número de teléfono");
      expect(await inc.locator(".error-summary").innerText()).toContain(
        "Testigos · Entrada 2 · Teléfono: No es un número de teléfono",
      );
      expect(await group2.locator('fieldset[data-row="0"] .field-error').count()).toBe(0);
      expect(await incidentsOf()).toEqual([]);
      await witness(1, "phone").locator("input").fill("+221781234567");
      await inc.getByRole("button", { name: "Guardar", exact: true }).click();
      await expect.poll(() => incidents.locator("tbody").innerText()).toContain("Nombre: Mariama Ba");
      const [incident] = await incidentsOf();
      expect(incident!.fields).toEqual({
        witnesses: [
          { name: "Ibrahima Sow", phone: "+221771234567" },
          { name: "Mariama Ba", phone: "+221781234567" },
        ],
      });
    } finally {
      await ctx.close();
      for (const f of [field, witnesses]) {
        const now = await apiCall<Row>(stack.url, admin, "GET", `/api/fields/${String(f.fieldID)}`);
        await apiCall(stack.url, admin, "POST", `/api/fields/${String(f.fieldID)}/retire`, { version: now.version });
      }
    }
  });
});
