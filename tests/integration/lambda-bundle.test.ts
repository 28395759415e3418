/**
 * The API Lambda as deployed: built like infra/api.ts builds it (code splitting, the build-time plugins of
 * infra/esbuild-plugins.mjs), imported, and invoked with Function URL events against the real DynamoDB Local.
 * Guards that the trims keep the artefact working: zod speaks English without its other locales, ElectroDB
 * entities construct without the `jsonschema` self-check, and lazily loaded chunks (ExcelJS) load on demand.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from "aws-lambda";
import { app } from "@waypoint/functions";
import { User } from "@waypoint/core";
import { buildLambda, inputsOf, root, type LambdaBuild } from "../support/lambda-bundle.ts";
import { as, createTestOperation, system, type TestOperation } from "../support/fixtures.ts";

type Handler = (e: APIGatewayProxyEventV2, c: Context) => Promise<APIGatewayProxyResultV2>;
type Result = {
  statusCode: number;
  body: string;
  headers: Record<string, string>;
  isBase64Encoded?: boolean;
};

function event(
  method: string,
  url: string,
  opts: { body?: unknown; token?: string } = {},
): APIGatewayProxyEventV2 {
  const [path, query = ""] = url.split("?");
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path!,
    rawQueryString: query,
    headers: {
      host: "abc123.lambda-url.eu-west-1.on.aws",
      "content-type": "application/json",
      "x-forwarded-proto": "https",
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: "abc123.lambda-url.eu-west-1.on.aws",
      domainPrefix: "abc123",
      http: { method, path: path!, protocol: "HTTP/1.1", sourceIp: "203.0.113.9", userAgent: "test" },
      requestId: "req-bundle",
      routeKey: "$default",
      stage: "$default",
      time: "23/Nov/2026:02:00:00 +0000",
      timeEpoch: 1795399200000,
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    isBase64Encoded: false,
  };
}

let out: string;
let built: LambdaBuild;
let handler: Handler;
let op: TestOperation;
const invoke = async (e: APIGatewayProxyEventV2) => (await handler(e, {} as Context)) as Result;

beforeAll(async () => {
  // Inside the repository, so the external `@aws-sdk/*` packages resolve from node_modules as on Lambda.
  const parent = join(root, "tests", "bench", "out");
  mkdirSync(parent, { recursive: true }); // git-ignored: absent on a fresh clone
  out = mkdtempSync(join(parent, "lambda-bundle-test-"));
  built = await buildLambda(
    "api",
    { file: join(root, "functions", "src", "lambda.ts") },
    { outdir: out, splitting: true },
  );
  handler = ((await import(pathToFileURL(built.entry).href)) as { handler: Handler }).handler;
  op = await createTestOperation();
}, 120_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("API Lambda bundle (as deployed)", () => {
  it("keeps heavy, rarely used libraries and zod's translations out of the code a cold start loads", () => {
    const eager = inputsOf(built.metafile, (o) => built.eager.has(o));
    const all = inputsOf(built.metafile, () => true);
    for (const lib of ["exceljs", "libphonenumber-js", "saxes", "csv-parse"]) {
      expect(
        eager.some((i) => i.includes(`node_modules/${lib}/`)),
        lib,
      ).toBe(false);
      expect(
        all.some((i) => i.includes(`node_modules/${lib}/`)),
        `${lib} still deployed`,
      ).toBe(true);
    }
    expect(all.filter((i) => /node_modules\/zod\/v4\/locales\/(?!en\.js)/.test(i))).toEqual([]);
    expect(all.some((i) => i.includes("node_modules/zod/v4/locales/en.js"))).toBe(true);
    expect(all.some((i) => i.includes("node_modules/jsonschema/"))).toBe(false);
    // The AWS SDK is loaded with require (no ESM import of it anywhere), and stays outside the bundle.
    const esmSdk = Object.values(built.metafile.outputs).flatMap((o) =>
      o.imports.filter((imp) => imp.path.startsWith("@aws-sdk/") && imp.kind !== "require-call"),
    );
    expect(esmSdk).toEqual([]);
    expect(all.some((i) => i.includes("node_modules/@aws-sdk/"))).toBe(false);
    expect(all).toContain("waypoint-aws-sdk:@aws-sdk/client-dynamodb");
  });

  it("answers health from the real table and validation errors in English, like the unbundled app", async () => {
    const health = await invoke(event("GET", "/health"));
    expect(health.statusCode).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: "ok", table: true });

    const bad = await invoke(event("POST", "/auth/login", { body: { email: "x" } }));
    const direct = await app.request("/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "x" }),
    });
    expect(bad.statusCode).toBe(422);
    const problem = JSON.parse(bad.body) as { errors: { path: string; message: string }[] };
    expect(problem.errors).toEqual(((await direct.json()) as { errors: unknown }).errors);
    expect(problem.errors.length).toBeGreaterThan(0);
    for (const e of problem.errors) expect(e.message).toMatch(/^[\x20-\x7e]+$/);
  });

  it("signs in with a password: Argon2id's native module is loaded at run time, not bundled (SST installs it)", async () => {
    const all = inputsOf(built.metafile, () => true);
    expect(all.some((i) => i.includes("node_modules/@node-rs/"))).toBe(false);
    const email = `bundle.${op.operationID.slice(-6)}@bundle.example.org`.toLowerCase();
    await as(system, () =>
      User.create({
        email,
        name: "Bundle Sign-in",
        password: "bundle-sign-in-password-3",
        grants: [{ operationID: op.operationID, role: "caseworker", officeIDs: [op.officeA] }],
      }),
    );
    const ok = await invoke(event("POST", "/auth/login", { body: { email, password: "bundle-sign-in-password-3" } }));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(JSON.parse(ok.body).token).toBeTruthy();
    const wrong = await invoke(event("POST", "/auth/login", { body: { email, password: "not-the-password-3" } }));
    expect(wrong.statusCode).toBe(401);
  });

  it("reads and writes records through ElectroDB entities built without the model self-check", async () => {
    const token = op.users.caseworker.token;
    const created = await invoke(
      event("POST", "/api/individuals", {
        token,
        body: {
          officeID: op.officeA,
          givenName: "Bundle",
          familyName: "Check",
          sex: "female",
          dateOfBirth: "1990-04-02",
          nationality: "HND",
        },
      }),
    );
    expect(created.statusCode, created.body).toBe(201);
    const { individualID, version } = JSON.parse(created.body) as { individualID: string; version: number };
    const got = await invoke(event("GET", `/api/individuals/${individualID}`, { token }));
    expect(got.statusCode).toBe(200);
    expect(JSON.parse(got.body)).toMatchObject({ individualID, givenName: "Bundle", version });
  });

  it("loads the ExcelJS chunk on demand for an XLSX export", async () => {
    const res = await invoke(
      event("GET", "/api/reports/individuals-agd?format=xlsx", { token: op.users.admin.token }),
    );
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers["content-type"]).toContain("spreadsheetml");
    expect(res.isBase64Encoded).toBe(true);
    // An XLSX file is a ZIP archive: "PK\x03\x04".
    expect(Buffer.from(res.body, "base64").subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  });

  it("a cold start loads the shell only; each domain's routes and core code load with its first request", () => {
    const eager = inputsOf(built.metafile, (o) => built.eager.has(o));
    const all = inputsOf(built.metafile, () => true);
    expect(
      eager.filter((i) => i.startsWith("functions/src/routes/") || i.startsWith("functions/src/domains/")),
    ).toEqual([]);
    for (const module of ["case", "payment", "relocation", "individual", "report", "referral"])
      expect(
        eager.filter((i) => i.startsWith(`packages/core/src/${module}/`)),
        module,
      ).toEqual([]);
    expect(all).toContain("functions/src/routes/individuals.ts");
    expect(all).toContain("packages/core/src/payment/index.ts");
  });

  it("answers every domain, and the paths no domain claims, exactly as the full app does", async () => {
    const same = async (method: string, url: string, body?: unknown) => {
      const viaLambda = await invoke(event(method, url, { body }));
      const direct = await app.request(url, {
        method,
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect(viaLambda.statusCode, `${method} ${url}`).toBe(direct.status);
      const text = await direct.text();
      const strip = (t: string) => t.replace(/"instance":"[^"]*"|"requestId":"[^"]*"/g, "");
      expect(strip(viaLambda.body), `${method} ${url}`).toBe(strip(text));
      return viaLambda;
    };
    // One request per domain that needs no credentials to be answered (a 401 comes after the domain loaded).
    for (const url of [
      "/api/me",
      "/api/individuals",
      "/api/cases",
      "/api/resettlement",
      "/api/relocations",
      "/api/kobo-forms",
      "/api/audit?recordID=ind_1",
      "/api/dashboard",
      "/api/payments",
    ])
      expect((await same("GET", url)).statusCode).toBe(401);
    expect((await same("POST", "/v1/referrals", {})).statusCode).toBe(401);
    expect((await same("POST", "/v1/public/interest", {})).statusCode).toBe(422);
    // Not claimed by a domain: the full app, loaded on demand.
    expect((await same("GET", "/api/no-such-list")).statusCode).toBe(401);
    expect((await same("GET", "/no-such-path")).statusCode).toBe(404);
    const doc = await invoke(event("GET", "/api/openapi.json"));
    expect(doc.statusCode).toBe(200);
    const direct = (await (await app.request("/api/openapi.json")).json()) as { paths: object };
    expect(Object.keys((JSON.parse(doc.body) as { paths: object }).paths)).toEqual(Object.keys(direct.paths));
  });

  it("the scheduled background Lambda, bundled as infra/webhooks.ts does, carries every job handler", async () => {
    // Handlers are a table (core/src/job/handlers.ts), not registrations at import that a bundler could drop.
    const dispatch = await buildLambda(
      "dispatch",
      { file: join(root, "functions", "src", "webhook-dispatch.ts") },
      { outdir: join(out, "dispatch"), splitting: false, plain: true },
    );
    const inputs = Object.keys(dispatch.metafile.inputs);
    expect(inputs).toContain("packages/core/src/job/handlers.ts");
    expect(inputs).toContain("packages/core/src/referral/match.ts");
    expect(inputs).toContain("packages/core/src/webhook/index.ts");
  });
});
