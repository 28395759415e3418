/**
 * First paint of a full case file and of a grid in the browser (issue 15: "a case with 200 notes, 50 documents,
 * 20 assessments and 30 appointments opens to first paint in < 1 s on the local stack"). The built web app
 * (web/dist, production build) served by the `npm start` stack on an in-memory DynamoDB Local, driven by headless
 * Chromium (playwright-core) as the demo caseworker, in Spanish.
 *
 * Measured from the in-app navigation (a menu link or a record link does the same `pushState`), in the page, each
 * animation frame, until:
 * - case page, first paint: the case's number is painted as the page title with its details;
 * - case page, complete: the last and first note, the last document and an appointment are on screen;
 * - cases grid, first rows: the grid shows its first row.
 * First open (nothing cached in the page) and median/p95 of 10 more opens (leaving to the grid in between).
 */
import type { Page } from "playwright-core";
import { buildWeb, DEMO_PASSWORD, launch, startStack } from "../e2e/support.ts";
import { seedFullCase } from "./support/full-case.ts";
import { percentile } from "./support/registry.ts";

export const description =
  "Browser first paint of a case with 200 notes, 50 documents, 20 assessments, 30 appointments, and of the cases grid (< 1 s)";

const REPEAT = 10;

/** Milliseconds from a pushState navigation to the first animation frame where `ready` holds (in the page). */
async function timeTo(page: Page, path: string, ready: string): Promise<number> {
  return (await page.evaluate(`new Promise((resolve, reject) => {
    const t0 = performance.now();
    history.pushState(null, "", ${JSON.stringify(path)});
    dispatchEvent(new PopStateEvent("popstate"));
    const ready = () => (${ready});
    const tick = () => {
      if (performance.now() - t0 > 20000) return reject(new Error("not painted in 20 s: " + ${JSON.stringify(path)}));
      if (ready()) return resolve(performance.now() - t0);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })`)) as number;
}

/** The page's clock (performance.now()) at the first animation frame where `ready` holds (the page's CSP forbids eval). */
async function untilFrame(page: Page, ready: string): Promise<number | null> {
  return (await page.evaluate(`new Promise((resolve, reject) => {
    const t0 = performance.now();
    const ready = () => (${ready});
    const tick = () => {
      if (performance.now() - t0 > 8000) return resolve(null);
      if (ready()) return resolve(performance.now());
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })`)) as number | null;
}

export default async function (): Promise<string> {
  buildWeb();
  const stack = await startStack();
  const browser = await launch();
  try {
    const core = await import("@waypoint/core");
    const system = { type: "system" as const, reason: "bench" };
    const cw = (await core.Actor.provide(system, () => core.User.byEmail("caseworker@example.org")))!;
    const grant = cw.grants.find((g) => g.role === "caseworker")!;
    const officeID = grant.officeIDs[0]!;
    const actor = {
      type: "user" as const,
      userID: cw.userID,
      email: cw.email,
      operationID: grant.operationID,
      role: "caseworker" as const,
      officeIDs: grant.officeIDs,
    };
    const { kase, seconds: seedS } = await seedFullCase(actor, officeID, "es");

    // signed in as the caseworker (the sign-in page asked again if a first load stalls on a loaded machine)
    const ctx = await browser.newContext({
      viewport: { width: 1500, height: 1000 },
      timezoneId: "America/Mexico_City",
      locale: "es-MX",
    });
    await ctx.addInitScript(`localStorage.setItem("waypoint.lang", "es")`);
    const page = await ctx.newPage();
    for (let attempt = 1; ; attempt++) {
      await page.goto(`${stack.url}/`);
      try {
        await page.locator('input[type="email"]').waitFor({ timeout: 20_000 });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
      }
    }
    await page.locator('input[type="email"]').fill(cw.email);
    await page.locator('input[type="password"]').fill(DEMO_PASSWORD);
    await page.locator('button[type="submit"]').click();
    await page.locator("nav.sidenav a").first().waitFor();
    await timeTo(page, "/cases", `document.querySelector(".ag-row[row-id]") !== null`);
    try {
      const casePath = `/cases/${kase.caseID}`;
      const number = JSON.stringify(String(kase.caseNumber));
      const firstPaint = `document.querySelector("h1#page-title")?.textContent.includes(${number}) && document.querySelector("dl.fields dd") !== null`;
      const has = (s: string) => `document.body.textContent.includes(${JSON.stringify(s)})`;
      // what "every section filled" waits for; one not on screen within 8 s is reported, not waited for
      const sections: [string, string][] = [
        ["last note", has("Seguimiento 199:")],
        ["first note", has("Seguimiento 0:")],
        ["last document", has("Documento 49")],
        // (assessments are listed by kind and date, their summary is not on the page: not waited for by text)
        ["an appointment", has("Sala 3")],
      ];
      const missing = new Set<string>();
      const gridRows = `document.querySelector(".ag-row[row-id]") !== null && location.pathname === "/cases"`;
      const open = async () => {
        const first = await timeTo(page, casePath, firstPaint);
        // the rest of the same open: wait for the sections, measured from the same navigation
        const t = (await page.evaluate(`performance.now()`)) as number;
        let last = t;
        for (const [name, cond] of sections) {
          const at = await untilFrame(page, cond);
          if (at === null) missing.add(name);
          else last = Math.max(last, at);
        }
        const filled = first + last - t;
        const grid = await timeTo(page, "/cases", gridRows);
        return { first, filled, grid };
      };
      const cold = await open();
      const runs: { first: number; filled: number; grid: number }[] = [];
      for (let i = 0; i < REPEAT; i++) runs.push(await open());
      const col = (k: "first" | "filled" | "grid") => runs.map((r) => r[k]);
      const ok = (b: boolean) => (b ? "✅" : "❌");
      const row = (label: string, k: "first" | "filled" | "grid", target?: number) => {
        const med = percentile(col(k), 50);
        const p95 = percentile(col(k), 95);
        const t = target ? ` < ${target} ms ${ok(cold[k] < target && p95 < target)}` : "";
        return `| ${label} | ${cold[k].toFixed(0)} ms | ${med.toFixed(0)} ms | ${p95.toFixed(0)} ms |${t} |`;
      };
      return [
        `One case of the demo caseworker (Tapachula), seeded in ${seedS.toFixed(1)} s through core: 200 notes, 20 assessments, 30 appointments, 50 documents' metadata by BatchWrite. Built web app (production) on the local stack (in-memory DynamoDB Local), headless Chromium, Spanish, viewport 1500×1000. Times from the in-app navigation to the first animation frame showing it; first open, then median and p95 of ${REPEAT} opens (back to the cases grid in between).`,
        "",
        "| measure | first open | median | p95 | target |",
        "| --- | ---: | ---: | ---: | --- |",
        row("case page: number and details painted", "first", 1000),
        row("case page: every section filled (last note, documents, assessments, appointments)", "filled"),
        row("cases grid: first row painted", "grid", 1000),
        "",
        missing.size
          ? `Not on the case page within 8 s (so not in "every section filled"): ${[...missing].join(", ")}.`
          : "Every section waited for showed its records (last and first note, last document, an appointment).",
      ].join("\n");
    } finally {
      await ctx.close();
    }
  } finally {
    await browser.close();
    await stack.stop();
  }
}
