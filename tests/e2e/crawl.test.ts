import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../packages/local/src/runtime.ts";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { Actions } from "../../packages/core/src/permissions.ts";
import { repoRoot } from "../../packages/local/src/paths.ts";
import { dictionaries } from "../../web/src/i18n/dictionary.ts";
import { Languages, Messages, type Lang } from "../../web/src/i18n/messages.ts";
import { freePort } from "../../packages/local/src/dynamo-local.ts";
import { startLocal } from "../../packages/local/src/runtime.ts";
import { buildWeb, DEMO_PASSWORD, launch, sharedDynamo } from "./support.ts";

/**
 * The screen crawl (issue 15, "what every screen must get right"): for each language and a few roles, signs in,
 * opens every menu entry the role sees and the page of the first record of each grid, and collects what a user
 * must never see: an untranslated message key, a camelCase field name, an internal code (snake_case), a raw ID
 * without a name, an ISO timestamp; plus console errors and failed requests. All findings of a role and language
 * are reported in one assertion, by screen.
 *
 * Data: the demo data of `npm start` (registry, cases with notes, referrals and appointments, relocation trips,
 * payees, payments and batches, programmes), so every record type has a record to open.
 *
 * Dialogs: on each screen the crawl opens every form the role is offered (a button marked `aria-haspopup="dialog"`,
 * as every button that opens a `Modal` is; in one language per role, see ROLES), checks what the open dialog shows the same way, and closes it with
 * Escape (nothing is submitted). Besides the checks above, it fails on a permission code (`payment.read`) and, in
 * es/fr/ar, on English words a message or screen dictionary has in that language (English shown instead).
 *
 * Not crawled yet: the sign-in page itself, and the screens in NOT_YET below.
 */
let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  buildWeb();
  // the demo data, seeded the way `npm start` does (state machines attach once seeding is over); the crawl signs in
  // as Mexico's users, who see nothing of the four other operations' data, so that last seeder is left out
  stack = await startLocal({
    memory: true,
    port: await freePort(),
    buildWeb: false,
    skipSeeders: ["country-data"],
    sharedDynamo: sharedDynamo(),
  });
  browser = await launch();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

// A message key is `<prefix>.<name>` with a prefix the dictionaries use (nav., case., grid.…).
const prefixes = [...new Set(Object.keys(Messages.en).map((k) => k.split(".")[0]!))];
const CHECKS: [string, RegExp][] = [
  ["untranslated key", new RegExp(`\\b(?:${prefixes.join("|")})\\.[a-zA-Z][\\w-]*(?:\\.[\\w-]+)*`, "g")],
  ["camelCase field name", /\b[a-z]+(?:[A-Z][a-z0-9]*|ID)+\b/g],
  ["internal code", /\b[a-z]+(?:_[a-z0-9]+)+\b/g],
  ["raw ID", /\b[a-z]{2,5}_[0-9A-Z]{26}\b/g],
  ["ISO timestamp", /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/g],
  // a refusal or label that names the permission table's action instead of saying it in words
  [
    "permission code",
    new RegExp(`(?<![\\w.])(?:${Actions.map((a) => a.replace(".", "\\.")).join("|")})(?!\\w|\\.\\w)`, "g"),
  ],
];

// Every screen dictionary (`*Text.ts` files register theirs with `textFrom`), beside the shared messages.
for (const walk of [join(repoRoot, "web/src")])
  for (const f of readdirSync(walk, { recursive: true, encoding: "utf8" }))
    if (/Text\.ts$/.test(f)) await import(join(walk, f));

/**
 * English shown in another language: per language, the English of every message and screen word that language
 * says differently (or lacks), when it is a phrase (two words or more, no `{placeholder}`), and is not also a word
 * of that language somewhere. A text on screen equal to one of them is English where the user's language belongs.
 */
const english = new Map<Lang, Set<string>>();
for (const lang of Languages) {
  if (lang === "en") continue;
  const sources = [Messages as unknown as Record<Lang, Record<string, string | undefined>>, ...dictionaries];
  const own = new Set(sources.flatMap((d) => Object.values(d[lang] ?? {})).filter(Boolean) as string[]);
  const out = new Set<string>();
  for (const d of sources)
    for (const [k, en] of Object.entries(d.en ?? {}))
      if (en && d[lang]?.[k] !== en && !en.includes("{") && /\p{L}{2,}\s+\p{L}{2,}/u.test(en) && !own.has(en))
        out.add(en);
  english.set(lang, out);
}

