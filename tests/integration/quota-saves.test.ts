import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { QuotaEntity } from "@waypoint/core/resettlement/submission.entity";
import { documentClient } from "@waypoint/core/dynamo";
import { call, createTestOperation, type TestOperation } from "../support/fixtures.ts";

let op: TestOperation;
beforeAll(async () => {
  op = await createTestOperation();
});

/** Runs `write` against the real table just before the next transaction: a colleague saving at that moment. */
async function withColleagueFirst<R>(write: () => Promise<unknown>, fn: () => Promise<R>) {
  const client = documentClient();
  let pending: (() => Promise<unknown>) | undefined = write;
  let theirs: unknown;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === "TransactWriteItemsCommand" && pending) {
        const w = pending;
        pending = undefined;
        theirs = await w();
      }
      return next(args);
    },
    { step: "initialize", name: "quotaColleagueFirst" },
  );
  try {
    const mine = await fn();
    return { mine, theirs, ran: pending === undefined };
  } finally {
    client.middlewareStack.remove("quotaColleagueFirst");
  }
}

const stored = (operationID: string, year: number, country: string) =>
  QuotaEntity.get({ operationID, year, programme: "rst", country })
    .go({ consistent: true })
    .then((r) => r.data);

describe("saving a quota", () => {
  const save = (country: string, quotaIndividuals: number, year = 2027) =>
    call("PUT", "/api/quotas", {
      token: op.users.admin.token,
      body: { year, country, programme: "rst", quotaIndividuals },
    });

  it("two quick first saves: one wins, the other gets 409, and the stored quota is the winner's", async () => {
    const { mine, theirs, ran } = await withColleagueFirst(
      () => save("CAN", 400),
      () => save("CAN", 250),
    );
    expect(ran).toBe(true);
    const colleague = theirs as Awaited<ReturnType<typeof save>>;
    expect(colleague.status).toBe(200);
    expect(mine.status, JSON.stringify(mine.json)).toBe(409);
    expect(mine.json.current).toMatchObject({ quotaIndividuals: 400, version: 1 });
    const q = await stored(op.operationID, 2027, "CAN");
    expect([q?.quotaIndividuals, q?.version]).toEqual([400, 1]);
  });

  it("two quick edits of a stored quota: one wins, the other gets 409; a later save goes through", async () => {
    expect((await save("AUS", 100)).status).toBe(200);
    const { mine, theirs } = await withColleagueFirst(
      () => save("AUS", 180),
      () => save("AUS", 120),
    );
    expect((theirs as { status: number }).status).toBe(200);
    expect(mine.status).toBe(409);
    let q = await stored(op.operationID, 2027, "AUS");
    expect([q?.quotaIndividuals, q?.version]).toEqual([180, 2]);
    // the answer is what was stored: a save after reading the new version succeeds and is kept
    const again = await save("AUS", 120);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ quotaIndividuals: 120, version: 3 });
    q = await stored(op.operationID, 2027, "AUS");
    expect([q?.quotaIndividuals, q?.version]).toEqual([120, 3]);
  });

  it("core never ignores transactWrite's outcome (a failed condition is not a success)", () => {
    const root = join(__dirname, "../../packages/core/src");
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith(".ts"));
    // `await transactWrite(...)` as a statement, or an arrow returning it to a caller that drops it
    const ignored = /(^\s*await transactWrite\(|=>\s*transactWrite\()/m;
    expect(files.filter((f) => ignored.test(readFileSync(join(root, f), "utf8")))).toEqual([]);
  });
});
