import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../packages/local/src/runtime.ts";
import { apiCall, apiToken, buildWeb, htmlDir, launch, openAs, startStack, TAP } from "./support.ts";

type Row = Record<string, unknown>;
let stack: LocalStack;
let browser: Browser;
let admin: string;
let supervisor: string;
let supervisorID: string;

beforeAll(async () => {
  buildWeb();
  stack = await startStack();
  admin = await apiToken(stack.url, "admin@example.org");
  supervisor = await apiToken(stack.url, "supervisor@example.org");
  supervisorID = (await apiCall<{ userID: string }>(stack.url, supervisor, "GET", "/api/me")).userID;
  // the admin names the supervisor focal point for complaints in sensitive categories
  await apiCall(stack.url, admin, "PUT", "/api/feedback-settings", { version: 0, focalPoints: [supervisorID] });
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const today = new Date();
async function fillReceived(page: Page) {
  await page.locator('input[name="f-receivedOn-day"]').fill(String(today.getDate()));
  await page.locator('input[name="f-receivedOn-month"]').fill(String(today.getMonth() + 1));
  await page.locator('input[name="f-receivedOn-year"]').fill(String(today.getFullYear()));
}

const stored = async () =>
  (await apiCall<{ items: Row[] }>(stack.url, supervisor, "GET", "/api/feedback?limit=200")).items;

describe("feedback and complaints and protection monitoring, in Arabic", () => {
  it("a complaint from intake to closure; a sensitive one is seen by the focal point only; the monitoring page and its cluster export", async () => {
    // --- a caseworker records a complaint taken on the hotline, in the Arabic UI
    const cw = await openAs(browser, stack.url, { email: "caseworker@example.org", path: "/feedback", lang: "ar" });
    const page = cw.page;
    await page.getByRole("heading", { name: "الملاحظات والشكاوى" }).waitFor();
    expect(await htmlDir(page)).toBe("rtl");
    await page.getByRole("button", { name: "تسجيل ملاحظة أو شكوى" }).click();
    await page.locator("#f-officeID").selectOption(TAP);
    await page.locator("#f-channel").selectOption({ label: "الخط الساخن" });
    await page.locator("#f-category").selectOption({ label: "جودة خدمة" });
    await fillReceived(page);
    await page.locator("#f-contactName").fill("فاطمة");
    await page.locator("#f-summary").fill("تأخر توزيع الطرود الصحية ساعتين دون أي توضيح.");
    await page.getByRole("button", { name: "تسجيل", exact: true }).click();
    // the complaint's own page
    await page.getByTestId("feedback-record").waitFor();
    expect(await page.getByTestId("fb-status").textContent()).toBe("مفتوحة");
    await expect.poll(() => page.locator("body").textContent()).toContain("تأخر توزيع الطرود الصحية");
    const id = page.url().split("/feedback/")[1]!;

    // assigned to herself (picked by name), the answer recorded, then closed with a reason
    await page.locator("#fb-assign").selectOption({ label: "Carmen Villalobos" });
    await expect.poll(async () => (await stored()).find((f) => f.feedbackID === id)?.assignedTo).toBeTruthy();
    await page.locator("#fb-response").fill("اعتذرنا وأصبح التوزيع يبدأ في التاسعة صباحاً.");
    await page.getByRole("button", { name: "تسجيل الرد" }).click();
    await page.getByTestId("fb-response").waitFor();
    await page.locator("#fb-close-reason").selectOption({ label: "تم الحل" });
    await page.getByRole("button", { name: "إغلاق", exact: true }).click();
    await page.getByTestId("fb-closed").waitFor();
    expect(await page.getByTestId("fb-closed").textContent()).toContain("تم الحل");
    const closed = (await stored()).find((f) => f.feedbackID === id)!;
    expect(closed).toMatchObject({
      status: "closed",
      closureReason: "resolved",
      response: "اعتذرنا وأصبح التوزيع يبدأ في التاسعة صباحاً.",
      channel: "hotline",
      category: "service_quality",
      contactName: "فاطمة",
    });
    expect(closed.assignedTo).toMatch(/^usr_/);

    // --- a sensitive complaint: recorded by the caseworker, then out of her sight
    await page.goto(`${stack.url}/feedback`);
    await page.getByRole("button", { name: "تسجيل ملاحظة أو شكوى" }).click();
    await page.locator("#f-officeID").selectOption(TAP);
    await page.locator("#f-channel").selectOption({ label: "حضورياً" });
    await page.locator("#f-category").selectOption({ label: "الاستغلال والاعتداء الجنسي" });
    await fillReceived(page);
    await page.locator("#f-summary").fill("سائق طلب علاقة جنسية مقابل مقعد في الحافلة.");
    await page.getByRole("button", { name: "تسجيل", exact: true }).click();
    const notice = page.getByTestId("fb-notice");
    await notice.waitFor();
    const number = (await notice.textContent())!.match(/FB-\d+/)![0];
    expect(await notice.textContent()).toContain("لن يطّلع عليها إلا مسؤولو التنسيق");
    await page.getByRole("button", { name: "الكل" }).click();
    await page.getByTestId("feedback-table").waitFor();
    expect(await page.locator(`tr[data-number="${number}"]`).count()).toBe(0);
    await cw.ctx.close();

    // the focal point (the supervisor) sees it in the list and opens it
    const sup = await openAs(browser, stack.url, { email: "supervisor@example.org", path: "/feedback", lang: "ar" });
    const row = sup.page.locator(`tr[data-number="${number}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain("لمسؤولي التنسيق فقط");
    await row.getByRole("link", { name: number }).click();
    await sup.page.getByTestId("feedback-record").waitFor();
    await expect.poll(() => sup.page.locator("body").textContent()).toContain("سائق طلب علاقة جنسية");
    const sensitiveID = sup.page.url().split("/feedback/")[1]!;

    // the admin does not: not in the list, and "does not exist" by its address
    const adm = await openAs(browser, stack.url, { email: "admin@example.org", path: "/feedback", lang: "ar" });
    await adm.page.getByRole("button", { name: "الكل" }).click();
    await adm.page.getByTestId("feedback-table").waitFor();
    expect(await adm.page.locator(`tr[data-number="${number}"]`).count()).toBe(0);
    await adm.page.goto(`${stack.url}/feedback/${sensitiveID}`);
    await adm.page.getByText("هذه الشكوى غير موجودة أو لا يمكنك الاطلاع عليها.").waitFor();
    expect(await adm.page.locator("body").textContent()).not.toContain("سائق");
    await adm.ctx.close();

    // --- protection monitoring: incidents recorded with perpetrator, sex and age group
    const month = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
    const incident = (over: Row) =>
      apiCall(stack.url, supervisor, "POST", "/api/incidents", {
        officeID: TAP,
        kind: "extortion",
        dateOfIncident: month,
        description: "رواية لا تظهر في الرصد",
        perpetratorType: "armed_group",
        survivorSex: "male",
        survivorAgeGroup: "18-59",
        ...over,
      });
    for (let i = 0; i < 6; i++) await incident({});
    for (let i = 0; i < 2; i++) await incident({ kind: "sgbv", perpetratorType: "smuggler_trafficker", survivorSex: "female", survivorAgeGroup: "12-17" });
    for (let i = 0; i < 5; i++) await incident({ kind: "sgbv", perpetratorType: "smuggler_trafficker", survivorSex: "female" });

    await sup.page.goto(`${stack.url}/protection-monitoring`);
    await sup.page.getByRole("heading", { name: "رصد الحماية" }).waitFor();
    // Arabic digits or Latin ones, as the browser's Arabic locale writes them
    const latin = (t: string | null) => (t ?? "").replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660));
    await expect.poll(async () => latin(await sup.page.getByTestId("pm-total").textContent())).toBe("13");
    const perpetrators = await sup.page.getByTestId("pm-perpetrator").textContent();
    expect(perpetrators).toContain("جماعة مسلحة");
    expect(perpetrators).toContain("مهرّب أو متاجر بالبشر");
    expect(await sup.page.getByTestId("pm-kind").textContent()).toContain("ابتزاز");
    expect(await sup.page.locator("body").textContent()).not.toContain("رواية لا تظهر");

    // the export for the protection cluster: HXL row, small counts withheld
    const [download] = await Promise.all([
      sup.page.waitForEvent("download"),
      sup.page.getByRole("button", { name: "CSV" }).click(),
    ]);
    const csv = readFileSync((await download.path())!, "utf8");
    const lines = csv.trim().split("\r\n");
    expect(lines[1]!.startsWith("#date+occurred,#adm1+code,#adm1+name,#event+type,#group+perpetrator+type")).toBe(
      true,
    );
    const head = lines[0]!.split(",");
    const sgbv = lines.find((l) => l.includes(",SGBV,"))!.split(",");
    expect(sgbv[head.indexOf("Female 12-17")]).toBe("");
    const extortion = lines.find((l) => l.includes(",Extortion,"))!.split(",");
    expect(extortion[head.indexOf("Male 18-59")]).toBe("6");
    expect(csv).not.toContain("رواية");
    await sup.ctx.close();
  });
});
