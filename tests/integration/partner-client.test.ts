import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import createClient from "openapi-fetch";
import openapiTS, { astToString } from "openapi-typescript";
import { format } from "prettier";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { app } from "@waypoint/functions";
import { Referral } from "@waypoint/core";
import type { paths } from "../support/partner-api";
import { as, createPartnerKey, createTestOperation, type TestOperation } from "../support/fixtures.ts";

const root = join(import.meta.dirname, "..", "..");
let server: ServerType;
let base: string;
let ops: TestOperation;
let a: Awaited<ReturnType<typeof createPartnerKey>>;
let b: Awaited<ReturnType<typeof createPartnerKey>>;
let docText: string;

/** A partner's integration: the typed client generated from our published document, over real HTTP. */
const client = (key: string) =>
  createClient<paths>({ baseUrl: `${base}/v1`, headers: { authorization: `Bearer ${key}` } });

beforeAll(async () => {
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve());
  });
  // longer than the slowest test, so fetch's pooled connection is never closed under it (ECONNRESET)
  (server as import("node:http").Server).keepAliveTimeout = 120_000;
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ops = await createTestOperation();
  a = await createPartnerKey(
    ops.operationID,
    ["referrals:write", "referrals:read", "referrals:respond", "intake:kobo"],
    "Client A",
  );
  b = await createPartnerKey(ops.operationID, ["referrals:read", "referrals:respond"], "Client B");
  docText = await (await fetch(`${base}/v1/openapi.json`)).text();
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("the published partner API document", () => {
  it("lints clean with @redocly/cli", () => {
    const dir = mkdtempSync(join(tmpdir(), "waypoint-oas-"));
    writeFileSync(join(dir, "v1.json"), docText);
    const run = spawnSync("npx", ["redocly", "lint", join(dir, "v1.json"), "--format", "stylish"], {
      cwd: root,
      encoding: "utf8",
    });
    const out = `${run.stdout}\n${run.stderr}`;
    expect(run.status, out).toBe(0);
    expect(out).toContain("Your API description is valid");
    expect(out).not.toMatch(/\d+ (warning|error)s?\b/i);
  }, 60_000);

  it("the committed typed client is what openapi-typescript generates from the live document", async () => {
    const generated = astToString(await openapiTS(JSON.parse(docText)));
    const file = join(root, "tests", "support", "partner-api.d.ts");
    const normalise = (s: string) => format(s, { parser: "typescript", filepath: file });
    expect(await normalise(generated)).toBe(await normalise(readFileSync(file, "utf8")));
  });

  it("serves self-contained interactive docs (no CDN) at /v1/docs", async () => {
    const res = await fetch(`${base}/v1/docs`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("openapi.json");
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="https?:/);
  });
});

describe("a partner integrating with the typed client", () => {
  it("refers, retries safely, reads back and lists its referral", async () => {
    const api = client(a.key);
    const key = `client-${Date.now()}`;
    const body = {
      person: {
        givenName: "Yara",
        familyName: "Aziz",
        sex: "female" as const,
        dateOfBirth: "1990-04-02",
        languages: ["ara"],
      },
      consent: { dataSharing: true as const, date: "2026-11-20" },
      serviceCategory: "psychosocial" as const,
      narrative: "Requests counselling.",
    };
    const first = await api.POST("/referrals", { body, params: { header: { "idempotency-key": key } } });
    expect(first.response.status).toBe(201);
    const again = await api.POST("/referrals", { body, params: { header: { "idempotency-key": key } } });
    expect(again.data?.id).toBe(first.data?.id);
    const id = first.data!.id;
    const got = await api.GET("/referrals/{id}", { params: { path: { id } } });
    expect(got.data?.status).toBe("pending");
    expect(got.data?.narrative).toBe("Requests counselling.");
    const list = await api.GET("/referrals", { params: { query: { box: "sent", status: "pending" } } });
    expect(list.data?.items.map((r) => r.id)).toContain(id);
    const hidden = await client(b.key).GET("/referrals/{id}", { params: { path: { id } } });
    expect(hidden.response.status).toBe(404);
    expect(hidden.error?.status).toBe(404);
    const refused = await api.POST("/referrals", {
      body: { ...body, consent: { dataSharing: false as never, date: "2026-11-20" } },
    });
    expect(refused.response.status).toBe(422);
    expect(refused.error?.errors?.[0]?.path).toBe("consent.dataSharing");
  });

  it("answers a referral addressed to it and follows the changes", async () => {
    const staff = await as(ops.users.caseworker.actor, () =>
      Referral.create({
        officeID: ops.officeA,
        toOrganisationID: b.organisationID,
        serviceCategory: "legal",
        reason: "Legal aid",
        consent: { given: true, date: "2026-11-20" },
      }),
    );
    const api = client(b.key);
    const inbox = await api.GET("/referrals", { params: { query: { box: "received" } } });
    expect(inbox.data?.items.map((r) => r.id)).toContain(staff.referralID);
    const declined = await api.POST("/referrals/{id}/decline", {
      params: { path: { id: staff.referralID } },
      body: { reason: "Outside our catchment area" },
    });
    expect(declined.data?.status).toBe("declined");
    expect(declined.data?.declineReason).toBe("Outside our catchment area");
    const late = await api.POST("/referrals/{id}/accept", {
      params: { path: { id: staff.referralID } },
      body: {},
    });
    expect(late.response.status).toBe(422);
  });

  it("registers a webhook, sends a Kobo submission and a public expression of interest", async () => {
    const api = client(a.key);
    const hook = await api.PUT("/webhook", { body: { url: "http://127.0.0.1:9/none" } });
    expect(hook.data?.secret).toMatch(/^whsec_/);
    const kobo = await api.POST("/intake/kobo/{formId}", {
      params: { path: { formId: "client-form" } },
      body: { "meta/instanceID": `uuid:client-${Date.now()}`, name: "x" },
    });
    expect(kobo.response.status).toBe(201);
    expect(kobo.data?.outcome).toBe("queued");
    const pub = createClient<paths>({ baseUrl: `${base}/v1` });
    const consent = await pub.GET("/public/interest/consent", { params: { query: { lang: "fr" } } });
    expect(consent.data?.text).toMatch(/J'accepte/);
    const interest = await pub.POST("/public/interest", {
      body: {
        operation: "NONE",
        givenName: "Marie",
        familyName: "Joseph",
        email: "marie@example.org",
        language: "fr",
        consent: true,
        consentVersion: consent.data!.version,
      },
    });
    expect(interest.response.status).toBe(202);
    expect(interest.data?.status).toBe("received");
  });
});
