import { chromium } from "playwright-core";
const base = "http://localhost:4401";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const ctx = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
const page = await ctx.newPage();
await page.goto(`${base}/individuals`);
await page.locator('input[type="email"]').fill("admin@example.org");
await page.locator('input[type="password"]').fill("waypoint-demo");
await page.locator('button[type="submit"]').click();
await page.locator('.ag-row[row-index="0"]').first().waitFor();
for (let i = 0; i < 3; i++) {
  const t0 = Date.now();
  const log: string[] = [];
  const h = (r: any) => log.push(`${Date.now() - t0} start ${r.url().replace(base, "")}`);
  const f = (r: any) => log.push(`${Date.now() - t0} done ${r.url().replace(base, "")}`);
  page.on("request", h); page.on("requestfinished", f);
  await page.goto(`${base}/individuals`);
  await page.locator('.ag-row[row-index="0"]').first().waitFor();
  log.push(`${Date.now() - t0} FIRST ROW`);
  page.off("request", h); page.off("requestfinished", f);
  if (i === 2) console.log(log.join("\n"));
  else console.log(Date.now() - t0);
}
const perf = await page.evaluate(() => JSON.stringify(performance.getEntriesByType("navigation")[0]));
console.log(perf);
await browser.close();
