import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Hono } from "hono";
import { app } from "@waypoint/functions";
import { domainFor, domains, type Domain } from "../../functions/src/domains.ts";
import { createApp } from "../../functions/src/shell.ts";

/**
 * The Lambda serves each request from its domain's app (functions/src/lambda.ts); `npm start` and the tests
 * serve the full app. These checks make the two answer every route the same way.
 */
type RouterRoute = { method: string; path: string; handler: unknown };
type Matched = [[unknown, RouterRoute], unknown][];

/** The first route (not middleware) Hono would run for this request, as it resolves routes in mount order. */
function firstRoute(a: Hono, method: string, path: string): RouterRoute | undefined {
  const [matches] = (a.router as { match(m: string, p: string): [Matched] }).match(method, path);
  return matches.map(([[, route]]) => route).find((r) => r.method !== "ALL");
}

const concrete = (pattern: string) => pattern.replace(/:[A-Za-z]+/g, "x1");
const isDocs = (path: string) => /^\/(api|v1)\/openapi\.json$/.test(path);

const domainApps = new Map<string, Promise<Hono>>();
function appOf(d: Domain): Promise<Hono> {
  let a = domainApps.get(d.name);
  if (!a)
    domainApps.set(
      d.name,
      (a = d.load().then((m) => createApp(m, { quickRouter: true }) as unknown as Hono)),
    );
  return a;
}

const routes = app.routes.filter((r) => r.method !== "ALL");

describe("API domains (what the Lambda loads per request)", () => {
  it("the full app has the routes we expect to split", () => {
    expect(routes.length).toBeGreaterThan(200);
  });

  it("every route is served by the domain its path maps to, with the handler the full app runs", async () => {
    let checked = 0;
    for (const r of routes) {
      const path = concrete(r.path);
      const d = domainFor(path);
      if (isDocs(path)) {
        expect(d, path).toBeUndefined(); // the documents list every route: the full app serves them
        continue;
      }
      expect(d, `${r.method} ${r.path} has no domain`).toBeDefined();
      const inFull = firstRoute(app as unknown as Hono, r.method, path);
      const inDomain = firstRoute(await appOf(d!), r.method, path);
      expect(inDomain?.path, `${r.method} ${r.path} in domain ${d!.name}`).toBe(inFull?.path);
      expect(inDomain?.handler === inFull?.handler, `${r.method} ${r.path}: same handler`).toBe(true);
      checked++;
    }
    expect(checked).toBe(routes.length - 2);
  });

  it("a domain serves only paths that map to it (no route is unreachable on Lambda)", async () => {
    for (const d of domains) {
      // /health is the shell's own route, in every app.
      const own = (await appOf(d)).routes.filter((r) => r.method !== "ALL" && r.path !== "/health");
      for (const r of own) expect(domainFor(concrete(r.path))?.name, `${r.path} in ${d.name}`).toBe(d.name);
    }
  });

  it("maps by whole segments, longest prefix first, and leaves unknown paths to the full app", () => {
    expect(domainFor("/api/reports/relocations")?.name).toBe("relocation");
    expect(domainFor("/api/reports/caseload")?.name).toBe("reports");
    expect(domainFor("/api/exports/audit")?.name).toBe("reports");
    expect(domainFor("/api/exports/exp_1/download")?.name).toBe("payments");
    expect(domainFor("/api/individualsX")).toBeUndefined();
    expect(domainFor("/api/nothing-here")).toBeUndefined();
    expect(domainFor("/health")?.name).toBe("health");
  });

  it("no module of the API or of core imports a package's barrel (which would load every domain at once)", () => {
    // A bundler keeps everything a barrel re-exports in the chunk that imports the barrel: one `from
    // "@waypoint/core"` in the shell put all of core in the Lambda's cold start. Import the module instead,
    // e.g. "@waypoint/core/individual/index" or "@waypoint/schema/registry".
    const root = join(import.meta.dirname, "..", "..");
    const files = (dir: string): string[] =>
      readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
        .map((f) => join(dir, f));
    const offenders = [...files("functions/src"), ...files("packages/core/src")].filter((f) =>
      /from "@waypoint\/(core|schema)"/.test(readFileSync(join(root, f), "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});
