import { describe, expect, it } from "vitest";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { Actor, Audit, config, Organisation, resetConfig, Table } from "@waypoint/core";
import { ensureTable } from "../../packages/local/src/bootstrap.ts";
import { as, call, createPartnerKey, createTestOperation, system } from "../support/fixtures.ts";

const client = () =>
  new DynamoDBClient({
    endpoint: process.env.WAYPOINT_DYNAMO_ENDPOINT,
    region: "local",
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });

describe("table bootstrap", () => {
  it("creates the table with every GSI once, and is a no-op the second time", async () => {
    const c = client();
    const name = `boot-${Date.now()}`;
    const first = await ensureTable(c, name);
    expect(first).toEqual({ created: true, addedIndexes: Object.keys(Table.indexes) });
    const second = await ensureTable(c, name);
    expect(second).toEqual({ created: false, addedIndexes: [] });
    const t = await c.send(new DescribeTableCommand({ TableName: name }));
    expect(t.Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName).sort()).toEqual(
      Object.keys(Table.indexes).sort(),
    );
    c.destroy();
  });
});

describe("health", () => {
  it("answers 200 when the table is reachable", async () => {
    const res = await call("GET", "/health");
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: "ok", table: true });
  });

  it("answers 503 when the table is missing", async () => {
    const before = process.env.WAYPOINT_TABLE;
    process.env.WAYPOINT_TABLE = "no-such-table";
    resetConfig();
    try {
      expect(config().tableName).toBe("no-such-table");
      const res = await call("GET", "/health");
      expect(res.status).toBe(503);
    } finally {
      process.env.WAYPOINT_TABLE = before;
      resetConfig();
    }
  });
});

describe("an unreachable database", () => {
  it("is a 503 problem, not a 500, on an API call", async () => {
    const op = await createTestOperation();
    const before = process.env.WAYPOINT_DYNAMO_ENDPOINT;
    process.env.WAYPOINT_DYNAMO_ENDPOINT = "http://127.0.0.1:9";
    resetConfig();
    try {
      const res = await call("GET", "/api/individuals", { token: op.users.admin.token });
      expect(res.status).toBe(503);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.json.type).toContain("unavailable");
    } finally {
      process.env.WAYPOINT_DYNAMO_ENDPOINT = before;
      resetConfig();
    }
  });
});

