import { beforeAll, describe, expect, it } from "vitest";
import { AuditEntity } from "../../packages/core/src/audit/audit.entity.ts";
import { call, createTestOperation, type TestOperation } from "../support/fixtures.ts";

let op: TestOperation;
beforeAll(async () => {
  op = await createTestOperation();
});

describe("exports of a grid view", () => {
  it("a registry admin's export is allowed and leaves an audit event with rows and fields", async () => {
    const res = await call("POST", "/api/exports/audit", {
      token: op.users.admin.token,
      body: { resource: "individuals", format: "xlsx", rowCount: 42, fields: ["givenName", "sex"] },
    });
    expect(res.status).toBe(200);
    const events = await AuditEntity.query.byOperation({ operationID: op.operationID }).go({ pages: "all" });
    const ev = events.data.find((e) => e.action === "export.view");
    expect(ev?.actorID).toBe(op.users.admin.userID);
    expect(ev?.changes).toMatchObject({ rowCount: { after: 42 }, fields: { after: ["givenName", "sex"] } });
  });

  it("an interpreter may not export the registry, and nothing is audited as an export", async () => {
    const res = await call("POST", "/api/exports/audit", {
      token: op.users.interpreter.token,
      body: { resource: "individuals", format: "csv", rowCount: 1, fields: [] },
    });
    expect(res.status).toBe(403);
    const events = await AuditEntity.query
      .byActor({ actorID: op.users.interpreter.userID })
      .go({ pages: "all" });
    expect(events.data.filter((e) => e.action === "export.view")).toHaveLength(0);
  });

  it("an unknown collection is refused with the failing field", async () => {
    const res = await call("POST", "/api/exports/audit", {
      token: op.users.admin.token,
      body: { resource: "secrets", format: "csv", rowCount: 1, fields: [] },
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain("resource");
  });
});
