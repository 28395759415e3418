import { describe, expect, it } from "vitest";
import { scopeFor, type Action } from "@waypoint/core";
import { Roles } from "@waypoint/schema";
import { call, createTestOperation } from "../support/fixtures.ts";
import { caseWith, people } from "../support/programmes.ts";

describe("programme API", () => {
  it("documents every programme route in the staff OpenAPI document", async () => {
    const op = await createTestOperation();
    const doc = (await call("GET", "/api/openapi.json", { token: op.users.admin.token })).json;
    for (const path of [
      "/resettlement",
      "/resettlement/{submissionID}/transition",
      "/resettlement/{submissionID}/review",
      "/resettlement/{submissionID}/flags/{flagID}/resolve",
      "/resettlement/{submissionID}/interview",
      "/quotas/progress",
      "/assessments/{assessmentID}/review",
      "/bip/queue",
      "/hosts",
      "/placements",
      "/host-visits/{visitID}/complete",
      "/hosting/allowances",
      "/returns",
      "/returns/{returnID}/plan",
      "/invoices/{invoiceID}/decision",
      "/avrr/monthly",
      "/avrr/inconsistencies",
    ])
      expect(Object.keys(doc.paths), path).toContain(path);
  });

  it("follows the permission table for every role (read lists, create, review)", async () => {
    const op = await createTestOperation();
    const [p] = await people(op, [{ age: 30, relationshipToHead: "head" }]);
    const c = await caseWith(op, "resettlement", [p!.individualID]);
    const may = (role: (typeof Roles)[number], action: Action) => scopeFor(role, action) !== undefined;
    for (const role of Roles) {
      const token = op.users[role].token;
      const list = await call("GET", "/api/resettlement", { token });
      expect(list.status, `${role} list`).toBe(may(role, "programme.read") ? 200 : 403);
      if (list.status === 200) expect(list.json).toHaveProperty("nextCursor");
      const hosts = await call("GET", "/api/hosts", { token });
      expect(hosts.status, `${role} hosts`).toBe(may(role, "programme.read") ? 200 : 403);
      const created = await call("POST", "/api/resettlement", {
        token,
        body: { caseID: c.caseID, programme: "rst", country: "BRA", quotaYear: 2026, primaryCategory: "LAI" },
      });
      expect(created.status, `${role} create`).toBe(may(role, "programme.update") ? 201 : 403);
    }
    // bad input is refused with field paths and stores nothing
    const bad = await call("POST", "/api/resettlement", {
      token: op.users.caseworker.token,
      body: { caseID: c.caseID, programme: "pta", country: "usa", quotaYear: 2026, primaryCategory: "XYZ" },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      "country",
      "primaryCategory",
    ]);
    const noTransit = await call("POST", "/api/resettlement", {
      token: op.users.caseworker.token,
      body: { caseID: c.caseID, programme: "pta", country: "USA", quotaYear: 2026, primaryCategory: "LPN" },
    });
    expect(noTransit.json.errors[0].path).toBe("transitCountry");
    const all = await call("GET", `/api/resettlement?caseID=${c.caseID}`, {
      token: op.users.supervisor.token,
    });
    expect(all.json.items.length).toBe(Roles.filter((r) => may(r, "programme.update")).length);
    // bulk PATCH answers per row
    const [first] = all.json.items;
    const bulk = await call("PATCH", "/api/resettlement", {
      token: op.users.caseworker.token,
      body: {
        rows: [
          { id: first.submissionID, version: first.version, changes: { priority: "emergency" } },
          { id: first.submissionID, version: first.version, changes: { priority: "urgent" } },
          { id: first.submissionID, version: first.version + 1, changes: { country: "nope" } },
        ],
      },
    });
    expect(bulk.json.results.map((r: { status: string }) => r.status).sort()).toEqual([
      "conflict",
      "invalid",
      "saved",
    ]);
  });
});