describe("staff authentication", () => {
  it("refuses API calls without a token, with problem+json", async () => {
    const res = await call("GET", "/api/me");
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.json.type).toContain("unauthorized");
  });

  it("refuses a forged token", async () => {
    const op = await createTestOperation();
    const [h, p] = op.users.admin.token.split(".");
    const res = await call("GET", "/api/me", { token: `${h}.${p}.${"A".repeat(43)}` });
    expect(res.status).toBe(401);
  });

  it("signs a demo user in with e-mail and password and knows who they are", async () => {
    const op = await createTestOperation();
    const login = await call("POST", "/auth/login", {
      body: { email: op.users.caseworker.email, password: "pw-test" },
    });
    expect(login.status).toBe(200);
    const me = await call("GET", "/api/me", { token: login.json.token });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({
      role: "caseworker",
      operationID: op.operationID,
      officeIDs: [op.officeA],
    });
  });

  it("gives the same answer for a wrong password and an unknown e-mail", async () => {
    const op = await createTestOperation();
    const wrong = await call("POST", "/auth/login", {
      body: { email: op.users.admin.email, password: "nope" },
    });
    const unknown = await call("POST", "/auth/login", {
      body: { email: "nobody@example.org", password: "nope" },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json.detail).toBe(unknown.json.detail);
  });

  it("rejects a malformed sign-in with field paths", async () => {
    const res = await call("POST", "/auth/login", { body: { email: "not-an-email" } });
    expect(res.status).toBe(422);
    expect(res.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(["email", "password"]);
  });

  it("answers 400, not 500, to a body that is not JSON", async () => {
    const res = await call("POST", "/auth/login", { body: "{not json" });
    expect([400, 422]).toContain(res.status);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });

  it("lets an admin create an office and refuses a caseworker (403), storing nothing", async () => {
    const op = await createTestOperation();
    const refused = await call("POST", "/api/offices", {
      token: op.users.caseworker.token,
      body: { code: "GDL", name: "Guadalajara" },
    });
    expect(refused.status).toBe(403);
    const created = await call("POST", "/api/offices", {
      token: op.users.admin.token,
      body: { code: "GDL", name: "Guadalajara" },
    });
    expect(created.status).toBe(201);
    const list = await call("GET", "/api/offices", { token: op.users.viewer.token });
    expect(list.json.items.map((o: { code: string }) => o.code).sort()).toEqual(["GDL", "MTY", "TAP"]);
  });
});

describe("partner API keys", () => {
  it("are shown once, stored hashed, and authenticate with their scopes", async () => {
    const op = await createTestOperation();
    const key = await createPartnerKey(op.operationID, ["referrals:read"]);
    expect(key.key).toMatch(/^wpk_[0-9A-Z]{26}_[A-Za-z0-9_-]{43}$/);
    const actor = await Organisation.authenticate(key.key);
    expect(actor).toMatchObject({
      type: "partner",
      organisationID: key.organisationID,
      scopes: ["referrals:read"],
    });
    await as(actor, async () => {
      expect(() => Actor.assertPartnerScope("referrals:read")).not.toThrow();
      expect(() => Actor.assertPartnerScope("referrals:write")).toThrow(/lacks scope referrals:write/);
    });
  });

  it("refuses a tampered or revoked key", async () => {
    const op = await createTestOperation();
    const key = await createPartnerKey(op.operationID, ["referrals:write"]);
    const tampered = key.key.slice(0, -2) + (key.key.endsWith("AA") ? "BB" : "AA");
    await expect(Organisation.authenticate(tampered)).rejects.toThrow(/Invalid API key/);
    await as(system, () => Organisation.revokeKey(key.keyID));
    await expect(Organisation.authenticate(key.key)).rejects.toThrow(/Invalid API key/);
    const res = await call("GET", "/v1/anything", { token: key.key });
    expect(res.status).toBe(401);
  });
});

describe("audit", () => {
  it("records events and serves a record's history only to roles that may read audit", async () => {
    const op = await createTestOperation();
    await as(op.users.caseworker.actor, () =>
      Audit.record({
        recordID: "ind_TEST",
        recordType: "individual",
        action: "read",
        operationID: op.operationID,
        officeID: op.officeA,
        restricted: true,
      }),
    );
    const hist = await as(op.users.supervisor.actor, () =>
      Audit.history({ recordID: "ind_TEST" }, { operationID: op.operationID, officeID: op.officeA }),
    );
    expect(hist.items).toHaveLength(1);
    expect(hist.items[0]).toMatchObject({ actorID: op.users.caseworker.userID, action: "read" });
    await expect(
      as(op.users.caseworker.actor, () => Audit.history({ recordID: "ind_TEST" })),
    ).rejects.toMatchObject({ status: 403, action: "audit.read" });
  });

  it("pages a history with signed cursors that refuse tampering and reuse on another record", async () => {
    const op = await createTestOperation();
    const recordID = `ind_PAGE${Date.now()}`;
    for (let i = 0; i < 3; i++) {
      await as(op.users.caseworker.actor, () =>
        Audit.record({
          recordID,
          recordType: "individual",
          action: `read${i}`,
          operationID: op.operationID,
          officeID: op.officeA,
        }),
      );
    }
    const target = { operationID: op.operationID, officeID: op.officeA };
    const first = await as(op.users.supervisor.actor, () => Audit.history({ recordID, limit: 2 }, target));
    expect(first.items.map((e) => e.action)).toEqual(["read0", "read1"]);
    // opaque: iv.ciphertext.tag, base64url (encrypted and bound to its query, see common/cursor.ts)
    expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const second = await as(op.users.supervisor.actor, () =>
      Audit.history({ recordID, limit: 2, cursor: first.nextCursor! }, target),
    );
    expect(second.items.map((e) => e.action)).toEqual(["read2"]);
    const tampered = `${first.nextCursor!.slice(0, -2)}xx`;
    await expect(
      as(op.users.supervisor.actor, () => Audit.history({ recordID, cursor: tampered }, target)),
    ).rejects.toThrow(/cursor/);
    await expect(
      as(op.users.supervisor.actor, () =>
        Audit.history({ recordID: "ind_OTHER", cursor: first.nextCursor! }, target),
      ),
    ).rejects.toThrow(/cursor/);
  });
});
