import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { dynamoClient } from "@waypoint/core/dynamo";
import { batchGet } from "@waypoint/core/common/batch-get";
import { IndividualEntity } from "@waypoint/core/individual/individual.entity";
import { people } from "@waypoint/core/resettlement/integrity";
import { call, createTestOperation, type TestOperation } from "../support/fixtures.ts";

/**
 * DynamoDB answers a BatchGetItem under throttling with some keys in `UnprocessedKeys`; ElectroDB hands them back
 * without retrying. This SDK middleware plays the throttled table: for the next `budget` batch reads it leaves
 * half of the keys (at least one) unprocessed, on the real table.
 */
let budget = 0;
let throttled = 0;
/** Batch reads in flight at once, and the most seen (reset by a test that watches them). */
let inFlight = 0;
let maxInFlight = 0;
function throttleBatchReads(n: number) {
  budget = n;
  throttled = 0;
}
type BatchInput = { RequestItems: Record<string, { Keys: unknown[] }> };
type BatchOutput = {
  Responses?: Record<string, unknown[]>;
  UnprocessedKeys?: Record<string, { Keys: unknown[] }>;
};

beforeAll(() => {
  const stack = dynamoClient().middlewareStack;
  if (stack.identify().some((m) => m.startsWith("throttleBatchReads"))) return;
  stack.add(
    (next, context) => async (args) => {
      if (context.commandName !== "BatchGetItemCommand") return next(args);
      if (budget <= 0) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          return await next(args);
        } finally {
          inFlight--;
        }
      }
      budget--;
      const input = args.input as BatchInput;
      const requested = structuredClone(input.RequestItems);
      const left: Record<string, { Keys: unknown[] }> = {};
      const asked: Record<string, { Keys: unknown[] }> = {};
      for (const [table, req] of Object.entries(requested)) {
        const cut = Math.max(1, Math.ceil(req.Keys.length / 2));
        left[table] = { ...req, Keys: req.Keys.slice(0, cut) };
        throttled += cut;
        if (req.Keys.length > cut) asked[table] = { ...req, Keys: req.Keys.slice(cut) };
      }
      if (Object.keys(asked).length === 0)
        return { output: { Responses: {}, UnprocessedKeys: left, $metadata: {} }, response: {} } as never;
      const res = await next({ ...args, input: { ...input, RequestItems: asked } });
      const out = res.output as BatchOutput;
      out.UnprocessedKeys = { ...(out.UnprocessedKeys ?? {}), ...left };
      return res;
    },
    // before the serializer, after the document client's marshalling: keys are in the wire format both ways
    { step: "serialize", priority: "high", name: "throttleBatchReads" },
  );
});
afterEach(() => {
  budget = 0;
});

let op: TestOperation;
beforeAll(async () => {
  op = await createTestOperation();
});

const person = (extra: Record<string, unknown> = {}) => ({
  givenName: "Rosa Elena",
  familyName: `Martínez${Math.random().toString(36).slice(2, 7)}`,
  sex: "female",
  dateOfBirth: "1991-07-22",
  nationality: "HND",
  officeID: op.officeA,
  ...extra,
});