// Visible text of the page: text nodes of rendered elements, the options of visible selects and the values of
// visible text inputs (a string: this file is type-checked with Node's types, not the DOM's).
const VISIBLE_TEXT = (root = "body") => `((root) => {
  const out = [];
  const seen = (el) => el.checkVisibility({ visibilityProperty: true, opacityProperty: true });
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    const text = n.textContent.trim();
    if (!el || !text || el.closest("script,style,noscript,template")) continue;
    const select = el.closest("select");
    if (select ? seen(select) : seen(el)) out.push(text);
  }
  for (const input of root.querySelectorAll("input, textarea"))
    // a radio button's or checkbox's value is never shown (its label is, as text above)
    if (!["hidden", "password", "radio", "checkbox"].includes(input.type) && input.value && seen(input))
      out.push(input.value);
  return out;
})(document.querySelector(${JSON.stringify(root)}))`;

/**
 * Screens not crawled yet, each with what it still shows (real findings, to fix; not silenced on a crawled screen).
 * A key is a role and a screen: `*` for every role, `:record` for the page of a record of that menu entry, and
 * `:dialogs` after either for the dialogs opened from that screen (the screen itself is still crawled).
 */
const NOT_YET: Record<string, string> = {};
const notYet = (email: string, screen: string) => {
  const role = email.split("@")[0];
  return `*${screen}` in NOT_YET || `${role}${screen}` in NOT_YET;
};

const MENU = `[...document.querySelectorAll("nav.sidenav a")].map((a) => a.getAttribute("href"))`;
const ROW_ID = `document.querySelector(".ag-row[row-id]")?.getAttribute("row-id") ?? null`;

interface Probe {
  page: Page;
  /**
   * A new screen begins (before the click or navigation that opens it). What requests started on a screen that is
   * not crawled yet (NOT_YET) report later, when the next screen is already open, is dropped with that screen,
   * not blamed on the next one (a slow lookup of a skipped grid used to surface on the following page).
   */
  enter: (skipped: boolean) => void;
  /** Errors and failed requests since the last `take()`. */
  take: () => string[];
  settle: () => Promise<void>;
}

