import { describe, expect, it } from "vitest";
import { call } from "../support/fixtures.ts";

/**
 * The OpenAPI documents resolve: every path, under the document's server URL, reaches a route of the app (a
 * generated client that calls `servers[0].url + path` finds it). Without a token a staff route answers 401 and a
 * partner route 401 (or its own answer for public paths); a path no route serves is the app's "route not found".
 */
const METHODS = ["get", "post", "put", "patch", "delete"] as const;
const notARoute = (r: Awaited<ReturnType<typeof call>>) =>
  r.status === 404 && String(r.json?.detail ?? "").startsWith("route ");

async function unresolved(docPath: string) {
  const doc = (await call("GET", docPath)).json as {
    servers?: { url: string }[];
    paths: Record<string, Record<string, unknown>>;
  };
  expect(doc.servers?.length, `${docPath} has a server`).toBeGreaterThan(0);
  const base = doc.servers![0]!.url;
  const missing: string[] = [];
  for (const [path, item] of Object.entries(doc.paths))
    for (const m of METHODS.filter((x) => x in item)) {
      const url = base + path.replace(/\{[^}]+\}/g, "x_01NOSUCHRECORD0000000000000");
      const res = await call(m.toUpperCase(), url, m === "get" || m === "delete" ? {} : { body: {} });
      if (notARoute(res)) missing.push(`${m.toUpperCase()} ${url}`);
    }
  return { base, count: Object.keys(doc.paths).length, missing };
}

describe("OpenAPI documents resolve under their server URL", () => {
  it("staff: every path of /api/openapi.json is served at /api + path", async () => {
    const { base, count, missing } = await unresolved("/api/openapi.json");
    expect(base).toBe("/api");
    expect(count).toBeGreaterThan(50);
    expect(missing).toEqual([]);
    // the check tells a route from a missing one: the path without the server URL is not served
    expect(notARoute(await call("GET", "/individuals"))).toBe(true);
  });

  it("partner: every path of /v1/openapi.json is served at /v1 + path", async () => {
    const { base, missing } = await unresolved("/v1/openapi.json");
    expect(base).toBe("/v1");
    expect(missing).toEqual([]);
  });
});
