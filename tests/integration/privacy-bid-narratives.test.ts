import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { Identifier } from "@waypoint/core";
import { config } from "@waypoint/core/config";
import { documentClient } from "@waypoint/core/dynamo";
import { call, createTestOperation } from "../support/fixtures.ts";
import { caseWith, extraUser, people } from "../support/programmes.ts";

/** Every item of the table, as lower-cased JSON. */
async function scanTable(): Promise<string[]> {
  const out: string[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const res = await documentClient().send(new ScanCommand({ TableName: config().tableName, ExclusiveStartKey }));
    for (const i of res.Items ?? []) out.push(JSON.stringify(i).toLowerCase());
    ExclusiveStartKey = res.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return out;
}

describe("BID reasons are encrypted like other narratives", () => {
  it("a BID's summary and the panel's comments are ciphertext in the table; the API, the BIP file and the history read them", async () => {
    const op = await createTestOperation();
    const [mother, child] = await people(op, [
      { age: 33, relationshipToHead: "head" },
      { age: 8, relationshipToHead: "child" },
    ]);
    const c = await caseWith(op, "pta", [mother!.individualID, child!.individualID]);
    const tag = Identifier.create("assessment").slice(-8);
    const summary = `Uncle Tiburcio${tag} threatened the child at the border`;
    const comment = `Return to Zacatecoluca${tag} is not in the child's interest`;
    const cw = op.users.caseworker;
    const bid = await call("POST", "/api/assessments", {
      token: cw.token,
      body: { caseID: c.caseID, kind: "bid", individualID: child!.individualID, summary },
    });
    expect(bid.status).toBe(201);
    expect(bid.json.summary).toBe(summary);
    const sub = await call("POST", `/api/assessments/${bid.json.assessmentID}/submit`, {
      token: cw.token,
      body: { version: bid.json.version },
    });
    expect(sub.status).toBe(200);
    const panel2 = await extraUser(op, "supervisor");
    const review = await call("POST", `/api/assessments/${bid.json.assessmentID}/review`, {
      token: panel2.token,
      body: { decision: "return", comment, version: sub.json.version },
    });
    expect(review.status, JSON.stringify(review.json)).toBe(200);

    // the table holds none of their words
    const items = await scanTable();
    for (const words of [`tiburcio${tag}`, `zacatecoluca${tag}`])
      expect(items.filter((i) => i.includes(words.toLowerCase()))).toEqual([]);

    // those who may read the BID read the text
    const read = await call("GET", `/api/assessments/${bid.json.assessmentID}`, { token: cw.token });
    expect(read.status).toBe(200);
    expect(read.json.summary).toBe(summary);
    expect(read.json.reviews.map((r: { comment?: string }) => r.comment)).toEqual([comment]);
    const listed = await call("GET", `/api/assessments?caseID=${c.caseID}`, { token: cw.token });
    expect(listed.json.items.find((a: { kind: string }) => a.kind === "bid").summary).toBe(summary);
    const file = await call("GET", `/api/bip/assessments/${bid.json.assessmentID}`, { token: cw.token });
    expect(file.status).toBe(200);
    expect(JSON.stringify(file.json)).toContain(summary);
    const history = await call(
      "GET",
      `/api/audit?recordId=${bid.json.assessmentID}`,
      { token: op.users.supervisor.token },
    );
    expect(history.status, JSON.stringify(history.json)).toBe(200);
    const text = JSON.stringify(history.json);
    expect(text).not.toContain("nar.v1.");
    expect(text).toContain(comment);
  });
});