async function openAs(lang: Lang, email: string): Promise<{ close: () => Promise<void>; probe: Probe }> {
  const ctx = await browser.newContext({
    viewport: { width: 1500, height: 1000 },
    timezoneId: "America/Mexico_City",
    locale: lang === "ar" ? "ar" : lang === "en" ? "en-GB" : `${lang}-MX`,
  });
  await ctx.addInitScript(`localStorage.setItem("waypoint.lang", ${JSON.stringify(lang)})`);
  const page = await ctx.newPage();
  let events: string[] = [];
  let screen = 0;
  const skippedScreens = new Set<number>();
  const startedOn = new Map<string, number>();
  const skipped = (url: string) => skippedScreens.has(startedOn.get(url) ?? -1);
  let inFlight = 0;
  let lastChange = Date.now();
  const bump = (d: number) => {
    inFlight += d;
    lastChange = Date.now();
  };
  page.on("request", (r) => {
    bump(1);
    startedOn.set(r.url(), screen);
  });
  page.on("requestfinished", () => bump(-1));
  page.on("requestfailed", (r) => {
    bump(-1);
    if (!skipped(r.url()))
      events.push(`request failed: ${r.method()} ${new URL(r.url()).pathname} (${r.failure()?.errorText})`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400 && !skipped(r.url()))
      events.push(`HTTP ${r.status()}: ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  page.on("console", (m) => {
    if (m.type() === "error" && !skipped(m.location().url))
      events.push(`console error: ${m.text()} (${m.location().url})`);
  });
  page.on("pageerror", (e) => events.push(`page error: ${e.message}`));
  const settle = async () => {
    // the screen has loaded when no request has been open for 500 ms (at most 15 s)
    const until = Date.now() + 15_000;
    await new Promise((r) => setTimeout(r, 150));
    while (Date.now() < until && (inFlight > 0 || Date.now() - lastChange < 500))
      await new Promise((r) => setTimeout(r, 100));
  };
  // the sign-in page, asked again if it does not show (on a loaded machine a first load can stall)
  for (let attempt = 1; ; attempt++) {
    await page.goto(`${stack.url}/`);
    try {
      await page.locator('input[type="email"]').waitFor({ timeout: 20_000 });
      break;
    } catch (e) {
      if (attempt === 3) throw e;
      events = []; // what the stalled load reported; the next load is inspected afresh
    }
  }
  await page.locator('input[type="email"]').fill(email);
  await page.locator('input[type="password"]').fill(DEMO_PASSWORD);
  await page.locator('button[type="submit"]').click();
  await page.locator("nav.sidenav a").first().waitFor();
  await settle();
  return {
    close: () => ctx.close(),
    probe: {
      page,
      settle,
      enter: (skip) => {
        screen++;
        if (skip) skippedScreens.add(screen);
      },
      take: () => {
        const e = events;
        events = [];
        return e;
      },
    },
  };
}

/** What is wrong on the screen (or inside `root`, an open dialog) now, one line per finding. */
async function inspect(probe: Probe, lang: Lang, root = "body"): Promise<string[]> {
  const texts = [...new Set((await probe.page.evaluate(VISIBLE_TEXT(root))) as string[])];
  // one line per kind of finding, with its first example and how often it occurs on the screen
  const found = new Map<string, { example: string; n: number }>();
  for (const text of texts)
    for (const [what, re] of CHECKS)
      for (const m of text.matchAll(re)) {
        const at = m.index ?? 0;
        const context = text.slice(Math.max(0, at - 30), at + m[0].length + 30).replace(/\s+/g, " ");
        const shape = `${what} ${context.replace(/\b[a-z]{2,5}_[0-9A-Z]{26}\b/g, "<id>").replace(/\d/g, "9")}`;
        const f = found.get(shape) ?? { example: `${what} "${m[0]}" in "${context}"`, n: 0 };
        f.n++;
        found.set(shape, f);
      }
  const leaks = english.get(lang);
  for (const text of texts)
    if (leaks?.has(text)) found.set(`english ${text}`, { example: `English "${text}" in ${lang}`, n: 1 });
  const lines = [...found.values()].map((f) => (f.n > 1 ? `${f.example} (×${f.n})` : f.example));
  return [...lines, ...new Set(probe.take())];
}

/** Buttons of the screen that open a dialog, by their words (one per kind: a row's "Place" stands for every row's). */
const OPENERS = `[...new Set([...document.querySelectorAll('main [aria-haspopup="dialog"]:not([disabled]), .page [aria-haspopup="dialog"]:not([disabled])')]
  .filter((b) => b.checkVisibility() && !b.closest("dialog"))
  .map((b) => b.textContent.trim()))]`;

/**
 * Opens each form the screen offers, inspects the open dialog and closes it with Escape (nothing is submitted).
 * Returns one list of findings per dialog, labelled by the button that opened it.
 */
async function dialogs(probe: Probe, lang: Lang): Promise<[string, string[]][]> {
  const out: [string, string[]][] = [];
  const labels = (await probe.page.evaluate(OPENERS)) as string[];
  for (const label of labels) {
    const button = probe.page
      .locator(
        'main [aria-haspopup="dialog"]:not([disabled]), .page [aria-haspopup="dialog"]:not([disabled])',
      )
      .filter({ hasText: label })
      .first();
    if (!(await button.isVisible())) continue;
    await button.click();
    const open = probe.page.locator("dialog[open]").first();
    try {
      await open.waitFor({ timeout: 5_000 });
    } catch {
      out.push([label, [`the button "${label}" opened no dialog`, ...probe.take()]]);
      continue;
    }
    await probe.settle();
    out.push([label, await inspect(probe, lang, "dialog[open]")]);
    await probe.page.keyboard.press("Escape");
    await open.waitFor({ state: "detached", timeout: 5_000 }).catch(() => undefined);
  }
  return out;
}

/** In-app navigation, as a link does (a reload would lose the e2e session). */
async function go(probe: Probe, path: string) {
  await probe.page.evaluate(
    `history.pushState(null, "", ${JSON.stringify(path)}); dispatchEvent(new PopStateEvent("popstate"))`,
  );
  await probe.settle();
}

/**
 * Crawls the menu entries of `email`'s menu in `lang`; with `part` = [k, n], only every n-th entry from the k-th
 * (0-based): the n parts of a role's menu together are the whole of it, each in a browser session of its own.
 */
async function crawl(
  lang: Lang,
  email: string,
  withDialogs: boolean,
  [part, parts]: [number, number] = [0, 1],
  crawledBy: string[] = [],
) {
  // the menus of the roles crawled in this language already (signed in apart: a menu is the same in every language)
  const crawled = new Set((await Promise.all(crawledBy.map(menuOf))).flat());
  const { close, probe } = await openAs(lang, email);
  const findings: string[] = [];
  const visited: string[] = [];
  const note = (screen: string, lines: string[]) =>
    lines.forEach((l) => findings.push(`[${lang} ${email} ${screen}] ${l}`));
  try {
    note("sign-in", await inspect(probe, lang));
    const openDialogs = async (screen: string, key: string) => {
      if (!withDialogs || notYet(email, `${key}:dialogs`)) return;
      for (const [label, lines] of await dialogs(probe, lang)) {
        visited.push(`${screen}⟶[${label}]`);
        note(`${screen} ⟶ dialog "${label}"`, lines);
      }
    };
    const entries = (await probe.page.evaluate(MENU)) as string[];
    expect(entries.length).toBeGreaterThan(0);
    const mine = entries.filter((href) => !crawled.has(href));
    if (crawledBy.length) expect(mine.length, "screens only this role sees").toBeGreaterThan(0);
    for (const href of mine.filter((_, i) => i % parts === part)) {
      probe.enter(notYet(email, href));
      await probe.page.locator(`nav.sidenav a[href="${href}"]`).click();
      await probe.settle();
      if (notYet(email, href)) probe.take();
      else {
        note(href, await inspect(probe, lang));
        visited.push(href);
        await openDialogs(href, href);
      }
      // the page of the grid's first record
      const id = (await probe.page.evaluate(ROW_ID)) as string | null;
      if (!id || notYet(email, `${href}:record`)) continue;
      visited.push(`${href}/${id}`);
      probe.enter(false);
      await go(probe, `${href}/${id}`);
      note(`${href}/${id}`, await inspect(probe, lang));
      await openDialogs(`${href}/${id}`, `${href}:record`);
    }
  } finally {
    await close();
  }
  console.log(`crawled ${lang} ${email}: ${visited.join(" ")}`);
  return findings;
}

/** The menu entries a role's crawl inspects (memoised: the crawls of one run ask for the same menus). */
const menus = new Map<string, Promise<string[]>>();
function menuOf(email: string): Promise<string[]> {
  let menu = menus.get(email);
  if (!menu) {
    menu = (async () => {
      const { close, probe } = await openAs("en", email);
      try {
        return ((await probe.page.evaluate(MENU)) as string[]).filter((href) => !notYet(email, href));
      } finally {
        await close();
      }
    })();
    menus.set(email, menu);
  }
  return menu;
}

/**
 * Each role, and the language it is crawled in with its dialogs. The admin, who sees every screen, is also crawled
 * in the three other languages (screens and record pages, without dialogs), so that every screen is crawled in each
 * of en/es/fr/ar: in a language where other roles are crawled already (supervisor in fr; caseworker and finance in
 * ar), only the screens of the admin's menu that none of them has (operations, staff, fields, partners…), not theirs
 * a second time. The languages differ across roles so that each of es/fr/ar is crawled with dialogs. A word missing
 * in a language is what `web/src/i18n/dictionary.test.ts` fails on, for every screen and dialog; what the crawl
 * finds beyond that (English written into a screen instead of a dictionary, codes, IDs, times, errors, failed
 * requests) does not depend on the language, and each role's screens and dialogs are crawled once.
 */
const ADMIN = "admin@example.org";
const ROLES: [email: string, lang: Lang][] = [
  [ADMIN, "es"],
  ["caseworker@example.org", "ar"],
  ["supervisor@example.org", "fr"],
  ["finance@example.org", "ar"],
  ["interpreter@example.org", "es"],
];
/**
 * The roles whose crawl with dialogs is long (the admin opens about 70 dialogs; 220–300 s each under load) are
 * crawled in two sessions, each with every other menu entry, so that no one test holds the crawl up alone.
 */
const PARTS: Record<string, number> = {
  [ADMIN]: 2,
  "caseworker@example.org": 2,
  "supervisor@example.org": 2,
};
interface Run {
  email: string;
  lang: Lang;
  withDialogs: boolean;
  part: [number, number];
  /** Roles crawled in this language already, whose menu entries this run leaves out. */
  crawledBy: string[];
}
const RUNS: Run[] = [
  ...ROLES.flatMap(([email, lang]) => {
    const n = PARTS[email] ?? 1;
    return Array.from({ length: n }, (_, k): Run => ({
      email,
      lang,
      withDialogs: true,
      part: [k, n],
      crawledBy: [],
    }));
  }),
  ...Languages.filter((l) => !ROLES.some(([e, lang]) => e === ADMIN && lang === l)).map((lang): Run => ({
    email: ADMIN,
    lang,
    withDialogs: false,
    part: [0, 1],
    crawledBy: ROLES.filter(([e, l]) => l === lang && e !== ADMIN).map(([e]) => e),
  })),
];

// Concurrent: each test is its own browser context on the same stack and reads only, so three sessions run side by
// side (the e2e project's maxConcurrency) while one waits for a screen to settle.
describe.concurrent("every screen, in every language, for each role", () => {
  for (const { email, lang, withDialogs, part, crawledBy } of RUNS)
    it(`${lang}: ${email.split("@")[0]} sees no key, field name, code, raw ID, ISO time, error or failed request${withDialogs ? " (with dialogs)" : ""}${part[1] > 1 ? ` (menu part ${part[0] + 1} of ${part[1]})` : ""}${crawledBy.length ? ` (screens no other role's crawl in ${lang} opens)` : ""}`, async ({
      expect,
    }) => {
      const findings = await crawl(lang, email, withDialogs, part, crawledBy);
      expect(findings, findings.join("\n")).toEqual([]);
    }, 300_000);
});
