import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../packages/local/src/runtime.ts";
import { TAP, apiCall, apiToken, buildWeb, htmlDir, launch, openAs, startStack } from "./support.ts";

type Row = Record<string, unknown>;
let stack: LocalStack;
let browser: Browser;
let caseworker: string;

const day = (n: number) => new Date(Date.now() + n * 864e5).toISOString().slice(0, 10);

beforeAll(async () => {
  buildWeb();
  stack = await startStack();
  caseworker = await apiToken(stack.url, "caseworker@example.org");
  browser = await launch();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const get = (path: string) => apiCall<Row>(stack.url, caseworker, "GET", path);

describe("community hosting desk, in Arabic", () => {
  it("places a person with a host that has room, records a visit with a code-of-conduct item not met, and the supervisor follows it up from the queue", async () => {
    const full = await apiCall<Row>(stack.url, caseworker, "POST", "/api/hosts", {
      officeID: TAP,
      kind: "family",
      name: "أسرة ممتلئة",
      capacity: 1,
      adm1: "MX07",
      adm2: "MX07089",
      contractStart: day(-100),
      contractEnd: day(200),
    });
    const host = await apiCall<Row>(stack.url, caseworker, "POST", "/api/hosts", {
      officeID: TAP,
      kind: "family",
      name: "أسرة الزاوي",
      capacity: 2,
      adm1: "MX07",
      adm2: "MX07089",
      contractStart: day(-100),
      contractEnd: day(200),
    });
    const people = await apiCall<{ results: { record: Row }[] }>(stack.url, caseworker, "POST", "/api/individuals", {
      rows: ["Amina", "Bilal"].map((given, i) => ({
        ref: String(i),
        values: { givenName: given, familyName: `Ferjani${i}`, sex: i ? "male" : "female", dateOfBirth: "1995-04-02", nationality: "NGA", officeID: TAP },
      })),
    });
    const [amina, bilal] = people.results.map((r) => r.record);
    // the small host is full already
    await apiCall(stack.url, caseworker, "POST", "/api/placements", { hostID: full.hostID, individualID: bilal!.individualID, start: day(-5) });
    // a visit planned three days ago and not made: overdue
    await apiCall(stack.url, caseworker, "POST", `/api/hosts/${String(host.hostID)}/visits`, { from: day(-3), count: 1 });

    const { ctx, page } = await openAs(browser, stack.url, {
      email: "caseworker@example.org",
      path: "/hosting-desk",
      lang: "ar",
      ready: "h1:has-text('مكتب الاستضافة المجتمعية')",
    });
    expect(await htmlDir(page)).toBe("rtl");
    const find = page.locator("section[aria-labelledby='find-place']");
    await find.locator("select").selectOption({ label: "MX07 › MX07089" });
    await find.getByRole("button", { name: "بحث" }).click();
    const row = find.locator("tr", { hasText: "أسرة الزاوي" });
    await row.waitFor();
    // only the host with a free place is offered
    await expect.poll(() => find.locator("tbody tr").count()).toBe(1);
    expect(await row.textContent()).toMatch(/[2٢] من [2٢]/);
    await row.getByRole("button", { name: "إيواء شخص" }).click();
    const dialog = page.locator("dialog[open]");
    await dialog.locator("#f-individualID").fill("Ferjani0");
    await dialog.getByRole("button", { name: /Amina Ferjani0/ }).click();
    await dialog.locator("#f-reason").selectOption({ label: "ضحية اتجار بالبشر" });
    await dialog.getByRole("button", { name: "إيواء شخص" }).click();
    await page.getByText("تم إيواء الشخص لدى أسرة الزاوي.").waitFor();
    const stored = await get(`/api/hosts/${String(host.hostID)}`);
    expect(stored.occupied).toBe(1);
    const placements = await get(`/api/hosts/${String(host.hostID)}/placements`);
    expect((placements.items as Row[]).map((p) => [p.individualID, p.reason, p.start])).toEqual([
      [amina!.individualID, "vot", day(0)],
    ]);
    // the person is now listed among the placed people, by name
    await page.locator("section[aria-labelledby='placements'] tr", { hasText: "Amina Ferjani0" }).waitFor();

    // the overdue visit is marked, and recorded with one item not met
    const visits = page.locator("section[aria-labelledby='visits']");
    const visitRow = visits.locator("tr.overdue", { hasText: "أسرة الزاوي" });
    await visitRow.waitFor();
    expect(await visitRow.textContent()).toContain("متأخرة");
    await visitRow.getByRole("button", { name: "تسجيل الزيارة" }).click();
    await dialog.locator("#f-findings").fill("المضيف يطلب إيجاراً من الضيفة");
    await dialog.locator("#f-cl-safe_accommodation").selectOption("met");
    await dialog.locator("#f-cl-no_payment_from_guests").selectOption("not_met");
    await dialog.locator("input[name='f-followUpNeeded']").first().check();
    await dialog.getByRole("button", { name: "حفظ" }).click();
    await visits.getByText("بانتظار المشرف").waitFor();
    const [visit] = (await get(`/api/hosts/${String(host.hostID)}/visits`)).items as Row[];
    expect(visit).toMatchObject({ status: "completed", review: "pending", date: day(0) });
    expect(visit!.checklist).toEqual([
      { item: "safe_accommodation", met: true },
      { item: "no_payment_from_guests", met: false },
    ]);
    await ctx.close();

    // the supervisor finds it in their queue, in Arabic, and follows it up
    const sup = await openAs(browser, stack.url, {
      email: "supervisor@example.org",
      path: "/queue",
      lang: "ar",
      ready: "#q-compliance",
    });
    const queue = sup.page.locator("section[aria-labelledby='q-compliance']");
    const item = queue.locator("li", { hasText: "أسرة الزاوي" });
    await item.waitFor();
    expect(await item.textContent()).toContain("غير مستوفى: عدم طلب أي مقابل من الضيوف");
    await item.getByRole("button", { name: "تمت المتابعة" }).click();
    await sup.page.locator("dialog[open] textarea").fill("تحدثت مع المضيف وستُجرى زيارة أخرى الأسبوع القادم");
    await sup.page.locator("dialog[open]").getByRole("button", { name: "تمت المتابعة" }).click();
    await queue.getByText("لا شيء للمتابعة.").waitFor();
    const [after] = (await get(`/api/hosts/${String(host.hostID)}/visits`)).items as Row[];
    expect(after).toMatchObject({ review: "reviewed", reviewNote: "تحدثت مع المضيف وستُجرى زيارة أخرى الأسبوع القادم" });
    await sup.ctx.close();
  }, 240_000);
});