describe("batch reads under throttling", () => {
  it("a grid save of several people saves every row, none answers 'not found'", async () => {
    const token = op.users.caseworker.token;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await call("POST", "/api/individuals", {
        token,
        body: person({ dateOfBirth: `1980-01-0${i + 1}` }),
      });
      expect(r.status, JSON.stringify(r.json)).toBe(201);
      ids.push(r.json.individualID);
    }
    throttleBatchReads(3);
    const res = await call("PATCH", "/api/individuals", {
      token,
      body: { rows: ids.map((id) => ({ id, version: 1, changes: { legalStatus: "refugee" } })) },
    });
    expect(throttled).toBeGreaterThan(0);
    expect(res.status).toBe(200);
    expect(res.json.summary).toEqual({ saved: 6 });
    for (const id of ids) {
      const got = await call("GET", `/api/individuals/${id}`, { token });
      expect([got.json.legalStatus, got.json.version]).toEqual(["refugee", 2]);
    }
  });

  it("a duplicate passport is still caught when the candidates' read is throttled", async () => {
    const token = op.users.caseworker.token;
    const doc = `G${Date.now()}`;
    const first = await call("POST", "/api/individuals", {
      token,
      body: person({ documents: [{ type: "passport", number: doc, country: "HND" }] }),
    });
    expect(first.status).toBe(201);
    throttleBatchReads(2);
    const again = await call("POST", "/api/individuals", {
      token,
      body: person({
        givenName: "Carla",
        dateOfBirth: "1993-01-02",
        documents: [{ type: "passport", number: doc, country: "HND" }],
      }),
    });
    expect(throttled).toBeGreaterThan(0);
    expect(again.status, JSON.stringify(again.json)).toBe(409);
    expect(again.json.current.candidates[0].individualID).toBe(first.json.individualID);
  });

  it("the record history still names who did it", async () => {
    const token = op.users.caseworker.token;
    // a date of birth of its own: with the passport test's person's, a close random family name made this one a
    // suspected duplicate (409, no record, no history to read) in about one run in twenty
    const created = await call("POST", "/api/individuals", {
      token,
      body: person({ dateOfBirth: "1975-11-30" }),
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    throttleBatchReads(2);
    const history = await call("GET", `/api/audit?recordId=${created.json.individualID}`, {
      token: op.users.admin.token,
    });
    expect(throttled).toBeGreaterThan(0);
    expect(history.status).toBe(200);
    const creation = history.json.items.find((e: { action: string }) => e.action === "create");
    expect(creation.actorName).toMatch(/^caseworker /);
  });

  it("a submission's integrity check reads every member", async () => {
    const token = op.users.caseworker.token;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        (
          await call("POST", "/api/individuals", {
            token,
            body: person({ dateOfBirth: `2015-02-0${i + 1}` }),
          })
        ).json.individualID,
      );
    throttleBatchReads(4);
    const members = await people(ids);
    expect(throttled).toBeGreaterThan(0);
    expect(members.map((m) => m.individualID).sort()).toEqual([...ids].sort());
  });

  it("a batch read of more than 100 keys sends its requests at once, not one after another", async () => {
    // a filtered 200-row page reads its records in two 100-key requests: one round trip, not two (issue 19's
    // filter p95); ElectroDB's option is `concurrent`, and an unknown `concurrency` left them sequential
    const token = op.users.caseworker.token;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        (
          await call("POST", "/api/individuals", {
            token,
            body: person({ dateOfBirth: `2001-03-0${i + 1}` }),
          })
        ).json.individualID,
      );
    // 250 keys: the three records among 247 that do not exist (three requests of at most 100 keys)
    const keys = [
      ...ids,
      ...Array.from({ length: 247 }, (_, i) => `ind_NOSUCHRECORD${String(i).padStart(12, "0")}`),
    ];
    maxInFlight = 0;
    const found = await batchGet<{ individualID: string }>(
      IndividualEntity,
      keys.map((individualID) => ({ individualID })),
    );
    expect(found.map((r) => r.individualID).sort()).toEqual([...ids].sort());
    expect(maxInFlight).toBe(3);
    // and with unprocessed keys the retries still bring every record back
    throttleBatchReads(3);
    const again = await batchGet<{ individualID: string }>(
      IndividualEntity,
      keys.map((individualID) => ({ individualID })),
    );
    expect(throttled).toBeGreaterThan(0);
    expect(again.map((r) => r.individualID).sort()).toEqual([...ids].sort());
  });

  it("core has no batch get outside batchGet (ElectroDB does not retry unprocessed keys)", () => {
    const root = join(__dirname, "../../packages/core/src");
    const files = (readdirSync(root, { recursive: true }) as string[]).filter(
      (f) => f.endsWith(".ts") && !f.endsWith("common/batch-get.ts"),
    );
    // Entity.get(<array>) / Entity.get(ids.map(...)) / Entity.get(ids): a batch get
    const bare = /\b\w*Entity\.get\(\s*(\[|\w+(\.slice\([^)]*\))?\.map\(|ids\b|keys\b)/;
    const offenders = files.filter((f) => bare.test(readFileSync(join(root, f), "utf8")));
    expect(offenders).toEqual([]);
  });
});
